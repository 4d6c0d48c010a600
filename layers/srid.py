"""The one place that names the coordinate reference systems Remix uses.

Geometries are stored in WGS 84 longitude/latitude (what GeoJSON, OGC API Features and Leaflet
speak); distances and areas are computed in UTM 32N (the usual metric CRS in Lombardy); tiles
are cut in Web Mercator. No other module writes an EPSG code as a literal.
"""

from __future__ import annotations

__all__ = [
    "STORAGE_SRID",
    "METRIC_SRID",
    "WEB_MERCATOR_SRID",
    "GAUSS_BOAGA_SRID",
    "RDN2008_UTM32_SRID",
    "RDN2008_UTM32_ALT_SRID",
    "CRS84_URI",
    "crs_uri",
]

STORAGE_SRID = 4326
METRIC_SRID = 32632
WEB_MERCATOR_SRID = 3857
GAUSS_BOAGA_SRID = 3003  # Monte Mario / Italy zone 1, still common in Lombard municipal data
RDN2008_UTM32_SRID = 6707
RDN2008_UTM32_ALT_SRID = 7791

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def crs_uri(srid: int) -> str:
    """Return the OGC URI of an EPSG code (CRS84 for the storage CRS, axis order lon/lat)."""
    if srid == STORAGE_SRID:
        return CRS84_URI
    return f"http://www.opengis.net/def/crs/EPSG/0/{srid}"
