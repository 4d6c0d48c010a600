"""The contract's filter parameters, on the tiny world (see conftest for the table)."""

from __future__ import annotations

import json

import pytest
from django.http import QueryDict

from layers.params import filtered_queryset
from layers.registry import registry
from remix.errors import UserInputError

pytestmark = pytest.mark.django_db


def titles(layer_id: str, query: str) -> list[str]:
    layer = registry.get(layer_id)
    return sorted(o.title for o in filtered_queryset(layer, QueryDict(query)))


PARCO, PIAZZA = "Parco della Martesana", "Piazza della Chiesa"
PISTA, SCUOLA = "Pista ciclabile Bollate-Arese", "Ex scuola di via Roma"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", [SCUOLA, PARCO, PIAZZA, PISTA]),
        ("comune=015027", [PIAZZA, PISTA]),
        ("comune=015009", [PISTA]),
        ("comune=015009,015146", [PARCO, PISTA]),
        ("zona=nord-ovest", [PIAZZA, PISTA]),
        ("zona=comune-di-milano", [PARCO]),
        ("stato=in_corso", [SCUOLA, PIAZZA]),
        ("stato=in_corso,concluso", [SCUOLA, PARCO, PIAZZA]),
        ("fonte=pnrr", [PARCO, PIAZZA]),
        ("fonte=regionale,comunale", [PARCO, PISTA]),
        ("ambito=sociale", [SCUOLA, PIAZZA]),
        ("ambito=mobilita,ambientale", [PARCO, PISTA]),
        ("tipologia=b", [PIAZZA]),
        ("anno=2019", [SCUOLA, PARCO]),
        ("anno=2022", [SCUOLA, PIAZZA]),
        ("anno=2025", [PIAZZA, PISTA]),
        ("q=martesana", [PARCO]),
        ("q=C47H21001030001", [PARCO]),
        ("q=comune di milano", [PARCO]),
        ("sample=true", [PIAZZA]),
        ("sample=false", [SCUOLA, PARCO, PISTA]),
        ("zona=nord-ovest&stato=programmato", [PISTA]),
    ],
)
def test_intervento_filters(tiny_world, query, expected):
    assert titles("interventi", query) == expected


def test_filters_never_repeat_a_record_spanning_two_comuni(tiny_world):
    layer = registry.get("interventi")

    rows = list(filtered_queryset(layer, QueryDict("comune=015027,015009&fonte=regionale,pnrr")))

    assert sorted(r.title for r in rows) == [PIAZZA, PISTA]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["AT Bollate 1", "Scalo dismesso"]),
        ("comune=015146", ["Scalo dismesso"]),
        ("zona=nord-ovest", ["AT Bollate 1"]),
        ("tipo=ambito_trasformazione", ["AT Bollate 1"]),
        ("tipo=ambito_trasformazione,area_dismessa", ["AT Bollate 1", "Scalo dismesso"]),
        ("stato=attuata", []),
        ("q=scalo", ["Scalo dismesso"]),
        ("q=bollate", ["AT Bollate 1"]),
        ("sample=true", ["AT Bollate 1"]),
    ],
)
def test_opportunita_filters(tiny_world, query, expected):
    assert titles("opportunita", query) == expected


def test_tipo_layers_keep_their_own_type(tiny_world):
    assert titles("ambiti-trasformazione", "") == ["AT Bollate 1"]
    assert titles("ambiti-rigenerazione", "") == []


@pytest.mark.parametrize("query", ["stato=finito", "fonte=banca", "ambito=spaziale", "anno=dopo"])
def test_bad_filter_value_is_a_user_error_naming_the_parameter(tiny_world, query):
    with pytest.raises(UserInputError) as error:
        titles("interventi", query)

    assert error.value.field == query.split("=")[0]


def test_layers_declare_search_fields():
    assert registry.get("interventi").search_fields == ("title",)
    assert registry.get("opportunita").search_fields == ("title",)


def test_the_publishing_engine_serves_the_layers_with_the_same_filters(client, tiny_world):
    # The engine's GeoJSON download applies InterventoFilter: PNRR money in Nord Ovest.
    response = client.get("/api/layers/interventi/download.geojson?fonte=pnrr&zona=nord-ovest")
    body = b"".join(response.streaming_content) if response.streaming else response.content

    assert response.status_code == 200
    titles = [f["properties"]["title"] for f in json.loads(body)["features"]]
    assert titles == [PIAZZA]
