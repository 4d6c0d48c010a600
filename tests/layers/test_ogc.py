"""OGC API – Features: conformance classes, paging, CRS84 and Part 2 ``crs``."""

from __future__ import annotations

import json

import pytest
from pyproj import Transformer

from layers.ogc.views import CONFORMANCE
from layers.registry import registry
from layers.srid import CRS84_URI, GAUSS_BOAGA_SRID, METRIC_SRID, STORAGE_SRID, crs_uri

MILANO = "015146"
ITEMS = "/ogc/collections/comuni/items"


def links_by_rel(document: dict) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for link in document["links"]:
        found.setdefault(link["rel"], []).append(link)
    return found


def test_landing_page_links_the_api_conformance_and_collections(client, territorio):
    document = client.get("/ogc/").json()
    rels = links_by_rel(document)
    assert rels["service-desc"][0]["href"] == "http://testserver/ogc/api"
    assert rels["service-desc"][0]["type"] == "application/vnd.oai.openapi+json;version=3.0"
    assert rels["conformance"][0]["href"] == "http://testserver/ogc/conformance"
    assert rels["data"][0]["href"] == "http://testserver/ogc/collections"


def test_conformance_declares_core_geojson_html_oas30_and_crs():
    classes = set(CONFORMANCE)
    prefix = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
    assert {prefix + c for c in ("core", "geojson", "html", "oas30")} <= classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes


def test_conformance_endpoint_answers_the_classes(client, db):
    assert client.get("/ogc/conformance").json() == {"conformsTo": CONFORMANCE}


@pytest.mark.parametrize(
    "url", ["/ogc/", "/ogc/conformance", "/ogc/collections", "/ogc/collections/comuni", ITEMS]
)
def test_every_resource_has_an_html_representation(client, territorio, url):
    by_param = client.get(url, {"f": "html"})
    by_accept = client.get(url, HTTP_ACCEPT="text/html,application/xhtml+xml")
    for response in (by_param, by_accept):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/html")
        assert b"<html" in response.content


def test_items_html_lists_the_features_of_the_page(client, territorio):
    response = client.get(ITEMS, {"f": "html", "comune": MILANO})
    assert "Milano" in response.content.decode()


def test_openapi_document_is_openapi_3_0_with_every_collection(client, territorio):
    response = client.get("/ogc/api")
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    document = response.json()
    assert document["openapi"].startswith("3.0.")
    for layer in registry.collections():
        assert f"/collections/{layer.id}/items" in document["paths"]
        assert f"/collections/{layer.id}/items/{{featureId}}" in document["paths"]
    names = {p["name"] for p in document["paths"]["/collections/comuni/items"]["get"]["parameters"]}
    assert {"limit", "offset", "bbox", "crs", "comune", "zona", "q"} <= names


