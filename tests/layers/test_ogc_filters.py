"""OGC API – Features Part 3 (CQL2 text and JSON), sorting, property selection, ``datetime``
and ``bbox-crs`` on the items of a collection, and their 400s."""

from __future__ import annotations

import json

import pytest
from pyproj import Transformer

from layers.ogc.cql import BAD_FILTER_LANG, UNKNOWN_PROPERTY
from layers.ogc.query import BAD_PROPERTIES, BAD_SORTBY, NO_DATETIME
from layers.srid import METRIC_SRID, crs_uri
from tests.layers.analyst_world import BOLLATE, SESTO, analyst_world_create

AREE = "/ogc/collections/interventi-aree/items"


@pytest.fixture
def world(territorio):
    return analyst_world_create()


def titles(client, url: str = AREE, **params) -> list[str]:
    response = client.get(url, {"limit": 100, **params})
    assert response.status_code == 200, response.content
    return [f["properties"]["title"] for f in response.json()["features"]]


def error(client, url: str = AREE, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == 400, response.content
    return response.json()


def test_cql2_text_comparison_between_and_in(client, world):
    assert titles(client, filter="anno_inizio >= 2020") == ["Piazza Nuova"]
    assert titles(client, filter="anno_inizio BETWEEN 2018 AND 2020") == ["Parco Nord"]
    assert titles(client, filter="stato IN ('concluso') AND costo_totale < 300000") == [
        "Piazza Nuova"
    ]
    assert len(titles(client, filter="NOT (stato = 'concluso')")) == 10


def test_cql2_like_uses_percent_and_underscore(client, world):
    assert titles(client, filter="title LIKE 'Parco%'") == ["Parco Nord"]
    assert titles(client, filter="title LIKE 'Area _1'") == ["Area 01"]
    assert titles(client, filter="title LIKE 'Area_1'") == []  # '_' is exactly one character


def test_cql2_spatial_intersects_within_and_dwithin(client, world):
    lon, lat = SESTO
    box = f"POLYGON(({lon - 0.01} {lat - 0.01},{lon + 0.01} {lat - 0.01},{lon + 0.01} {lat + 0.01},{lon - 0.01} {lat + 0.01},{lon - 0.01} {lat - 0.01}))"  # noqa: E501
    assert titles(client, filter=f"S_INTERSECTS(geometry, {box})") == ["Parco Nord"]
    assert titles(client, filter=f"S_WITHIN(geometry, {box})") == ["Parco Nord"]
    # Reference: the square's edge is 0.002° (~156 m) from its centre in latitude.
    near = f"S_DWITHIN(geometry, POINT({lon} {lat + 0.004}), 300)"
    far = f"S_DWITHIN(geometry, POINT({lon} {lat + 0.004}), 100)"
    assert titles(client, filter=near) == ["Parco Nord"]
    assert titles(client, filter=far) == []


def test_cql2_json_gives_the_same_answers(client, world):
    def cql(expression: dict) -> list[str]:
        return titles(client, filter=json.dumps(expression), **{"filter-lang": "cql2-json"})

    prop = {"property": "anno_inizio"}
    assert cql({"op": ">=", "args": [prop, 2020]}) == ["Piazza Nuova"]
    assert cql({"op": "between", "args": [prop, 2018, 2020]}) == ["Parco Nord"]
    assert cql({"op": "like", "args": [{"property": "title"}, "Piazza%"]}) == ["Piazza Nuova"]
    lon, lat = BOLLATE
    point = {"type": "Point", "coordinates": [lon, lat]}
    assert cql({"op": "s_intersects", "args": [{"property": "geometry"}, point]}) == [
        "Piazza Nuova"
    ]
    assert cql({"op": "s_dwithin", "args": [{"property": "geometry"}, point, 10]}) == [
        "Piazza Nuova"
    ]


def test_filter_geometry_in_filter_crs(client, world):
    lon, lat = BOLLATE
    x, y = Transformer.from_crs(4326, METRIC_SRID, always_xy=True).transform(lon, lat)
    found = titles(
        client, filter=f"S_INTERSECTS(geometry, POINT({x} {y}))",
        **{"filter-crs": crs_uri(METRIC_SRID)},
    )  # fmt: skip
    assert found == ["Piazza Nuova"]


def test_filter_naming_an_unknown_property_is_a_400_listing_the_queryables(client, world):
    body = error(client, filter="colore = 'rosso'")
    assert body["field"] == "filter"
    assert body["detail"].startswith(UNKNOWN_PROPERTY.split("{")[0] + "'colore'")
    assert "anno_inizio" in body["detail"]


@pytest.mark.parametrize(
    "params",
    [
        {"filter": "anno_inizio >>> 3"},
        {"filter": "anno_inizio = 'duemila'"},
        {"filter": "{not json", "filter-lang": "cql2-json"},
    ],
)
def test_malformed_filter_is_a_400_naming_filter(client, world, params):
    assert error(client, **params)["field"] == "filter"


def test_unknown_filter_lang_is_a_400(client, world):
    body = error(client, filter="stato = 'x'", **{"filter-lang": "ecql"})
    assert body["field"] == "filter-lang"
    assert body["detail"] == BAD_FILTER_LANG.format(langs="cql2-text, cql2-json, cql-text")


def test_sortby_descending_then_ascending(client, world):
    found = titles(client, filter="anno_inizio IS NOT NULL", sortby="-anno_inizio")
    assert found == ["Piazza Nuova", "Parco Nord"]
    found = titles(client, filter="anno_inizio IS NOT NULL", sortby="+anno_inizio")
    assert found == ["Parco Nord", "Piazza Nuova"]
    body = error(client, sortby="colore")
    assert body["field"] == "sortby"
    assert body["detail"].startswith(BAD_SORTBY.split("{")[0] + "'colore'")


def test_properties_selects_the_returned_fields(client, world):
    response = client.get(AREE, {"properties": "title,anno_inizio", "limit": 1})
    (feature,) = response.json()["features"]
    assert set(feature["properties"]) == {"title", "anno_inizio"}
    body = error(client, properties="title,colore")
    assert body["field"] == "properties"
    assert body["detail"].startswith(BAD_PROPERTIES.split("{")[0] + "'colore'")


def test_datetime_selects_the_years_of_activity(client, world):
    # Parco Nord 2019–2022, Piazza Nuova from 2023 (no end: its start year).
    assert titles(client, datetime="2021") == ["Parco Nord"]
    assert titles(client, datetime="2022-06-01T00:00:00Z/..", sortby="title") == [
        "Parco Nord",
        "Piazza Nuova",
    ]
    assert titles(client, datetime="../2018-12-31") == []
    assert error(client, datetime="ieri")["field"] == "datetime"
    body = error(client, "/ogc/collections/comuni/items", datetime="2021")
    assert body["detail"] == NO_DATETIME.format(id="comuni")


def test_collection_with_years_has_a_temporal_extent(client, world):
    doc = client.get("/ogc/collections/interventi-aree").json()
    assert doc["extent"]["temporal"]["interval"] == [
        ["2019-01-01T00:00:00Z", "2023-12-31T23:59:59Z"]
    ]


def test_bbox_in_bbox_crs(client, world):
    lon, lat = BOLLATE
    x, y = Transformer.from_crs(4326, METRIC_SRID, always_xy=True).transform(lon, lat)
    bbox = f"{x - 50},{y - 50},{x + 50},{y + 50}"
    assert titles(client, bbox=bbox, **{"bbox-crs": crs_uri(METRIC_SRID)}) == ["Piazza Nuova"]
    assert error(client, bbox=bbox, **{"bbox-crs": "EPSG:9999"})["field"] == "bbox-crs"


def test_a_mixed_layer_is_not_a_collection_and_names_its_parts(client, world):
    response = client.get("/ogc/collections/interventi/items")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "interventi-aree, interventi-linee, interventi-punti" in detail


def test_items_and_item_link_their_html_alternate(client, world):
    page = client.get(AREE, {"limit": 1}).json()
    rels = {link["rel"]: link for link in page["links"]}
    assert rels["alternate"]["type"] == "text/html" and "f=html" in rels["alternate"]["href"]
    feature_id = page["features"][0]["id"]
    feature = client.get(f"{AREE}/{feature_id}").json()
    rels = {link["rel"]: link for link in feature["links"]}
    assert rels["self"]["type"] == "application/geo+json"
    assert rels["alternate"]["type"] == "text/html"
    assert client.get(rels["alternate"]["href"]).status_code == 200


def test_projected_output_declares_its_crs_for_gdal_and_geopandas(client, world):
    import geopandas as gpd

    response = client.get(AREE, {"crs": crs_uri(METRIC_SRID), "limit": 100})
    frame = gpd.read_file(response.content.decode())
    assert frame.crs.to_epsg() == METRIC_SRID
    assert len(frame) == 12
    assert 480_000 < frame.total_bounds[0] < 540_000  # UTM 32N eastings around Milan


def test_head_is_answered_on_the_ogc_endpoints(client, world):
    for url in ("/ogc/", "/ogc/collections", AREE, "/ogc/collections/interventi-aree/schema"):
        assert client.head(url).status_code == 200, url


def test_html_pages_have_the_portal_look_readable_values_and_a_way_back(client, world):
    page = client.get(AREE, {"f": "html", "filter": "title = 'Parco Nord'"})
    html = page.content.decode()
    assert "sociale, ambientale" in html
    assert "['sociale'" not in html
    assert 'href="/dati/"' in html  # back to the portal's data page
    assert "bootstrap-italia" in html  # the portal's style sheet
    collection = client.get("/ogc/collections/interventi-aree", {"f": "html"}).content.decode()
    assert "Dizionario dei dati" in collection and "costo_totale" in collection


def test_head_on_the_catalogue_tilejson_and_downloads(client, world):
    for url in (
        "/api/layers/",
        "/tiles/interventi.json",
        "/api/layers/interventi/download.geojson",
        "/api/layers/interventi-aree/download.gpkg",
    ):
        response = client.head(url)
        assert response.status_code == 200, url
