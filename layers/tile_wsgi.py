"""A WSGI shortcut for plain tile requests, in front of Django.

A map view asks for dozens of tiles, nearly all of them already cached. Django's request cycle
(request object, ten middleware, URL resolver) costs more than sending a cached tile or
building a small one, so :class:`TileShortcut` answers ``GET``/``HEAD
/tiles/{layer}/{z}/{x}/{y}.pbf`` *without a query string* itself — the same bytes, status and
validators as :func:`layers.tiles.tile`, the security headers Django's middleware would add —
and hands everything else to Django unchanged: filters, bad coordinates, unknown layers, hosts
outside ``ALLOWED_HOSTS``, plain HTTP when ``SECURE_SSL_REDIRECT`` is on, and any error (Django
then answers it, and logs it, as usual). It sends ``request_started``/``request_finished``,
so database connections are opened, checked and recycled as for any request.

Not done here, on purpose: ``Content-Language`` and ``Vary: Accept-Language`` (tiles are the
same in every language, and caches should keep one copy).
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.core.signals import request_finished, request_started, setting_changed
from django.http import HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.security import SecurityMiddleware

from layers.http import etag_for, is_current, validator_headers
from layers.registry import Layer, registry
from layers.tiles import MVT_TYPE, store, tile_coordinates, tile_data
from layers.versions import LayerVersion, layer_version, memory_version
from remix.errors import UserInputError

__all__ = ["TileShortcut"]

logger = logging.getLogger(__name__)

PLAIN_TILE = re.compile(r"/tiles/([^/]+)/([^/]+)/([^/]+)/([^/.]+)\.pbf")
# Hosts already checked against ALLOWED_HOSTS (positive answers only, bounded).
MAX_HOSTS = 64

Answer = tuple[str, list[tuple[str, str]], bytes]


@dataclass(slots=True)
class _Tile:
    layer: Layer
    z: int
    x: int
    y: int
    secure: bool
    version: LayerVersion | None = None  # as the memory pass found it


STATUS = {code: f"{code} {HTTPStatus(code).phrase}" for code in (200, 204, 304)}


class TileShortcut:
    """WSGI middleware: plain tiles answered here, everything else by ``app``.

    First from memory alone (no database, no request signals): the versions the process
    listens to and its in-memory tiles. A tile held for the layer's current version proves
    the layer available, so availability isn't checked there. Then, when that falls short,
    as a request: Django's request signals around version query, caches and PostGIS.
    """

    def __init__(self, app: Callable) -> None:
        self.app = app
        self._hosts: set[tuple[str | None, str | None]] = set()
        self._headers: dict[bool, list[tuple[str, str]]] = {}
        setting_changed.connect(self._settings_changed, weak=False)

    def _settings_changed(self, **kwargs) -> None:
        self._hosts.clear()
        self._headers.clear()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        match = None
        if method in ("GET", "HEAD") and not environ.get("QUERY_STRING"):
            match = PLAIN_TILE.fullmatch(environ.get("PATH_INFO", ""))
        if match is None:
            return self.app(environ, start_response)
        try:
            answer = None
            if (tile := self._tile(environ, *match.groups())) is not None:
                answer = self._from_memory(environ, tile)
                if answer is None:
                    request_started.send(sender=self.__class__, environ=environ)
                    try:
                        answer = self._from_database(environ, tile)
                    finally:
                        request_finished.send(sender=self.__class__)
        except Exception:  # Django answers (and logs) whatever went wrong here
            logger.exception("Tile shortcut failed on %s; Django answers it.", match.group(0))
            answer = None
        if answer is None:
            return self.app(environ, start_response)
        status, headers, body = answer
        start_response(status, headers)
        return [b""] if method == "HEAD" else [body]

    def _tile(self, environ: dict, layer_id: str, z: str, x: str, y: str) -> _Tile | None:
        """The tile asked for, if this shortcut may answer it (reads no database)."""
        layer = registry.get_declared(layer_id)
        if layer is None or not self._host_allowed(environ):
            return None
        try:
            z, x, y = tile_coordinates(z, x, y)
        except UserInputError:
            return None
        secure = self._is_secure(environ)
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None
        return _Tile(layer, z, x, y, secure)

    def _from_memory(self, environ: dict, tile: _Tile) -> Answer | None:
        """The answer from this process's memory alone, or None."""
        conditional = "HTTP_IF_NONE_MATCH" in environ or "HTTP_IF_MODIFIED_SINCE" in environ
        if not (store.has_memory or conditional):
            return None  # nothing to find in memory
        tile.version = version = memory_version(tile.layer)
        if version is None:
            return None
        return self._respond(environ, tile, version, memory_only=True)

    def _from_database(self, environ: dict, tile: _Tile) -> Answer | None:
        """The answer through the version table, the caches and PostGIS (inside a request)."""
        if not tile.layer.is_available():
            return None
        version = tile.version or layer_version(tile.layer)
        return self._respond(environ, tile, version, memory_only=False)

    def _respond(
        self, environ: dict, tile: _Tile, version: LayerVersion, *, memory_only: bool
    ) -> Answer | None:
        etag = etag_for(version, "", f"{tile.z}/{tile.x}/{tile.y}")
        headers = validator_headers(etag, version)
        if (security := self._headers.get(tile.secure)) is None:
            security = self._headers[tile.secure] = self._security_headers(tile.secure)
        headers.extend(security)
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if_modified_since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if is_current(if_none_match, if_modified_since, etag, version):
            return STATUS[304], [*headers, ("Content-Length", "0")], b""
        data = tile_data(tile.layer, version, tile.z, tile.x, tile.y, memory_only=memory_only)
        if data is None:
            return None
        headers.extend((("Content-Type", MVT_TYPE), ("Content-Length", str(len(data)))))
        return STATUS[200 if data else 204], headers, data

    def _host_allowed(self, environ: dict) -> bool:
        """Whether Django would accept the request's host (checked once per host)."""
        key = (environ.get("HTTP_HOST"), environ.get("HTTP_X_FORWARDED_HOST"))
        if key in self._hosts:
            return True
        try:
            WSGIRequest(environ).get_host()
        except DisallowedHost:
            return False
        if len(self._hosts) < MAX_HOSTS:
            self._hosts.add(key)
        return True

    @staticmethod
    def _is_secure(environ: dict) -> bool:
        """HTTPS, as Django's ``request.is_secure()`` decides it."""
        if settings.SECURE_PROXY_SSL_HEADER:
            header, secure_value = settings.SECURE_PROXY_SSL_HEADER
            value = environ.get(header)
            if value is not None:
                return value.split(",", 1)[0].strip() == secure_value
        return environ.get("wsgi.url_scheme") == "https"

    @staticmethod
    def _security_headers(secure: bool) -> list[tuple[str, str]]:
        """What SecurityMiddleware and XFrameOptionsMiddleware add to every response, asked of
        them (on an empty response to a plain GET over HTTP or HTTPS)."""
        request = WSGIRequest(
            {"REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO(), "SERVER_NAME": "shortcut",
             "SERVER_PORT": "443" if secure else "80",
             "wsgi.url_scheme": "https" if secure else "http"}
        )  # fmt: skip
        response = HttpResponse()
        before = set(response.headers)
        for middleware in (SecurityMiddleware, XFrameOptionsMiddleware):
            middleware(HttpResponse).process_response(request, response)  # sets them in place
        return [(name, value) for name, value in response.items() if name not in before]
