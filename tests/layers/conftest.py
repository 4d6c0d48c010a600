"""Fixtures of the publishing-engine tests: an isolated tile cache per test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_tile_cache(settings, request):
    """Each test gets its own in-memory tile cache, so no tile leaks between tests."""
    settings.CACHES = {
        **settings.CACHES,
        "tiles": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"tiles-{request.node.nodeid}",
        },
    }
