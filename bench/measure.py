"""Measuring tools of the benchmarks: timers, gunicorn servers, wrk and pgbench runs.

Everything runs on the loopback; each external run is bounded in time.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "5"))
CONNECTIONS = 8

__all__ = [
    "BENCH_ENV",
    "bench_environment",
    "timed",
    "best_of",
    "http_get",
    "gunicorn",
    "wrk_rps",
    "pgbench_tps",
    "tile_xy",
]


def timed(action: Callable[[], object]) -> float:
    """Seconds one call of ``action`` takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def best_of(action: Callable[[], object], repeat: int = 3) -> float:
    """The median time of ``repeat`` calls (seconds)."""
    return statistics.median(timed(action) for _ in range(repeat))


def http_get(url: str, headers: dict | None = None) -> tuple[int, bytes]:
    """Status and whole body of a GET on the loopback."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=600) as answer:  # noqa: S310
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# Production-like settings on the loopback (no TLS there): DEBUG off, plain HTTP.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789",
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
}


def bench_environment() -> None:
    """Give this process the benchmark settings (values already set win)."""
    for key, value in BENCH_ENV.items():
        os.environ.setdefault(key, value)


def _server_env(**extra: str) -> dict:
    return {**BENCH_ENV, **os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **extra}


@contextlib.contextmanager
def gunicorn(port: int, workers: int = 2, **env: str) -> Iterator[str]:
    """A gunicorn server of the project on 127.0.0.1:port (stopped on exit); yields its URL."""
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115  (the server writes to it until stopped)
        prefix="remix-bench-gunicorn-", suffix=".log", delete=False
    )
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "remix.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "600", "--log-level", "warning"],
        cwd=ROOT, env=_server_env(**env), stdout=log, stderr=log,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                if http_get(f"{url}/api/layers/")[0] == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start; see {log.name}")
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def wrk_rps(url: str, seconds: int = WRK_SECONDS) -> float:
    """Requests per second wrk sustains on ``url`` (2 threads, 8 connections, bounded run)."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", url],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout  # fmt: skip
    if re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        raise RuntimeError(f"wrk saw errors on {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def pgbench_tps(sql: str, *, mode: str = "prepared", seconds: int = WRK_SECONDS) -> float:
    """Transactions per second of ``sql`` under pgbench (same concurrency as wrk)."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write(sql.strip().rstrip(";") + ";\n")
    dsn = os.environ["DATABASE_URL"].replace("postgis://", "postgresql://", 1)
    out = subprocess.run(
        ["pgbench", "-n", "-M", mode, "-c", str(CONNECTIONS), "-j", "2", "-T", str(seconds),
         "-f", script.name, dsn],
        capture_output=True, text=True, timeout=seconds + 60, check=True,
    ).stdout  # fmt: skip
    os.unlink(script.name)
    return float(re.search(r"tps = ([\d.]+)", out).group(1))


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The x/y of the Web Mercator tile holding lon/lat at zoom z."""
    import math

    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y
