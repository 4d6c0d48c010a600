"""Benchmark of the publishing engine: ``python -m bench.run [--sizes 10000,100000]``.

For each size the synthetic load layer is regenerated (``bench_load``) and, in the same run,
the engine is measured against its peers on the same table — tipg (2 uvicorn workers against
2 gunicorn workers: tiles, OGC items pages, the whole layer) and django-vectortiles — and its
baselines: the raw PostGIS SQL building the same documents, a plain DRF-GIS list view, and
``pgbench -M prepared`` of the tile SQL as the database's own limit (tiles also through nginx,
as deployed: deploy/nginx/remix.conf.template). It prints markdown tables of ratios with the
targets (see bench/RESULTS.md). Never part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from datetime import UTC, datetime

from bench.measure import bench_environment

bench_environment()

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# pgbench runs the tile SQL with the same session options as the application (e.g. jit=off).
os.environ.setdefault(
    "PGOPTIONS", settings.DATABASES["default"].get("OPTIONS", {}).get("options", "")
)

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import baseline_sql  # noqa: E402
from bench.baselines import vectortiles_view  # noqa: E402
from bench.layers import LOAD_LAYER_ID  # noqa: E402
from bench.measure import (  # noqa: E402
    ROOT,
    best_of,
    gunicorn,
    http_get,
    nginx,
    pgbench_tps,
    tile_xy,
    timed,
    wrk_rps,
    wsgi_call,
)
from bench.peers import catalogue_tiles, engine_paths, tipg_paths, tipg_server  # noqa: E402
from layers.http import gzip_chunks  # noqa: E402
from layers.tiles import CACHE_ALIAS  # noqa: E402
from remix.wsgi import application  # noqa: E402

DUOMO = (9.1900, 45.4642)
TILE_CLASSES = {"tiny": 16, "medium": 13, "heavy": 10}
PORT = int(os.environ.get("BENCH_PORT", "18480"))
IDENTITY = {"Accept-Encoding": "identity"}
REPEAT = 7
THROUGHPUT_ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
DRF_MAX = 100_000
# Both servers of the peer comparison run this many worker processes.
PEER_WORKERS = 2


def fetch_raw(sql: str):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def tiles() -> dict[str, tuple[int, int, int]]:
    return {name: (z, *tile_xy(*DUOMO, z)) for name, z in TILE_CLASSES.items()}


def measure_feed(cold: str, results: dict, *, with_drf: bool) -> None:
    url = f"{cold}/api/layers/{LOAD_LAYER_ID}/download.geojson"
    status, body = http_get(url, IDENTITY)
    raw = fetch_raw(baseline_sql.feed_sql())
    results["feed_same_document"] = body.decode() == raw
    results["feed_mb"] = len(body) / 1e6
    feed = interleaved(
        {
            "endpoint": lambda: timed(lambda: http_get(url, IDENTITY)),
            "raw": lambda: timed(lambda: fetch_raw(baseline_sql.feed_sql())),
        },
        repeat=3,
    )
    results["feed_s"], results["feed_raw_s"] = feed["endpoint"], feed["raw"]
    results["feed_gzip_s"] = best_of(lambda: http_get(url, {"Accept-Encoding": "gzip"}))
    if with_drf:
        results["drf_s"] = timed(lambda: http_get(f"{cold}/bench/drf/", IDENTITY))
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
    for level in (1, 6):
        results[f"gzip{level}_s"] = best_of(lambda lv=level: list(gzip_chunks(chunks, lv)))
        results[f"gzip{level}_mb"] = len(zlib.compress(body, level)) / 1e6


def _wsgi_get(path: str) -> tuple[str, bytes]:
    """Status and body of one GET through the project's WSGI application (Django's whole
    middleware stack), in process."""
    status, _, body = wsgi_call(application, path)
    return status, body


def _timed_get(path: str, *, clear_cache: bool = False) -> float:
    """Seconds of one in-process request (see :func:`_wsgi_get`)."""
    if clear_cache:
        caches[CACHE_ALIAS].clear()
    start = time.perf_counter()
    status, _ = _wsgi_get(path)
    elapsed = time.perf_counter() - start
    assert status[:3] in ("200", "204"), (path, status)
    return elapsed


def interleaved(actions: dict[str, Callable[[], float]], repeat: int = REPEAT) -> dict:
    """Median seconds of each action, run round-robin so that load changes hit all alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            times[name].append(action())
    return {name: statistics.median(values) for name, values in times.items()}


