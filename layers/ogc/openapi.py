"""The OpenAPI 3.0 definition of the OGC API – Features endpoints, generated from the registry."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from layers.ogc.cql import FILTER_LANGS
from layers.registry import Layer

__all__ = ["openapi_document"]


def _param(name: str, description: str, schema: dict, *, where: str = "query") -> dict:
    # OpenAPI 3.0: path parameters are "simple"; query parameters "form".
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "description": description,
        "schema": schema,
        "style": "simple" if where == "path" else "form",
        "explode": False,
    }


CRS_SCHEMA = {"type": "string", "format": "uri"}


COMMON = {
    "f": _param("f", "Formato della risposta.", {"type": "string", "enum": ["json", "html"]}),
    "limit": _param(
        "limit", "Numero massimo di elementi.", {"type": "integer", "minimum": 1, "maximum": 10000}
    ),
    "offset": _param("offset", "Elementi da saltare.", {"type": "integer", "minimum": 0}),
    "bbox": _param(
        "bbox",
        "minlon,minlat,maxlon,maxlat (CRS84).",
        {"type": "array", "minItems": 4, "maxItems": 4, "items": {"type": "number"}},
    ),
    "crs": _param("crs", "CRS delle coordinate in uscita (URI).", CRS_SCHEMA),
    "bbox-crs": _param("bbox-crs", "CRS delle coordinate di bbox (URI).", CRS_SCHEMA),
    "filter": _param(
        "filter", "Filtro CQL2 (Part 3) sulle proprietà interrogabili.", {"type": "string"}
    ),
    "filter-lang": _param(
        "filter-lang",
        "Linguaggio del filtro ('cql-text': il nome della bozza, inviato da GDAL 3.6).",
        {"type": "string", "enum": list(FILTER_LANGS), "default": "cql2-text"},
    ),
    "filter-crs": _param("filter-crs", "CRS delle geometrie nel filtro (URI).", CRS_SCHEMA),
    "sortby": _param(
        "sortby",
        "Ordinamento: proprietà separate da virgola, '-' per decrescente.",
        {"type": "array", "items": {"type": "string"}},
    ),
    "properties": _param(
        "properties",
        "Proprietà da restituire, separate da virgola.",
        {"type": "array", "items": {"type": "string"}},
    ),
    "datetime": _param(
        "datetime",
        "Istante o intervallo RFC 3339 ('2022', '2021-01-01/..'); solo collezioni con date.",
        {"type": "string"},
    ),
}
ITEMS_PARAMS = (
    "f",
    "limit",
    "offset",
    "bbox",
    "bbox-crs",
    "crs",
    "filter",
    "filter-lang",
    "filter-crs",
    "sortby",
    "properties",
)


ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "Che cosa non va."},
        "field": {"type": "string", "description": "Il parametro in errore."},
        "accepted": {
            "type": "array",
            "items": {"type": "string"},
            "description": "Per un parametro sconosciuto: i parametri accettati.",
        },
    },
}
ERROR_CONTENT = {"application/json": {"schema": ERROR_SCHEMA}}


def _response(description: str, media: str, *, not_found: bool = False) -> dict:
    """200 in ``media`` or HTML (``f=html``), 400 for a bad or unknown parameter, and 404
    where the path names a collection or a feature."""
    responses = {
        "200": {
            "description": description,
            "content": {media: {"schema": {"type": "object"}}, "text/html": {"schema": {}}},
        },
        "400": {"description": "Parametro errato o sconosciuto.", "content": ERROR_CONTENT},
    }
    if not_found:
        responses["404"] = {"description": "Non trovato.", "content": ERROR_CONTENT}
    return responses


def _layer_paths(layer: Layer) -> dict:
    base = f"/collections/{layer.id}"
    filters = [
        _param(name, f"Filtro {name}.", {"type": "string"})
        for name in layer.queryables
        if name != "bbox"
    ]
    feature_id = _param("featureId", "Identificativo.", {"type": "string"}, where="path")
    items_params = [COMMON[k] for k in ITEMS_PARAMS]
    if layer.temporal:
        items_params.append(COMMON["datetime"])
    schema = {"application/schema+json": {"schema": {"type": "object"}}}
    return {
        f"{base}/schema": {
            "get": {
                "summary": f"{layer.title.get('it')}: schema (Part 5)",
                "responses": {"200": {"description": "Lo schema.", "content": schema}},
            }
        },
        f"{base}/queryables": {
            "get": {
                "summary": f"{layer.title.get('it')}: proprietà interrogabili (Part 3)",
                "responses": {"200": {"description": "Le proprietà.", "content": schema}},
            }
        },
        base: {
            "get": {
                "summary": layer.title.get("it"),
                "parameters": [COMMON["f"]],
                "responses": _response("La collezione.", "application/json", not_found=True),
            }
        },
        f"{base}/items": {
            "get": {
                "summary": f"{layer.title.get('it')}: elementi",
                "parameters": items_params + filters,
                "responses": _response("Gli elementi.", "application/geo+json", not_found=True),
            }
        },
        f"{base}/items/{{featureId}}": {
            "get": {
                "summary": f"{layer.title.get('it')}: un elemento",
                "parameters": [feature_id, COMMON["f"], COMMON["crs"], COMMON["properties"]],
                "responses": _response("L'elemento.", "application/geo+json", not_found=True),
            }
        },
    }


def openapi_document(request: HttpRequest, layers: list[Layer]) -> dict:
    """The OpenAPI 3.0 document: landing, conformance, collections and each layer's paths."""
    server = request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")
    paths = {
        "/": {
            "get": {
                "summary": "Landing page",
                "parameters": [COMMON["f"]],
                "responses": _response("Landing page.", "application/json"),
            }
        },
        "/conformance": {
            "get": {
                "summary": "Conformance",
                "parameters": [COMMON["f"]],
                "responses": _response("Classi.", "application/json"),
            }
        },
        "/collections": {
            "get": {
                "summary": "Collections",
                "parameters": [COMMON["f"]],
                "responses": _response("Collezioni.", "application/json"),
            }
        },
    }
    for layer in layers:
        paths.update(_layer_paths(layer))
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Remix — OGC API Features",
            "version": "1.0.0",
            "description": "Strati pubblicati da Remix (Città metropolitana di Milano).",
        },
        "servers": [{"url": server}],
        "paths": paths,
    }
