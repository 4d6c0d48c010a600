"""The contribution path in headless Chromium: log in, upload a file, read the report, save
drafts, submit; the reviewer publishes; the record reaches the public feed. And the map editor."""

from __future__ import annotations

import json

import pytest

from rigenerazione.models import Intervento
from rules.publication import PublicationState
from tests.browser import app_errors, publish_screenshot, screenshot
from tests.contributi.conftest import (
    PASSWORD,
    geojson_bytes,
    intervento_rows,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.contributi-form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.docs_screenshot
def test_operator_uploads_and_reviewer_publishes(
    live_server, page, worker, operator_rho, reviewer, tmp_path
):
    xss = '<img src=x onerror="window.pwned=1">'
    path = tmp_path / "interventi.geojson"
    path.write_bytes(geojson_bytes(intervento_rows(2, soggetto_attuatore=xss)))
    log_in(page, live_server.url, operator_rho.username)

    page.goto(live_server.url + "/contributi/carica/")
    page.select_option("#id_target", "interventi")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#report")
    assert page.locator("#report-table tr.ok").count() == 2
    # The features read are drawn on the map, over the boundary of Rho; values are previewed.
    page.wait_for_selector("#report-map[data-ready]")
    assert page.get_attribute("#report-map", "data-features") == "2"
    assert page.locator("#report-map path.feature-ok").count() == 2
    assert "Riqualificazione piazza 2" in page.inner_text("#values-preview")
    publish_screenshot(screenshot(page, "contributi-report"), "contributi-report.png")
    assert Intervento.objects.count() == 0  # nothing stored before confirming

    page.click("#commit-form button")
    page.wait_for_selector("table.records")
    assert "2 record salvati come bozza" in page.inner_text(".messages")
    assert page.url.endswith("/contributi/")
    assert page.locator("text=Bozza").count() >= 2
    record = Intervento.objects.get(title="Riqualificazione piazza 1")
    assert record.soggetto_attuatore == xss
    page.click(f"tr[data-record='interventi-{record.pk}'] button:has-text('Invia in revisione')")
    page.wait_for_load_state()
    record.refresh_from_db()
    assert record.publication_state == PublicationState.IN_REVISIONE

    page.click("button:has-text('Esci')")
    page.wait_for_load_state()
    log_in(page, live_server.url, reviewer.username)
    # The reviewer lands on the review queue; publishing asks first, then says what happened.
    assert page.url.endswith("/contributi/?stato=in_revisione")
    page.click(f"#list-interventi [data-record='interventi-{record.pk}'] a:has-text('Pubblica')")
    page.wait_for_selector("#action-form")
    publish_screenshot(
        screenshot(page, "contributi-confirm-publish"), "contributi-confirm-publish.png"
    )
    page.fill("#id_review_comment", "Verificato con il Comune.")
    page.click("#action-form button[type=submit]")
    page.wait_for_selector(".messages")
    assert "è pubblicato: ora è sulla mappa" in page.inner_text(".messages")
    publish_screenshot(
        screenshot(page, "contributi-dashboard-reviewer"), "contributi-dashboard-reviewer.png"
    )
    record.refresh_from_db()
    assert record.publication_state == PublicationState.PUBBLICATO

    feed = page.request.get(live_server.url + "/api/layers/interventi/download.geojson")
    titles = [f["properties"]["title"] for f in json.loads(feed.body())["features"]]
    assert titles == ["Riqualificazione piazza 1"]
    assert page.evaluate("window.pwned") is None
    assert app_errors(page) == []


def test_upload_error_is_shown_in_italian(live_server, page, worker, operator_rho, tmp_path):
    path = tmp_path / "vuoto.geojson"
    path.write_bytes(b'{"type": "FeatureCollection", "features": []}')
    log_in(page, live_server.url, operator_rho.username)
    page.goto(live_server.url + "/contributi/carica/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#upload-error")
    assert page.inner_text("#upload-error") == (
        "Il file «vuoto.geojson» non contiene nessun elemento geografico."
    )


@pytest.mark.docs_screenshot
def test_map_editor_loads_geoman_and_saves_a_drawn_geometry(
    live_server, page, operator_rho, draft_rho
):
    log_in(page, live_server.url, operator_rho.username)
    page.goto(f"{live_server.url}/contributi/interventi/{draft_rho.pk}/modifica/")
    page.wait_for_selector("#edit-map[data-ready]")
    assert page.locator(".leaflet-pm-toolbar").count() >= 1
    # Draw through Geoman's API, as the toolbar would: a rectangle inside Rho.
    page.evaluate(
        """() => {
          const {map, drawn, sync} = window.remixEditMap;
          drawn.clearLayers();
          const r = L.rectangle([[45.531, 9.046], [45.533, 9.049]]);
          map.fire('pm:create', {layer: r, shape: 'Rectangle'});
        }"""
    )
    page.fill("#id_title", "Piazza ridisegnata")
    publish_screenshot(screenshot(page, "contributi-editor"), "contributi-editor.png")
    page.click("#edit-form button[type=submit]")
    page.wait_for_selector("table.records")
    draft_rho.refresh_from_db()
    assert draft_rho.title == "Piazza ridisegnata"
    assert draft_rho.geom.extent == pytest.approx((9.046, 45.531, 9.049, 45.533), abs=1e-6)
    assert app_errors(page) == []


@pytest.mark.docs_screenshot
def test_mapping_step_in_the_browser(live_server, page, worker, operator_rho, tmp_path):
    """A file with its own column names: choose the columns, check again, confirm."""
    from shapely.geometry import Point

    from tests.contributi.conftest import RHO_POINT

    path = tmp_path / "altro.geojson"
    path.write_bytes(
        geojson_bytes([{"NOME": "Orti urbani", "FASE": "Concluso", "geometry": Point(*RHO_POINT)}])
    )
    log_in(page, live_server.url, operator_rho.username)
    page.goto(live_server.url + "/contributi/carica/")
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.wait_for_selector("#report tr.ko")
    page.select_option("#map_title", "NOME")
    page.select_option("#map_stato", "FASE")
    page.click("#mapping-form button[type=submit]")
    page.wait_for_selector("#report tr.ok")
    publish_screenshot(screenshot(page, "contributi-mapping"), "contributi-mapping.png")
    page.click("#commit-form button")
    # The job's page (which also shows the report's table) moves on to the dashboard when the
    # worker has stored the record.
    page.wait_for_url(live_server.url + "/contributi/", timeout=60_000)
    record = Intervento.objects.get()
    assert (record.title, record.stato, record.localizzazione) == (
        "Orti urbani",
        "concluso",
        "punto",
    )
    assert app_errors(page) == []
