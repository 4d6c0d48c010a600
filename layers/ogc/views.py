"""OGC API – Features endpoints, generic over the layer registry.

Every view validates its parameters (400 naming the parameter), then answers JSON/GeoJSON or a
small HTML page (``f=json|html`` or the Accept header). Feature documents are built in PostGIS.
"""

from __future__ import annotations

import json

from django.contrib.gis.db.models import Extent
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from layers.counts import matched_count
from layers.ogc.negotiation import (
    HTML,
    JSON,
    SUPPORTED_SRIDS,
    answer,
    output_format,
    requested_srid,
)
from layers.ogc.openapi import openapi_document
from layers.params import filtered_queryset, layer_or_404, parse_int, publishing_view
from layers.queries import features_page, id_is_integer
from layers.registry import Layer, registry
from layers.srid import STORAGE_SRID, crs_uri
from layers.versions import layer_version

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
    "items",
    "item",
]

CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
DEFAULT_LIMIT = 10
MAX_LIMIT = 10_000
MAX_OFFSET = 10_000_000
PRECISION = 7
TITLE = "Remix — OGC API Features"
# The query parameters each endpoint accepts (a layer's queryables are added to those of its
# endpoints); anything else is a 400 naming it. Add a parameter here when it is implemented.
DOCUMENT_PARAMS = ("f",)
ITEMS_PARAMS = ("f", "limit", "offset", "bbox", "crs", "bbox-crs")
ITEM_PARAMS = ("f", "crs")


def _url(request: HttpRequest, name: str, query: str = "", **kwargs) -> str:
    url = request.build_absolute_uri(reverse(f"ogc:{name}", kwargs=kwargs or None))
    return f"{url}?{query}" if query else url


def _self_links(request: HttpRequest, name: str, media: str = "application/json", **kw) -> list:
    return [
        {"href": _url(request, name, "f=json", **kw), "rel": "self", "type": media},
        {"href": _url(request, name, "f=html", **kw), "rel": "alternate", "type": "text/html"},
    ]


@require_GET
@publishing_view(accepts=DOCUMENT_PARAMS)
def landing(request: HttpRequest) -> HttpResponse:
    """The landing page: links to the API definition, conformance and collections."""
    fmt = output_format(request)
    doc = {
        "title": TITLE,
        "description": "Dati della rigenerazione urbana della Città metropolitana di Milano.",
        "links": [
            *_self_links(request, "landing"),
            {
                "href": _url(request, "api"),
                "rel": "service-desc",
                "type": "application/vnd.oai.openapi+json;version=3.0",
                "title": "OpenAPI",
            },
            {"href": _url(request, "api", "f=html"), "rel": "service-doc", "type": "text/html"},
            {
                "href": _url(request, "conformance"),
                "rel": "conformance",
                "type": "application/json",
            },
            {"href": _url(request, "collections"), "rel": "data", "type": "application/json"},
        ],
    }
    return answer(request, fmt, doc, "ogc/landing.html")


@require_GET
@publishing_view(accepts=DOCUMENT_PARAMS)
def conformance(request: HttpRequest) -> HttpResponse:
    """The conformance classes this API implements."""
    return answer(
        request, output_format(request), {"conformsTo": CONFORMANCE}, "ogc/conformance.html"
    )


@require_GET
@publishing_view(accepts=DOCUMENT_PARAMS)
def api_definition(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.0 definition of the OGC endpoints."""
    doc = openapi_document(request, registry.all())
    if output_format(request) == HTML:
        pretty = json.dumps(doc, ensure_ascii=False, indent=2)
        return render(request, "ogc/api.html", {"doc": doc, "pretty": pretty})
    return answer(request, JSON, doc, "", media="openapi")


def _extent(layer: Layer) -> list[float] | None:
    """The layer's lon/lat extent, cached per data version."""
    key = f"ogc-extent:{layer.id}:{layer_version(layer).token}"
    box = cache.get(key)
    if box is None:
        aggregated = layer.get_queryset().aggregate(box=Extent(layer.geometry_field))["box"]
        box = [round(v, 6) for v in aggregated] if aggregated else []
        cache.set(key, box, 3600)
    return box or None


def _collection_doc(request: HttpRequest, layer: Layer) -> dict:
    items = "items"
    doc = {
        "id": layer.id,
        "title": layer.title.get("it"),
        "description": layer.description.get("it", ""),
        "itemType": "feature",
        "crs": [crs_uri(s) for s in SUPPORTED_SRIDS],
        "storageCrs": crs_uri(STORAGE_SRID),
        "links": [
            *_self_links(request, "collection", layer_id=layer.id),
            {
                "href": _url(request, items, "f=json", layer_id=layer.id),
                "rel": "items",
                "type": "application/geo+json",
                "title": layer.title.get("it"),
            },
            {
                "href": _url(request, items, "f=html", layer_id=layer.id),
                "rel": "items",
                "type": "text/html",
            },
            {
                "href": _url(request, "queryables", layer_id=layer.id),
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                "type": "application/schema+json",
            },
        ],
    }
    if layer.licence:
        doc["license"] = layer.licence
    if layer.attribution:
        doc["attribution"] = layer.attribution
    if (box := _extent(layer)) is not None:
        doc["extent"] = {"spatial": {"bbox": [box], "crs": crs_uri(STORAGE_SRID)}}
    return doc


@require_GET
@publishing_view(accepts=DOCUMENT_PARAMS)
def collections(request: HttpRequest) -> HttpResponse:
    """Every published layer as a feature collection."""
    fmt = output_format(request)
    doc = {
        "links": _self_links(request, "collections"),
        "collections": [_collection_doc(request, layer) for layer in registry.all()],
    }
    return answer(request, fmt, doc, "ogc/collections.html")


@require_GET
@publishing_view(accepts=DOCUMENT_PARAMS)
def collection(request: HttpRequest, layer_id: str) -> HttpResponse:
    """One collection's description."""
    fmt = output_format(request)
    layer = layer_or_404(layer_id)
    return answer(request, fmt, _collection_doc(request, layer), "ogc/collection.html")


@require_GET
@publishing_view(accepts=DOCUMENT_PARAMS)
def queryables(request: HttpRequest, layer_id: str) -> HttpResponse:
    """The filter parameters of the collection, as a JSON Schema."""
    layer = layer_or_404(layer_id)
    properties = {name: {"type": "string", "title": name} for name in layer.queryables}
    doc = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        "$id": _url(request, "queryables", layer_id=layer.id),
        "type": "object",
        "title": layer.title.get("it"),
        "properties": properties,
    }
    return HttpResponse(json.dumps(doc, ensure_ascii=False), content_type="application/schema+json")