def measure_tile_latency(results: dict) -> None:
    """Cold (cache cleared), warm, raw-SQL and django-vectortiles latency of each tile class."""
    has_vt = vectortiles_view() is not None
    for name, (z, x, y) in tiles().items():
        url = f"/tiles/{LOAD_LAYER_ID}/{z}/{x}/{y}.pbf"
        results[f"{name}_features_kb"] = len(_wsgi_get(url)[1]) / 1e3
        sql = baseline_sql.tile_sql(z, x, y)
        actions = {
            "cold": lambda u=url: _timed_get(u, clear_cache=True),
            "raw": lambda s=sql: timed(lambda: fetch_raw(s)),
        }
        if has_vt:
            actions["vt"] = lambda u=f"/bench/vt/{z}/{x}/{y}.pbf": _timed_get(u)
        for key, seconds in interleaved(actions).items():
            results[f"{name}_{key}_s"] = seconds
        _wsgi_get(url)  # prime the cache
        results[f"{name}_warm_s"] = interleaved({"warm": lambda u=url: _timed_get(u)})["warm"]


def measure_throughput(cold: str, warm: str, results: dict) -> None:
    """Tiles per second over HTTP: cold and warm gunicorn, and the deployed stack (nginx, its
    tile cache revalidated every few seconds, in front of the warm gunicorn), against pgbench.

    Runs alternate round-robin (``THROUGHPUT_ROUNDS`` rounds, medians), so that a change of
    load on a shared machine hits the engine and its baseline alike."""
    has_vt = vectortiles_view() is not None
    with nginx(warm, PORT + 3) as front:
        for name, (z, x, y) in tiles().items():
            path = f"/tiles/{LOAD_LAYER_ID}/{z}/{x}/{y}.pbf"
            sql = baseline_sql.tile_sql(z, x, y)
            http_get(warm + path)  # prime the engine's cache
            http_get(front + path)  # and nginx's
            actions = {
                "pgbench_tps": lambda s=sql: pgbench_tps(s),
                "cold_rps": lambda p=path: wrk_rps(cold + p),
                "warm_rps": lambda p=path: wrk_rps(warm + p),
                "nginx_rps": lambda p=path: wrk_rps(front + p),
            }
            if has_vt:
                actions["vt_rps"] = lambda t=f"{z}/{x}/{y}": wrk_rps(f"{cold}/bench/vt/{t}.pbf")
            for key, value in interleaved(actions, repeat=THROUGHPUT_ROUNDS).items():
                results[f"{name}_{key}"] = value
    z, x, y = tiles()["medium"]
    results["medium_pgbench_simple_tps"] = pgbench_tps(
        baseline_sql.tile_sql(z, x, y), mode="simple"
    )


def measure_settings(cold: str, results: dict) -> None:
    """Persistent connections (cold tiny tiles: a warm tile reads no database), parallel
    query and JIT (heavy tile SQL)."""
    z, x, y = tiles()["tiny"]
    path = f"/tiles/{LOAD_LAYER_ID}/{z}/{x}/{y}.pbf"
    with gunicorn(PORT + 2, WORKERS, CONN_MAX_AGE="0", BENCH_TILE_CACHE="off") as no_persistent:
        http_get(no_persistent + path)
        results["conn0_cold_rps"] = wrk_rps(no_persistent + path)
    results["conn60_cold_rps"] = results.get("tiny_cold_rps") or wrk_rps(cold + path)
    sql = baseline_sql.tile_sql(*tiles()["heavy"])
    for key, setting in (("parallel2", "max_parallel_workers_per_gather = 2"),
                         ("parallel0", "max_parallel_workers_per_gather = 0"),
                         ("jit_on", "jit = on"), ("jit_off", "jit = off")):  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(f"SET {setting}")
        results[f"heavy_{key}_s"] = best_of(lambda: fetch_raw(sql), REPEAT)
        results[f"heavy_{key}_tps"] = pgbench_tps(f"SET {setting};\n{sql.strip()}")
    with connection.cursor() as cursor:
        cursor.execute("RESET max_parallel_workers_per_gather; RESET jit")


