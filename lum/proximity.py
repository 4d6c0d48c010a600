"""The analysts' proximity query: what lies within X metres of a point or of a feature, per
published layer, measured in the metric CRS.

Parameters come from the request and are validated here; every bad value raises
:class:`remix.errors.UserInputError` with one of the messages below (reused by the tests).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance, Transform
from django.contrib.gis.geos import GEOSGeometry, Point

from layers.registry import Layer, registry
from layers.srid import METRIC_SRID, STORAGE_SRID
from remix.errors import UserInputError
from rigenerazione.models import Localizzazione

__all__ = [
    "MAX_DISTANCE_M",
    "MAX_ITEMS",
    "ERROR_LON",
    "ERROR_LAT",
    "ERROR_DISTANCE",
    "ERROR_REFERENCE",
    "ERROR_LAYER",
    "ERROR_FEATURE",
    "ProximityQuery",
    "proximity_query_parse",
    "features_near",
]

MAX_DISTANCE_M = 5000
MAX_ITEMS = 200
ERROR_LON = "lon deve essere un numero tra -180 e 180 (gradi WGS 84)."
ERROR_LAT = "lat deve essere un numero tra -90 e 90 (gradi WGS 84)."
ERROR_DISTANCE = f"distanza deve essere un numero di metri tra 1 e {MAX_DISTANCE_M}."
ERROR_REFERENCE = "Indica un punto (lon e lat) oppure un elemento (layer e id), non entrambi."
ERROR_LAYER = "Layer sconosciuto: {id}."
ERROR_FEATURE = "Elemento {id} non trovato nel layer {layer}."


@dataclass(frozen=True)
class ProximityQuery:
    """A validated proximity request: a reference geometry in the metric CRS and a distance."""

    reference: GEOSGeometry
    distance_m: float
    layers: tuple[Layer, ...]
    described_as: dict


def _number(value: str | None, *, field: str, message: str, low: float, high: float) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise UserInputError(message, field=field) from None
    if not low <= number <= high:  # also false for NaN
        raise UserInputError(message, field=field)
    return number


def _layer(layer_id: str, field: str) -> Layer:
    layer = registry.get(layer_id)
    if layer is None:
        raise UserInputError(ERROR_LAYER.format(id=layer_id), field=field)
    return layer


def _feature_geometry(layer: Layer, feature_id: str) -> GEOSGeometry:
    try:
        queryset = layer.get_queryset().filter(**{layer.id_field: feature_id})
        geom = queryset.values_list(layer.geometry_field, flat=True).first()
    except (ValueError, TypeError):
        geom = None
    if geom is None:
        raise UserInputError(ERROR_FEATURE.format(id=feature_id, layer=layer.id), field="id")
    return geom


def proximity_query_parse(params) -> ProximityQuery:
    """Validate ``lon``/``lat`` or ``layer``/``id``, ``distanza`` and ``layers`` (comma list)."""
    has_point = params.get("lon") is not None or params.get("lat") is not None
    has_feature = params.get("layer") is not None or params.get("id") is not None
    if has_point == has_feature:
        raise UserInputError(ERROR_REFERENCE, field="lon")
    distance = _number(
        params.get("distanza"), field="distanza", message=ERROR_DISTANCE, low=1, high=MAX_DISTANCE_M
    )
    if has_point:
        lon = _number(params.get("lon"), field="lon", message=ERROR_LON, low=-180, high=180)
        lat = _number(params.get("lat"), field="lat", message=ERROR_LAT, low=-90, high=90)
        reference = Point(lon, lat, srid=STORAGE_SRID)
        described = {"lon": lon, "lat": lat}
    else:
        layer = _layer(params.get("layer") or "", "layer")
        reference = _feature_geometry(layer, params.get("id") or "")
        described = {"layer": layer.id, "id": params.get("id")}
    wanted = [x for x in (params.get("layers") or "").split(",") if x]
    layers = tuple(_layer(x, "layers") for x in wanted) if wanted else tuple(registry.all())
    return ProximityQuery(reference.transform(METRIC_SRID, clone=True), distance, layers, described)


def _label_lookup(layer: Layer) -> str:
    """The attribute that names a feature: ``name`` or ``title`` when exposed, else the first."""
    names = {f.name: f.lookup for f in layer.fields}
    for candidate in ("name", "title"):
        if candidate in names:
            return names[candidate]
    return layer.fields[0].lookup if layer.fields else layer.id_field


def features_near(layer: Layer, query: ProximityQuery) -> dict:
    """``{"layer", "title", "count", "features": [{"id", "label", "distance_m"}]}``: the
    layer's public features within the distance, nearest first (at most MAX_ITEMS listed)."""
    label = _label_lookup(layer)
    queryset = layer.get_queryset()
    if any(f.name == "localizzazione" for f in layer.model._meta.get_fields()):
        # A record known only at Comune level carries its Comune's boundary: no real position.
        queryset = queryset.exclude(localizzazione=Localizzazione.COMUNALE)
    queryset = (
        queryset.annotate(_metric=Transform(layer.geometry_field, METRIC_SRID))
        .filter(_metric__dwithin=(query.reference, query.distance_m))
        .annotate(_distance=Distance("_metric", query.reference))
        .order_by("_distance")
    )
    rows = list(queryset.values_list(layer.id_field, label, "_distance")[: MAX_ITEMS + 1])
    count = len(rows) if len(rows) <= MAX_ITEMS else queryset.count()
    return {
        "layer": layer.id,
        "title": layer.title.get("it", layer.id),
        "count": count,
        "features": [
            {"id": fid, "label": str(text), "distance_m": round(dist.m, 1)}
            for fid, text, dist in rows[:MAX_ITEMS]
        ],
    }
