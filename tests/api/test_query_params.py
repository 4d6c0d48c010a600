"""Every endpoint refuses what it does not understand: an unknown query parameter, a limit or
offset out of range, an ``ordering`` or ``sample`` or ``format`` it does not know.

The answer is a 400 naming the parameter (``field``) and, for an unknown one, the list of the
accepted ones (OGC API – Features Part 1, /req/core/query-param-unknown); nothing is written.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from layers.params import BAD_INT, UNKNOWN_PARAMS
from layers.rest import BAD_FORMAT, BAD_ORDERING
from rigenerazione.models import Intervento
from tests.api.routes import WRITE_METHODS, api_routes, url_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_client(territorio) -> APIClient:
    client = APIClient()
    user = User.objects.create_user("op-params", password="unused-pw-1", is_superuser=True)
    client.force_authenticate(user)
    return client


def assert_unknown(response, name: str) -> dict:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = response.json()
    assert body["field"] == name
    assert body["detail"].startswith(UNKNOWN_PARAMS.split("{")[0] + name)
    return body


@pytest.mark.parametrize(("name", "kwargs"), api_routes())
def test_every_endpoint_refuses_an_unknown_parameter_naming_it(
    client, operator_client, tiny_world, name, kwargs
):
    url = url_of(name, kwargs, tiny_world["parco"].pk)
    method = WRITE_METHODS.get(name)
    if method is None:
        response = client.get(url, {"comuni": "015146"})
    else:
        response = getattr(operator_client, method)(f"{url}?comuni=015146")

    assert response.status_code == 400, (response.status_code, response.content[:300])
    body = assert_unknown(response, "comuni")
    assert "comuni" not in body["accepted"]


def test_the_typo_comuni_is_refused_and_lists_the_accepted_parameters(client, tiny_world):
    response = client.get("/api/interventi/", {"comuni": "015146"})

    body = assert_unknown(response, "comuni")
    assert body["accepted"] == sorted(
        [
            "ambito",
            "anno",
            "bbox",
            "comune",
            "esito",
            "fonte",
            "format",
            "limit",
            "offset",
            "ordering",
            "q",
            "sample",
            "stato",
            "tipologia",
            "zona",
        ]
    )
    assert body["detail"] == UNKNOWN_PARAMS.format(
        names="comuni", accepted=", ".join(body["accepted"])
    )


PART_3 = ("filter", "filter-lang", "filter-crs")


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        (
            "/ogc/collections/opportunita/items",
            {
                "f",
                "limit",
                "offset",
                "bbox",
                "crs",
                "bbox-crs",
                *PART_3,
                "sortby",
                "properties",
                "datetime",
            },
        ),  # fmt: skip
        ("/ogc/collections/opportunita/items/1", {"f", "crs", "properties"}),
        # GDAL sends a connection URL's parameters to every document it reads.
        (
            "/ogc/collections",
            {"f", "bbox", "crs", "bbox-crs", *PART_3, "sortby", "properties", "datetime"},
        ),  # fmt: skip
        ("/api/layers/opportunita/download.geojson", {"bbox", "precision", "crs", *PART_3}),
        (
            "/api/layers/opportunita/download.csv",
            {"bbox", "precision", "geometry", "crs", *PART_3},
        ),
        ("/tiles/opportunita/10/538/366.pbf", {"bbox"}),
        ("/api/layers/", set()),
    ],
)
def test_engine_endpoints_accept_their_own_parameters_and_the_layers_queryables(
    client, territorio, url, accepted
):
    body = assert_unknown(client.get(url, {"comuni": "1"}), "comuni")
    filters = url.endswith(("/items", ".pbf")) or "/download." in url
    queryables = {"bbox", "comune", "zona", "stato", "tipo", "q", "sample"} if filters else set()
    assert set(body["accepted"]) == accepted | queryables


def test_a_layers_queryables_pass_on_every_engine_endpoint(client, tiny_world):
    params = {"comune": "015146", "sample": "false", "zona": "comune-di-milano"}
    for url in (
        "/ogc/collections/interventi-aree/items",
        "/api/layers/interventi/download.geojson",
        "/tiles/interventi.json",
        "/api/interventi/",
    ):
        assert client.get(url, params).status_code == 200, url


# -- limit and offset on the REST lists: as on the OGC API ---------------------------------


@pytest.mark.parametrize("value", ["-1", "0", "abc", "1.5", "1001"])
@pytest.mark.parametrize("url", ["/api/interventi/", "/api/opportunita/"])
def test_bad_limit_on_a_rest_list_is_400_naming_limit(client, tiny_world, url, value):
    response = client.get(url, {"limit": value})
    assert response.status_code == 400
    assert response.json() == {
        "detail": BAD_INT.format(name="limit", low=1, high=1000),
        "field": "limit",
    }


@pytest.mark.parametrize("value", ["-5", "abc", "10000001"])
def test_bad_offset_on_a_rest_list_is_400_naming_offset(client, tiny_world, value):
    response = client.get("/api/interventi/", {"offset": value})
    assert response.status_code == 400
    assert response.json()["field"] == "offset"


def test_good_limit_and_offset_still_page(client, tiny_world):
    body = client.get("/api/interventi/", {"limit": "1", "offset": "3"}).json()
    assert body["count"] == 4
    assert len(body["features"]) == 1
    assert body["next"] is None


# -- sample, ordering, format ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/api/interventi/",
        "/api/opportunita/",
        "/api/interventi/stats/by-state/",
        "/ogc/collections/interventi-aree/items",
        "/ogc/collections/opportunita/items",
        "/api/layers/interventi/download.geojson",
        "/tiles/interventi/10/538/366.pbf",
    ],
)
def test_sample_maybe_is_400_naming_sample(client, tiny_world, url):
    response = client.get(url, {"sample": "maybe"})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "sample"
    assert "maybe" in body["detail"]


def test_sample_true_and_false_split_the_records(client, tiny_world):
    def titles(value):
        features = client.get("/api/interventi/", {"sample": value}).json()["features"]
        return {f["properties"]["title"] for f in features}

    assert titles("true") == {"Piazza della Chiesa"}
    assert titles("false") == set(
        Intervento.objects.published().filter(is_sample=False).values_list("title", flat=True)
    )


@pytest.mark.parametrize("value", ["bogus", "-bogus", "title,bogus", "geom"])
def test_ordering_on_an_unknown_field_is_400_listing_the_fields(client, tiny_world, value):
    response = client.get("/api/interventi/", {"ordering": value})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "ordering"
    fields = "title, stato, anno_inizio, anno_fine, costo_totale, updated_at"
    bad = ", ".join(t for t in value.split(",") if t.removeprefix("-") != "title")
    assert body["detail"] == BAD_ORDERING.format(names=bad, fields=fields)


def test_ordering_on_a_known_field_orders(client, tiny_world):
    features = client.get("/api/interventi/", {"ordering": "-costo_totale"}).json()["features"]
    costs = [f["properties"]["costo_totale"] for f in features]
    assert costs == sorted(costs, reverse=True)


@pytest.mark.parametrize("url", ["/api/interventi/", "/api/analisi/lum/", "/api/comuni/015146/"])
def test_a_format_the_view_cannot_render_is_400_naming_format(client, tiny_world, url):
    response = client.get(url, {"format": "xml"})
    assert response.status_code == 400
    assert response.json()["field"] == "format"
    assert response.json()["detail"].startswith(BAD_FORMAT.split("{")[0])


# -- characters PostgreSQL cannot store, URLs no route matches ------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/comuni/%00/", "path"),
        ("/api/analisi/comuni/01%0046/", "path"),
        ("/ogc/collections/comuni/items/%00", "path"),
        ("/api/search/?q=ab%00", "q"),
        ("/api/interventi/?q=%00", "q"),
    ],
)
def test_a_nul_character_is_400_naming_where_it_is(client, tiny_world, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    "url", ["/api/interventi/abc/", "/api/analisi/lum/-1/", "/ogc/nothing/here", "/api/nessuno/"]
)
def test_a_url_no_route_matches_is_a_json_404_under_the_api(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert re.match(r"^Risorsa non trovata: ", response.json()["detail"])
