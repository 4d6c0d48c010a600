"""Vector tiles ``/tiles/{layer}/{z}/{x}/{y}.pbf`` and TileJSON ``/tiles/{layer}.json``.

Tiles are encoded by PostGIS (``ST_AsMVT``; see :func:`layers.queries.tile_sql`) and kept in
the ``tiles`` cache under a key made of the layer's data version, the filters and z/x/y: a
change to the data changes the key, so stale tiles are never served (and expire by timeout).
"""

from __future__ import annotations

import hashlib
import math

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.core.cache import caches
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from layers.http import etag_for, not_modified_response, set_validators
from layers.params import filter_key, filtered_queryset, layer_or_404, publishing_view
from layers.queries import MVT_BUFFER, MVT_EXTENT, tile_bytes
from layers.registry import Layer
from layers.srid import STORAGE_SRID
from layers.versions import layer_version
from remix.errors import UserInputError

__all__ = ["MVT_TYPE", "BAD_TILE", "tile_bounds", "tile_coordinates", "tile", "tilejson"]

MVT_TYPE = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 24
BAD_TILE = "{name} fuori intervallo: z in [0, {max_z}], x e y in [0, 2^z - 1]."
CACHE_ALIAS = "tiles"


def tile_bounds(z: int, x: int, y: int, margin: float = 0.0) -> tuple[float, float, float, float]:
    """The lon/lat bounds of tile z/x/y, grown by ``margin`` tile widths on every side (Web
    Mercator tiles are lon/lat rectangles; the margin is exact in Mercator, as in
    ``ST_TileEnvelope(z, x, y, margin => …)``)."""
    n = 2**z

    def lon(column: float) -> float:
        return max(-180.0, min(180.0, column / n * 360 - 180))

    def lat(row: float) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin)


def tile_coordinates(z: str, x: str, y: str) -> tuple[int, int, int]:
    """The integer z/x/y of a tile path; UserInputError naming the coordinate out of range."""

    def number(name: str, text: str, high: int) -> int:
        if not text.isdigit() or len(text) > 8 or not 0 <= int(text) <= high:
            raise UserInputError(BAD_TILE.format(name=name, max_z=MAX_ZOOM), field=name)
        return int(text)

    zoom = number("z", z, MAX_ZOOM)
    return zoom, number("x", x, 2**zoom - 1), number("y", y, 2**zoom - 1)


def _cache_key(layer: Layer, token: str, filters: str, z: int, x: int, y: int) -> str:
    digest = hashlib.sha1(filters.encode(), usedforsecurity=False).hexdigest()[:16]
    return f"tile:{layer.id}:{token}:{digest}:{z}/{x}/{y}"


@require_GET
@publishing_view
def tile(request: HttpRequest, layer_id: str, z: str, x: str, y: str) -> HttpResponse:
    """One MVT tile of the layer (204 when empty), honouring the layer's filters."""
    layer = layer_or_404(layer_id)
    z, x, y = tile_coordinates(z, x, y)
    params = request.GET
    queryset = filtered_queryset(layer, params)
    version = layer_version(layer)
    filters = filter_key(layer, params)
    etag = etag_for(version, filters, f"{z}/{x}/{y}")
    if (cached := not_modified_response(request, etag, version)) is not None:
        return cached
    cache = caches[CACHE_ALIAS]
    key = _cache_key(layer, version.token, filters, z, x, y)
    data = cache.get(key)
    if data is None:
        data = tile_bytes(layer, _within_tile(layer, queryset, z, x, y), z, x, y)
        cache.set(key, data)
    response = HttpResponse(data, content_type=MVT_TYPE, status=200 if data else 204)
    set_validators(response, etag, version)
    return response


def _within_tile(layer: Layer, queryset: QuerySet, z: int, x: int, y: int) -> QuerySet:
    """Narrow to features whose bounding box meets the tile plus its MVT buffer (index scan)."""
    box = Polygon.from_bbox(tile_bounds(z, x, y, margin=MVT_BUFFER / MVT_EXTENT))
    box.srid = STORAGE_SRID
    return queryset.filter(**{f"{layer.geometry_field}__bboverlaps": box})


@require_GET
@publishing_view
def tilejson(request: HttpRequest, layer_id: str) -> JsonResponse:
    """The TileJSON 3.0 document of the layer (tile URL keeps the request's filters)."""
    layer = layer_or_404(layer_id)
    filtered_queryset(layer, request.GET)  # validate the filters before advertising them
    path = reverse("tiles:tile", kwargs={"layer_id": layer.id, "z": 0, "x": 0, "y": 0})
    template = request.build_absolute_uri(path).replace("/0/0/0.pbf", "/{z}/{x}/{y}.pbf")
    query = request.GET.urlencode()
    fields = {f.name: f.label["it"] for f in layer.popup}
    return JsonResponse(
        {
            "tilejson": "3.0.0",
            "name": layer.title.get("it"),
            "description": layer.description.get("it", ""),
            "attribution": layer.attribution,
            "scheme": "xyz",
            "tiles": [f"{template}?{query}" if query else template],
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
