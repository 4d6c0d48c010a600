"""The test suite never writes tracked files: README pictures only under ``make screenshots``."""

from __future__ import annotations

from tests.browser import publish_screenshot


def test_a_screenshot_reaches_the_docs_only_under_make_screenshots(tmp_path, monkeypatch):
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG fake")
    docs = tmp_path / "docs"

    monkeypatch.delenv("REMIX_DOCS_SCREENSHOTS", raising=False)
    assert publish_screenshot(shot, "portal.png", docs=docs) is None
    assert not docs.exists()

    monkeypatch.setenv("REMIX_DOCS_SCREENSHOTS", "1")
    assert publish_screenshot(shot, "portal.png", docs=docs) == docs / "portal.png"
    assert (docs / "portal.png").read_bytes() == b"\x89PNG fake"
