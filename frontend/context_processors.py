"""Template context shared by every page of the portal."""

from __future__ import annotations

from django.conf import settings

from frontend.attribution import DATA_ATTRIBUTIONS


def portal(request) -> dict:
    """Portal name, basemap settings and the attributions of the data shown."""
    return {
        "portal_name": "Remix",
        "portal_config": {
            "basemapUrl": settings.REMIX_BASEMAP_URL,
            "basemapAttribution": settings.REMIX_BASEMAP_ATTRIBUTION,
        },
        "data_attributions": DATA_ATTRIBUTIONS,
    }
