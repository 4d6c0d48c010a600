"""Vector tiles: ST_AsMVT tiles decoded; versioned URLs immutable, plain URLs revalidated;
heavy tiles cached per data version, cheap ones built each time; 204 when empty; a byte budget."""

from __future__ import annotations

import logging

import mapbox_vector_tile
import pytest
from django.db import connection

from bench.services import load_parcels_generate
from layers import queries, tiles
from layers.registry import registry
from layers.versions import layer_version
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


def versioned(path: str) -> str:
    """``/tiles/comuni/10/538/366.pbf`` under the current data version of comuni."""
    token = layer_version(registry.get("comuni")).token
    return path.replace("/tiles/comuni/", f"/tiles/comuni/v{token}/")


@pytest.fixture
def every_tile_cached(monkeypatch):
    """Keep every tile in the tiles cache, however fast it was built."""
    monkeypatch.setattr(tiles, "CACHE_MIN_SECONDS", 0.0)


@pytest.fixture
def no_tile_cached(monkeypatch):
    """Keep no tile in the tiles cache, however slowly it was built."""
    monkeypatch.setattr(tiles, "CACHE_MIN_SECONDS", 3600.0)


def test_cold_tile_costs_two_queries_and_a_cached_one_a_single_lookup(
    client, territorio, django_assert_num_queries, every_tile_cached
):
    with django_assert_num_queries(2):  # data version + ST_AsMVT
        cold = client.get(MILANO_TILE)
    with django_assert_num_queries(1):  # data version only; the tile comes from the cache
        warm = client.get(MILANO_TILE)
    assert warm.content == cold.content


def test_a_tile_cheaper_to_build_than_to_keep_is_not_cached(
    client, territorio, django_assert_num_queries, no_tile_cached
):
    client.get(MILANO_TILE)
    with django_assert_num_queries(2):  # built again
        client.get(MILANO_TILE)


def test_data_change_invalidates_the_cached_tile(client, territorio, every_tile_cached):
    before = decode(client.get(MILANO_TILE, {"comune": MILANO}))
    Comune.objects.filter(istat_code=MILANO).update(name="Milano città")
    after = decode(client.get(MILANO_TILE, {"comune": MILANO}))
    assert before[0]["properties"]["name"] == "Milano"
    assert after[0]["properties"]["name"] == "Milano città"


