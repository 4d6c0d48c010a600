"""Hostile uploads beyond disguise (issue 12 and its siblings): deep nesting, non-finite
numbers, duplicate keys, CRSs that are links, tricked sidecars, odd archives and names.

Each one is a clear 400 naming the file (and the field asked for), with nothing stored.
"""

from __future__ import annotations

import io
import json
import sqlite3
import stat
import zipfile

import geopandas as gpd
import pytest
from django.utils.html import escape

from contributi.importers import messages as m
from contributi.importers.safety import display_name
from tests.contributi.conftest import (
    RHO_POINT,
    geojson_bytes,
    intervento_rows,
    shapefile_zip,
    snapshot,
)
from tests.contributi.helpers import post_upload, web_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, operator_rho):
    client.force_login(operator_rho)
    return client


def refused(response, message, before, field: str | None = None) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == str(message)
    if field:
        assert body.get("field") == field, body
    assert snapshot() == before
    return body


def feature_collection(**members) -> dict:
    document = json.loads(geojson_bytes(intervento_rows(1)))
    document.update(members)
    return document


def test_geojson_nested_100000_arrays_deep_is_a_400(api):
    before = snapshot()
    data = b"[" * 100_000 + b"]" * 100_000
    response = post_upload(api, "profondo.geojson", data)
    refused(response, m.GEOJSON_TOO_DEEP.format(file="profondo.geojson"), before)


def test_deep_nesting_inside_the_coordinates_is_a_400(api):
    before = snapshot()
    data = (
        b'{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": '
        + b"[" * 100_000
        + b"]" * 100_000
        + b"}}"
    )
    response = post_upload(api, "profondo.geojson", data)
    refused(response, m.GEOJSON_TOO_DEEP.format(file="profondo.geojson"), before)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(api, constant):
    before = snapshot()
    text = geojson_bytes(intervento_rows(1)).decode()
    text = text.replace(str(RHO_POINT[0] - 0.001), constant, 1)
    response = post_upload(api, "nan.geojson", text.encode())
    reason = m.GEOJSON_NOT_FINITE.format(value=constant)
    refused(response, m.GEOJSON_REFUSED.format(file="nan.geojson", reason=reason), before)


def test_duplicate_keys_are_refused(api):
    before = snapshot()
    text = geojson_bytes(intervento_rows(1)).decode()
    text = text.replace('"properties": {', '"properties": {"titolo": "Altro", ', 1)
    response = post_upload(api, "doppio.geojson", text.encode())
    reason = m.GEOJSON_DUPLICATE_KEY.format(key="titolo")
    refused(response, m.GEOJSON_REFUSED.format(file="doppio.geojson", reason=reason), before)


LINKED_CRS = [
    {"type": "link", "properties": {"href": "http://example.org/crs.wkt", "type": "ogcwkt"}},
    {"type": "name", "properties": {"name": "http://www.opengis.net/def/crs/EPSG/0/3003"}},
    {"type": "name", "properties": {"name": "Monte Mario / Gauss-Boaga"}},
    {"type": "name", "properties": {"name": "/vsicurl/http://example.org/crs"}},
    None,
]


@pytest.mark.parametrize("crs", LINKED_CRS)
def test_geojson_crs_that_is_not_an_epsg_code_asks_for_the_crs(api, crs):
    before = snapshot()
    data = json.dumps(feature_collection(crs=crs)).encode()
    response = post_upload(api, "link.geojson", data)
    shown = json.dumps(crs, ensure_ascii=False)[:120]
    message = m.GEOJSON_CRS_UNKNOWN.format(file="link.geojson", crs=shown)
    refused(response, message, before, field="srid")


def test_geojson_crs_naming_an_unknown_epsg_code_asks_for_the_crs(api):
    before = snapshot()
    crs = {"type": "name", "properties": {"name": "EPSG:99999"}}
    response = post_upload(api, "ignoto.geojson", json.dumps(feature_collection(crs=crs)).encode())
    message = m.GEOJSON_CRS_UNKNOWN.format(file="ignoto.geojson", crs="EPSG:99999")
    refused(response, message, before, field="srid")


def test_geojson_crs_link_is_read_with_the_stated_crs(api):
    data = json.dumps(feature_collection(crs=LINKED_CRS[0])).encode()
    response = post_upload(api, "link.geojson", data, commit=False, srid=4326)
    assert response.status_code == 200, response.content
    assert response.json()["features"][0]["comuni"] == ["015182"]


def test_geojson_crs_naming_an_accepted_epsg_code_is_honoured(api):
    data = json.dumps(
        feature_collection(crs={"type": "name", "properties": {"name": "EPSG:4326"}})
    ).encode()
    response = post_upload(api, "nome.geojson", data, commit=False)
    assert response.status_code == 200, response.content


def test_huge_projected_coordinates_are_refused(api):
    before = snapshot()
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "EPSG:3003"}},
        "features": [
            {
                "type": "Feature",
                "properties": {"titolo": "Enorme", "stato": "in_corso"},
                "geometry": {"type": "Point", "coordinates": [1e300, 1e300]},
            }
        ],
    }
    response = post_upload(api, "enorme.geojson", json.dumps(document).encode())
    crs = "Monte Mario / Gauss-Boaga fuso Ovest (EPSG:3003)"
    refused(response, m.COORDS_OUT_OF_RANGE.format(file="enorme.geojson", crs=crs), before)


