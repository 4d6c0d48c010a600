"""The portal in headless Chromium on a closed network: what a person sees and can do."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command

from layers.registry import registry
from rigenerazione.models import FonteFinanziamento, StatoIntervento
from territorio.models import Comune
from tests.browser import app_errors, publish_screenshot, screenshot, wait_for_charts_drawn
from tests.frontend.conftest import HOSTILE_TITLE, make_intervento, make_opportunita

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "frontend" / "static" / "vendor" / "axe-core" / "axe.min.js"
READY = "#map[data-ready=true]"


def count_of(page, layer_id: str) -> str:
    return page.get_attribute(f'[data-layer-item="{layer_id}"] .layer-count', "data-count")


def wait_count(page, layer_id: str, value: int) -> None:
    selector = f'[data-layer-item="{layer_id}"] .layer-count[data-count="{value}"]'
    page.wait_for_selector(selector, state="attached")


def hash_params(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).fragment).items()}


@pytest.fixture
def small_world(territorio, hostile_intervento):
    """Two more interventi (Rho, Milano) and one opportunità, besides the hostile one."""
    milano = Comune.objects.get(istat_code="015146")
    rho = Comune.objects.get(istat_code="015182")
    make_intervento(
        rho,
        title="Piazza della stazione",
        lon=9.04,
        lat=45.53,
        stato=StatoIntervento.CONCLUSO,
        funding=((FonteFinanziamento.REGIONALE, "250000.00"),),
        is_sample=True,
    )
    make_intervento(milano, title="Biblioteca di quartiere", lon=9.22, lat=45.48)
    make_opportunita(rho, title="Area ex industriale", lon=9.05, lat=45.52)
    return milano


def test_map_page_loads_the_catalogue_layers_without_console_errors(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)

    themes = page.eval_on_selector_all(
        "#layer-tree fieldset", "els => els.map(e => e.dataset.theme)"
    )
    # The order; Mobilità and Servizi appear when their layers are installed.
    order = ["rigenerazione", "pianificazione", "mobilita", "servizi", "territorio"]
    assert themes == [theme for theme in order if theme in themes]
    assert {"rigenerazione", "pianificazione", "territorio"} <= set(themes)
    assert count_of(page, "comuni") == "133"
    assert count_of(page, "interventi") == "3"
    assert count_of(page, "opportunita") == "1"
    # The legend of each layer is shown with it.
    assert "Confine comunale" in page.inner_text('[data-layer-item="comuni"]')
    assert app_errors(page) == []


def test_toggling_layers_loads_and_removes_them(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)

    page.check("#layer-zone-omogenee")
    wait_count(page, "zone-omogenee", 8)  # seven Zone omogenee plus the Comune di Milano
    page.uncheck("#layer-comuni")

    assert count_of(page, "comuni") == ""
    assert hash_params(page)["layers"].split(",") == ["interventi", "opportunita", "zone-omogenee"]
    assert app_errors(page) == []


def test_clicking_an_intervento_shows_its_attributes_as_text(live_server, page, small_world):
    # The permalink centres the map on the hostile intervento at zoom 16.
    page.goto(live_server.url + "/#map=16/45.46400/9.19000&layers=interventi")
    page.wait_for_selector(READY)
    wait_count(page, "interventi", 3)
    box = page.locator("#map").bounding_box()

    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#feature-panel:not([hidden])")

    assert page.text_content("#feature-title") == HOSTILE_TITLE
    assert page.text_content('#feature-body dd[data-field="stato"]') == "In corso"
    assert page.text_content('#feature-body dd[data-field="anno_inizio"]') == "2022"
    assert page.locator("#feature-body img, #feature-body script").count() == 0
    assert page.evaluate("window.pwned") is None
    href = page.get_attribute("#feature-body a.feature-link", "href")
    assert href == f"/interventi/{small_world.interventi.get(title=HOSTILE_TITLE).pk}/"
    # Funding from /api/interventi/{id}/: 700,000 PNRR + 300,000 Comunale = 1,000,000.
    page.wait_for_selector("#feature-body .funding-table")
    funding = page.inner_text("#feature-body .funding-table").replace("\xa0", " ")
    assert "PNRR\t700.000 €" in funding
    assert "Comunale\t300.000 €" in funding
    assert "Totale\t1.000.000 €" in funding
    screenshot(page, "portal-feature-panel")
    assert app_errors(page) == []


def test_a_zona_filter_changes_the_map_and_the_counts(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)
    page.click("#tab-btn-filters")

    page.select_option("#f-zona", "nord-milano")
    wait_count(page, "comuni", 6)  # the six Comuni of the Zona Nord Milano

    # The "Elementi sulla mappa" list follows once every layer has reloaded.
    page.wait_for_selector('#counts li[data-layer="comuni"][data-count="6"]', state="attached")
    assert hash_params(page)["zona"] == "nord-milano"
    assert app_errors(page) == []


def wait_chart_total(page, key: str, total: float) -> None:
    """Wait until the chart ``key`` shows ``total`` (charts redraw as their data arrives)."""
    page.wait_for_function(
        "([key, total]) => Number(document.querySelector(`figure[data-chart=${key}]`)"
        "?.dataset.total) === total",
        arg=[key, total],
    )


def test_a_comune_filter_changes_interventi_opportunita_and_charts(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)
    page.click("#tab-btn-charts")
    wait_chart_total(page, "byState", 3)
    # 700,000 + 300,000 (Milano) + 250,000 (Rho) = 1,250,000.
    wait_chart_total(page, "fundingBySource", 1_250_000)
    page.click("#tab-btn-filters")

    page.select_option("#f-comune", "015182")  # Rho
    wait_count(page, "interventi", 1)
    wait_count(page, "comuni", 1)

    wait_count(page, "opportunita", 1)
    wait_chart_total(page, "byState", 1)
    wait_chart_total(page, "fundingBySource", 250_000)
    assert app_errors(page) == []


def test_the_intervento_state_filter_leaves_opportunita_alone(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)
    page.click("#tab-btn-filters")

    page.select_option("#f-stato", "concluso")
    wait_count(page, "interventi", 1)

    wait_count(page, "opportunita", 1)
    assert count_of(page, "comuni") == "133"
    assert app_errors(page) == []


def test_the_year_filter_keeps_interventi_active_that_year(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)
    page.click("#tab-btn-filters")

    # Every intervento of the small world runs 2022-2026: none is active in 2030.
    page.fill("#f-anno", "2030")
    page.click("#filters button[type=submit]")
    wait_count(page, "interventi", 0)

    wait_count(page, "opportunita", 1)
    assert hash_params(page)["anno"] == "2030"
    assert app_errors(page) == []


def test_a_permalink_restores_view_layers_and_filters(live_server, page, browser, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)
    page.check("#layer-zone-omogenee")
    page.uncheck("#layer-opportunita")
    page.click("#tab-btn-filters")
    page.select_option("#f-zona", "nord-ovest")
    wait_count(page, "comuni", 16)
    zoom = int(hash_params(page)["map"].split("/")[0])
    page.click("#map .leaflet-control-zoom-in")
    page.wait_for_function(
        f"new URLSearchParams(location.hash.slice(1)).get('map').startsWith('{zoom + 1}/')"
    )
    shared = page.url

    other = browser.new_page(viewport={"width": 1366, "height": 850})
    other.route("**/*", lambda r: r.abort() if "openstreetmap" in r.request.url else r.continue_())
    other.goto(shared)
    other.wait_for_selector(READY)
    wait_count(other, "comuni", 16)

    assert other.is_checked("#layer-zone-omogenee")
    assert not other.is_checked("#layer-opportunita")
    assert other.input_value("#f-zona") == "nord-ovest"
    restored = [float(v) for v in hash_params(other)["map"].split("/")]
    assert restored == pytest.approx(
        [float(v) for v in hash_params(page)["map"].split("/")], abs=1e-4
    )
    other.close()


def test_search_box_zooms_to_a_comune(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)

    page.fill("#search-input", "Rho")
    page.click('#search-results button[data-id="015182"]')
    page.wait_for_function(
        "Number(new URLSearchParams(location.hash.slice(1)).get('map').split('/')[0]) >= 12"
    )

    zoom, lat, lon = (float(v) for v in hash_params(page)["map"].split("/"))
    # The map is centred on Rho (about 9.04 E, 45.53 N).
    assert lat == pytest.approx(45.53, abs=0.03)
    assert lon == pytest.approx(9.04, abs=0.03)
    # The panel offers the Comune's page, reachable from the keyboard.
    assert page.text_content("#feature-title") == "Rho"
    assert page.get_attribute("#feature-body a.feature-link", "href") == "/comuni/015182/"
    assert app_errors(page) == []


def run_axe(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violation_on_the_map_page(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)

    assert run_axe(page) == []


def test_axe_finds_no_serious_violation_on_a_detail_page(live_server, page, small_world):
    intervento = small_world.interventi.get(title=HOSTILE_TITLE)
    page.goto(f"{live_server.url}/interventi/{intervento.pk}/")
    page.wait_for_selector("#detail-map[data-ready=true]")
    screenshot(page, "portal-intervento")

    assert run_axe(page) == []
    assert app_errors(page) == []


def test_keyboard_reaches_the_search_box_and_the_layer_checkboxes(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)

    page.keyboard.press("Tab")  # skip link
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.focus("#search-input")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "tab-btn-layers"
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.id") == "tab-btn-filters"
    assert page.is_visible("#f-zona")


@pytest.fixture
def loaded_data(territorio):
    """The real PNRR applications and the seeded sample, as `make run` loads them."""
    call_command("load_pnrr_rigenerazione", verbosity=0)
    call_command("load_rigenerazione_sample", verbosity=0)


@pytest.mark.docs_screenshot
def test_desktop_screenshot_with_the_loaded_data(live_server, page, loaded_data):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)
    page.click("#tab-btn-charts")
    page.wait_for_function("document.querySelector('figure[data-chart=byState]')?.dataset.rows > 0")
    wait_for_charts_drawn(page)

    publish_screenshot(screenshot(page, "portal-desktop"), "portal-desktop.png")
    assert int(count_of(page, "interventi")) > 100
    assert app_errors(page) == []


@pytest.mark.docs_screenshot
def test_phone_viewport_shows_map_and_panel_without_horizontal_scroll(
    live_server, page, small_world
):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)

    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] == pytest.approx(390, abs=1)
    assert map_box["height"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.is_visible("#search-input")
    publish_screenshot(screenshot(page, "portal-phone"), "portal-phone.png")
    assert app_errors(page) == []
    assert run_axe(page) == []


def test_detail_page_of_a_comune_draws_its_small_map(live_server, page, small_world):
    page.goto(live_server.url + "/comuni/015182/")
    page.wait_for_selector("#detail-map[data-ready=true]")

    assert page.text_content("h1") == "Rho"
    assert "Piazza della stazione" in page.inner_text("#comune-interventi")
    assert app_errors(page) == []


def test_data_tab_lists_every_layer_with_licence_and_links(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)

    page.click("#tab-btn-data")

    ids = page.eval_on_selector_all("#data-panel article", "els => els.map(e => e.dataset.layer)")
    catalogue = page.evaluate("fetch('/api/layers/').then(r => r.json())")
    assert ids == [entry["id"] for entry in catalogue["layers"]]
    links = page.eval_on_selector_all(
        '#data-panel article[data-layer="interventi"] a',
        "els => els.map(e => e.getAttribute('href'))",
    )
    # A mixed layer: its GeoJSON/CSV, and one OGC collection per geometry type.
    assert "/ogc/collections/interventi-aree" in links
    assert "/ogc/collections/interventi-punti" in links
    assert "/api/layers/interventi/download.csv" in links
    assert "CC-BY-SA-4.0" in page.inner_text('#data-panel article[data-layer="interventi"]')
    screenshot(page, "portal-data-tab")


def test_dashboard_tab_draws_three_charts(live_server, page, small_world):
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)

    page.click("#tab-btn-charts")
    page.wait_for_function(
        "document.querySelector('figure[data-chart=hectares]')?.dataset.rows > 0"
    )

    assert page.locator("#charts figure canvas").count() == 3
    screenshot(page, "portal-charts-tab")
    assert app_errors(page) == []


def test_language_switch_shows_the_portal_in_english(live_server, page, small_world):
    page.goto(live_server.url + "/#layers=comuni")
    page.wait_for_selector(READY)

    page.click('.language-switch button[value="en"]')
    page.wait_for_selector("html[lang=en] " + READY)

    assert page.text_content("#tab-btn-layers") == "Layers"
    assert "Municipalities" in page.inner_text('[data-layer-item="comuni"]')
    assert page.text_content('[data-layer-item="comuni"] .layer-count') == "133 features"
    # The language switch keeps the view: the hash came along.
    assert hash_params(page)["layers"] == "comuni"
    assert app_errors(page) == []


def test_a_tiles_layer_is_drawn_from_vector_tiles_and_clickable(
    live_server, page, small_world, monkeypatch
):
    monkeypatch.setattr(registry.get("comuni"), "render", "tiles")
    tile_requests = []
    page.on("requestfinished", lambda r: "/tiles/comuni/" in r.url and tile_requests.append(r.url))
    # Centred inside Rho (the point the search endpoint gives for it).
    lon, lat = rho_point()
    page.goto(f"{live_server.url}/#map=13/{lat:.5f}/{lon:.5f}&layers=comuni")
    page.wait_for_selector(READY)
    page.wait_for_function(
        "document.querySelectorAll('#map svg.leaflet-tile path').length > 0 && "
        "document.querySelectorAll('#map svg.leaflet-tile:not(.leaflet-tile-loaded)').length === 0"
    )
    box = page.locator("#map").bounding_box()

    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#feature-panel:not([hidden])")

    assert tile_requests and all(".pbf" in url for url in tile_requests)
    assert page.text_content("#feature-title") == "Rho"
    assert page.text_content('#feature-body dd[data-field="zona_omogenea"]') == "Nord Ovest"
    assert app_errors(page) == []


def rho_point() -> tuple[float, float]:
    from django.contrib.gis.db.models.functions import PointOnSurface

    point = Comune.objects.annotate(p=PointOnSurface("geom")).get(istat_code="015182").p
    return point.x, point.y


def test_dense_points_are_clustered_when_the_layer_asks(
    live_server, page, small_world, monkeypatch
):
    monkeypatch.setattr(registry.get("interventi"), "cluster", True)

    page.goto(live_server.url + "/#map=9/45.47/9.15&layers=interventi")
    page.wait_for_selector(READY)

    page.wait_for_selector(".marker-cluster")
    total = page.eval_on_selector_all(
        ".marker-cluster span", "els => els.map(e => Number(e.textContent))"
    )
    assert sum(total) == 3
    assert app_errors(page) == []


def test_a_tiled_layer_counts_what_the_filters_leave(live_server, page, small_world):
    # The opportunità layer is drawn from vector tiles; its count comes from the OGC API.
    page.goto(live_server.url + "/")
    page.wait_for_selector(READY)
    wait_count(page, "opportunita", 1)
    page.click("#tab-btn-filters")

    page.select_option("#f-comune", "015146")  # Milano: the only opportunità is in Rho
    wait_count(page, "opportunita", 0)

    assert app_errors(page) == []
