"""Vector tiles: ST_AsMVT tiles decoded, cached per data version, 204 when empty."""

from __future__ import annotations

import mapbox_vector_tile
import pytest
from django.db import connection

from territorio.models import Comune

MILANO = "015146"
# Piazza del Duomo (9.19, 45.46) lies in tile 10/538/366; 10/0/0 is the Arctic Pacific.
MILANO_TILE = "/tiles/comuni/10/538/366.pbf"
EMPTY_TILE = "/tiles/comuni/10/0/0.pbf"


def decode(response) -> list[dict]:
    return mapbox_vector_tile.decode(response.content)["comuni"]["features"]


def test_milano_tile_holds_milano_with_its_popup_attributes(client, territorio):
    response = client.get(MILANO_TILE, {"comune": MILANO})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    (feature,) = decode(response)
    assert feature["properties"] == {
        "id": MILANO,
        "name": "Milano",
        "zona_omogenea": "Comune di Milano",
        "ruolo_ptm": "citta_centrale",
    }
    assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_unfiltered_tile_holds_every_comune_it_meets(client, territorio):
    # Reference: SELECT name FROM layers_comune WHERE ST_Intersects(geom,
    #   ST_Transform(ST_TileEnvelope(12, 2152, 1465, margin => 64.0 / 4096), 4326))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM layers_comune WHERE ST_Intersects(geom, "
            "ST_Transform(ST_TileEnvelope(12, 2152, 1465, margin => 64.0 / 4096), 4326))"
        )
        expected = {row[0] for row in cursor.fetchall()}
    response = client.get("/tiles/comuni/12/2152/1465.pbf")
    names = {f["properties"]["name"] for f in decode(response)}
    # Sesto San Giovanni's bounding box meets the tile, its boundary does not.
    assert names == expected == {"Milano", "Novate Milanese"}


def test_empty_tile_is_204(client, territorio):
    response = client.get(EMPTY_TILE)
    assert response.status_code == 204
    assert response.content == b""


def test_cold_tile_costs_two_queries_and_a_warm_one_a_single_lookup(
    client, territorio, django_assert_num_queries
):
    with django_assert_num_queries(2):  # data version + ST_AsMVT
        cold = client.get(MILANO_TILE)
    with django_assert_num_queries(1):  # data version only; the tile comes from the cache
        warm = client.get(MILANO_TILE)
    assert warm.content == cold.content


def test_data_change_invalidates_the_cached_tile(client, territorio):
    before = decode(client.get(MILANO_TILE, {"comune": MILANO}))
    Comune.objects.filter(istat_code=MILANO).update(name="Milano città")
    after = decode(client.get(MILANO_TILE, {"comune": MILANO}))
    assert before[0]["properties"]["name"] == "Milano"
    assert after[0]["properties"]["name"] == "Milano città"


def test_tile_answers_conditional_get(client, territorio):
    etag = client.get(MILANO_TILE)["ETag"]
    assert client.get(MILANO_TILE, HTTP_IF_NONE_MATCH=etag).status_code == 304


def count_points(coords) -> int:
    if coords and isinstance(coords[0], int | float):
        return 1
    return sum(count_points(c) for c in coords)


def test_low_zoom_tile_is_simplified(client, territorio):
    # Milano (~18 km across) spans ~470 tile units at z=8 and ~120 at z=6: grid snapping to
    # 4096 plus ST_Simplify at half a pixel keep fewer vertices the lower the zoom. Reference:
    # SELECT ST_NPoints(geom) FROM layers_comune WHERE istat_code = '015146'
    full = Comune.objects.get(istat_code=MILANO).geom.num_points

    def kept(url: str) -> int:
        (feature,) = decode(client.get(url, {"comune": MILANO}))
        return count_points(feature["geometry"]["coordinates"])

    z6, z8 = kept("/tiles/comuni/6/33/22.pbf"), kept("/tiles/comuni/8/134/91.pbf")
    assert 4 < z6 < z8 < full


def test_tilejson_describes_the_tiles(client, territorio):
    document = client.get("/tiles/comuni.json", {"zona": "nord-milano"}).json()
    assert document["tilejson"] == "3.0.0"
    assert document["tiles"] == ["http://testserver/tiles/comuni/{z}/{x}/{y}.pbf?zona=nord-milano"]
    assert document["minzoom"] == 8
    assert document["vector_layers"][0]["id"] == "comuni"
    assert document["vector_layers"][0]["fields"]["name"] == "Comune"


@pytest.mark.parametrize("path", ["/tiles/comuni/1/1/0.pbf", "/tiles/comuni/2/2/1.pbf"])
def test_a_tile_on_the_world_s_edge_keeps_its_features(client, territorio, path):
    # The buffer of a tile touching ±180° must not wrap round the globe in lon/lat (the
    # envelope is clipped to the Web Mercator world before the transform).
    names = {f["properties"]["name"] for f in decode(client.get(path))}
    assert "Milano" in names


def test_digits_other_than_ascii_are_a_bad_coordinate(client, territorio):
    response = client.get("/tiles/comuni/%C2%B2/0/0.pbf")
    assert response.status_code == 400
    assert response.json()["field"] == "z"


def test_head_of_a_filtered_tile(client, territorio):
    response = client.head(MILANO_TILE, {"comune": MILANO})
    assert response.status_code == 200
    assert response["ETag"]


def test_empty_tiles_count_towards_the_memory_bound(settings):
    from layers.tiles import ENTRY_OVERHEAD, store

    settings.TILE_MEMORY_CACHE_MB = 1
    for i in range(10_000):
        store.set(f"empty-{i}", b"")
    held = sum(1 for i in range(10_000) if store.get_memory(f"empty-{i}") is not None)
    assert 0 < held <= 2**20 // ENTRY_OVERHEAD
