"""The peers the engine is measured against on the same table: tipg (FastAPI + asyncpg, OGC API
Features and Tiles straight from PostGIS), run by uvicorn with as many workers as gunicorn's.

tipg is what a GIS team would pick instead of Remix's engine; both serve the load layer's
table, tiles with the same attributes (code, name, category). Never part of the test suite.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator

from bench.layers import LOAD_LAYER_ID
from bench.measure import http_get, server
from bench.models import LoadParcel

__all__ = ["tipg_server", "tipg_paths", "engine_paths", "catalogue_tiles", "ITEM_CASES"]

TABLE = f"public.{LoadParcel._meta.db_table}"
# A small box around Piazza del Duomo (lon/lat).
DUOMO_BBOX = "9.18,45.455,9.20,45.47"


def ITEM_CASES(count: int) -> dict[str, str]:  # noqa: N802  (a table of cases)
    """Query strings of the OGC items pages compared (each answer carries numberMatched)."""
    return {
        "limit=100": "limit=100",
        "limit=1000": "limit=1000",
        "deep offset": f"limit=100&offset={max(count - 200, 0)}",
        "bbox": f"limit=100&bbox={DUOMO_BBOX}",
    }


def engine_paths(count: int, tiles: str) -> dict[str, str]:
    """The engine's paths; ``tiles`` is the layer's tile URL template from the catalogue (the
    versioned one, as a map asks for it)."""
    items = f"/ogc/collections/{LOAD_LAYER_ID}/items?f=json&"
    return {
        "tile": tiles,
        **{name: items + query for name, query in ITEM_CASES(count).items()},
        "whole": f"/api/layers/{LOAD_LAYER_ID}/download.geojson",
    }


def tipg_paths(count: int) -> dict[str, str]:
    base = f"/collections/{TABLE}"
    return {
        "tile": base + "/tiles/WebMercatorQuad/{z}/{x}/{y}?properties=code,name,category",
        **{name: f"{base}/items?f=geojson&{query}" for name, query in ITEM_CASES(count).items()},
        "whole": f"{base}/items?f=geojson&limit={count}",
    }


def catalogue_tiles(url: str) -> str:
    """The load layer's tile URL template in the catalogue of the engine at ``url``."""
    layers = json.loads(http_get(f"{url}/api/layers/")[1])["layers"]
    return next(entry for entry in layers if entry["id"] == LOAD_LAYER_ID)["links"]["tiles"]


@contextlib.contextmanager
def tipg_server(port: int, workers: int = 2) -> Iterator[str]:
    """tipg on 127.0.0.1:port under uvicorn (stopped on exit); yields its URL, or raises
    RuntimeError when tipg is not installed or does not start."""
    try:
        import tipg  # noqa: F401
    except ImportError as error:
        raise RuntimeError("tipg is not installed (pip install -e '.[bench]')") from error
    dsn = os.environ["DATABASE_URL"].replace("postgis://", "postgresql://", 1)
    env = {
        **os.environ,
        "DATABASE_URL": dsn,
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_TABLES": f'["{TABLE}"]',
        "TIPG_MAX_FEATURES_PER_QUERY": "10000000",
        "PGOPTIONS": os.environ.get("PGOPTIONS", ""),
    }
    command = [
        sys.executable, "-m", "uvicorn", "tipg.main:app", "--host", "127.0.0.1",
        "--workers", str(workers), "--log-level", "warning", "--port", str(port),
    ]  # fmt: skip
    with server("tipg", command, port, f"/collections/{TABLE}", env, tries=150) as url:
        yield url
