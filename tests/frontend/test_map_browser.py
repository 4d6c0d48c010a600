"""The map page in headless Chromium: it loads the 133 Comuni with no console errors."""

from __future__ import annotations

import pytest

from tests.browser import app_errors, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_map_page_draws_the_133_comuni_without_console_errors(live_server, page, territorio):
    page.goto(live_server.url + "/")
    page.wait_for_selector("#map[data-loaded]")
    assert page.get_attribute("#map", "data-loaded") == "133"
    screenshot(page, "map-seed")
    assert app_errors(page) == []
