"""The portal's search box, ``GET /api/search/?q=``: Comuni and every layer with search_fields.

Each layer declares the ORM lookups its records are found by (``Layer.search_fields``); the
Comuni are always searchable by name. Only what the layer publishes (``get_queryset()``) is
searched, so drafts never show up. Each hit carries its bounding box and a point on its surface,
computed by PostGIS, so the map can zoom to it.
"""

from __future__ import annotations

from django.contrib.gis.db.models.functions import Envelope, PointOnSurface
from django.db.models import F, Q
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from layers.params import publishing_view
from layers.registry import Layer, registry
from remix.errors import UserInputError

__all__ = ["MIN_CHARS", "MAX_CHARS", "PER_LAYER", "QUERY_TOO_SHORT", "QUERY_TOO_LONG", "search"]

MIN_CHARS = 2
MAX_CHARS = 100
PER_LAYER = 8
QUERY_TOO_SHORT = f"q: scrivere almeno {MIN_CHARS} caratteri da cercare."
QUERY_TOO_LONG = f"q: il testo da cercare può avere al massimo {MAX_CHARS} caratteri."
# Layers searchable even when their declaration names no search_fields.
DEFAULT_SEARCH_FIELDS = {"comuni": ("name",)}


def searchable_layers() -> list[tuple[Layer, tuple[str, ...]]]:
    """Every available layer that can be searched, with the lookups to match."""
    found = []
    for layer in registry.all():
        fields = layer.search_fields or DEFAULT_SEARCH_FIELDS.get(layer.id, ())
        if fields:
            found.append((layer, tuple(fields)))
    return found


def layer_hits(layer: Layer, fields: tuple[str, ...], text: str) -> list[dict]:
    """Published records of ``layer`` whose ``fields`` contain ``text``; names starting with it
    first, then alphabetical; at most PER_LAYER."""
    condition = Q()
    for lookup in fields:
        condition |= Q(**{f"{lookup}__icontains": text})
    rows = (
        layer.get_queryset()
        .filter(condition)
        .annotate(
            rx_id=F(layer.id_field),
            rx_name=F(fields[0]),
            rx_box=Envelope(layer.geometry_field),
            rx_point=PointOnSurface(layer.geometry_field),
        )
        .values("rx_id", "rx_name", "rx_box", "rx_point")[: PER_LAYER * 5]
    )
    needle = text.casefold()
    ranked = sorted(
        rows, key=lambda r: (not str(r["rx_name"]).casefold().startswith(needle), str(r["rx_name"]))
    )
    return [_hit(layer, row) for row in ranked[:PER_LAYER]]


def _hit(layer: Layer, row: dict) -> dict:
    point = row["rx_point"]
    return {
        "name": str(row["rx_name"]),
        "layer": layer.id,
        "layer_title": layer.title,
        "id": row["rx_id"],
        "bbox": [round(v, 6) for v in row["rx_box"].extent] if row["rx_box"] else None,
        "centroid": [round(point.x, 6), round(point.y, 6)] if point else None,
        "url": layer.detail_url(row["rx_id"]),
    }


def search_text(value: str | None) -> str:
    """The cleaned search text, or UserInputError when too short or too long."""
    text = (value or "").strip()
    if len(text) < MIN_CHARS:
        raise UserInputError(QUERY_TOO_SHORT, field="q")
    if len(text) > MAX_CHARS:
        raise UserInputError(QUERY_TOO_LONG, field="q")
    return text


@require_GET
@publishing_view(accepts=("q",))
def search(request: HttpRequest) -> JsonResponse:
    """``{"query": ..., "results": [{"name", "layer", "layer_title", "id", "bbox", "centroid",
    "url"}]}``, Comuni first, then the layers in registration order."""
    text = search_text(request.GET.get("q"))
    results = []
    for layer, fields in searchable_layers():
        results.extend(layer_hits(layer, fields, text))
    return JsonResponse(
        {"query": text, "results": results}, json_dumps_params={"ensure_ascii": False}
    )
