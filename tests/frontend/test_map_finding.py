"""Finding and seeing (issue 15): figures equal to the Atlas, zoom and highlight what was chosen,
a visible basemap failure with a fallback from our own data, and the first-map time."""

from __future__ import annotations

import re

import pytest

from tests.browser import app_errors, screenshot
from tests.frontend.conftest import RHO, make_opportunita

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "#map[data-ready=true]"


@pytest.fixture
def rho_opportunita(rho):
    make_opportunita(rho, title="Area ex Cerini", lon=9.04, lat=45.515)
    return rho


def hash_zoom(page) -> int:
    return int(re.search(r"map=(\d+)/", page.url).group(1))


def test_hectares_chart_equals_the_atlas_figure_for_the_same_comune(
    live_server, page, rho_opportunita
):
    page.goto(f"{live_server.url}/#comune={RHO}")
    page.wait_for_selector(READY)
    page.click("#tab-btn-charts")
    page.wait_for_function(
        "Number(document.querySelector('figure[data-chart=hectares]')?.dataset.rows) > 0"
    )
    chart_total = float(page.get_attribute("figure[data-chart=hectares]", "data-total"))

    page.goto(f"{live_server.url}/atlante/comuni/{RHO}/")
    indicator = page.locator(".indicators li", has_text="di opportunità").first.inner_text()
    atlas = float(re.search(r"([\d.,]+) ha", indicator).group(1).replace(".", "").replace(",", "."))

    # A 0.01° square at 45.5° N is about 87 ha: hectares, never the number of records (1).
    assert chart_total > 50
    assert chart_total == pytest.approx(atlas, abs=0.01)
    assert app_errors(page) == []


def test_a_search_result_on_a_hidden_layer_is_switched_on_zoomed_and_highlighted(
    live_server, page, rho_opportunita
):
    page.goto(f"{live_server.url}/#layers=comuni")
    page.wait_for_selector(READY)
    start = hash_zoom(page)

    page.fill("#search-input", "ex Cerini")
    page.click('#search-results button[data-layer="opportunita"]')

    page.wait_for_function(
        "(document.getElementById('map').dataset.highlight || '').startsWith('opportunita:')"
    )
    assert page.is_checked("#layer-opportunita")
    assert hash_zoom(page) > start + 2
    assert page.text_content("#feature-title") == "Area ex Cerini"
    screenshot(page, "portal-search-highlight")
    assert app_errors(page) == []


def test_a_comune_filter_brings_the_map_to_the_comune(live_server, page, rho_opportunita):
    page.goto(f"{live_server.url}/")
    page.wait_for_selector(READY)
    start = hash_zoom(page)
    page.click("#tab-btn-filters")

    page.select_option("#f-comune", RHO)

    page.wait_for_function(f"location.hash.includes('comune={RHO}')")
    page.wait_for_selector(READY)
    page.wait_for_function(f"Number(location.hash.match(/map=(\\d+)/)[1]) > {start + 2}")
    assert app_errors(page) == []


def test_an_unreachable_basemap_is_said_and_replaced_by_our_own_data(
    live_server, page, rho_opportunita
):
    # The test browser is on a closed network: every basemap tile fails.
    page.goto(f"{live_server.url}/#map=12/45.53000/9.04000&layers=opportunita")
    page.wait_for_selector(READY)

    notice = page.wait_for_selector(".basemap-notice")
    assert "non raggiungibile" in notice.inner_text()
    assert notice.get_attribute("role") == "status"
    page.wait_for_function(
        "(document.getElementById('map').dataset.fallbackLayers || '').includes('comuni')"
    )
    # Comune names are written on the fallback at this zoom.
    page.wait_for_selector(".fallback-label >> text=Rho")
    screenshot(page, "portal-basemap-fallback")
    assert app_errors(page) == []


def test_first_useful_map_time_is_logged(live_server, page, rho_opportunita):
    page.goto(f"{live_server.url}/")
    page.wait_for_selector(READY)

    ms = int(page.get_attribute("#map", "data-first-map-ms"))
    print(f"\n[portal] first useful map after {ms} ms (cold load over loopback)")
    assert ms > 0
