"""OGC API – Features endpoints, generic over the layer registry.

Every view validates its parameters (400 naming the parameter), then answers JSON/GeoJSON or a
small HTML page (``f=json|html`` or the Accept header). Feature documents are built in PostGIS.
"""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from layers.counts import matched_count
from layers.fieldschema import feature_schema, logical_schema, queryables_schema
from layers.ogc.documents import SCHEMA_TYPE, collection_doc, self_links, url
from layers.ogc.negotiation import (
    HTML,
    JSON,
    answer,
    bbox_srid,
    filter_srid,
    output_format,
    requested_srid,
)
from layers.ogc.openapi import openapi_document
from layers.ogc.query import (
    apply_datetime,
    apply_filter,
    apply_sortby,
    selected_fields,
)
from layers.ogc.query import (
    queryables as queryables_of,
)
from layers.params import filtered_queryset, layer_or_404, parse_int, publishing_view
from layers.queries import features_page, id_is_integer
from layers.registry import Layer, registry
from layers.srid import STORAGE_SRID, crs_uri

__all__ = [
    "CONFORMANCE",
    "DOCUMENT_PARAMS",
    "ITEMS_PARAMS",
    "ITEM_PARAMS",
    "DEFAULT_LIMIT",
    "MAX_LIMIT",
    "landing",
    "conformance",
    "api_definition",
    "collections",
    "collection",
    "queryables",
    "schema",
    "feature_schema_view",
    "collection_or_404",
    "items",
    "item",
]

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/ogcapi-features-5/1.0/conf/schemas",
    "http://www.opengis.net/spec/ogcapi-features-8/1.0/conf/sorting",
    "http://www.opengis.net/spec/ogcapi-features-6/1.0/conf/property-selection",
]
NOT_A_COLLECTION = (
    "{id} mescola tipi di geometria: è pubblicato come {parts} (una collezione per tipo)."
)
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
MAX_OFFSET = 10_000_000
PRECISION = 7
TITLE = "Remix — OGC API Features"
GEOJSON = "application/geo+json"
# The query parameters each endpoint accepts (a layer's queryables are added to those of its
# endpoints); anything else is a 400 naming it. Add a parameter here when it is implemented.
ITEMS_PARAMS = (
    "f",
    "limit",
    "offset",
    "bbox",
    "crs",
    "bbox-crs",
    "filter",
    "filter-lang",
    "filter-crs",
    "sortby",
    "properties",
    "datetime",
)
ITEM_PARAMS = ("f", "crs", "properties")
# GDAL (3.6) sends the query parameters of a connection URL such as
# ``OAPIF:…/collections/x?filter=…&sortby=…`` with every request it makes, documents included:
# the documents accept (and ignore) the item parameters so that such a connection works.
DOCUMENT_PARAMS = ("f", *(p for p in ITEMS_PARAMS if p not in ("f", "limit", "offset")))


@require_safe
@publishing_view(accepts=DOCUMENT_PARAMS)
def landing(request: HttpRequest) -> HttpResponse:
    """The landing page: links to the API definition, conformance and collections."""
    fmt = output_format(request)
    doc = {
        "title": TITLE,
        "description": "Dati della rigenerazione urbana della Città metropolitana di Milano.",
        "links": [
            *self_links(request, "landing"),
            {
                "href": url(request, "api"),
                "rel": "service-desc",
                "type": "application/vnd.oai.openapi+json;version=3.0",
                "title": "OpenAPI",
            },
            {"href": url(request, "api", "f=html"), "rel": "service-doc", "type": "text/html"},
            {
                "href": url(request, "conformance"),
                "rel": "conformance",
                "type": "application/json",
            },
            {"href": url(request, "collections"), "rel": "data", "type": "application/json"},
        ],
    }
    return answer(request, fmt, doc, "ogc/landing.html")


@require_safe
@publishing_view(accepts=DOCUMENT_PARAMS)
def conformance(request: HttpRequest) -> HttpResponse:
    """The conformance classes this API implements."""
    return answer(
        request, output_format(request), {"conformsTo": CONFORMANCE}, "ogc/conformance.html"
    )