def test_openapi_html_page(client, territorio):
    response = client.get("/ogc/api", {"f": "html"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_collections_list_every_available_layer_with_crs_and_extent(client, territorio):
    document = client.get("/ogc/collections").json()
    assert [c["id"] for c in document["collections"]] == [x.id for x in registry.collections()]
    comuni = document["collections"][0]
    assert comuni["crs"] == [crs_uri(s) for s in (STORAGE_SRID, METRIC_SRID, GAUSS_BOAGA_SRID)]
    assert comuni["storageCrs"] == CRS84_URI
    west, south, east, north = comuni["extent"]["spatial"]["bbox"][0]
    # The CMM lies within 8.7-9.6 E, 45.1-45.7 N.
    assert 8.6 < west < east < 9.6 and 45.1 < south < north < 45.7


def test_first_page_counts_and_links_next_only(client, territorio):
    response = client.get(ITEMS, {"limit": "7"})
    document = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert response["Content-Crs"] == f"<{CRS84_URI}>"
    assert document["numberMatched"] == 133
    assert document["numberReturned"] == 7 == len(document["features"])
    rels = links_by_rel(document)
    assert "prev" not in rels
    assert "offset=7" in rels["next"][0]["href"] and "limit=7" in rels["next"][0]["href"]


def test_last_page_is_partial_and_links_prev_only(client, territorio):
    # 133 = 19 × 7: the page at offset 130 holds the last 3 features.
    document = client.get(ITEMS, {"limit": "7", "offset": "130"}).json()
    assert document["numberMatched"] == 133
    assert document["numberReturned"] == 3
    rels = links_by_rel(document)
    assert "next" not in rels
    assert "offset=123" in rels["prev"][0]["href"]


def test_following_next_links_visits_every_feature_once(client, territorio):
    url, seen = f"{ITEMS}?limit=20&zona=nord-ovest", []
    while url:
        document = client.get(url.removeprefix("http://testserver")).json()
        seen += [f["id"] for f in document["features"]]
        url = next((x["href"] for x in document["links"] if x["rel"] == "next"), None)
    assert len(seen) == len(set(seen)) == document["numberMatched"]
    assert len(seen) == territorio.filter(zona_omogenea__slug="nord-ovest").count()


def test_item_is_a_feature_in_crs84(client, territorio):
    feature = client.get(f"{ITEMS}/{MILANO}").json()
    assert feature["type"] == "Feature"
    assert feature["id"] == MILANO
    lon, lat = feature["geometry"]["coordinates"][0][0][0]
    assert 8.9 < lon < 9.4 and 45.3 < lat < 45.6  # lon first (CRS84)


def test_unknown_item_is_404(client, territorio):
    assert client.get(f"{ITEMS}/999999").status_code == 404


def first_point(client, crs: str | None) -> list[float]:
    params = {"crs": crs} if crs else {}
    response = client.get(f"{ITEMS}/{MILANO}", params)
    assert response["Content-Crs"] == f"<{crs or CRS84_URI}>"
    return response.json()["geometry"]["coordinates"][0][0][0]


@pytest.mark.parametrize("srid", [METRIC_SRID, GAUSS_BOAGA_SRID])
def test_crs_parameter_reprojects_like_pyproj(client, territorio, srid):
    lon, lat = first_point(client, None)
    x, y = first_point(client, crs_uri(srid))
    # Reference: SELECT ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), srid)
    expected_x, expected_y = Transformer.from_crs(
        "OGC:CRS84", f"EPSG:{srid}", always_xy=True
    ).transform(lon, lat)
    # The CRS84 answer has 7 decimals (about 1 cm): PostGIS and PROJ agree within 2 cm,
    # Monte Mario's datum shift (3003) included.
    assert x == pytest.approx(expected_x, abs=0.02)
    assert y == pytest.approx(expected_y, abs=0.02)


def test_crs_on_items_page(client, territorio):
    response = client.get(ITEMS, {"crs": crs_uri(METRIC_SRID), "comune": MILANO})
    assert response["Content-Crs"] == f"<{crs_uri(METRIC_SRID)}>"
    x, y = json.loads(response.content)["features"][0]["geometry"]["coordinates"][0][0][0]
    # Milano in UTM 32N: around 515 000 E, 5 035 000 N.
    assert 495_000 < x < 530_000 and 5_020_000 < y < 5_050_000


def test_queryables_are_the_typed_scalar_fields_and_the_geometry(client, territorio):
    response = client.get("/ogc/collections/comuni/queryables")
    assert response["Content-Type"] == "application/schema+json"
    properties = response.json()["properties"]
    assert set(properties) == {
        "geometry", "istat_code", "name", "zona_omogenea", "ruolo_ptm", "area_m2"
    }  # fmt: skip
    assert properties["geometry"]["format"] == "geometry-multipolygon"
    assert properties["area_m2"]["type"] == "number"
    assert properties["area_m2"]["x-unit"] == "m²"
    assert properties["ruolo_ptm"]["type"] == "string"
    assert "polo_attrattore" in properties["ruolo_ptm"]["enum"]
