"""Measuring tools of the benchmarks: timers, gunicorn and nginx servers, wrk and pgbench runs.

Everything runs on the loopback; each external run is bounded in time.
"""

from __future__ import annotations

import contextlib
import io
import os
import pwd
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
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
    "NGINX_TEMPLATE",
    "nginx_binary",
    "nginx_config",
    "nginx",
    "wrk_rps",
    "pgbench_tps",
    "tile_xy",
    "wsgi_call",
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
def server(
    name: str, command: list[str], port: int, probe: str, env: dict, tries: int = 100
) -> Iterator[str]:
    """Run ``command``, a server listening on 127.0.0.1:``port``; wait until ``probe`` (a path)
    answers 200 and yield the server's URL; stopped on exit."""
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115  (the server writes to it until stopped)
        prefix=f"remix-bench-{name}-", suffix=".log", delete=False
    )
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(tries):
            with contextlib.suppress(OSError):
                if http_get(f"{url}{probe}")[0] == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError(f"{name} did not start; see {log.name}")
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextlib.contextmanager
def gunicorn(port: int, workers: int = 2, **env: str) -> Iterator[str]:
    """A gunicorn server of the project on 127.0.0.1:port (stopped on exit); yields its URL."""
    command = [
        sys.executable, "-m", "gunicorn", "remix.wsgi", "--workers", str(workers),
        "--timeout", "600", "--log-level", "warning", "--bind", f"127.0.0.1:{port}",
    ]  # fmt: skip
    with server("gunicorn", command, port, "/api/layers/", _server_env(**env)) as url:
        yield url


# The deployed front: the same template docker-compose.yml gives the official nginx image.
NGINX_TEMPLATE = ROOT / "deploy" / "nginx" / "remix.conf.template"
TILE_CACHE_SECONDS = 5

# What the official image's nginx.conf provides around conf.d/, with every path in a private
# prefix, so that nginx runs as the current user; as root, its workers stay root too.
_NGINX_MAIN = """\
{user}worker_processes auto;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    default_type application/octet-stream;
    access_log {prefix}/access.log;
    client_body_temp_path {prefix}/client_body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/remix.conf;
}}
"""


def nginx_binary() -> str | None:
    """The nginx executable, or None (Debian puts it in /usr/sbin, often not on PATH)."""
    path = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/usr/local/sbin"])
    return shutil.which("nginx", path=path)


def nginx_config(template: str, values: Mapping[str, str]) -> str:
    """The template with each ``${NAME}`` replaced by ``values[NAME]``, as envsubst does;
    KeyError naming a variable the template uses and ``values`` lacks."""
    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)\}", lambda m: values[m.group(1)], template)


def _nginx_files(prefix: str, upstream_url: str, port: int, cache_seconds: int) -> str:
    """Write nginx.conf and the rendered remix.conf into ``prefix``; the nginx.conf path."""
    values = {
        "REMIX_NGINX_LISTEN": f"127.0.0.1:{port}",
        "REMIX_UPSTREAM": urllib.parse.urlsplit(upstream_url).netloc,
        "REMIX_TILE_CACHE_DIR": f"{prefix}/tiles",
        "REMIX_TILE_CACHE_SECONDS": str(cache_seconds),
    }
    Path(prefix, "remix.conf").write_text(nginx_config(NGINX_TEMPLATE.read_text(), values))
    user = f"user {pwd.getpwuid(os.geteuid()).pw_name};\n" if os.geteuid() == 0 else ""
    main = Path(prefix, "nginx.conf")
    main.write_text(_NGINX_MAIN.format(prefix=prefix, user=user))
    return str(main)


@contextlib.contextmanager
def nginx(
    upstream_url: str, port: int, *, cache_seconds: int = TILE_CACHE_SECONDS
) -> Iterator[str]:
    """nginx with the deployed configuration on 127.0.0.1:port in front of ``upstream_url``,
    run as the current user from a temporary prefix (stopped and removed on exit); yields its
    URL. RuntimeError with nginx's error log when it does not start."""
    binary = nginx_binary()
    if binary is None:
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx-light)")
    with tempfile.TemporaryDirectory(prefix="remix-nginx-") as prefix:
        conf = _nginx_files(prefix, upstream_url, port, cache_seconds)
        error_log = Path(prefix, "error.log")
        process = subprocess.Popen(
            [binary, "-p", prefix, "-e", str(error_log), "-c", conf, "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            _wait_for_port(port, process, error_log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    """Return once 127.0.0.1:port accepts connections (at most ~10 s); RuntimeError with the
    server's log when the process exits or the time is up."""
    for _ in range(100):
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    text = log.read_text() if log.exists() else ""
    raise RuntimeError(f"nginx did not start on port {port}:\n{text}")


def wsgi_call(
    application: Callable, path: str, *, host: str = "127.0.0.1", **environ: object
) -> tuple[str, list[tuple[str, str]], bytes]:
    """Status, headers and whole body of one request through a WSGI application, in process:
    what gunicorn calls, minus the network. ``environ`` adds or overrides WSGI keys
    (``REQUEST_METHOD``, ``QUERY_STRING``, ``HTTP_*`` headers...)."""
    started: dict = {}

    def start_response(status: str, headers: list, exc_info=None) -> None:
        started.update(status=status, headers=headers)

    base = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": host,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    chunks = application({**base, **environ}, start_response)
    try:
        body = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return started["status"], started["headers"], body


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
