"""Structured logs: every log record (JSON with ``LOG_FORMAT=json``) carries the request id,
the user id and, on the request's summary line, its duration.

The request id is nginx's ``X-Request-ID`` (``proxy_set_header X-Request-ID $request_id``) when
it is a plausible token, else a new one; it is echoed in the response's ``X-Request-ID`` so a
user's report, nginx's access log, gunicorn's and Django's lines can be matched. The formatter
is python-json-logger's, with UTC ISO 8601 timestamps.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

__all__ = [
    "RequestLogMiddleware",
    "RequestContextFilter",
    "UtcJsonFormatter",
    "UtcTextFormatter",
    "request_id",
]

logger = logging.getLogger("remix.request")
_context: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "remix_request", default=None
)
# nginx's $request_id is 32 hex digits; accept any short token of safe characters.
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id() -> str | None:
    """The id of the request this thread is serving, if any."""
    context = _context.get()
    return context["request_id"] if context else None


class RequestContextFilter(logging.Filter):
    """Adds ``request_id`` and ``user_id`` (None outside a request / when anonymous)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _context.get() or {}
        record.request_id = context.get("request_id")
        # The user once something asked for it (request.user is lazy: never loaded just here).
        user = getattr(context.get("request"), "_cached_user", None)
        record.user_id = user.pk if user is not None and user.is_authenticated else None
        return True


class UtcJsonFormatter(JsonFormatter):
    """One JSON object per line: ``timestamp`` (UTC), ``level``, ``logger``, ``message`` and
    the extra fields (request id, user id, duration...)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__("%(levelname)s %(name)s %(message)s", *args, **kwargs)

    def add_fields(self, log_record: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_record, record, message_dict)
        log_record["timestamp"] = (
            datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
        ).replace("+00:00", "Z")


class UtcTextFormatter(logging.Formatter):
    """The development format, in UTC like the JSON lines (one timezone in every log)."""

    converter = time.gmtime

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)sZ %(levelname)s %(name)s [%(request_id)s] %(message)s",
            datefmt="%Y-%m-%dT%H:%M:%S",
        )


class RequestLogMiddleware:
    """Sets the request's log context and logs one summary line per request at INFO:
    method, path, status, duration in milliseconds."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        rid = given if _VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = rid
        token = _context.set({"request_id": rid, "request": request})
        started = time.monotonic()
        try:
            response = self.get_response(request)
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            response["X-Request-ID"] = rid
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                },
            )
            return response
        finally:
            _context.reset(token)
