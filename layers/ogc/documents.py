"""The JSON documents of OGC API resources: links and collection descriptions."""

from __future__ import annotations

from django.contrib.gis.db.models import Extent
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse

from layers.fieldschema import data_dictionary
from layers.ogc.negotiation import SUPPORTED_SRIDS
from layers.ogc.query import temporal_extent
from layers.registry import Layer
from layers.srid import STORAGE_SRID, crs_uri
from layers.versions import layer_version

__all__ = ["SCHEMA_REL", "QUERYABLES_REL", "SCHEMA_TYPE", "url", "self_links", "collection_doc"]

SCHEMA_REL = "http://www.opengis.net/def/rel/ogc/1.0/schema"
QUERYABLES_REL = "http://www.opengis.net/def/rel/ogc/1.0/queryables"
SCHEMA_TYPE = "application/schema+json"


def url(request: HttpRequest, name: str, query: str = "", **kwargs) -> str:
    """The absolute URL of an OGC resource, with ``query`` appended."""
    url = request.build_absolute_uri(reverse(f"ogc:{name}", kwargs=kwargs or None))
    return f"{url}?{query}" if query else url


def self_links(request: HttpRequest, name: str, media: str = "application/json", **kw) -> list:
    """The ``self`` (JSON) and ``alternate`` (HTML) links of a resource."""
    return [
        {"href": url(request, name, "f=json", **kw), "rel": "self", "type": media},
        {"href": url(request, name, "f=html", **kw), "rel": "alternate", "type": "text/html"},
    ]


def _extent(layer: Layer) -> list[float] | None:
    """The layer's lon/lat extent, cached per data version."""
    key = f"ogc-extent:{layer.id}:{layer_version(layer).token}"
    box = cache.get(key)
    if box is None:
        aggregated = layer.get_queryset().aggregate(box=Extent(layer.geometry_field))["box"]
        box = [round(v, 6) for v in aggregated] if aggregated else []
        cache.set(key, box, 3600)
    return box or None


def _temporal(layer: Layer) -> list | None:
    """The layer's temporal interval, cached per data version."""
    if not layer.temporal:
        return None
    key = f"ogc-temporal:{layer.id}:{layer_version(layer).token}"
    span = cache.get(key)
    if span is None:
        span = temporal_extent(layer) or []
        cache.set(key, span, 3600)
    return span or None


def _schema_links(request: HttpRequest, layer: Layer) -> list[dict]:
    kw = {"layer_id": layer.id}
    return [
        {"href": url(request, "schema", **kw), "rel": SCHEMA_REL, "type": SCHEMA_TYPE},
        # GDAL (3.6) reads field types from a JSON Schema of the GeoJSON feature linked as
        # "describedBy"; RFC 8288 compares relation types case-insensitively.
        {"href": url(request, "feature-schema", **kw), "rel": "describedBy", "type": SCHEMA_TYPE},
        {"href": url(request, "queryables", **kw), "rel": QUERYABLES_REL, "type": SCHEMA_TYPE},
        # The name GDAL 3.6 looks for.
        {"href": url(request, "queryables", **kw), "rel": "queryables", "type": SCHEMA_TYPE},
    ]


def collection_doc(request: HttpRequest, layer: Layer) -> dict:
    """The description of one collection: links, CRSs, extents and data dictionary."""
    items = "items"
    doc = {
        "id": layer.id,
        "title": layer.title.get("it"),
        "description": layer.description.get("it", ""),
        "itemType": "feature",
        "geometryType": layer.geometry_type,
        "crs": [crs_uri(s) for s in SUPPORTED_SRIDS],
        "storageCrs": crs_uri(STORAGE_SRID),
        "links": [
            *self_links(request, "collection", layer_id=layer.id),
            {
                "href": url(request, items, "f=json", layer_id=layer.id),
                "rel": "items",
                "type": "application/geo+json",
                "title": layer.title.get("it"),
            },
            {
                "href": url(request, items, "f=html", layer_id=layer.id),
                "rel": "items",
                "type": "text/html",
            },
            *_schema_links(request, layer),
        ],
        "dataDictionary": data_dictionary(layer),
    }
    if layer.part_of:
        doc["partOf"] = layer.part_of
    if layer.licence:
        doc["license"] = layer.licence
    if layer.attribution:
        doc["attribution"] = layer.attribution
    if (box := _extent(layer)) is not None:
        doc["extent"] = {"spatial": {"bbox": [box], "crs": crs_uri(STORAGE_SRID)}}
    if (span := _temporal(layer)) is not None:
        doc.setdefault("extent", {})["temporal"] = {
            "interval": [span],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return doc
