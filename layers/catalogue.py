"""The layer catalogue ``GET /api/layers/``: every published layer, described from the registry.

The portal builds its layer list from this document; see docs/publishing.md for the contract.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from layers.params import publishing_view
from layers.registry import THEMES, Layer, registry

__all__ = ["layer_links", "layer_entry", "catalogue"]

EXPORT_FORMATS = {"geojson": "geojson", "csv": "csv", "gpkg": "gpkg", "shp": "shp.zip"}


def layer_links(layer: Layer) -> dict:
    """Root-relative URLs of every endpoint that serves ``layer``."""
    tile = reverse("tiles:tile", kwargs={"layer_id": layer.id, "z": 0, "x": 0, "y": 0})
    return {
        "ogc_collection": reverse("ogc:collection", kwargs={"layer_id": layer.id}),
        "ogc_items": reverse("ogc:items", kwargs={"layer_id": layer.id}),
        "geojson": reverse("layers:download", kwargs={"layer_id": layer.id, "fmt": "geojson"}),
        "tilejson": reverse("tiles:tilejson", kwargs={"layer_id": layer.id}),
        "tiles": tile.replace("/0/0/0.pbf", "/{z}/{x}/{y}.pbf"),
        "exports": {
            key: reverse("layers:download", kwargs={"layer_id": layer.id, "fmt": fmt})
            for key, fmt in EXPORT_FORMATS.items()
        },
        "detail_page": layer.detail_page,
    }


def layer_entry(layer: Layer) -> dict:
    """The catalogue entry of one layer."""
    return {
        "id": layer.id,
        "title": layer.title,
        "description": layer.description,
        "theme": layer.theme,
        "theme_title": THEMES[layer.theme],
        "geometry_type": layer.geometry_type,
        "render": layer.render,
        "cluster": layer.cluster,
        "min_zoom": layer.min_zoom,
        "max_zoom": layer.max_zoom,
        "style": layer.style,
        "legend": list(layer.legend),
        "licence": layer.licence,
        "attribution": layer.attribution,
        "is_sample": layer.is_sample,
        "queryables": layer.queryables,
        "popup_fields": [{"name": f.name, "label": f.label} for f in layer.popup],
        "fields": [{"name": f.name, "label": f.label} for f in layer.fields],
        "links": layer_links(layer),
    }


@require_GET
@publishing_view(accepts=())
def catalogue(request: HttpRequest) -> JsonResponse:
    """Every available layer, in registration order."""
    return JsonResponse(
        {"layers": [layer_entry(layer) for layer in registry.all()]},
        json_dumps_params={"ensure_ascii": False},
    )