@require_safe
@publishing_view(accepts=DOCUMENT_PARAMS)
def api_definition(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 definition of the OGC endpoints."""
    doc = openapi_document(request, registry.collections())
    if output_format(request) == HTML:
        pretty = json.dumps(doc, ensure_ascii=False, indent=2)
        return render(request, "ogc/api.html", {"doc": doc, "pretty": pretty})
    return answer(request, JSON, doc, "", media="openapi")


def collection_or_404(layer_id: str) -> Layer:
    """The layer of an OGC collection: one geometry type (a mixed layer names its parts)."""
    layer = layer_or_404(layer_id)
    if not layer.is_single_geometry:
        parts = ", ".join(p.id for p in registry.parts(layer))
        raise Http404(NOT_A_COLLECTION.format(id=layer.id, parts=parts))
    return layer


@require_safe
@publishing_view(accepts=DOCUMENT_PARAMS)
def collections(request: HttpRequest) -> HttpResponse:
    """Every published layer as a feature collection."""
    fmt = output_format(request)
    doc = {
        "links": self_links(request, "collections"),
        "collections": [collection_doc(request, layer) for layer in registry.collections()],
    }
    return answer(request, fmt, doc, "ogc/collections.html")


@require_safe
@publishing_view(accepts=DOCUMENT_PARAMS, queryables=True)
def collection(request: HttpRequest, layer_id: str) -> HttpResponse:
    """One collection's description."""
    fmt = output_format(request)
    layer = collection_or_404(layer_id)
    return answer(request, fmt, collection_doc(request, layer), "ogc/collection.html")


@require_safe
@publishing_view(accepts=DOCUMENT_PARAMS, queryables=True)
def queryables(request: HttpRequest, layer_id: str) -> HttpResponse:
    """Part 3: the typed properties a ``filter`` may name, as a JSON Schema."""
    layer = collection_or_404(layer_id)
    doc = queryables_schema(layer, url(request, "queryables", layer_id=layer.id))
    # The draft's list, which GDAL 3.6 reads to decide what it may send in a filter.
    doc["queryables"] = [
        {"id": name, "type": spec.get("type", "geometry")}
        for name, spec in doc["properties"].items()
    ]
    return _schema_response(doc, request)


def _schema_response(doc: dict, request: HttpRequest | None = None) -> HttpResponse:
    """A JSON Schema as application/schema+json, or application/json for a client that asks
    only for that (GDAL 3.6 reads the queryables with ``Accept: application/json``)."""
    accept = request.headers.get("Accept", "") if request is not None else ""
    media = SCHEMA_TYPE
    if "application/json" in accept and SCHEMA_TYPE not in accept:
        media = "application/json"
    return HttpResponse(json.dumps(doc, ensure_ascii=False), content_type=media)


@require_safe
@publishing_view(accepts=DOCUMENT_PARAMS, queryables=True)
def schema(request: HttpRequest, layer_id: str) -> HttpResponse:
    """Part 5: the logical schema of the collection's features (types, units, values)."""
    layer = collection_or_404(layer_id)
    return _schema_response(logical_schema(layer, url(request, "schema", layer_id=layer.id)))


@require_safe
@publishing_view(accepts=DOCUMENT_PARAMS, queryables=True)
def feature_schema_view(request: HttpRequest, layer_id: str) -> HttpResponse:
    """The JSON Schema of one GeoJSON Feature of the collection (linked as describedBy)."""
    layer = collection_or_404(layer_id)
    doc = feature_schema(layer, url(request, "feature-schema", layer_id=layer.id))
    return _schema_response(doc)


def _page_link(
    request: HttpRequest, layer: Layer, rel: str, offset: int, limit: int, fmt: str = JSON
) -> dict:
    query = request.GET.copy()
    query["offset"], query["limit"], query["f"] = str(offset), str(limit), fmt
    href = url(request, "items", query.urlencode(), layer_id=layer.id)
    media = "text/html" if fmt == HTML else "application/geo+json"
    return {"href": href, "rel": rel, "type": media}


def _crs_member(srid: int) -> dict:
    """GeoJSON 2008's ``crs`` member, which GDAL and geopandas read, for non-CRS84 output."""
    if srid == STORAGE_SRID:
        return {}
    return {"crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{srid}"}}}