def measure_peers(results: dict) -> None:
    """The engine (gunicorn, tile cache off) side by side with tipg (uvicorn), same number of
    workers, same table: cold tiles (the versioned URLs of the catalogue, as a map asks) and
    items pages in requests per second (rounds run in turn), the whole layer in seconds, and
    tile sizes."""
    count = results["count"]
    with (
        gunicorn(PORT + 4, PEER_WORKERS, BENCH_TILE_CACHE="off") as engine,
        tipg_server(PORT + 5, PEER_WORKERS) as tipg,
    ):
        engine_path = engine_paths(count, catalogue_tiles(engine))
        tipg_path = tipg_paths(count)
        cases = {}
        for name, (z, x, y) in tiles().items():
            cases[f"tile {name}"] = tuple(
                url + path.format(z=z, x=x, y=y)
                for url, path in ((engine, engine_path["tile"]), (tipg, tipg_path["tile"]))
            )
            sizes = [len(http_get(u)[1]) / 1e3 for u in cases[f"tile {name}"]]
            results[f"peer_{name}_engine_kb"], results[f"peer_{name}_tipg_kb"] = sizes
        for name in ("limit=100", "limit=1000", "deep offset", "bbox"):
            cases[name] = (engine + engine_path[name], tipg + tipg_path[name])
        for name, (ours, theirs) in cases.items():
            actions = {"engine": lambda u=ours: wrk_rps(u), "tipg": lambda u=theirs: wrk_rps(u)}
            for who, rps in interleaved(actions, repeat=THROUGHPUT_ROUNDS).items():
                results[f"peer {name} {who}"] = rps
        whole = {
            "engine": lambda: timed(lambda: http_get(engine + engine_path["whole"], IDENTITY)),
            "tipg": lambda: timed(lambda: http_get(tipg + tipg_path["whole"], IDENTITY)),
        }
        for who, seconds in interleaved(whole, repeat=3).items():
            results[f"peer whole {who}"] = seconds


def measure_memory(results: dict) -> None:
    for fmt in ("geojson", "gpkg"):
        out = subprocess.run(
            [sys.executable, "-m", "bench.memory", fmt],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=900,
        ).stdout.split()  # fmt: skip
        results[f"mem_{fmt}_base_mb"], results[f"mem_{fmt}_peak_mb"] = map(float, out[:2])
        results[f"mem_{fmt}_file_mb"] = int(out[2]) / 1e6


def run_size(count: int, *, full: bool) -> dict:
    call_command("bench_load", count=count, verbosity=0)
    results: dict = {"count": count}
    with (
        gunicorn(PORT, WORKERS, BENCH_TILE_CACHE="off") as cold,
        gunicorn(PORT + 1, WORKERS, BENCH_TILE_CACHE="on") as warm,
    ):
        # DRF-GIS builds the whole list in memory: several GB and minutes beyond 100 000.
        measure_feed(cold, results, with_drf=count <= DRF_MAX)
        measure_tile_latency(results)
        if full:
            measure_throughput(cold, warm, results)
            measure_settings(cold, results)
    if full:
        measure_peers(results)  # on its own: no other server running meanwhile
        measure_memory(results)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000", help="comma list of layer sizes")
    parser.add_argument(
        "--full-at", type=int, default=100_000, help="size also measured for throughput/memory"
    )
    parser.add_argument("--keep", action="store_true", help="keep the load layer afterwards")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    from bench.report import report

    started = datetime.now(UTC)
    full_at = args.full_at if args.full_at in sizes else sizes[-1]
    runs = []
    for count in sizes:
        try:
            runs.append(run_size(count, full=count == full_at))
        except Exception as error:  # a failed extra size must not lose the others' results
            if count == full_at:
                raise
            print(f"size {count} failed: {error!r}", file=sys.stderr)
    if not args.keep:
        call_command("bench_load", count=0, verbosity=0)
    machine = f"{platform.node()} — {platform.processor() or platform.machine()}, "
    machine += f"{os.cpu_count()} CPU, Python {platform.python_version()}, load average at the "
    machine += "end {:.1f}/{:.1f}/{:.1f} (shared machine: read ratios, not absolutes)".format(
        *os.getloadavg()
    )
    print(
        report(
            runs,
            full_at=full_at,
            started=started,
            machine=machine,
            has_vt=vectortiles_view() is not None,
        )
    )


if __name__ == "__main__":
    main()
