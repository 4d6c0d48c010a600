"""Output format and CRS negotiation of the OGC API (``f`` and ``crs`` parameters, Accept)."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from layers.srid import GAUSS_BOAGA_SRID, METRIC_SRID, STORAGE_SRID, crs_uri
from remix.errors import UserInputError

__all__ = [
    "JSON",
    "HTML",
    "SUPPORTED_SRIDS",
    "BAD_FORMAT",
    "BAD_CRS",
    "output_format",
    "requested_srid",
    "bbox_srid",
    "filter_srid",
    "answer",
]

JSON, HTML = "json", "html"
SUPPORTED_SRIDS = (STORAGE_SRID, METRIC_SRID, GAUSS_BOAGA_SRID)
BAD_FORMAT = "f deve essere 'json' o 'html'."
BAD_CRS = "crs non supportato; usare uno di: {uris}."
MEDIA_TYPES = {
    "json": "application/json",
    "geojson": "application/geo+json",
    "openapi": "application/vnd.oai.openapi+json;version=3.0",
}


def output_format(request: HttpRequest) -> str:
    """``f`` when given (json|html), else HTML only when the client prefers text/html."""
    fmt = request.GET.get("f")
    if fmt is not None:
        if fmt not in (JSON, HTML, "geojson"):
            raise UserInputError(BAD_FORMAT, field="f")
        return HTML if fmt == HTML else JSON
    accept = request.headers.get("Accept", "")
    html_at = accept.find("text/html")
    json_at = accept.find("json")
    if html_at >= 0 and (json_at < 0 or html_at < json_at):
        return HTML
    return JSON


def _srid_param(request: HttpRequest, name: str) -> int:
    """The SRID of a CRS parameter (``crs``, ``bbox-crs``, ``filter-crs``); CRS84 if absent.

    The OGC URI is the canonical form; ``EPSG:32632`` is accepted for the projected CRSs
    (not ``EPSG:4326``, whose axis order is lat/lon: CRS84 is lon/lat).
    """
    value = request.GET.get(name)
    if value is None:
        return STORAGE_SRID
    for srid in SUPPORTED_SRIDS:
        short = f"EPSG:{srid}" if srid != STORAGE_SRID else None
        if value in (crs_uri(srid), short):
            return srid
    uris = ", ".join(crs_uri(s) for s in SUPPORTED_SRIDS)
    message = BAD_CRS.format(uris=uris)
    raise UserInputError(message if name == "crs" else f"{name}: {message}", field=name)


def requested_srid(request: HttpRequest) -> int:
    """The SRID of the ``crs`` parameter (output coordinates; CRS84 by default)."""
    return _srid_param(request, "crs")


def bbox_srid(request: HttpRequest) -> int:
    """The SRID of ``bbox-crs`` (the CRSs offered for output; CRS84 by default)."""
    return _srid_param(request, "bbox-crs")


def filter_srid(request: HttpRequest) -> int:
    """The SRID of ``filter-crs``: the CRS of geometries inside a ``filter``."""
    return _srid_param(request, "filter-crs")


def answer(
    request: HttpRequest, fmt: str, document: dict, template: str, *, media: str = "json"
) -> HttpResponse:
    """The document as JSON, or rendered with ``template`` for HTML."""
    if fmt == HTML:
        return render(request, template, {"doc": document})
    body = json.dumps(document, ensure_ascii=False, default=str)
    return HttpResponse(body, content_type=MEDIA_TYPES[media])
