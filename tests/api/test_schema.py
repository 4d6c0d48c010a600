"""``/api/schema/`` says what the API really does: lists are GeoJSON FeatureCollections with
``features``, geometries of every kind the data holds, 400 and 404 answers, ``bbox`` with its
pattern, and exactly the query parameters each endpoint accepts (schemathesis checks the
answers against it, tests/api/test_openapi_fuzz.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from layers.params import BBOX_PATTERN

pytestmark = pytest.mark.django_db

SAMPLE_PATH_VALUES = {
    "id": "1",
    "istat_code": "015146",
    "slug": "nord-ovest",
    "target_key": "interventi",
    "action": "invia",
    "job_id": "00000000-0000-4000-8000-000000000001",
}


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def component(schema: dict, ref_or_schema: dict) -> dict:
    ref = ref_or_schema.get("$ref")
    return schema["components"]["schemas"][ref.split("/")[-1]] if ref else ref_or_schema


def ok_schema(schema: dict, path: str) -> dict:
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    return component(schema, content["application/json"]["schema"])


@pytest.mark.parametrize(
    ("path", "feature"),
    [
        ("/api/interventi/", "Intervento"),
        ("/api/opportunita/", "Opportunita"),
        ("/api/comuni/", "Comune"),
        ("/api/zone-omogenee/", "ZonaOmogenea"),
    ],
)
def test_lists_are_feature_collections_with_features_not_results(schema, path, feature):
    page = ok_schema(schema, path)
    parts = [component(schema, part) for part in page.get("allOf", [page])]
    collection = next(p for p in parts if "features" in p["properties"])

    assert set(collection["required"]) == {"type", "features"}
    assert collection["properties"]["features"]["items"]["$ref"].endswith(f"/{feature}")
    for part in parts:
        assert "results" not in part["properties"]
        assert "results" not in part.get("required", [])


def test_a_page_documents_its_counters(schema):
    page = ok_schema(schema, "/api/interventi/")
    counters = next(part for part in page["allOf"] if "count" in part.get("properties", {}))
    assert set(counters["required"]) == {"count", "next", "previous"}


def geometry_kinds(schema: dict, feature: str) -> set[str]:
    geometry = schema["components"]["schemas"][feature]["properties"]["geometry"]
    options = geometry.get("oneOf", [geometry])
    return {option["properties"]["type"]["enum"][0] for option in options}


def test_intervento_geometry_may_be_of_any_kind_including_multi(schema):
    assert geometry_kinds(schema, "Intervento") == {
        "Point",
        "LineString",
        "Polygon",
        "MultiPoint",
        "MultiLineString",
        "MultiPolygon",
        "GeometryCollection",
    }


@pytest.mark.parametrize("feature", ["Opportunita", "Comune", "ZonaOmogenea"])
def test_area_layers_are_documented_as_multipolygons(schema, feature):
    assert geometry_kinds(schema, feature) == {"MultiPolygon"}


def test_features_always_carry_type_id_geometry_and_properties(schema):
    feature = schema["components"]["schemas"]["Intervento"]
    assert set(feature["required"]) == {"type", "id", "geometry", "properties"}


def operations(schema: dict):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_every_operation_documents_the_400_and_path_operations_the_404(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert "400" in responses, (method, path)
        assert ("404" in responses) == ("{" in path), (method, path)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["detail"]
    assert set(error["properties"]) == {"detail", "field", "accepted"}


def test_bbox_is_documented_with_its_pattern(schema):
    parameters = schema["paths"]["/api/interventi/"]["get"]["parameters"]
    bbox = next(p for p in parameters if p["name"] == "bbox")

    assert bbox["schema"]["pattern"] == BBOX_PATTERN
    assert re.match(BBOX_PATTERN, "9.10,45.42,9.25,45.52")
    assert re.match(BBOX_PATTERN, "-1e-3,45,9,46.5")
    assert not re.match(BBOX_PATTERN, "9.10,45.42,9.25")
    assert not re.match(BBOX_PATTERN, "a,b,c,d")


def test_limit_and_offset_are_documented_with_their_ranges(schema):
    parameters = schema["paths"]["/api/opportunita/"]["get"]["parameters"]
    by_name = {p["name"]: p["schema"] for p in parameters}

    assert (by_name["limit"]["minimum"], by_name["limit"]["maximum"]) == (1, 1000)
    assert by_name["offset"]["minimum"] == 0


def _view_of(path: str, method: str):
    """The DRF view instance that answers ``method path`` (path parameters filled in)."""
    concrete = re.sub(r"\{(\w+)\}", lambda m: SAMPLE_PATH_VALUES[m.group(1)], path)
    match = resolve(concrete)
    view = match.func.cls(**match.func.view_initkwargs)
    view.request = Request(getattr(APIRequestFactory(), method)(concrete))
    view.args, view.kwargs, view.format_kwarg = (), match.kwargs, None
    return view


def test_each_operation_documents_exactly_the_query_parameters_it_accepts(schema):
    differences = {}
    for path, method, operation in operations(schema):
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        accepted = _view_of(path, method).accepted_query_params()
        if documented != accepted:
            differences[f"{method} {path}"] = (documented - accepted, accepted - documented)
    assert differences == {}
