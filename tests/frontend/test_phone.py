"""The portal on a phone (390×844): the map stays in view, the panel is a bottom sheet, record
pages keep a margin and Atlas tables are not cut off."""

from __future__ import annotations

import pytest

from tests.browser import app_errors, publish_screenshot, screenshot
from tests.frontend.conftest import POINT, RHO
from tests.frontend.test_map_truth import page_xy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY = "#map[data-ready=true]"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="it-IT", is_mobile=True, has_touch=True)
    tab = context.new_page()
    tab.console_errors = []
    tab.blocked = []
    tab.route(
        "**/*",
        lambda r: (
            (tab.blocked.append(r.request.url), r.abort())
            if "127.0.0.1" not in r.request.url and "localhost" not in r.request.url
            else r.continue_()
        ),
    )
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
    yield tab
    context.close()


def in_view(page, selector: str) -> bool:
    return page.evaluate(
        "sel => { const r = document.querySelector(sel).getBoundingClientRect();"
        " return r.top < innerHeight && r.bottom > 0; }",
        selector,
    )


def test_after_applica_the_map_is_in_view(live_server, phone, rho_world):
    phone.goto(f"{live_server.url}/")
    phone.wait_for_selector(READY)
    phone.click("#tab-btn-filters")
    phone.select_option("#f-comune", RHO)
    phone.click("#filters button[type=submit]")

    phone.wait_for_function(
        "() => { const r = document.getElementById('map').getBoundingClientRect();"
        " return r.top < innerHeight / 2 && r.bottom > 0; }"
    )
    assert in_view(phone, "#map")
    screenshot(phone, "portal-phone-after-applica")
    assert app_errors(phone) == []


@pytest.mark.docs_screenshot
def test_the_feature_panel_is_a_bottom_sheet(live_server, phone, rho_world):
    phone.goto(f"{live_server.url}/#map=15/45.52000/9.04500&layers=interventi")
    phone.wait_for_selector(READY)
    phone.locator("#map").scroll_into_view_if_needed()

    phone.mouse.click(*page_xy(phone, *POINT))
    phone.wait_for_selector("#feature-panel:not([hidden])")

    panel = phone.locator("#feature-panel").bounding_box()
    map_box = phone.locator("#map").bounding_box()
    # Anchored to the bottom of the map, full width, leaving most of the map visible.
    assert panel["y"] + panel["height"] == pytest.approx(map_box["y"] + map_box["height"], abs=2)
    assert panel["width"] == pytest.approx(map_box["width"], abs=2)
    assert panel["height"] < map_box["height"] * 0.5
    publish_screenshot(screenshot(phone, "portal-phone-sheet"), "portal-phone-sheet.png")
    assert app_errors(phone) == []


def test_record_pages_keep_a_margin_and_atlas_tables_fit(live_server, phone, rho_world):
    from rigenerazione.models import Intervento

    record = Intervento.objects.get(title="Fermata riqualificata")
    phone.goto(f"{live_server.url}/interventi/{record.pk}/")
    heading = phone.locator("h1").bounding_box()
    assert heading["x"] >= 12

    phone.goto(f"{live_server.url}/atlante/comuni/{RHO}/")
    overflow = phone.evaluate("document.documentElement.scrollWidth - innerWidth")
    assert overflow <= 0
    assert app_errors(phone) == []
