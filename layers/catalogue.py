"""The layer catalogue ``GET /api/layers/``: every published layer, described from the registry.

The portal builds its layer list from this document; see docs/publishing.md for the contract.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from layers.exports import SINGLE_GEOMETRY_FORMATS
from layers.fieldschema import data_dictionary
from layers.params import publishing_view
from layers.registry import THEMES, Layer, registry
from layers.tiles import tile_url_template
from layers.versions import LayerVersion, layer_versions

__all__ = ["layer_links", "collection_entry", "layer_entry", "catalogue_entries", "catalogue"]

EXPORT_FORMATS = {
    "geojson": "geojson",
    "csv": "csv",
    "gpkg": "gpkg",
    "shp": "shp.zip",
    "fgb": "fgb",
}


def _exports(layer: Layer) -> dict:
    """Download URLs; a mixed layer offers only the formats that hold several geometry types."""
    return {
        key: reverse("layers:download", kwargs={"layer_id": layer.id, "fmt": fmt})
        for key, fmt in EXPORT_FORMATS.items()
        if layer.is_single_geometry or fmt not in SINGLE_GEOMETRY_FORMATS
    }


def layer_links(layer: Layer, version: LayerVersion) -> dict:
    """Root-relative URLs of every endpoint that serves ``layer``: ``tiles`` carries the data
    ``version`` (immutable tiles, for maps), ``tiles_plain`` is the fixed URL (for QGIS); OGC
    links only for a layer of one geometry type."""
    links = {
        "geojson": reverse("layers:download", kwargs={"layer_id": layer.id, "fmt": "geojson"}),
        "tilejson": reverse("tiles:tilejson", kwargs={"layer_id": layer.id}),
        "tiles": tile_url_template(layer, version),
        "tiles_plain": tile_url_template(layer),
        "exports": _exports(layer),
        "detail_page": layer.detail_page,
    }
    if layer.is_single_geometry:
        links["ogc_collection"] = reverse("ogc:collection", kwargs={"layer_id": layer.id})
        links["ogc_items"] = reverse("ogc:items", kwargs={"layer_id": layer.id})
    return links


def collection_entry(layer: Layer) -> dict:
    """One OGC collection (single geometry type) with its downloads and data dictionary."""
    return {
        "id": layer.id,
        "title": layer.title,
        "geometry_type": layer.geometry_type,
        "ogc_collection": reverse("ogc:collection", kwargs={"layer_id": layer.id}),
        "exports": _exports(layer),
        "fields": data_dictionary(layer),
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
        # For GIS clients: one collection per geometry type (a mixed layer lists its parts).
        "collections": [
            collection_entry(part)
            for part in ([layer] if layer.is_single_geometry else registry.parts(layer))
        ],
    }


def catalogue_entries() -> list[dict]:
    """The entries of every available layer, in registration order (one version query)."""
    layers = registry.all()
    versions = layer_versions(layers)
    return [layer_entry(layer, versions[layer.id]) for layer in layers]


@require_safe
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
