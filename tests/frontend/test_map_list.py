"""The list beside the map: filtered features as a sortable, paged table with totals, in sync
with the map both ways, with exports that carry the same filters."""

from __future__ import annotations

import pytest

from rigenerazione.models import Intervento
from tests.browser import app_errors, publish_screenshot, screenshot
from tests.frontend.conftest import LINE, RHO
from tests.frontend.test_map_truth import page_xy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "#map[data-ready=true]"


def row_titles(page) -> list[str]:
    return page.eval_on_selector_all(
        ".list-table tbody tr", "rows => rows.map(r => r.cells[0].textContent)"
    )


def open_list(page, live_server) -> None:
    page.goto(f"{live_server.url}/#map=14/45.53000/9.04500&layers=comuni,interventi")
    page.wait_for_selector(READY)
    page.click("#tab-btn-list")
    page.wait_for_selector(".list-table tbody tr")


@pytest.mark.docs_screenshot
def test_the_list_shows_the_filtered_features_sorted_with_totals(live_server, page, rho_world):
    open_list(page, live_server)

    assert len(row_titles(page)) == 3
    assert page.text_content('.list-totals [data-total="count"]') == "3 elementi"
    # Only the PNRR application has a cost: 2 850 000 €.
    assert page.get_attribute('.list-totals [data-total="costo_totale"]', "data-value") == "2850000"

    # Codes are shown as words.
    assert "in_corso" not in page.inner_text(".list-table")
    assert "In corso" in page.inner_text(".list-table")
    page.click('.list-table th button[data-sort="title"]')
    ascending = row_titles(page)
    page.click('.list-table th button[data-sort="title"]')

    assert ascending == sorted(ascending)
    assert row_titles(page) == sorted(ascending, reverse=True)
    publish_screenshot(screenshot(page, "portal-list"), "portal-list.png")
    assert app_errors(page) == []


def test_list_and_map_follow_each_other(live_server, page, rho_world):
    open_list(page, live_server)
    point = Intervento.objects.get(title="Fermata riqualificata")
    line = Intervento.objects.get(title="Pista ciclabile del Lura")

    # Map → list: a click on the line selects its row.
    middle = ((LINE[0][0] + LINE[1][0]) / 2, (LINE[0][1] + LINE[1][1]) / 2)
    page.mouse.click(*page_xy(page, *middle))
    page.wait_for_selector(f'.list-table tbody tr[data-id="{line.pk}"][aria-selected="true"]')

    # List → map: the row's feature is shown and highlighted.
    page.click(f'.list-table tbody tr[data-id="{point.pk}"]')
    page.wait_for_function(
        f"document.getElementById('map').dataset.highlight === 'interventi:{point.pk}'"
    )
    assert page.text_content("#feature-title") == "Fermata riqualificata"
    assert app_errors(page) == []


def test_list_exports_carry_the_same_filters(live_server, page, rho_world):
    page.goto(f"{live_server.url}/#layers=interventi&comune={RHO}&esito=ammessa")
    page.wait_for_selector(READY)
    page.click("#tab-btn-list")
    page.wait_for_selector(".list-table tbody tr")

    assert len(row_titles(page)) == 1
    for kind in ("csv", "geojson"):
        href = page.get_attribute(f'.list-exports a[data-export="{kind}"]', "href")
        assert f"comune={RHO}" in href and "esito=ammessa" in href
    csv = page.request.get(live_server.url + page.get_attribute('a[data-export="csv"]', "href"))
    assert csv.ok and len(csv.text().strip().splitlines()) == 2  # header + the one record
    assert app_errors(page) == []


def test_share_copies_the_link_of_the_current_view(live_server, page, rho_world):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page.goto(f"{live_server.url}/#map=14/45.53000/9.04500&layers=interventi&comune={RHO}")
    page.wait_for_selector(READY)

    page.click("#share-button")

    page.wait_for_selector("#share-status:has-text('Link copiato')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and f"comune={RHO}" in copied
    assert app_errors(page) == []


def test_print_shows_map_legend_filters_and_attribution(live_server, page, rho_world):
    page.goto(f"{live_server.url}/#layers=interventi&comune={RHO}")
    page.wait_for_selector(READY)
    page.evaluate("window.print = () => { window.printed = true; }")

    page.click("#print-button")
    page.emulate_media(media="print")

    assert page.evaluate("window.printed") is True
    assert "Comune: Rho" in page.inner_text("#print-summary")
    assert page.is_visible('[data-layer-item="interventi"] .layer-legend')
    assert page.is_visible(".leaflet-control-attribution")
    assert not page.is_visible("#share-button")