def _geojson(features: list[str], meta: dict, srid: int) -> HttpResponse:
    """Splice PostGIS-built features into a FeatureCollection with its metadata."""
    head = '{"type":"FeatureCollection","features":['
    meta = {**meta, **_crs_member(srid)}
    body = head + ",".join(features) + "]," + json.dumps(meta, ensure_ascii=False)[1:]
    response = HttpResponse(body, content_type="application/geo+json")
    response["Content-Crs"] = f"<{crs_uri(srid)}>"
    return response


@require_safe
@publishing_view(accepts=ITEMS_PARAMS, queryables=True)
def items(request: HttpRequest, layer_id: str) -> HttpResponse:
    """A page of features: ``limit``/``offset``, ``bbox``, queryables and ``crs``."""
    fmt = output_format(request)
    layer = collection_or_404(layer_id)
    params = request.GET
    limit = parse_int(
        params.get("limit"), name="limit", default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT
    )
    offset = parse_int(params.get("offset"), name="offset", default=0, low=0, high=MAX_OFFSET)
    srid = requested_srid(request)
    fields = selected_fields(layer, params.get("properties"))
    found = queryables_of(layer, filtered_queryset(layer, params, bbox_srid=bbox_srid(request)))
    queryset = apply_filter(found, params, srid=filter_srid(request))
    queryset = apply_datetime(layer, queryset, params.get("datetime"))
    queryset = apply_sortby(found, queryset, params.get("sortby"), layer.id_field)
    matched = matched_count(layer, queryset)
    features = features_page(
        layer, queryset[offset : offset + limit], precision=PRECISION, srid=srid, fields=fields
    )
    links = [
        _page_link(request, layer, "self", offset, limit),
        _page_link(request, layer, "alternate", offset, limit, fmt=HTML),
        {
            "href": url(request, "collection", layer_id=layer.id),
            "rel": "collection",
            "type": "application/json",
        },
    ]
    if offset + len(features) < matched:
        links.append(_page_link(request, layer, "next", offset + limit, limit))
    if offset > 0:
        links.append(_page_link(request, layer, "prev", max(offset - limit, 0), limit))
    meta = {
        "numberMatched": matched,
        "numberReturned": len(features),
        "timeStamp": timezone.now().isoformat(timespec="seconds"),
        "links": links,
    }
    if fmt == HTML:
        context = {
            "layer": layer,
            "features": [json.loads(f) for f in features],
            "fields": fields,
            "meta": meta,
            "offset": offset,
        }
        return render(request, "ogc/items.html", context)
    return _geojson(features, meta, srid)


@require_safe
@publishing_view(accepts=ITEM_PARAMS)
def item(request: HttpRequest, layer_id: str, feature_id: str) -> HttpResponse:
    """One feature by id (the layer's id field; Comuni: ISTAT code)."""
    fmt = output_format(request)
    layer = collection_or_404(layer_id)
    srid = requested_srid(request)
    fields = selected_fields(layer, request.GET.get("properties"))
    queryset = layer.get_queryset().filter(**{layer.id_field: _typed_id(layer, feature_id)})
    features = features_page(layer, queryset, precision=PRECISION, srid=srid, fields=fields)
    if not features:
        raise Http404(f"Elemento {feature_id} non trovato in {layer.id}.")
    feature = json.loads(features[0])
    kw = {"layer_id": layer.id, "feature_id": feature_id}
    feature["links"] = [
        {"href": url(request, "item", "f=json", **kw), "rel": "self", "type": GEOJSON},
        {"href": url(request, "item", "f=html", **kw), "rel": "alternate", "type": "text/html"},
        {
            "href": url(request, "collection", layer_id=layer.id),
            "rel": "collection",
            "type": "application/json",
        },
    ]
    feature.update(_crs_member(srid))
    if fmt == HTML:
        context = {"layer": layer, "feature": feature, "fields": fields}
        return render(request, "ogc/item.html", context)
    response = HttpResponse(json.dumps(feature, ensure_ascii=False), GEOJSON)
    response["Content-Crs"] = f"<{crs_uri(srid)}>"
    return response


def _typed_id(layer: Layer, feature_id: str):
    """The id as the column's type; a non-numeric id of an integer layer matches nothing."""
    if id_is_integer(layer):
        if not feature_id.isdigit() or len(feature_id) > 18:
            raise Http404(f"Elemento {feature_id} non trovato in {layer.id}.")
        return int(feature_id)
    return feature_id
