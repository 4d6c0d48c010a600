"""Both OpenAPI documents validate (openapi-spec-validator): the OGC API's and the REST API's."""

from __future__ import annotations

import yaml
from openapi_spec_validator import validate

from layers.registry import registry


def test_the_ogc_api_definition_is_valid_openapi_3_0(client, territorio):
    document = client.get("/ogc/api").json()
    validate(document)
    for layer in registry.collections():
        params = document["paths"][f"/collections/{layer.id}/items/{{featureId}}"]["get"][
            "parameters"
        ]
        (feature_id,) = [p for p in params if p["in"] == "path"]
        assert feature_id["style"] == "simple"


def test_the_ogc_api_declares_the_part_3_parameters_gdal_looks_for(client, territorio):
    document = client.get("/ogc/api").json()
    params = document["paths"]["/collections/interventi-aree/items"]["get"]["parameters"]
    by_name = {p["name"]: p for p in params}
    assert {"filter", "filter-crs", "sortby", "properties", "datetime", "bbox-crs"} <= set(by_name)
    # GDAL 3.6 sends CQL only when filter-lang lists the draft's name "cql-text".
    assert "cql-text" in by_name["filter-lang"]["schema"]["enum"]
    assert "datetime" not in {
        p["name"] for p in document["paths"]["/collections/comuni/items"]["get"]["parameters"]
    }


def test_the_rest_api_schema_is_valid_openapi(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    validate(yaml.safe_load(response.content))
