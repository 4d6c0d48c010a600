"""A LUM sheet of the real data in headless Chromium: it draws its map, shows the students of
the real schools in its catchment and credits the sources, with no console errors."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from lum.models import Lum
from lum.samples import servizi_sample_load
from lum.services import lum_load
from lum.servizi_regione import SCHOOLS, ospedali_load, scuole_load
from tests.browser import app_errors, publish_screenshot, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.docs_screenshot
def test_a_lum_sheet_renders_its_catchment_map(live_server, page, territorio, data_dir):
    call_command("load_rigenerazione_sample", verbosity=0)  # rig's sample: opportunità nearby
    lum_load(data_dir=data_dir)
    scuole_load(data_dir=data_dir)
    ospedali_load(data_dir=data_dir)
    servizi_sample_load()
    lum = Lum.objects.get(name="Paderno Dugnano")
    page.goto(f"{live_server.url}/atlante/lum/{lum.pk}/")
    page.wait_for_selector("#scheda svg path.bacino")
    assert page.locator("h1").inner_text() == lum.name
    # 3 upper-secondary schools within 800 m, 703 students (geopandas on the schools file).
    students = page.locator('[data-indicator="studenti"] strong').inner_text()
    assert (page.locator('[data-indicator="scuole"] strong').inner_text(), students) == ("3", "703")
    sources = page.locator("#fonti-servizi")
    assert sources.is_visible()
    assert SCHOOLS.source in sources.inner_text() and SCHOOLS.licence in sources.inner_text()
    sizes = page.locator("td", has_text=re.compile(r"^Studenti \d+$"))
    assert sizes.count() == 3  # each school's students, in the list of services
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
