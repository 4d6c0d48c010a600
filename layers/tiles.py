"""Vector tiles and their TileJSON: one ordinary Django view, freshness carried by the URL.

- ``/tiles/{layer}/v{version}/{z}/{x}/{y}.pbf`` — what the catalogue and TileJSON hand out: the
  layer's current data version is in the URL, so the answer never changes and is sent
  ``immutable`` for a year (browsers, nginx and any CDN keep it without asking again; a data
  change makes new URLs). A URL whose version is not the current one (a page loaded before a
  change, a replica behind the primary, a URL pasted long ago) is answered with the *current*
  tile under the plain URL's short freshness, and ``Link: <current URL>; rel="latest-version"``:
  one round trip instead of a redirect's two per tile, and no cache ever pins other data under
  that URL for a year.
- ``/tiles/{layer}/{z}/{x}/{y}.pbf`` — the fixed URL people type into QGIS: ``ETag`` and
  ``Last-Modified`` from the data version, fresh for ``PLAIN_MAX_AGE`` seconds, then a cheap
  conditional GET (304).

Tiles are built by PostGIS (:func:`layers.queries.tile_bytes`). Those that took a while to
build are also kept in Django's ``tiles`` cache (files, or Redis with ``REDIS_URL``) under a key
holding the data version; cheaper ones cost less to build again than to store (bench/RESULTS.md).
A cache that fails is logged and skipped: a tile is never lost for its cache.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from layers.http import etag_for, not_modified_response, set_validators
from layers.params import filter_key, filtered_queryset, layer_or_404, publishing_view
from layers.queries import TileStatement, tile_bytes, tile_sql
from layers.registry import Layer
from layers.versions import LayerVersion, layer_version, version_from_columns, version_select
from remix.errors import UserInputError

__all__ = [
    "MVT_TYPE",
    "BAD_TILE",
    "IMMUTABLE",
    "PLAIN_CACHE_CONTROL",
    "tile_coordinates",
    "tile_url_template",
    "tile_data",
    "current_tile_data",
    "tile",
    "tilejson",
]

logger = logging.getLogger(__name__)

MVT_TYPE = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 24
BAD_TILE = _("{name} fuori intervallo: z in [0, {max_z}], x e y in [0, 2^z - 1].")
CACHE_ALIAS = "tiles"
IMMUTABLE = "public, max-age=31536000, immutable"
# How long a tile under the plain URL (or a stale version's URL) is used without asking again.
PLAIN_MAX_AGE = 60
PLAIN_CACHE_CONTROL = f"public, max-age={PLAIN_MAX_AGE}"
# Tiles that took at least this long to build are kept in the tiles cache (see module doc).
CACHE_MIN_SECONDS = 0.02


def tile_coordinates(z: str, x: str, y: str) -> tuple[int, int, int]:
    """The integer z/x/y of a tile path; UserInputError naming the coordinate out of range."""

    def number(name: str, text: str, high: int) -> int:
        if not (text.isascii() and text.isdigit()) or len(text) > 8 or not 0 <= int(text) <= high:
            raise UserInputError(BAD_TILE.format(name=name, max_z=MAX_ZOOM), field=name)
        return int(text)

    zoom = number("z", z, MAX_ZOOM)
    return zoom, number("x", x, 2**zoom - 1), number("y", y, 2**zoom - 1)


def tile_url_template(layer: Layer, version: LayerVersion | None = None) -> str:
    """The root-relative ``…/{z}/{x}/{y}.pbf`` template of the layer's tiles: versioned when
    ``version`` is given, else the plain URL."""
    kwargs = {"layer_id": layer.id, "z": 0, "x": 0, "y": 0}
    if version is None:
        path = reverse("tiles:tile", kwargs=kwargs)
    else:
        path = reverse("tiles:versioned-tile", kwargs={**kwargs, "version": version.token})
    return path.removesuffix("/0/0/0.pbf") + "/{z}/{x}/{y}.pbf"


@functools.cache
def _plain_statement(layer: Layer) -> TileStatement:
    """The tile statement of the layer's unfiltered records (its SQL text, compiled once)."""
    return tile_sql(layer, layer.get_queryset())


def _cache_key(layer: Layer, token: str, filters: str, z: int, x: int, y: int) -> str:
    digest = hashlib.sha1(filters.encode(), usedforsecurity=False).hexdigest()[:16]
    return f"tile:{layer.id}:{token}:{digest}:{z}/{x}/{y}"


def _cache_get(key: str) -> bytes | None:
    try:
        return caches[CACHE_ALIAS].get(key)
    except Exception:  # an unreachable Redis, a full disk: build the tile instead
        logger.warning("Tile cache read failed for %s", key, exc_info=True)
        return None


def _cache_set(key: str, data: bytes) -> None:
    try:
        caches[CACHE_ALIAS].set(key, data)
    except Exception:  # the tile is sent all the same
        logger.warning("Tile cache write failed for %s", key, exc_info=True)


def _build(
    layer: Layer, z: int, x: int, y: int, queryset: QuerySet | None, also: tuple | None = None
) -> tuple[bytes, tuple, bool]:
    """The tile from PostGIS, the columns of ``also`` and whether it is worth caching."""
    statement = _plain_statement(layer) if queryset is None else tile_sql(layer, queryset)
    started = time.perf_counter()
    data, columns = tile_bytes(layer, statement, z, x, y, also=also)
    return data, columns, time.perf_counter() - started >= CACHE_MIN_SECONDS


