"""Exports read back with pyogrio/geopandas: GeoJSON, CSV (WKT, lon/lat), GPKG, zipped SHP.

Every format honours the layer's filters: ``zona=nord-milano`` selects the 6 Comuni of the
Zona omogenea Nord Milano (Bresso, Cinisello Balsamo, Cologno Monzese, Cormano, Cusano
Milanino, Sesto San Giovanni).
"""

from __future__ import annotations

import io
import zipfile

import geopandas as gpd
import pyogrio
import pytest
from django.contrib.gis.db.models.functions import PointOnSurface

from territorio.models import Comune

BASE = "/api/layers/comuni/download"
NORD_MILANO = {"zona": "nord-milano"}


def content(response) -> bytes:
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content) if response.streaming else response.content


def expected_names() -> list[str]:
    return sorted(
        Comune.objects.filter(zona_omogenea__slug="nord-milano").values_list("name", flat=True)
    )


def read(tmp_path, name: str, data: bytes, **kwargs) -> gpd.GeoDataFrame:
    path = tmp_path / name
    path.write_bytes(data)
    return pyogrio.read_dataframe(path, **kwargs)


def test_geojson_export_reads_back_with_the_filter(client, territorio, tmp_path):
    frame = read(tmp_path, "c.geojson", content(client.get(f"{BASE}.geojson", NORD_MILANO)))
    assert sorted(frame["name"]) == expected_names()
    assert len(frame) == 6
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geom_type) == {"MultiPolygon"}


def test_geojson_reads_with_geopandas_from_the_url_body(client, territorio):
    frame = gpd.read_file(io.BytesIO(content(client.get(f"{BASE}.geojson", NORD_MILANO))))
    assert sorted(frame["name"]) == expected_names()


def test_csv_with_wkt_geometry(client, territorio, tmp_path):
    response = client.get(f"{BASE}.csv", NORD_MILANO)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    frame = read(tmp_path, "c.csv", content(response))  # GDAL reads the WKT column as geometry
    assert sorted(frame["name"]) == expected_names()
    assert set(frame.geom_type) == {"MultiPolygon"}
    sesto = frame[frame["name"] == "Sesto San Giovanni"].iloc[0]
    reference = Comune.objects.get(name="Sesto San Giovanni").geom
    # Reference: SELECT ST_Area(geom) FROM layers_comune WHERE name = 'Sesto San Giovanni'
    assert sesto.geometry.area == pytest.approx(reference.area, rel=1e-6)


def test_csv_with_lon_lat_of_a_point_on_the_surface(client, territorio, tmp_path):
    data = content(client.get(f"{BASE}.csv", {**NORD_MILANO, "geometry": "lonlat"}))
    header = data.decode().splitlines()[0].split(",")
    assert header[:2] == ["X", "Y"]
    frame = read(tmp_path, "c.csv", data)
    assert sorted(frame["name"]) == expected_names()
    bresso = frame[frame["name"] == "Bresso"].iloc[0]
    # Reference: SELECT ST_X(ST_PointOnSurface(geom)), ST_Y(...) FROM layers_comune
    #   WHERE name = 'Bresso' (GEOS and PostGIS pick the same point).
    point = Comune.objects.annotate(p=PointOnSurface("geom")).get(name="Bresso").p
    assert float(bresso["X"]) == pytest.approx(point.x, abs=1e-9)
    assert float(bresso["Y"]) == pytest.approx(point.y, abs=1e-9)


def test_geopackage_export_reads_back_with_types_and_crs(client, territorio, tmp_path):
    response = client.get(f"{BASE}.gpkg", NORD_MILANO)
    assert response["Content-Type"] == "application/geopackage+sqlite3"
    assert 'filename="comuni.gpkg"' in response["Content-Disposition"]
    frame = read(tmp_path, "c.gpkg", content(response))
    assert sorted(frame["name"]) == expected_names()
    assert frame.crs.to_epsg() == 4326
    assert list(frame.columns) == [
        "id",
        "istat_code",
        "name",
        "zona_omogenea",
        "ruolo_ptm",
        "area_m2",
        "geometry",
    ]
    assert frame["area_m2"].dtype.kind == "f"
    assert set(frame["zona_omogenea"]) == {"Nord Milano"}


def test_zipped_shapefile_export_has_short_names_and_reads_back(client, territorio, tmp_path):
    data = content(client.get(f"{BASE}.shp.zip", NORD_MILANO))
    members = sorted(zipfile.ZipFile(io.BytesIO(data)).namelist())
    assert {"comuni.shp", "comuni.shx", "comuni.dbf", "comuni.prj"} <= set(members)
    path = tmp_path / "comuni.shp.zip"
    path.write_bytes(data)
    frame = pyogrio.read_dataframe(f"/vsizip/{path}/comuni.shp")
    assert sorted(frame["name"]) == expected_names()
    assert "zona_omoge" in frame.columns  # zona_omogenea cut to the 10 characters of DBF
    assert frame.crs.to_epsg() == 4326


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg", "shp.zip"])
def test_bbox_filter_is_honoured_by_every_format(client, territorio, tmp_path, fmt):
    # Only Milano meets a tiny box around Piazza del Duomo.
    data = content(client.get(f"{BASE}.{fmt}", {"bbox": "9.190,45.463,9.192,45.465"}))
    path = tmp_path / f"c.{fmt}"
    path.write_bytes(data)
    source = f"/vsizip/{path}/comuni.shp" if fmt == "shp.zip" else path
    assert list(pyogrio.read_dataframe(source)["name"]) == ["Milano"]


@pytest.mark.parametrize("fmt", ["csv", "gpkg", "shp.zip"])
def test_empty_selection_is_a_valid_empty_file(client, territorio, tmp_path, fmt):
    data = content(client.get(f"{BASE}.{fmt}", {"comune": "999999"}))
    path = tmp_path / f"c.{fmt}"
    path.write_bytes(data)
    source = f"/vsizip/{path}/comuni.shp" if fmt == "shp.zip" else path
    assert len(pyogrio.read_dataframe(source)) == 0


def test_exports_answer_conditional_get(client, territorio):
    first = client.get(f"{BASE}.gpkg", NORD_MILANO)
    etag = first["ETag"]
    assert client.get(f"{BASE}.gpkg", NORD_MILANO, HTTP_IF_NONE_MATCH=etag).status_code == 304
    Comune.objects.filter(name="Bresso").update(name="Bresso (nuovo nome)")
    assert client.get(f"{BASE}.gpkg", NORD_MILANO, HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize("typed", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_neutralises_text_a_spreadsheet_would_run_as_a_formula(
    client, territorio, tmp_path, typed
):
    Comune.objects.filter(istat_code="015146").update(name=typed)
    frame = read(tmp_path, "c.csv", content(client.get(f"{BASE}.csv", {"comune": "015146"})))
    assert list(frame["name"]) == ["'" + typed]


def test_other_formats_keep_text_exactly_as_typed(client, territorio, tmp_path):
    Comune.objects.filter(istat_code="015146").update(name="=1+1")
    data = content(client.get(f"{BASE}.gpkg", {"comune": "015146"}))
    assert list(read(tmp_path, "c.gpkg", data)["name"]) == ["=1+1"]
