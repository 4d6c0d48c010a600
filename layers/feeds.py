"""Bulk downloads ``/api/layers/{id}/download.{geojson,csv,gpkg,shp.zip,fgb}``.

The GeoJSON document is built row by row inside PostGIS and streamed from a server-side cursor,
so memory stays flat however big the layer; the other formats are written by pyogrio
(:mod:`layers.exports`), kept in Django's cache per ETag and served with byte ranges (GDAL's
/vsicurl/ reads a FlatGeobuf that way). All honour the layer's filters, answer conditional
GETs and HEAD, and take a CQL2 ``filter`` like the OGC API. File formats take ``crs`` (the
CRSs the OGC API offers) and declare it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from layers import exports
from layers.http import (
    batched_text,
    etag_for,
    gzip_chunks,
    not_modified_response,
    ranged_response,
    set_validators,
    wants_gzip,
)
from layers.ogc.negotiation import filter_srid, requested_srid
from layers.ogc.query import apply_filter, queryables
from layers.params import filter_key, filtered_queryset, layer_or_404, parse_int, publishing_view
from layers.queries import features_iter
from layers.registry import Layer, registry
from layers.srid import STORAGE_SRID
from layers.versions import layer_version
from remix.errors import UserInputError

__all__ = [
    "DEFAULT_PRECISION",
    "DOWNLOAD_PARAMS",
    "GEOJSON_CRS84_ONLY",
    "download_params",
    "geojson_document",
    "download",
]

DEFAULT_PRECISION = 6
GEOJSON_TYPE = "application/geo+json"
GEOJSON_CRS84_ONLY = "crs: il GeoJSON è sempre in CRS84 (RFC 7946); usare gpkg, fgb, shp o csv."
# Exports kept for range requests and repeated downloads (keyed by ETag: never stale).
EXPORT_CACHE_SECONDS = 3600
# Query parameters of a download besides the layer's queryables (``geometry``: CSV only).
DOWNLOAD_PARAMS = ("bbox", "precision", "crs", "filter", "filter-lang", "filter-crs")


def download_params(kwargs: dict) -> tuple[str, ...]:
    """The parameters a download in ``kwargs["fmt"]`` accepts besides the queryables."""
    return (*DOWNLOAD_PARAMS, "geometry") if kwargs.get("fmt") == "csv" else DOWNLOAD_PARAMS


def geojson_document(layer: Layer, queryset: QuerySet, *, precision: int) -> Iterator[str]:
    """The FeatureCollection of ``queryset`` as text pieces, features built by PostGIS; its
    ``name`` (the layer id) names the layer GDAL reads it into."""
    yield '{"type":"FeatureCollection","name":' + json.dumps(layer.id) + ',"features":['
    first = True
    for feature in features_iter(layer, queryset, precision=precision, srid=STORAGE_SRID):
        yield feature if first else "," + feature
        first = False
    yield "]}"


def _geojson_response(request: HttpRequest, layer: Layer, queryset: QuerySet, precision: int):
    chunks = batched_text(geojson_document(layer, queryset, precision=precision))
    response = StreamingHttpResponse(content_type=GEOJSON_TYPE)
    if wants_gzip(request):
        chunks = gzip_chunks(chunks)
        response["Content-Encoding"] = "gzip"
    response.streaming_content = chunks
    response["Content-Disposition"] = f'inline; filename="{layer.id}.geojson"'
    return response


def _check_format(layer: Layer, fmt: str, srid: int) -> None:
    if fmt == "geojson" and srid != STORAGE_SRID:
        raise UserInputError(GEOJSON_CRS84_ONLY, field="crs")
    if fmt in exports.SINGLE_GEOMETRY_FORMATS and not layer.is_single_geometry:
        parts = ", ".join(f"{p.id}.{fmt}" for p in registry.parts(layer))
        message = exports.MIXED_GEOMETRY.format(id=layer.id, fmt=fmt, parts=parts)
        raise UserInputError(message, field="format")


def _file_response(request, layer, queryset, fmt: str, etag: str, srid: int) -> HttpResponse:
    key = f"export:{layer.id}:{etag}"
    body = cache.get(key)
    if body is None:
        body = exports.export_bytes(layer, queryset, fmt, request.GET, srid=srid)
        cache.set(key, body, EXPORT_CACHE_SECONDS)
    response = ranged_response(request, body, content_type=exports.FORMATS[fmt][1], etag=etag)
    response["Content-Disposition"] = f'attachment; filename="{layer.id}.{fmt}"'
    return response


@require_safe
@publishing_view(accepts=download_params, queryables=True)
def download(request: HttpRequest, layer_id: str, fmt: str) -> HttpResponse:
    """The whole layer, or its filtered part, in ``fmt`` (geojson, csv, gpkg, shp.zip, fgb)."""
    layer = layer_or_404(layer_id)
    params = request.GET
    precision = parse_int(
        params.get("precision"), name="precision", default=DEFAULT_PRECISION, low=0, high=15
    )
    srid = requested_srid(request)
    _check_format(layer, fmt, srid)
    # The layer's filters, then a CQL2 ``filter`` as on the OGC API (Part 3).
    found = queryables(layer, filtered_queryset(layer, params))
    queryset = apply_filter(found, params, srid=filter_srid(request))
    options = exports.export_options(fmt, params)
    version = layer_version(layer)
    encoding = "gzip" if fmt == "geojson" and wants_gzip(request) else "identity"
    cql = "|".join(params.get(k, "") for k in ("filter", "filter-lang", "filter-crs"))
    parts = (fmt, filter_key(layer, params), cql, str(precision), options, encoding, str(srid))
    etag = etag_for(version, *parts)
    compressible = fmt == "geojson"
    cached = not_modified_response(request, etag, version, vary_encoding=compressible)
    if cached is not None:
        return cached
    if fmt == "geojson":
        response = _geojson_response(request, layer, queryset, precision)
    else:
        response = _file_response(request, layer, queryset, fmt, etag, srid)
    set_validators(response, etag, version, vary_encoding=compressible)
    return response
