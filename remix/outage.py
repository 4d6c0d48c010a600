"""Graceful answers while the database is unreachable, in one place.

A request whose view fails because PostgreSQL cannot be reached (connection refused, server
restarting, connection lost mid-query) is answered ``503 Service Unavailable`` with
``Retry-After`` instead of a bare "Server Error (500)", in the format the client asked for:

- JSON problem details (RFC 9457, ``application/problem+json``) under ``/api/``, ``/ogc/``
  (unless ``f=html``) and ``/tiles/``;
- a short Italian/English HTML page on the portal.

Each kind of failure is logged as one line at most once every :data:`LOG_EVERY_SECONDS` per
process (with how many were silenced meanwhile), never a traceback per request. What needs no
database keeps working: static files (WhiteNoise answers before any view), ``/healthz``, and
tiles of a versioned URL already in the tiles cache (``layers.tiles``).
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

from remix.errors import API_PREFIXES

__all__ = [
    "RETRY_AFTER_SECONDS",
    "LOG_EVERY_SECONDS",
    "PROBLEM_TYPE",
    "DATABASE_ERRORS",
    "DatabaseUnavailableMiddleware",
    "database_unavailable_response",
]

logger = logging.getLogger("remix.outage")

# PostgreSQL restarts in seconds: ask clients to come back soon.
RETRY_AFTER_SECONDS = 30
LOG_EVERY_SECONDS = 60.0
PROBLEM_TYPE = "https://remix.cittametropolitana.mi.it/problems/database-unavailable"
PROBLEM_TITLE = "Servizio temporaneamente non disponibile"
PROBLEM_DETAIL = (
    "La banca dati non è raggiungibile in questo momento; riprovare tra {seconds} secondi."
)
# Django's wrappers of the driver's connection failures (psycopg's OperationalError is
# re-raised as django.db.OperationalError), plus socket-level failures while connecting.
DATABASE_ERRORS = (OperationalError, InterfaceError, ConnectionError)


class _RateLimitedLog:
    """One log line per failure kind per period, counting the ones kept quiet."""

    def __init__(self, period: float) -> None:
        self.period = period
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._silenced: dict[str, int] = {}

    def failure(self, kind: str, message: str, path: str) -> None:
        now = time.monotonic()
        with self._lock:
            last = self._last.get(kind)
            if last is not None and now - last < self.period:
                self._silenced[kind] = self._silenced.get(kind, 0) + 1
                return
            silenced = self._silenced.pop(kind, 0)
            self._last[kind] = now
        logger.error(
            "Database unavailable (%s): %s [first at %s; %d more since the last line]",
            kind,
            message,
            path,
            silenced,
        )

    def reset(self) -> None:
        with self._lock:
            self._last.clear()
            self._silenced.clear()


failures = _RateLimitedLog(LOG_EVERY_SECONDS)


def _wants_json(request: HttpRequest) -> bool:
    if request.path.startswith("/ogc/"):
        return request.GET.get("f") != "html"
    return request.path.startswith(API_PREFIXES)


def database_unavailable_response(request: HttpRequest) -> HttpResponse:
    """The 503 a client gets while the database cannot be reached."""
    if _wants_json(request):
        body = {
            "type": PROBLEM_TYPE,
            "title": PROBLEM_TITLE,
            "status": 503,
            "detail": PROBLEM_DETAIL.format(seconds=RETRY_AFTER_SECONDS),
            "instance": request.path,
        }
        response = JsonResponse(body, status=503, content_type="application/problem+json")
    else:
        html = render_to_string("remix/503.html", {"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # Logged once per kind above; Django's own "Service Unavailable: /path" line per request
    # would bring back the flood this module exists to stop.
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """Turns a view's database connection failure into :func:`database_unavailable_response`.

    Listed first in ``MIDDLEWARE`` so its ``process_exception`` runs last, after any other
    middleware had its chance; other exceptions pass through untouched.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, DATABASE_ERRORS):
            return None
        message = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
        failures.failure(type(exception).__name__, message, request.path)
        return database_unavailable_response(request)
