"""The benchmark load layer: served by id like any other, never listed to the public.

Its app is installed only by ``bench.settings``; even there, the layer stays out of the
catalogue, the OGC collections, the map, /dati/ and search (``listed = False``).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from bench.models import LoadParcel
from layers.registry import Field, Layer, register

LOAD_LAYER_ID = "bench-load"
# Whether the table has rows, remembered briefly so that the catalogue reads no database.
AVAILABLE_CACHE_KEY = "bench-load-available"
AVAILABLE_SECONDS = 30


@register
class LoadLayer(Layer):
    id = LOAD_LAYER_ID
    model = LoadParcel
    title = {"it": "Carico sintetico (benchmark)", "en": "Synthetic load (benchmark)"}
    description = {
        "it": "Poligoni generati per misurare il motore di pubblicazione; non sono dati reali.",
        "en": "Polygons generated to measure the publishing engine; not real data.",
    }
    theme = "territorio"
    fields = (
        Field("code", it="Codice", en="Code"),
        Field("name", it="Nome", en="Name"),
        Field("category", it="Categoria", en="Category"),
        Field("value", it="Valore", en="Value"),
        Field("year", it="Anno", en="Year"),
    )
    popup_fields = ("code", "name", "category")
    geometry_type = "MultiPolygon"
    is_sample = True
    listed = False
    render = "tiles"
    min_zoom, max_zoom = 8, 18
    licence = "CC0-1.0"
    attribution = "Remix (dati sintetici)"

    def get_queryset(self) -> QuerySet[LoadParcel]:
        return LoadParcel.objects.all()

    def is_available(self) -> bool:
        # An empty benchmark table stays out of the catalogue and every endpoint.
        return cache.get_or_set(AVAILABLE_CACHE_KEY, LoadParcel.objects.exists, AVAILABLE_SECONDS)
