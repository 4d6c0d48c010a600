"""The layer catalogue ``GET /api/layers/``: every published layer, described from the registry.

The portal builds its layer list from this document; see docs/publishing.md for the contract.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from layers.params import publishing_view
from layers.registry import THEMES, Layer, registry
from layers.tiles import tile_url_template
from layers.versions import LayerVersion, layer_versions

__all__ = ["layer_links", "layer_entry", "catalogue_entries", "catalogue"]

EXPORT_FORMATS = {"geojson": "geojson", "csv": "csv", "gpkg": "gpkg", "shp": "shp.zip"}


def layer_links(layer: Layer, version: LayerVersion) -> dict:
    """Root-relative URLs of every endpoint that serves ``layer``: ``tiles`` carries the data
    ``version`` (immutable tiles, for maps), ``tiles_plain`` is the fixed URL (for QGIS)."""
    return {
        "ogc_collection": reverse("ogc:collection", kwargs={"layer_id": layer.id}),
        "ogc_items": reverse("ogc:items", kwargs={"layer_id": layer.id}),
        "geojson": reverse("layers:download", kwargs={"layer_id": layer.id, "fmt": "geojson"}),
        "tilejson": reverse("tiles:tilejson", kwargs={"layer_id": layer.id}),
        "tiles": tile_url_template(layer, version),
        "tiles_plain": tile_url_template(layer),
        "exports": {
            key: reverse("layers:download", kwargs={"layer_id": layer.id, "fmt": fmt})
            for key, fmt in EXPORT_FORMATS.items()
        },
        "detail_page": layer.detail_page,
    }


def layer_entry(layer: Layer, version: LayerVersion) -> dict:
    """The catalogue entry of one layer at its current data ``version``."""
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
        "links": layer_links(layer, version),
    }


def catalogue_entries() -> list[dict]:
    """The entries of every available layer, in registration order (one version query)."""
    layers = registry.all()
    versions = layer_versions(layers)
    return [layer_entry(layer, versions[layer.id]) for layer in layers]


@require_GET
@publishing_view(accepts=())
def catalogue(request: HttpRequest) -> JsonResponse:
    """Every available layer, in registration order (never cached: tile URLs name the
    current data versions)."""
    response = JsonResponse(
        {"layers": catalogue_entries()},
        json_dumps_params={"ensure_ascii": False},
    )
    response["Cache-Control"] = "no-cache"
    return response
