"""Request parameters of the publishing endpoints: parsing, validation and layer filtering.

Everything a client sends is checked here and reaches SQL only through the ORM (bound
parameters). Malformed values raise :class:`remix.errors.UserInputError` naming the parameter;
:func:`publishing_view` turns them into 400 answers and unknown layers into 404.

Every endpoint declares the query parameters it accepts and answers any other with a 400 that
names it and lists the accepted ones (OGC API – Features Part 1, /req/core/query-param-unknown),
through :func:`reject_unknown_params`: plain views with ``publishing_view(accepts=...)`` (and
``queryables=True`` for views that filter a layer), DRF views through
:class:`layers.rest.StrictQueryParamsMixin`. To accept a new parameter, add its name to the
endpoint's declaration (e.g. ``ITEMS_PARAMS`` in :mod:`layers.ogc.views`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable

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
    "UNKNOWN_PARAMS",
    "BAD_BBOX",
    "BBOX_PATTERN",
    "MAX_OFFSET",
    "UnknownParameterError",
    "reject_unknown_params",
    "parse_bbox",
    "parse_int",
    "layer_or_404",
    "filtered_queryset",
    "filter_key",
    "publishing_view",
]

# Parameters of the endpoints themselves, never handed to a layer's FilterSet.
RESERVED_PARAMS = frozenset(
    {
        "bbox",
        "limit",
        "offset",
        "f",
        "precision",
        "crs",
        "bbox-crs",
        "geometry",
        "lang",
        # OGC API – Features Part 3/5/6/8 (layers.ogc.query)
        "filter",
        "filter-lang",
        "filter-crs",
        "sortby",
        "properties",
        "datetime",
    }
)
# Translatable: answered in the request's language (Italian first, English catalogue).
UNKNOWN_LAYER = _("Layer sconosciuto: {id}.")
BAD_BBOX = _(
    "bbox deve essere minlon,minlat,maxlon,maxlat in gradi (WGS 84), con min ≤ max, "
    "longitudini in [-180, 180] e latitudini in [-90, 90]."
)
BAD_INT = _("{name} deve essere un intero tra {low} e {high}.")
UNKNOWN_PARAMS = _("Parametro sconosciuto: {names}. Parametri accettati: {accepted}.")
NO_PARAMS = _("nessuno")
# What ``bbox`` looks like (four decimal numbers); the ranges are checked by parse_bbox.
_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
BBOX_PATTERN = rf"^{_NUMBER},{_NUMBER},{_NUMBER},{_NUMBER}$"
# The largest offset any list accepts (REST and OGC API alike).
MAX_OFFSET = 10_000_000


class UnknownParameterError(UserInputError):
    """Query parameters the endpoint does not know: named, with the list of accepted ones."""

    def __init__(self, unknown: list[str], accepted: Iterable[str]) -> None:
        self.accepted = sorted(accepted)
        super().__init__(
            UNKNOWN_PARAMS.format(
                names=", ".join(unknown), accepted=", ".join(self.accepted) or NO_PARAMS
            ),
            field=unknown[0],
        )
        self.unknown = unknown

    def as_dict(self) -> dict:
        return {**super().as_dict(), "accepted": self.accepted}


def reject_unknown_params(params: QueryDict, accepted: Iterable[str]) -> None:
    """Raise :class:`UnknownParameterError` if ``params`` holds a name not in ``accepted``."""
    known = frozenset(accepted)
    unknown = [name for name in params if name not in known]
    if unknown:
        raise UnknownParameterError(unknown, known)


BAD_PROJECTED_BBOX = _("bbox deve essere minx,miny,maxx,maxy nel CRS di bbox-crs, con min ≤ max.")


def parse_bbox(value: str, *, name: str = "bbox", srid: int = STORAGE_SRID) -> Polygon:
    """The rectangle ``minx,miny,maxx,maxy`` (lon/lat unless ``srid`` says otherwise, as
    ``bbox-crs`` may) as a Polygon in the storage SRID."""
    parts = value.split(",")
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise UserInputError(BAD_BBOX, field=name) from None
    if len(numbers) != 4 or not all(math.isfinite(n) for n in numbers):
        raise UserInputError(BAD_BBOX, field=name)
    minx, miny, maxx, maxy = numbers
    if srid != STORAGE_SRID:
        if not (minx <= maxx and miny <= maxy):
            raise UserInputError(BAD_PROJECTED_BBOX, field=name)
        box = Polygon.from_bbox((minx, miny, maxx, maxy))
        box.srid = srid
        box.transform(STORAGE_SRID)
        return box
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


def filtered_queryset(
    layer: Layer, params: QueryDict, *, bbox_srid: int = STORAGE_SRID
) -> QuerySet:
    """The layer's public records narrowed by ``bbox`` and the layer's FilterSet."""
    queryset = layer.get_queryset()
    if params.get("bbox"):
        box = parse_bbox(params["bbox"], srid=bbox_srid)
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


Accepts = Iterable[str] | Callable[[dict], Iterable[str]]


def _accepted_params(accepts: Accepts, kwargs: dict, *, queryables: bool) -> frozenset[str] | None:
    """The declared parameters (``accepts`` may depend on the URL's kwargs), plus the layer's
    queryables when the view filters; None for an unknown layer (the view answers 404)."""
    names = set(accepts(kwargs) if callable(accepts) else accepts)
    if "layer_id" in kwargs:
        layer = registry.get(kwargs["layer_id"])
        if layer is None:
            return None
        if queryables:
            names.update(layer.queryables)
    return frozenset(names)


def publishing_view(view=None, *, accepts: Accepts | None = None, queryables: bool = False):
    """Answer UserInputError with 400 and Http404 with a JSON 404, naming what is wrong.

    With ``accepts`` (parameter names, or a function of the URL kwargs returning them), any
    other query parameter is a 400 (:func:`reject_unknown_params`); ``queryables=True`` adds
    the filters of the view's layer (its ``layer_id``). Use it as
    ``@publishing_view(accepts=("f", "limit"), queryables=True)``.
    """
    if view is None:
        return functools.partial(publishing_view, accepts=accepts, queryables=queryables)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        try:
            if accepts is not None:
                accepted = _accepted_params(accepts, kwargs, queryables=queryables)
                if accepted is not None:
                    reject_unknown_params(request.GET, accepted)
            return view(request, *args, **kwargs)
        except UserInputError as exc:
            return JsonResponse(exc.as_dict(), status=exc.status_code)
        except Http404 as exc:
            return JsonResponse({"detail": str(exc)}, status=404)

    return wrapper
