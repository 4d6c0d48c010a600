"""Headless Chromium for browser tests: Debian's ``chromium`` driven by Playwright.

Import the fixtures in a conftest (``from tests.browser import browser, page  # noqa: F401``)
or use them from ``tests/conftest.py``, where they are registered for the whole suite. Tests
that use them carry ``@pytest.mark.browser`` and a ``live_server``; screenshots go to
``tests/screenshots/`` (git-ignored) through :func:`screenshot`.

The README's pictures (``docs/screenshots/``, tracked) are written only by ``make screenshots``
(:func:`publish_screenshot`, with ``REMIX_DOCS_SCREENSHOTS=1``): the test suite never writes a
tracked file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

__all__ = [
    "CHROMIUM_FLAGS",
    "SCREENSHOTS",
    "chromium_path",
    "browser",
    "page",
    "screenshot",
    "publish_screenshot",
    "wait_for_charts_drawn",
    "app_errors",
]

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
DOCS_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def chromium_path() -> str:
    """The Chromium binary: ``CHROMIUM`` when set, else Debian's ``chromium``."""
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"Chromium not found at {path}: run the set-up (make test) first.")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole session."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM must still be
    # usable from the test body (it is, the loop only drives the browser).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_FLAGS, headless=True
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh desktop-sized page on a closed network, like the portal's users may have.

    Requests to any host but the loopback are aborted and listed in ``page.blocked``; console
    errors go to ``page.console_errors`` (see :func:`app_errors`).
    """
    context = browser.new_context(viewport={"width": 1366, "height": 850}, locale="it-IT")
    tab = context.new_page()
    tab.console_errors = []
    tab.blocked = []

    def closed_network(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            tab.blocked.append(route.request.url)
            route.abort()

    tab.route("**/*", closed_network)
    tab.on("console", lambda m: m.type == "error" and tab.console_errors.append(m.text))
    tab.on("pageerror", lambda exc: tab.console_errors.append(str(exc)))
    yield tab
    context.close()


def app_errors(tab) -> list[str]:
    """Console errors of the page itself: a failed load of a blocked outside resource (the
    basemap on a closed network) is not the application's error."""
    failed_load = "Failed to load resource: net::ERR_FAILED"
    budget = len(tab.blocked)
    errors = []
    for message in tab.console_errors:
        if message.startswith(failed_load) and budget:
            budget -= 1
            continue
        errors.append(message)
    return errors


def screenshot(tab, name: str) -> Path:
    """Save a full-page PNG under tests/screenshots/ and return its path."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    tab.screenshot(path=str(path), full_page=False)
    return path


def publish_screenshot(path: Path, name: str, *, docs: Path = DOCS_SCREENSHOTS) -> Path | None:
    """Copy a screenshot to the docs as ``name`` — only under ``make screenshots``
    (``REMIX_DOCS_SCREENSHOTS=1``); otherwise write nothing and return None."""
    if os.environ.get("REMIX_DOCS_SCREENSHOTS") != "1":
        return None
    docs.mkdir(parents=True, exist_ok=True)
    target = docs / name
    shutil.copyfile(path, target)
    return target


def wait_for_charts_drawn(tab) -> None:
    """Wait until every chart of the page has drawn its data (``data-drawn`` on its figure,
    set by charts.js after Chart.js rendered) and the browser has painted a frame since."""
    tab.wait_for_function(
        "[...document.querySelectorAll('figure[data-chart]')]"
        ".every((f) => f.dataset.drawn === 'true')"
    )
    tab.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
