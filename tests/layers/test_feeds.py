"""Bulk GeoJSON: built in PostGIS, streamed, filtered, cached by ETag, gzipped."""

from __future__ import annotations

import gzip
import json

import pytest

from territorio.models import Comune

MILANO = "015146"
URL = "/api/layers/comuni/download.geojson"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_whole_layer_is_a_feature_collection_of_133_comuni(client, territorio):
    response = client.get(URL)
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/geo+json"
    document = json.loads(body(response))
    assert document["type"] == "FeatureCollection"
    assert len(document["features"]) == 133
    assert len({f["id"] for f in document["features"]}) == 133


def test_filtered_feature_carries_id_and_declared_properties(client, territorio):
    document = json.loads(body(client.get(URL, {"comune": MILANO})))
    (feature,) = document["features"]
    assert feature["id"] == MILANO
    assert feature["geometry"]["type"] == "MultiPolygon"
    props = feature["properties"]
    assert set(props) == {"istat_code", "name", "zona_omogenea", "ruolo_ptm", "area_m2"}
    assert props["name"] == "Milano"
    assert props["zona_omogenea"] == "Comune di Milano"
    # SELECT ST_Area(ST_Transform(geom, 32632)) / 1e6 FROM layers_comune WHERE istat_code='015146'
    assert props["area_m2"] / 1e6 == pytest.approx(180.75, abs=0.05)


def test_repeated_and_comma_separated_comune_select_the_same_features(client, territorio):
    ids_repeat = json.loads(body(client.get(f"{URL}?comune={MILANO}&comune=015009")))
    ids_comma = json.loads(body(client.get(f"{URL}?comune={MILANO},015009")))
    assert sorted(f["id"] for f in ids_repeat["features"]) == ["015009", MILANO]
    assert ids_comma == ids_repeat


def test_bbox_selects_comuni_meeting_the_box(client, territorio):
    # A tiny box around Piazza del Duomo lies in Milano only.
    document = json.loads(body(client.get(URL, {"bbox": "9.190,45.463,9.192,45.465"})))
    assert [f["id"] for f in document["features"]] == [MILANO]


def test_precision_rounds_coordinates(client, territorio):
    document = json.loads(body(client.get(URL, {"comune": MILANO, "precision": "2"})))
    ring = document["features"][0]["geometry"]["coordinates"][0][0]
    assert all(round(c, 2) == c for point in ring for c in point)
    default = json.loads(body(client.get(URL, {"comune": MILANO})))
    digits = {
        len(str(c).split(".")[1])
        for p in default["features"][0]["geometry"]["coordinates"][0][0]
        for c in p
    }
    assert max(digits) == 6


def test_feed_runs_two_queries_whatever_the_size(client, territorio, django_assert_num_queries):
    with django_assert_num_queries(2):  # data version + the streamed document
        body(client.get(URL))


def test_conditional_get_answers_304_until_the_data_changes(client, territorio):
    first = client.get(URL)
    body(first)
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    Comune.objects.filter(istat_code=MILANO).update(name="Milano (rinominata)")
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_delete_changes_the_etag(client, territorio):
    etag = client.get(URL)["ETag"]
    Comune.objects.filter(istat_code="015009").delete()
    assert client.get(URL)["ETag"] != etag


def test_filters_give_different_etags(client, territorio):
    assert client.get(URL)["ETag"] != client.get(URL, {"comune": MILANO})["ETag"]


def test_gzip_when_accepted_and_identical_once_decompressed(client, territorio):
    plain = body(client.get(URL, {"zona": "nord-milano"}))
    zipped = client.get(URL, {"zona": "nord-milano"}, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(zipped)) == plain
    assert len(json.loads(plain)["features"]) == 6
