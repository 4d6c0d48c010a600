"""Request parameters of the publishing endpoints: parsing, validation and layer filtering.

Everything a client sends is checked here and reaches SQL only through the ORM (bound
parameters). Malformed values raise :class:`remix.errors.UserInputError` naming the parameter;
:func:`publishing_view` turns them into 400 answers and unknown layers into 404.
"""

from __future__ import annotations

import functools
import math

from django.contrib.gis.geos import Polygon
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, JsonResponse, QueryDict
from django.utils.translation import gettext_lazy as _

from layers.registry import Layer, registry
from layers.srid import STORAGE_SRID
from remix.errors import UserInputError

__all__ = [
    "RESERVED_PARAMS",
    "UNKNOWN_LAYER",
    "BAD_BBOX",
    "parse_bbox",
    "parse_int",
    "layer_or_404",
    "filtered_queryset",
    "filter_key",
    "publishing_view",
]

# Parameters of the endpoints themselves, never handed to a layer's FilterSet.
RESERVED_PARAMS = frozenset(
    {"bbox", "limit", "offset", "f", "precision", "crs", "bbox-crs", "geometry", "lang"}
)
# Translatable: answered in the request's language (Italian first, English catalogue).
UNKNOWN_LAYER = _("Layer sconosciuto: {id}.")
BAD_BBOX = _(
    "bbox deve essere minlon,minlat,maxlon,maxlat in gradi (WGS 84), con min ≤ max, "
    "longitudini in [-180, 180] e latitudini in [-90, 90]."
)
BAD_INT = _("{name} deve essere un intero tra {low} e {high}.")


def parse_bbox(value: str, *, name: str = "bbox") -> Polygon:
    """The lon/lat rectangle of ``minlon,minlat,maxlon,maxlat`` as a Polygon in the storage SRID."""
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise UserInputError(BAD_BBOX, field=name) from None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise UserInputError(BAD_BBOX, field=name)
    minx, miny, maxx, maxy = numbers
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise UserInputError(BAD_BBOX, field=name)
    # A zero-width box is a legitimate "features on this line/point" query: widen it a hair
    # so it stays a valid polygon.
    eps = 1e-9 if minx == maxx or miny == maxy else 0.0
    box = Polygon.from_bbox((minx - eps, miny - eps, maxx + eps, maxy + eps))
    box.srid = STORAGE_SRID
    return box


def parse_int(value: str | None, *, name: str, default: int, low: int, high: int) -> int:
    """An integer parameter within [low, high]; ``default`` when absent."""
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise UserInputError(BAD_INT.format(name=name, low=low, high=high), field=name) from None
    if not low <= number <= high:
        raise UserInputError(BAD_INT.format(name=name, low=low, high=high), field=name)
    return number


def layer_or_404(layer_id: str) -> Layer:
    """The registered, available layer with this id, or Http404."""
    layer = registry.get(layer_id)
    if layer is None:
        raise Http404(UNKNOWN_LAYER.format(id=layer_id))
    return layer


def _filter_data(params: QueryDict, layer: Layer) -> dict[str, str]:
    """Filter parameters for the FilterSet; repeated values become one comma list."""
    return {
        key: ",".join(params.getlist(key))
        for key in params
        if key not in RESERVED_PARAMS and key in layer.queryables
    }


def filtered_queryset(layer: Layer, params: QueryDict) -> QuerySet:
    """The layer's public records narrowed by ``bbox`` and the layer's FilterSet."""
    queryset = layer.get_queryset()
    if params.get("bbox"):
        box = parse_bbox(params["bbox"])
        queryset = queryset.filter(**{f"{layer.geometry_field}__intersects": box})
    if layer.filterset_class is None:
        return queryset
    filterset = layer.filterset_class(data=_filter_data(params, layer), queryset=queryset)
    if not filterset.is_valid():
        name, messages = next(iter(filterset.errors.items()))
        raise UserInputError(f"{name}: {' '.join(messages)}", field=name)
    return filterset.qs


def filter_key(layer: Layer, params: QueryDict) -> str:
    """A canonical text of the parameters that change what ``layer`` serves (for cache keys)."""
    keys = sorted(k for k in params if k == "bbox" or k in layer.queryables)
    return "&".join(f"{k}={','.join(sorted(params.getlist(k)))}" for k in keys)


def publishing_view(view):
    """Answer UserInputError with 400 and Http404 with a JSON 404, naming what is wrong."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except UserInputError as exc:
            return JsonResponse(exc.as_dict(), status=exc.status_code)
        except Http404 as exc:
            return JsonResponse({"detail": str(exc)}, status=404)

    return wrapper
