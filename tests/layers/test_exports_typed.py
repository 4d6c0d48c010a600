"""Exports an analyst opens in QGIS, GDAL or geopandas: one geometry type per file, real
column types, the requested CRS declared in the file, FlatGeobuf read over HTTP ranges."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile

import geopandas as gpd
import pyogrio
import pytest

from layers.exports import MIXED_GEOMETRY
from layers.feeds import GEOJSON_CRS84_ONLY
from layers.srid import METRIC_SRID, crs_uri
from tests.layers.analyst_world import analyst_world_create

BASE = "/api/layers/{id}/download.{fmt}"


@pytest.fixture
def world(territorio):
    return analyst_world_create()


def body(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content) if response.streaming else response.content


def read(tmp_path, name: str, data: bytes) -> gpd.GeoDataFrame:
    path = tmp_path / name
    path.write_bytes(data)
    return gpd.read_file(path)


@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "shp.zip"])
def test_each_geometry_part_exports_one_geometry_type_with_real_column_types(
    client, world, tmp_path, fmt
):
    data = body(client.get(BASE.format(id="interventi-aree", fmt=fmt)))
    name = f"a.{fmt}"
    frame = read(tmp_path, name, data)
    assert len(frame) == 12
    info = pyogrio.read_info(tmp_path / name)
    # A Shapefile does not tell polygons from multipolygons: its one type is "Polygon".
    assert info["geometry_type"] == ("Polygon" if fmt == "shp.zip" else "MultiPolygon")
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    # Years are integers (not 2019.0) even where missing; costs are reals.
    years = "anno_inizi" if fmt == "shp.zip" else "anno_inizio"
    assert types[years] in ("int32", "int64")
    assert types["costo_tota" if fmt == "shp.zip" else "costo_totale"] == "float64"
    parco = frame[frame["title"] == "Parco Nord"].iloc[0]
    assert int(parco[years]) == 2019


def test_csv_writes_years_without_decimals(client, world):
    text = body(client.get(BASE.format(id="interventi-aree", fmt="csv"))).decode()
    header, *rows = text.splitlines()
    parco = next(r for r in rows if "Parco Nord" in r)
    assert ",2019,2022,1234567.89," in parco


def test_a_mixed_layer_has_no_single_geometry_export(client, world):
    response = client.get(BASE.format(id="interventi", fmt="gpkg"))
    assert response.status_code == 400
    assert response.json()["detail"] == MIXED_GEOMETRY.format(
        id="interventi",
        fmt="gpkg",
        parts="interventi-aree.gpkg, interventi-linee.gpkg, interventi-punti.gpkg",
    )
    # The portal's GeoJSON feed keeps every geometry type, and is named after the layer.
    feed = json.loads(body(client.get(BASE.format(id="interventi", fmt="geojson"))))
    assert feed["name"] == "interventi"
    assert {f["geometry"]["type"] for f in feed["features"]} == {
        "MultiPolygon", "MultiLineString", "MultiPoint"
    }  # fmt: skip


@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "shp.zip", "csv"])
def test_exports_in_the_requested_crs_are_labelled_with_it(client, world, tmp_path, fmt):
    response = client.get(BASE.format(id="interventi-aree", fmt=fmt), {"crs": crs_uri(32632)})
    data = body(response)
    if fmt == "csv":  # no CRS in a CSV: the coordinates are UTM 32N eastings
        frame = read(tmp_path, "a.csv", data)
        assert 480_000 < frame.geometry.bounds.minx.min() < 540_000
        return
    frame = read(tmp_path, f"a.{fmt}", data)
    assert frame.crs.to_epsg() == METRIC_SRID
    assert 480_000 < frame.total_bounds[0] < 540_000


def test_geojson_download_refuses_another_crs(client, world):
    response = client.get(BASE.format(id="comuni", fmt="geojson"), {"crs": crs_uri(32632)})
    assert response.status_code == 400
    assert response.json() == {"detail": GEOJSON_CRS84_ONLY, "field": "crs"}


def test_head_and_byte_ranges_on_a_download(client, world):
    url = BASE.format(id="servizi-punti", fmt="fgb")
    whole = body(client.get(url))
    assert whole[:7] == b"fgb\x03fgb"  # FlatGeobuf magic bytes (version 3.x)
    head = client.head(url)
    assert head.status_code == 200 and head["Accept-Ranges"] == "bytes"
    part = client.get(url, HTTP_RANGE="bytes=0-7")
    assert part.status_code == 206
    assert part.content == whole[:8]
    assert part["Content-Range"] == f"bytes 0-7/{len(whole)}"
    tail = client.get(url, HTTP_RANGE="bytes=-4")
    assert tail.content == whole[-4:]
    beyond = client.get(url, HTTP_RANGE=f"bytes={len(whole)}-")
    assert beyond.status_code == 416


@pytest.mark.gdal
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin is not installed")
def test_gdal_reads_a_flatgeobuf_download_over_http_ranges(live_server, world):
    url = f"/vsicurl/{live_server.url}" + BASE.format(id="servizi-aree", fmt="fgb")
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", url], capture_output=True, text=True, check=False,
        timeout=120, env={"CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".fgb", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Geometry: Multi Polygon" in result.stdout
    assert "Feature Count: 2" in result.stdout


def test_shapefile_zip_holds_one_shapefile(client, world):
    data = body(client.get(BASE.format(id="interventi-punti", fmt="shp.zip")))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert sorted(n for n in names if n.endswith(".shp")) == ["interventi-punti.shp"]


def test_downloads_take_a_cql2_filter_too(client, world, tmp_path):
    url = BASE.format(id="interventi-aree", fmt="fgb")
    frame = read(tmp_path, "f.fgb", body(client.get(url, {"filter": "fin_pnrr > 0"})))
    assert list(frame["title"]) == ["Parco Nord"]
    assert float(frame["fin_pnrr"].iloc[0]) == 1_000_000.0
    assert client.get(url, {"filter": "colore = 1"}).status_code == 400
