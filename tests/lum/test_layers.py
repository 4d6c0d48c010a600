"""The lum and servizi layers in the catalogue and the publishing engine's feeds."""

from __future__ import annotations

import json

import pytest

from lum.models import Servizio
from lum.servizi_regione import HOSPITALS, SCHOOLS
from tests.lum.conftest import PX, PY, make_lum, point


def feed(client, layer_id, **params) -> dict:
    response = client.get(f"/api/layers/{layer_id}/download.geojson", params)
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def test_catalogue_lists_both_layers_with_their_contract_filters(client, db):
    layers = {layer["id"]: layer for layer in client.get("/api/layers/").json()["layers"]}
    assert layers["lum"]["queryables"] == ["bbox", "comune", "zona", "stato", "rank", "q"]
    assert layers["lum"]["theme"] == "mobilita"
    assert layers["lum"]["links"]["detail_page"] == "/atlante/lum/{id}/"
    assert layers["servizi"]["queryables"] == ["bbox", "comune", "zona", "categoria", "q"]
    assert layers["servizi"]["theme"] == "servizi"
    assert layers["servizi"]["is_sample"] is True


def test_schools_and_hospitals_are_real_layers_with_licence_and_attribution(client, db):
    layers = {layer["id"]: layer for layer in client.get("/api/layers/").json()["layers"]}
    for layer_id, source in (("scuole", SCHOOLS), ("ospedali", HOSPITALS)):
        layer = layers[layer_id]
        assert (layer["licence"], layer["attribution"]) == (source.licence, source.source)
        assert layer["is_sample"] is False and layer["theme"] == "servizi"
        popup = [f["name"] for f in layer["popup_fields"]]
        assert "source" in popup and "licence" in popup
    assert [f["name"] for f in layers["scuole"]["popup_fields"]][:4] == [
        "name",
        "categoria",
        "tipologia",
        "studenti",
    ]
    html = client.get("/dati/").content.decode()
    assert SCHOOLS.source in html and HOSPITALS.source in html


def test_each_services_layer_serves_its_own_categories(client, tiny_world):
    for key, categoria, students in (("school", "scuola_secondaria", 640), ("h", "sanita", None)):
        Servizio.objects.create(
            code=f"T-{key}",
            name=key,
            categoria=categoria,
            comune=tiny_world.est,
            geom=point(PX + 50, PY),
            studenti=students,
            tipologia="Liceo" if students else "",
            source="Fonte: prova",
            licence="CC BY 4.0",
            publication_state="pubblicato",
        )
    school = feed(client, "scuole")["features"]
    assert [f["properties"]["name"] for f in school] == ["school"]
    props = school[0]["properties"]
    assert (props["studenti"], props["tipologia"], props["licence"]) == (640, "Liceo", "CC BY 4.0")
    assert [f["properties"]["name"] for f in feed(client, "ospedali")["features"]] == ["h"]
    others = sorted(f["properties"]["name"] for f in feed(client, "servizi")["features"])
    assert others == ["cultura", "sport", "uni_in", "uni_out"]


def test_the_geojson_feed_serves_published_lum_only_and_filters_by_rank(client, tiny_world):
    make_lum(tiny_world.est, PX + 200, PY, name="Bozza", publication_state="bozza")
    make_lum(tiny_world.est, PX + 400, PY, name="Sovra", rank="sovracomunale")
    names = lambda body: sorted(f["properties"]["name"] for f in body["features"])  # noqa: E731
    body = feed(client, "lum")
    assert names(body) == ["L", "Sovra"]
    body = feed(client, "lum", rank="sovracomunale")
    assert names(body) == ["Sovra"]
    body = feed(client, "lum", zona="zona-prova", q="sov")
    assert names(body) == ["Sovra"]


def test_the_services_feed_filters_by_category_and_comune(client, tiny_world):
    body = feed(client, "servizi", categoria="universita", comune="999002")
    assert sorted(f["properties"]["name"] for f in body["features"]) == ["uni_in", "uni_out"]


def test_the_lum_analysis_runs_a_fixed_number_of_queries(
    client, tiny_world, django_assert_num_queries
):
    url = f"/api/analisi/lum/{tiny_world.lum.pk}/"
    client.get(url)  # warm-up: session, content types
    # 1 LUM + 6 analyses (services by category, services, interventi, funding, opportunità,
    # Comuni reached), whatever the number of rows.
    with django_assert_num_queries(7):
        client.get(url)


@pytest.mark.parametrize(
    ("layer_id", "query"),
    [("lum", "stato=chiuso"), ("lum", "rank=regionale"), ("servizi", "categoria=stadio")],
)
def test_an_unknown_code_is_a_400_naming_the_parameter(client, tiny_world, layer_id, query):
    # Issue 13 §6: a bad ``stato`` or ``rank`` gave an empty 200 where rigenerazione gives 400.
    response = client.get(f"/api/layers/{layer_id}/download.geojson?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.content.decode()
