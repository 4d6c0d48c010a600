"""REST endpoints of interventions and opportunities, on the tiny world (see conftest)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from layers.params import BAD_BBOX
from rigenerazione.api import ERROR_GROUP_BY

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient()


def get(client, url: str, expected_status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == expected_status, response.content
    return response.json()


def test_list_is_a_paginated_feature_collection_of_published_interventi(client, tiny_world):
    body = get(client, "/api/interventi/?limit=2&ordering=-costo_totale")

    assert body["type"] == "FeatureCollection"
    assert body["count"] == 4
    assert [f["properties"]["title"] for f in body["features"]] == [
        "Parco della Martesana",
        "Pista ciclabile Bollate-Arese",
    ]
    assert "offset=2" in body["next"]


def test_list_query_count_does_not_grow_with_the_features(client, tiny_world):
    # count, page, the Comuni prefetch, the funding prefetch: 4 whatever the page size.
    with CaptureQueriesContext(connection) as queries:
        get(client, "/api/interventi/")
    assert len(queries) == 4
    with CaptureQueriesContext(connection) as queries:
        get(client, "/api/opportunita/")
    assert len(queries) == 2


def test_intervento_detail_has_comuni_funding_with_shares_and_sample_flag(client, tiny_world):
    pk = tiny_world["parco"].pk

    feature = get(client, f"/api/interventi/{pk}/")

    props = feature["properties"]
    assert feature["type"] == "Feature"
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert props["comuni"] == [{"istat_code": "015146", "name": "Milano"}]
    assert props["is_sample"] is False
    assert props["costo_totale"] == 1000.0
    assert [
        (f["fonte"], f["fonte_label"], f["importo"], f["quota"]) for f in props["finanziamenti"]
    ] == [
        ("pnrr", "PNRR", 600.0, 0.6),
        ("comunale", "Comunale", 400.0, 0.4),
    ]
    assert props["finanziamenti"][0]["misura"] == "M5C2 I2.1"


def test_draft_intervento_is_not_found(client, tiny_world):
    get(client, f"/api/interventi/{tiny_world['bozza'].pk}/", expected_status=404)


def test_draft_opportunita_is_not_found(client, tiny_world):
    get(client, f"/api/opportunita/{tiny_world['op_bozza'].pk}/", expected_status=404)


def test_list_filters_by_contract_parameters(client, tiny_world):
    body = get(client, "/api/interventi/?zona=nord-ovest&fonte=pnrr")

    assert [f["properties"]["title"] for f in body["features"]] == ["Piazza della Chiesa"]


def test_list_filters_by_bbox(client, tiny_world):
    x, y = tiny_world["scuola"].geom.centroid.coords
    body = get(client, f"/api/interventi/?bbox={x - 0.01},{y - 0.01},{x + 0.01},{y + 0.01}")

    assert [f["properties"]["title"] for f in body["features"]] == ["Ex scuola di via Roma"]


def test_bad_bbox_is_a_400_naming_it(client, tiny_world):
    body = get(client, "/api/interventi/?bbox=9,45,200,46", expected_status=400)

    assert body == {"detail": BAD_BBOX, "field": "bbox"}


def test_bad_filter_value_is_a_400_naming_the_parameter(client, tiny_world):
    body = get(client, "/api/interventi/?stato=finito", expected_status=400)

    assert body["field"] == "stato"


def test_opportunita_list_and_detail(client, tiny_world):
    body = get(client, "/api/opportunita/?ordering=-superficie_m2")
    first = body["features"][0]["properties"]

    assert body["count"] == 2
    assert first["title"] == "Scalo dismesso"
    assert first["comune"] == {"istat_code": "015146", "name": "Milano"}
    assert first["superficie_ha"] == pytest.approx(4.0)
    assert first["zona_omogenea"] == "comune-di-milano"


def test_funding_stats_by_zona(client, tiny_world):
    body = get(client, "/api/interventi/stats/funding/?group_by=zona")

    assert body["group_by"] == "zona"
    assert body["results"][3] == {
        "group": {"id": "nord-ovest", "name": "Nord Ovest"},
        "fonte": "regionale",
        "fonte_label": "Regionale",
        "importo": 900.0,
    }
    assert sum(r["importo"] for r in body["results"]) == 2200.0


def test_funding_stats_accept_the_intervento_filters(client, tiny_world):
    # Only Arese: the pista's 900 regionale split over Bollate and Arese → 450 each.
    body = get(client, "/api/interventi/stats/funding/?group_by=comune&comune=015009")

    assert [(r["group"]["name"], r["importo"]) for r in body["results"]] == [
        ("Arese", 450.0),
        ("Bollate", 450.0),
    ]


def test_bad_group_by_is_a_400(client, tiny_world):
    body = get(client, "/api/interventi/stats/funding/?group_by=regione", expected_status=400)

    assert body == {"detail": ERROR_GROUP_BY, "field": "group_by"}


def test_by_state_stats(client, tiny_world):
    body = get(client, "/api/interventi/stats/by-state/?zona=nord-ovest")

    assert body == {
        "results": [
            {
                "stato": "programmato",
                "stato_label": "Programmato",
                "count": 1,
                "costo_totale": 900.0,
            },
            {"stato": "in_corso", "stato_label": "In corso", "count": 1, "costo_totale": 500.0},
        ]
    }


def test_funding_by_source_stats(client, tiny_world):
    body = get(client, "/api/interventi/stats/funding-by-source/?stato=concluso")

    assert body == {
        "results": [
            {"fonte": "pnrr", "fonte_label": "PNRR", "importo": 600.0, "interventi": 1},
            {"fonte": "comunale", "fonte_label": "Comunale", "importo": 400.0, "interventi": 1},
        ]
    }


def test_hectares_stats(client, tiny_world):
    body = get(client, "/api/opportunita/stats/hectares/?group_by=comune&sample=true")

    assert body["results"] == [
        {
            "group": {"id": "015027", "name": "Bollate"},
            "tipo": "ambito_trasformazione",
            "tipo_label": "Ambito di trasformazione (PGT)",
            "ettari": pytest.approx(1.0, rel=1e-6),
            "count": 1,
        }
    ]


def test_endpoints_are_in_the_openapi_schema(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()

    paths = schema["paths"]
    for path in (
        "/api/interventi/",
        "/api/interventi/{id}/",
        "/api/opportunita/",
        "/api/opportunita/{id}/",
        "/api/interventi/stats/funding/",
        "/api/interventi/stats/by-state/",
        "/api/interventi/stats/funding-by-source/",
        "/api/opportunita/stats/hectares/",
    ):
        assert path in paths
    names = {p["name"] for p in paths["/api/interventi/stats/funding/"]["get"]["parameters"]}
    assert {"group_by", "comune", "zona", "fonte", "anno", "bbox"} <= names
    list_names = {p["name"] for p in paths["/api/interventi/"]["get"]["parameters"]}
    assert {"bbox", "ordering", "limit", "offset", "q", "sample"} <= list_names
