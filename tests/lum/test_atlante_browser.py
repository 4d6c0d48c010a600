"""A LUM sheet of the real data in headless Chromium: it draws its map, with no console errors."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from lum.models import Lum
from lum.samples import servizi_sample_load
from lum.services import lum_load
from tests.browser import app_errors, publish_screenshot, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.docs_screenshot
def test_a_lum_sheet_renders_its_catchment_map(live_server, page, territorio, data_dir):
    call_command("load_rigenerazione_sample", verbosity=0)  # rig's sample: opportunità nearby
    lum_load(data_dir=data_dir)
    servizi_sample_load()
    lum = Lum.objects.get(name="Paderno Dugnano")
    page.goto(f"{live_server.url}/atlante/lum/{lum.pk}/")
    page.wait_for_selector("#scheda svg path.bacino")
    assert page.locator("h1").inner_text() == lum.name
    assert page.locator("svg path.lum").count() >= 1
    assert page.locator("svg path.opportunita").count() >= 1
    box = page.locator(".sheet-map svg").bounding_box()
    assert box["width"] > 300 and box["height"] > 300
    publish_screenshot(screenshot(page, "atlante-lum"), "atlante-lum.png")
    assert app_errors(page) == []

    # In print, the header and the links go; the map stays.
    page.emulate_media(media="print")
    assert not page.locator(".atlante .actions").is_visible()
    assert page.locator(".sheet-map svg").is_visible()
    page.emulate_media(media="screen")

    # The Comune's sheet in the Atlante metropolitano dei servizi.
    page.goto(f"{live_server.url}/atlante/comuni/{lum.comune.istat_code}/")
    page.wait_for_selector("#scheda svg path.comune-focus")
    assert page.locator("h1").inner_text() == lum.comune.name
    assert page.locator("svg path.bacino").count() >= 1
    publish_screenshot(screenshot(page, "atlante-comune"), "atlante-comune.png")
    assert app_errors(page) == []