def tile_data(
    layer: Layer,
    version: LayerVersion,
    z: int,
    x: int,
    y: int,
    *,
    filters: str = "",
    queryset: QuerySet | None = None,
) -> bytes:
    """The MVT of tile z/x/y at ``version`` (empty when no feature reaches it), from the cache
    or PostGIS. ``queryset`` is the filtered records ``filters``
    (:func:`layers.params.filter_key`) names; None for the layer's unfiltered records."""
    key = _cache_key(layer, version.token, filters, z, x, y)
    if (data := _cache_get(key)) is not None:
        return data
    data, _, worth_keeping = _build(layer, z, x, y, queryset)
    if worth_keeping:
        _cache_set(key, data)
    return data


def current_tile_data(
    layer: Layer, z: int, x: int, y: int, *, filters: str = "", queryset: QuerySet | None = None
) -> tuple[LayerVersion, bytes]:
    """The layer's current version and tile z/x/y, read in one statement (one snapshot: the
    tile is surely that version's); the tile is cached when it was slow to build."""
    data, columns, worth_keeping = _build(layer, z, x, y, queryset, also=version_select(layer))
    current = version_from_columns(layer, columns)
    if worth_keeping:
        _cache_set(_cache_key(layer, current.token, filters, z, x, y), data)
    return current, data


def _tile_response(data: bytes) -> HttpResponse:
    return HttpResponse(data, content_type=MVT_TYPE, status=200 if data else 204)


def _is_conditional(request: HttpRequest) -> bool:
    return "If-None-Match" in request.headers or "If-Modified-Since" in request.headers


@require_safe
@publishing_view(accepts=(), queryables=True)
def tile(
    request: HttpRequest, layer_id: str, z: str, x: str, y: str, version: str | None = None
) -> HttpResponse:
    """One MVT tile of the layer (204 when empty), honouring the layer's filters; ``version``
    is the data version a versioned URL carries (see the module doc for a stale one).

    A versioned URL names its content: a tile cached under that version is that URL's answer
    for good, sent without reading the database; otherwise the current version and the tile
    come from one statement. The plain URL reads the version first, for its ETag (304)."""
    layer = layer_or_404(layer_id)
    z, x, y = tile_coordinates(z, x, y)
    params = request.GET
    filters = filter_key(layer, params)
    queryset = filtered_queryset(layer, params) if filters else None
    zxy = f"{z}/{x}/{y}"
    if version is not None and not _is_conditional(request):
        cached = _cache_get(_cache_key(layer, version, filters, z, x, y))
        if cached is not None:
            response = _tile_response(cached)
            response["ETag"] = etag_for(LayerVersion(version, None), filters, zxy)
            response["Cache-Control"] = IMMUTABLE
            return response
        current, data = current_tile_data(layer, z, x, y, filters=filters, queryset=queryset)
        response = _tile_response(data)
        set_validators(response, etag_for(current, filters, zxy), current)
    else:
        current = layer_version(layer)
        etag = etag_for(current, filters, zxy)
        response = not_modified_response(request, etag, current)
        if response is None:
            data = tile_data(layer, current, z, x, y, filters=filters, queryset=queryset)
            response = _tile_response(data)
            set_validators(response, etag, current)
    response["Cache-Control"] = IMMUTABLE if version == current.token else PLAIN_CACHE_CONTROL
    if version is not None and version != current.token:
        latest = tile_url_template(layer, current).format(z=z, x=x, y=y)
        query = f"?{params.urlencode()}" if params else ""
        response["Link"] = f'<{latest}{query}>; rel="latest-version"'
    return response


@require_safe
@publishing_view(accepts=(), queryables=True)
def tilejson(request: HttpRequest, layer_id: str) -> JsonResponse:
    """The TileJSON 3.0 document of the layer: its versioned tile URL, keeping the request's
    filters (the document itself is never cached: it names the current version)."""
    layer = layer_or_404(layer_id)
    filtered_queryset(layer, request.GET)  # validate the filters before advertising them
    template = tile_url_template(layer, layer_version(layer))
    # build_absolute_uri would percent-encode the braces of {z}/{x}/{y}.
    url = request.build_absolute_uri("/").removesuffix("/") + template
    query = request.GET.urlencode()
    fields = {f.name: f.label["it"] for f in layer.tile_fields}
    response = JsonResponse(
        {
            "tilejson": "3.0.0",
            "name": layer.title.get("it"),
            "description": layer.description.get("it", ""),
            "attribution": layer.attribution,
            "scheme": "xyz",
            "tiles": [f"{url}?{query}" if query else url],
            "minzoom": layer.min_zoom,
            "maxzoom": layer.max_zoom,
            "bounds": list(settings.LEAFLET_CONFIG["SPATIAL_EXTENT"]),
            "center": [*reversed(settings.LEAFLET_CONFIG["DEFAULT_CENTER"]), layer.min_zoom],
            "vector_layers": [
                {
                    "id": layer.id,
                    "description": layer.title.get("it"),
                    "minzoom": layer.min_zoom,
                    "maxzoom": layer.max_zoom,
                    "fields": fields,
                }
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-cache"
    return response
