"""Bulk downloads ``/api/layers/{id}/download.{geojson,csv,gpkg,shp.zip}``.

The GeoJSON document is built row by row inside PostGIS and streamed from a server-side cursor,
so memory stays flat however big the layer; the other formats are written by pyogrio
(:mod:`layers.exports`). All honour the layer's filters and answer conditional GETs.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from layers import exports
from layers.http import (
    batched_text,
    etag_for,
    gzip_chunks,
    not_modified_response,
    set_validators,
    wants_gzip,
)
from layers.params import filter_key, filtered_queryset, layer_or_404, parse_int, publishing_view
from layers.queries import features_iter
from layers.registry import Layer
from layers.srid import STORAGE_SRID
from layers.versions import layer_version

__all__ = [
    "DEFAULT_PRECISION",
    "DOWNLOAD_PARAMS",
    "download_params",
    "geojson_document",
    "download",
]

DEFAULT_PRECISION = 6
GEOJSON_TYPE = "application/geo+json"
# Query parameters of a download besides the layer's queryables (``geometry``: CSV only).
DOWNLOAD_PARAMS = ("bbox", "precision")


def download_params(kwargs: dict) -> tuple[str, ...]:
    """The parameters a download in ``kwargs["fmt"]`` accepts besides the queryables."""
    return (*DOWNLOAD_PARAMS, "geometry") if kwargs.get("fmt") == "csv" else DOWNLOAD_PARAMS


def geojson_document(layer: Layer, queryset: QuerySet, *, precision: int) -> Iterator[str]:
    """The FeatureCollection of ``queryset`` as text pieces, features built by PostGIS."""
    yield '{"type":"FeatureCollection","features":['
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


@require_GET
@publishing_view(accepts=download_params, queryables=True)
def download(request: HttpRequest, layer_id: str, fmt: str) -> HttpResponse:
    """The whole layer, or its filtered part, in ``fmt`` (geojson, csv, gpkg, shp.zip)."""
    layer = layer_or_404(layer_id)
    params = request.GET
    precision = parse_int(
        params.get("precision"), name="precision", default=DEFAULT_PRECISION, low=0, high=15
    )
    queryset = filtered_queryset(layer, params)
    options = exports.export_options(fmt, params)
    version = layer_version(layer)
    encoding = "gzip" if fmt == "geojson" and wants_gzip(request) else "identity"
    etag = etag_for(version, fmt, filter_key(layer, params), str(precision), options, encoding)
    compressible = fmt == "geojson"
    cached = not_modified_response(request, etag, version, vary_encoding=compressible)
    if cached is not None:
        return cached
    if fmt == "geojson":
        response = _geojson_response(request, layer, queryset, precision)
    else:
        response = exports.export_response(layer, queryset, fmt, params)
    set_validators(response, etag, version, vary_encoding=compressible)
    return response
