"""Vector tiles ``/tiles/{layer}/{z}/{x}/{y}.pbf`` and TileJSON ``/tiles/{layer}.json``.

Tiles are encoded by PostGIS (``ST_AsMVT``; see :func:`layers.queries.tile_sql`) and kept under
a key made of the layer's data version, the filters and z/x/y: a change to the data changes the
key, so stale tiles are never served (old ones expire). Two levels: this process's memory (an
LRU bounded in bytes, ``TILE_MEMORY_CACHE_MB``) in front of the ``tiles`` cache on disk, which
every worker and restart shares. Unfiltered tiles run one statement per layer, compiled once
and prepared on each connection; plain requests usually don't even reach this view (see
:mod:`layers.tile_wsgi`).
"""

from __future__ import annotations

import functools
import hashlib
import threading

from cachetools import LRUCache
from django.conf import settings
from django.core.cache import caches
from django.core.signals import setting_changed
from django.db.models import QuerySet
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_safe

from layers.http import etag_for, not_modified_response, set_validators
from layers.params import filter_key, filtered_queryset, layer_or_404, publishing_view
from layers.queries import tile_bytes, tile_sql
from layers.registry import Layer
from layers.versions import LayerVersion, layer_version
from remix.errors import UserInputError

__all__ = [
    "MVT_TYPE",
    "BAD_TILE",
    "tile_coordinates",
    "tile_data",
    "tile_cache_clear",
    "tile",
    "tilejson",
]

MVT_TYPE = "application/vnd.mapbox-vector-tile"
MAX_ZOOM = 24
BAD_TILE = _("{name} fuori intervallo: z in [0, {max_z}], x e y in [0, 2^z - 1].")
CACHE_ALIAS = "tiles"


def tile_coordinates(z: str, x: str, y: str) -> tuple[int, int, int]:
    """The integer z/x/y of a tile path; UserInputError naming the coordinate out of range."""

    def number(name: str, text: str, high: int) -> int:
        if not (text.isascii() and text.isdigit()) or len(text) > 8 or not 0 <= int(text) <= high:
            raise UserInputError(BAD_TILE.format(name=name, max_z=MAX_ZOOM), field=name)
        return int(text)

    zoom = number("z", z, MAX_ZOOM)
    return zoom, number("x", x, 2**zoom - 1), number("y", y, 2**zoom - 1)


# What an entry costs besides its bytes (key, bookkeeping): empty tiles count too.
ENTRY_OVERHEAD = 256


def _entry_size(data: bytes) -> int:
    return len(data) + ENTRY_OVERHEAD


class TileStore:
    """Encoded tiles: this process's LRU in memory, then the shared ``tiles`` cache."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._memory: LRUCache | None = None
        self._configured = False

    def _lru(self) -> LRUCache | None:
        if not self._configured:
            size = settings.TILE_MEMORY_CACHE_MB * 2**20
            self._memory = LRUCache(maxsize=size, getsizeof=_entry_size) if size > 0 else None
            self._configured = True
        return self._memory

    @property
    def has_memory(self) -> bool:
        """Whether this process keeps tiles in memory (``TILE_MEMORY_CACHE_MB`` > 0)."""
        return self._lru() is not None

    def get_memory(self, key: str) -> bytes | None:
        """The tile if this process holds it (no disk, no database)."""
        memory = self._lru()
        if memory is None:
            return None
        with self._lock:
            return memory.get(key)

    def get(self, key: str) -> bytes | None:
        if (data := self.get_memory(key)) is not None:
            return data
        data = caches[CACHE_ALIAS].get(key)
        if data is not None:
            self._remember(key, data)
        return data

    def set(self, key: str, data: bytes) -> None:
        caches[CACHE_ALIAS].set(key, data)
        self._remember(key, data)

    def _remember(self, key: str, data: bytes) -> None:
        memory = self._lru()
        if memory is not None and _entry_size(data) <= memory.maxsize:
            with self._lock:
                memory[key] = data

    def clear(self, *, shared: bool = True) -> None:
        """Forget the tiles in memory (and on disk, unless ``shared`` is False)."""
        with self._lock:
            self._memory, self._configured = None, False
        if shared:
            caches[CACHE_ALIAS].clear()


store = TileStore()


def tile_cache_clear() -> None:
    """Empty both levels of the tile cache (benchmarks, operators)."""
    store.clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs) -> None:
    if setting in ("CACHES", "TILE_MEMORY_CACHE_MB"):
        store.clear(shared=False)


@functools.cache
def _plain_statement(layer: Layer) -> tuple[str, list]:
    """The tile statement of the layer's unfiltered records (compiled once per layer)."""
    return tile_sql(layer, layer.get_queryset())


@functools.lru_cache(maxsize=1024)
def _filters_digest(filters: str) -> str:
    return hashlib.sha1(filters.encode(), usedforsecurity=False).hexdigest()[:16]


def _cache_key(layer: Layer, token: str, filters: str, z: int, x: int, y: int) -> str:
    return f"tile:{layer.id}:{token}:{_filters_digest(filters)}:{z}/{x}/{y}"


def tile_data(
    layer: Layer,
    version: LayerVersion,
    z: int,
    x: int,
    y: int,
    *,
    filters: str = "",
    queryset: QuerySet | None = None,
    memory_only: bool = False,
) -> bytes | None:
    """The MVT of tile z/x/y (empty when no feature reaches it), from the cache or PostGIS.

    ``queryset`` is the filtered records ``filters`` (:func:`layers.params.filter_key`)
    names; None for the layer's unfiltered records. ``memory_only``: None unless this process
    holds the tile in memory.
    """
    key = _cache_key(layer, version.token, filters, z, x, y)
    if memory_only:
        return store.get_memory(key)
    data = store.get(key)
    if data is None:
        statement = _plain_statement(layer) if queryset is None else tile_sql(layer, queryset)
        data = tile_bytes(layer, statement, z, x, y)
        store.set(key, data)
    return data


@require_safe
@publishing_view(accepts=(), queryables=True)
def tile(request: HttpRequest, layer_id: str, z: str, x: str, y: str) -> HttpResponse:
    """One MVT tile of the layer (204 when empty), honouring the layer's filters."""
    layer = layer_or_404(layer_id)
    z, x, y = tile_coordinates(z, x, y)
    params = request.GET
    filters = filter_key(layer, params)
    queryset = filtered_queryset(layer, params) if filters else None
    version = layer_version(layer)
    etag = etag_for(version, filters, f"{z}/{x}/{y}")
    if (cached := not_modified_response(request, etag, version)) is not None:
        return cached
    data = tile_data(layer, version, z, x, y, filters=filters, queryset=queryset)
    response = HttpResponse(data, content_type=MVT_TYPE, status=200 if data else 204)
    set_validators(response, etag, version)
    return response


@require_GET
@publishing_view(accepts=(), queryables=True)
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