class FailingCache:
    """A tiles cache whose server is gone: every call raises."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")

    set = get


def test_a_failing_tile_cache_never_fails_the_tile(
    client, territorio, every_tile_cached, monkeypatch, caplog
):
    monkeypatch.setattr(tiles, "caches", {"tiles": FailingCache()})
    with caplog.at_level(logging.WARNING, logger="layers.tiles"):
        response = client.get(MILANO_TILE, {"comune": MILANO})
    assert response.status_code == 200
    assert decode(response)[0]["properties"]["name"] == "Milano"
    assert "Tile cache write failed" in caplog.text


# Freshness from the URL.


def test_versioned_tile_is_immutable_and_equals_the_plain_one(client, territorio):
    plain = client.get(MILANO_TILE)
    response = client.get(versioned(MILANO_TILE))
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.content == plain.content
    assert "Link" not in response


def test_plain_tile_has_an_etag_and_a_short_max_age(client, territorio):
    response = client.get(MILANO_TILE)
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["ETag"]
    assert response["Last-Modified"]


def test_tiles_do_not_vary_on_accept_encoding(client, territorio):
    # Tiles are never compressed: a Vary on Accept-Encoding would only split shared caches.
    for path in (MILANO_TILE, versioned(MILANO_TILE)):
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip")
        assert "Accept-Encoding" not in response.get("Vary", ""), path
        assert "Content-Encoding" not in response


def test_stale_version_gets_the_current_tile_briefly_and_a_link_to_its_new_url(client, territorio):
    old_url = versioned(MILANO_TILE)
    Comune.objects.filter(istat_code=MILANO).update(name="Milano città")
    new_url = versioned(MILANO_TILE)
    assert new_url != old_url
    response = client.get(old_url, {"comune": MILANO})
    assert response.status_code == 200
    assert decode(response)[0]["properties"]["name"] == "Milano città"
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Link"] == f'<{new_url}?comune={MILANO}>; rel="latest-version"'
    fresh = client.get(new_url, {"comune": MILANO})
    assert fresh["Cache-Control"] == "public, max-age=31536000, immutable"
    assert fresh.content == response.content


def test_unknown_version_is_answered_like_a_stale_one(client, territorio):
    response = client.get("/tiles/comuni/v0123abcd/10/538/366.pbf")
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=60"
    assert response.content == client.get(MILANO_TILE).content


def test_plain_tile_answers_a_conditional_get_until_the_data_changes(client, territorio):
    etag = client.get(MILANO_TILE)["ETag"]
    not_modified = client.get(MILANO_TILE, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag
    assert not_modified["Cache-Control"] == "public, max-age=60"
    Comune.objects.filter(istat_code=MILANO).update(name="Milano città")
    changed = client.get(MILANO_TILE, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_cached_versioned_tile_reads_no_database(
    client, territorio, django_assert_num_queries, every_tile_cached
):
    url = versioned(MILANO_TILE)
    first = client.get(url)
    with django_assert_num_queries(0):  # the URL names the version: the cached tile is its answer
        again = client.get(url)
    assert again.content == first.content
    assert again["Cache-Control"] == "public, max-age=31536000, immutable"
    assert again["ETag"] == first["ETag"]


def test_versioned_tile_costs_one_query_and_a_plain_one_two(
    client, territorio, django_assert_num_queries, no_tile_cached
):
    url = versioned(MILANO_TILE)
    with django_assert_num_queries(1):  # data version and ST_AsMVT in one statement
        versioned_tile = client.get(url)
    with django_assert_num_queries(2):  # data version (for the ETag, maybe a 304), ST_AsMVT
        plain_tile = client.get(MILANO_TILE)
    assert versioned_tile.content == plain_tile.content
    assert versioned_tile["ETag"] == plain_tile["ETag"]
    assert versioned_tile["Last-Modified"] == plain_tile["Last-Modified"]


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


def test_tilejson_describes_the_versioned_tiles(client, territorio):
    response = client.get("/tiles/comuni.json", {"zona": "nord-milano"})
    document = response.json()
    assert document["tilejson"] == "3.0.0"
    token = layer_version(registry.get("comuni")).token
    assert document["tiles"] == [
        f"http://testserver/tiles/comuni/v{token}/{{z}}/{{x}}/{{y}}.pbf?zona=nord-milano"
    ]
    assert response["Cache-Control"] == "no-cache"
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


# The byte budget, on a dense layer: 3 000 synthetic parcels 46-186 m across.
DENSE = 3000
# Around Piazza del Duomo at z10: the densest tile of the load layer near the centre.
DENSE_TILE = "/tiles/bench-load/10/538/366.pbf"


@pytest.fixture
def dense_layer(db):
    load_parcels_generate(count=DENSE)
    queries._BYTES_PER_FEATURE.clear()  # what earlier over-full tiles taught this process
    yield registry.get("bench-load")
    load_parcels_generate(count=0)


def features_of(response) -> list[dict]:
    return mapbox_vector_tile.decode(response.content)["bench-load"]["features"]


def test_a_tile_within_the_budget_keeps_every_feature(client, dense_layer):
    response = client.get(DENSE_TILE)
    # Reference: SELECT code FROM bench_loadparcel
    #   WHERE ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(10, 538, 366))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code FROM bench_loadparcel WHERE "
            "ST_Intersects(ST_Transform(geom, 3857), ST_TileEnvelope(10, 538, 366))"
        )
        inside = {row[0] for row in cursor.fetchall()}
    assert len(response.content) <= queries.TILE_BYTE_BUDGET
    kept = {f["properties"]["code"] for f in features_of(response)}
    assert len(inside) > 100
    assert inside <= kept  # plus those in the buffer around the tile


def test_a_tile_over_the_budget_leaves_out_its_smallest_features(
    client, dense_layer, monkeypatch, no_tile_cached
):
    full = client.get(DENSE_TILE)
    budget = len(full.content) // 2
    monkeypatch.setattr(queries, "TILE_BYTE_BUDGET", budget)
    response = client.get(DENSE_TILE)
    assert 0 < len(response.content) <= budget
    kept = {f["properties"]["code"] for f in features_of(response)}
    everything = {f["properties"]["code"] for f in features_of(full)}
    assert 0 < len(kept) < len(everything)
    assert kept < everything
    # The smallest were left out: every parcel kept is at least as large as every parcel
    # dropped (bounding-box diagonal in Web Mercator).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, ST_Length(ST_Transform(ST_BoundingDiagonal(geom), 3857)) "
            "FROM bench_loadparcel WHERE code = ANY(%s)",
            [list(everything)],
        )
        size = dict(cursor.fetchall())
    assert min(size[c] for c in kept) >= max(size[c] for c in everything - kept)


def test_tile_attributes_are_the_popup_fields_only(client, dense_layer):
    (first, *_) = features_of(client.get(DENSE_TILE))
    # The load layer has five fields; its style and popup read three.
    assert set(first["properties"]) == {"code", "name", "category"}


def test_after_an_over_full_tile_its_zoom_is_built_once(
    client, dense_layer, monkeypatch, no_tile_cached, django_assert_num_queries
):
    budget = len(client.get(DENSE_TILE).content) // 2
    monkeypatch.setattr(queries, "TILE_BYTE_BUDGET", budget)
    with django_assert_num_queries(4):  # version, the full tile (over), sizes, the thinned tile
        client.get(DENSE_TILE)
    neighbour = DENSE_TILE.replace("/538/", "/539/")
    with django_assert_num_queries(3):  # version, sizes, the thinned tile: no full build
        response = client.get(neighbour)
    assert 0 < len(response.content) <= budget
