"""Template context shared by every page of the portal."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from frontend.attribution import DATA_ATTRIBUTIONS
from layers.registry import registry


def layer_attributions() -> list[dict]:
    """The distinct (attribution, licence) pairs of the published layers, in catalogue order."""
    seen: dict[tuple[str, str], dict] = {}
    for layer in registry.all():
        key = (layer.attribution, layer.licence)
        if layer.attribution and key not in seen:
            seen[key] = {"text": layer.attribution, "licence": layer.licence}
    return list(seen.values())


def portal(request) -> dict:
    """Portal name, basemap settings and the attributions of the data shown."""
    return {
        "portal_name": "Remix",
        "portal_config": {
            "basemapUrl": settings.REMIX_BASEMAP_URL,
            "basemapAttribution": settings.REMIX_BASEMAP_ATTRIBUTION,
            "extent": settings.LEAFLET_CONFIG["SPATIAL_EXTENT"],
            "minZoom": settings.LEAFLET_CONFIG["MIN_ZOOM"],
            "maxZoom": settings.LEAFLET_CONFIG["MAX_ZOOM"],
            "catalogueUrl": reverse("layers:catalogue"),
        },
        "data_attributions": DATA_ATTRIBUTIONS,
        "layer_attributions": layer_attributions(),
        "basemap_attribution": settings.REMIX_BASEMAP_ATTRIBUTION,
    }
