"""Settings of the benchmark: the project's settings plus the ``bench`` app and its baselines.

The production settings (:mod:`remix.settings`) never install ``bench``; ``make bench`` and
the benchmark's servers run with this module.

``BENCH_TILE_CACHE=off`` swaps the tile cache for a dummy one, so every tile request is cold;
``CONN_MAX_AGE`` (read by remix.settings) toggles persistent connections.
"""

import os
import tempfile

from remix.settings import *  # noqa: F403
from remix.settings import CACHES, INSTALLED_APPS

ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
if os.environ.get("BENCH_TILE_CACHE", "on") == "off":
    CACHES = {**CACHES, "tiles": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
else:
    CACHES = {
        **CACHES,
        "tiles": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("BENCH_TILE_DIR", tempfile.mkdtemp(prefix="remix-tiles-")),
            "TIMEOUT": None,
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }
LOGGING = {"version": 1, "disable_existing_loggers": False}