def test_control_characters_in_the_file_name_are_not_echoed(api):
    before = snapshot()
    response = post_upload(api, "a\u202ecod.\nkml.geojson", b"{}")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "cod." in detail and "\n" not in detail and "\u202e" not in detail
    assert snapshot() == before


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("a\u202ecod.\nkml.geojson", "a?cod.?kml.geojson"),
        ("../../etc/dati.geojson", "dati.geojson"),
        ("C:\\Users\\x\\dati.kml", "dati.kml"),
        ("", "?"),
    ],
)
def test_file_names_are_shown_without_folders_or_control_characters(given, shown):
    assert display_name(given) == shown


def test_prj_that_is_not_wkt_is_refused(api, tmp_path):
    before = snapshot()
    rows = intervento_rows(1)
    data = shapefile_zip(tmp_path, rows, drop=(".prj",), extra={"interventi.prj": "/etc/passwd"})
    refused(post_upload(api, "prj.zip", data), m.PRJ_NOT_WKT.format(file="prj.zip"), before)


def test_cpg_naming_a_file_is_ignored_with_a_note(api, tmp_path):
    rows = intervento_rows(1)
    data = shapefile_zip(
        tmp_path, rows, drop=(".cpg",), extra={"interventi.cpg": "../../etc/passwd"}
    )
    response = post_upload(api, "cpg.zip", data, commit=False)
    assert response.status_code == 200, response.content
    assert str(m.NOTE_CPG_IGNORED) in response.json()["notes"]


def test_zip_with_the_same_member_twice_is_refused(api, tmp_path):
    before = snapshot()
    data = shapefile_zip(tmp_path, intervento_rows(1), extra={"INTERVENTI.DBF": b"x"})
    message = m.ZIP_DUPLICATE.format(file="doppio.zip", member="INTERVENTI.DBF")
    refused(post_upload(api, "doppio.zip", data), message, before)


def test_archive_inside_the_zip_is_not_opened(api, tmp_path):
    before = snapshot()
    inner = shapefile_zip(tmp_path, intervento_rows(1))
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("dentro.zip", inner)
    response = post_upload(api, "nidificato.zip", outer.getvalue())
    refused(response, m.ZIP_NO_SHAPEFILE.format(file="nidificato.zip"), before)


@pytest.mark.parametrize("member", ["../doc.kml", "/etc/doc.kml", "a\\doc.kml"])
def test_kmz_with_an_unsafe_member_name_is_refused(api, member):
    before = snapshot()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(member, b'<kml xmlns="http://www.opengis.net/kml/2.2"/>')
    response = post_upload(api, "strano.kmz", buffer.getvalue())
    message = m.ZIP_UNSAFE_NAME.format(file="strano.kmz", member=member)
    refused(response, message, before)


def test_kmz_with_a_symlink_is_refused(api):
    before = snapshot()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("doc.kml")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, b"/etc/passwd")
    response = post_upload(api, "link.kmz", buffer.getvalue())
    refused(response, m.ZIP_LINK.format(file="link.kmz", member="doc.kml"), before)


def test_kml_in_utf16_is_refused(api):
    before = snapshot()
    kml = '<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>'.encode("utf-16")
    response = post_upload(api, "utf16.kml", kml)
    refused(response, m.CONTENT_MISMATCH.format(file="utf16.kml", ext="kml"), before)


def test_deep_nesting_through_the_web_form_is_refused(api):
    before = snapshot()
    data = b"[" * 100_000 + b"]" * 100_000
    response = web_upload(api, "profondo.geojson", data)
    message = m.GEOJSON_TOO_DEEP.format(file="profondo.geojson")
    assert escape(str(message)) in response.content.decode()
    assert snapshot() == before


def gpkg_with_extras(tmp_path) -> bytes:
    """A GeoPackage of one layer plus a non-spatial table, a trigger and a view."""
    path = tmp_path / "extra.gpkg"
    frame = gpd.GeoDataFrame(intervento_rows(1), geometry="geometry", crs=4326)
    frame.to_file(path, layer="interventi", driver="GPKG")
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE segreti (riga TEXT)")
        db.execute("INSERT INTO segreti VALUES ('non per GDAL')")
        db.execute("CREATE TRIGGER t AFTER INSERT ON interventi BEGIN DELETE FROM segreti; END")
        db.execute("CREATE VIEW vista AS SELECT * FROM segreti")
    return path.read_bytes()


def test_geopackage_extras_are_not_read(api, tmp_path):
    response = post_upload(api, "extra.gpkg", gpkg_with_extras(tmp_path), commit=False)
    assert response.status_code == 200, response.content
    assert [f["title"] for f in response.json()["features"]] == ["Riqualificazione piazza 1"]


def test_geopackage_with_a_view_registered_as_a_second_layer_is_refused(api, tmp_path):
    before = snapshot()
    data = gpkg_with_extras(tmp_path)
    path = tmp_path / "vista.gpkg"
    path.write_bytes(data)
    with sqlite3.connect(path) as db:
        db.execute("CREATE VIEW vista_geo AS SELECT fid, geom FROM interventi")
        db.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
            "VALUES ('vista_geo', 'features', 'vista_geo', 4326)"
        )
        db.execute(
            "INSERT INTO gpkg_geometry_columns VALUES ('vista_geo', 'geom', 'POLYGON', 4326, 0, 0)"
        )
    response = post_upload(api, "vista.gpkg", path.read_bytes())
    message = m.GPKG_MANY_LAYERS.format(file="vista.gpkg", names="interventi, vista_geo")
    refused(response, message, before)
