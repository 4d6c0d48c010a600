"""The layer catalogue ``GET /api/layers/`` follows the shared contract."""

from __future__ import annotations

from layers.registry import registry
from layers.versions import layer_version
from territorio.models import Comune

CONTRACT_KEYS = {
    "id", "title", "description", "theme", "theme_title", "geometry_type", "render", "cluster",
    "min_zoom", "max_zoom", "style", "legend", "licence", "attribution", "is_sample",
    "queryables", "popup_fields", "links",
}  # fmt: skip
LINK_KEYS = {
    "ogc_collection",
    "ogc_items",
    "geojson",
    "tilejson",
    "tiles",
    "tiles_plain",
    "exports",
    "detail_page",
}


def test_catalogue_lists_every_layer_with_the_contract_fields(client, db):
    response = client.get("/api/layers/")
    assert response.status_code == 200
    layers = {entry["id"]: entry for entry in response.json()["layers"]}
    assert {"comuni", "zone-omogenee", "poli-attrattori", "interventi", "opportunita"} <= set(
        layers
    )
    for entry in layers.values():
        assert set(entry) >= CONTRACT_KEYS
        if entry["geometry_type"] == "Geometry":
            # A mixed layer: the portal's feed; GIS clients use its geometry parts.
            assert set(entry["links"]) == LINK_KEYS - {"ogc_collection", "ogc_items"}
            assert set(entry["links"]["exports"]) == {"geojson", "csv"}
        else:
            assert set(entry["links"]) == LINK_KEYS
            assert set(entry["links"]["exports"]) == {"geojson", "csv", "gpkg", "shp", "fgb"}


def test_catalogue_says_which_collection_holds_which_geometry_type(client, db):
    layers = {e["id"]: e for e in client.get("/api/layers/").json()["layers"]}
    interventi = [(c["id"], c["geometry_type"]) for c in layers["interventi"]["collections"]]
    assert interventi == [
        ("interventi-aree", "MultiPolygon"),
        ("interventi-linee", "MultiLineString"),
        ("interventi-punti", "MultiPoint"),
    ]
    servizi = [(c["id"], c["geometry_type"]) for c in layers["servizi"]["collections"]]
    assert servizi == [("servizi-punti", "Point"), ("servizi-aree", "MultiPolygon")]
    (comuni,) = layers["comuni"]["collections"]
    assert comuni["id"] == "comuni" and comuni["ogc_collection"] == "/ogc/collections/comuni"
    assert comuni["exports"]["fgb"] == "/api/layers/comuni/download.fgb"
    area = next(f for f in comuni["fields"] if f["name"] == "area_m2")
    assert (area["type"], area["unit"]) == ("number", "m²")


def test_catalogue_entry_of_comuni_is_complete(client, db):
    token = layer_version(registry.get("comuni")).token
    entry = next(e for e in client.get("/api/layers/").json()["layers"] if e["id"] == "comuni")
    assert entry["title"] == {"it": "Comuni", "en": "Municipalities"}
    assert entry["theme_title"] == {"it": "Territorio", "en": "Territory"}
    assert entry["geometry_type"] == "MultiPolygon"
    assert entry["queryables"] == ["bbox", "comune", "zona", "q"]
    assert entry["popup_fields"][0] == {
        "name": "name",
        "label": {"it": "Comune", "en": "Municipality"},
    }
    assert entry["links"] == {
        "ogc_collection": "/ogc/collections/comuni",
        "ogc_items": "/ogc/collections/comuni/items",
        "geojson": "/api/layers/comuni/download.geojson",
        "tilejson": "/tiles/comuni.json",
        "tiles": f"/tiles/comuni/v{token}/{{z}}/{{x}}/{{y}}.pbf",
        "tiles_plain": "/tiles/comuni/{z}/{x}/{y}.pbf",
        "exports": {
            "geojson": "/api/layers/comuni/download.geojson",
            "csv": "/api/layers/comuni/download.csv",
            "gpkg": "/api/layers/comuni/download.gpkg",
            "shp": "/api/layers/comuni/download.shp.zip",
            "fgb": "/api/layers/comuni/download.fgb",
        },
        "detail_page": "/comuni/{id}/",
    }


def test_catalogue_reads_the_data_versions_in_one_query(client, db, django_assert_num_queries):
    # The benchmark layer's availability (has it rows?) is remembered for 30 s: warm it.
    client.get("/api/layers/")
    with django_assert_num_queries(1):  # the versions of every layer's tables
        response = client.get("/api/layers/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"


def test_catalogue_tile_urls_follow_the_data(client, territorio):
    def tiles_url() -> str:
        layers = client.get("/api/layers/").json()["layers"]
        return next(e for e in layers if e["id"] == "comuni")["links"]["tiles"]

    before = tiles_url()
    Comune.objects.filter(istat_code="015146").update(name="Milano città")
    assert tiles_url() != before