def _page_link(request: HttpRequest, layer: Layer, rel: str, offset: int, limit: int) -> dict:
    query = request.GET.copy()
    query["offset"], query["limit"], query["f"] = str(offset), str(limit), "json"
    href = _url(request, "items", query.urlencode(), layer_id=layer.id)
    return {"href": href, "rel": rel, "type": "application/geo+json"}


def _geojson(features: list[str], meta: dict, srid: int) -> HttpResponse:
    """Splice PostGIS-built features into a FeatureCollection with its metadata."""
    head = '{"type":"FeatureCollection","features":['
    body = head + ",".join(features) + "]," + json.dumps(meta, ensure_ascii=False)[1:]
    response = HttpResponse(body, content_type="application/geo+json")
    response["Content-Crs"] = f"<{crs_uri(srid)}>"
    return response


@require_GET
@publishing_view(accepts=ITEMS_PARAMS, queryables=True)
def items(request: HttpRequest, layer_id: str) -> HttpResponse:
    """A page of features: ``limit``/``offset``, ``bbox``, queryables and ``crs``."""
    fmt = output_format(request)
    layer = layer_or_404(layer_id)
    params = request.GET
    limit = parse_int(
        params.get("limit"), name="limit", default=DEFAULT_LIMIT, low=1, high=MAX_LIMIT
    )
    offset = parse_int(params.get("offset"), name="offset", default=0, low=0, high=MAX_OFFSET)
    srid = requested_srid(request)
    queryset = filtered_queryset(layer, params).order_by(layer.id_field)
    matched = matched_count(layer, queryset)
    features = features_page(
        layer, queryset[offset : offset + limit], precision=PRECISION, srid=srid
    )
    links = [
        _page_link(request, layer, "self", offset, limit),
        {"href": _url(request, "collection", layer_id=layer.id), "rel": "collection"},
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
            "fields": layer.fields,
            "meta": meta,
            "offset": offset,
        }
        return render(request, "ogc/items.html", context)
    return _geojson(features, meta, srid)


@require_GET
@publishing_view(accepts=ITEM_PARAMS)
def item(request: HttpRequest, layer_id: str, feature_id: str) -> HttpResponse:
    """One feature by id (the layer's id field; Comuni: ISTAT code)."""
    fmt = output_format(request)
    layer = layer_or_404(layer_id)
    srid = requested_srid(request)
    queryset = layer.get_queryset().filter(**{layer.id_field: _typed_id(layer, feature_id)})
    features = features_page(layer, queryset, precision=PRECISION, srid=srid)
    if not features:
        raise Http404(f"Elemento {feature_id} non trovato in {layer.id}.")
    feature = json.loads(features[0])
    feature["links"] = [
        {"href": _url(request, "item", layer_id=layer.id, feature_id=feature_id), "rel": "self"},
        {"href": _url(request, "collection", layer_id=layer.id), "rel": "collection"},
    ]
    if fmt == HTML:
        context = {"layer": layer, "feature": feature, "fields": layer.fields}
        return render(request, "ogc/item.html", context)
    response = HttpResponse(json.dumps(feature, ensure_ascii=False), "application/geo+json")
    response["Content-Crs"] = f"<{crs_uri(srid)}>"
    return response


def _typed_id(layer: Layer, feature_id: str):
    """The id as the column's type; a non-numeric id of an integer layer matches nothing."""
    if id_is_integer(layer):
        if not feature_id.isdigit() or len(feature_id) > 18:
            raise Http404(f"Elemento {feature_id} non trovato in {layer.id}.")
        return int(feature_id)
    return feature_id
