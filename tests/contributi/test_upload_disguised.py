"""Disguised files: content of another format behind an accepted extension (issue 12).

The hostile file of the issue is an OGR VRT that mentions ``<kml`` in a comment and points
at ``CSV:/etc/passwd``. Every accepted format gets it (and a GML, and a VRT fetching a URL)
through the API, the web form and inside KMZ/zip; each must be refused with the message that
the content does not match the extension, nothing stored and nothing fetched. Below the
checks of the bytes, the reader itself is tested: GDAL in the reading process knows only the
declared format's driver, so even a VRT handed to it as ``upload.kml`` is not opened.
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest
from django.utils.html import escape

from contributi.importers import messages as m
from contributi.importers import sandbox
from tests.contributi.conftest import geojson_bytes, intervento_rows, snapshot
from tests.contributi.helpers import post_upload, recording_server, web_upload

pytestmark = pytest.mark.django_db

UPLOAD_PAGE = "/contributi/carica/"
PASSWD_VRT = (
    b'<?xml version="1.0"?>\n<!-- a <kml> file, honestly -->\n'
    b'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>CSV:/etc/passwd</SrcDataSource>'
    b"</OGRVRTLayer></OGRVRTDataSource>"
)
GML = (
    b'<?xml version="1.0"?>\n<!-- <kml> -->\n'
    b'<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs" '
    b'xmlns:gml="http://www.opengis.net/gml" xmlns:xlink="http://www.w3.org/1999/xlink">'
    b'<gml:featureMember xlink:href="/etc/passwd"/></wfs:FeatureCollection>'
)


def curl_vrt(url: str) -> bytes:
    return (
        '<?xml version="1.0"?><!-- <kml> --><OGRVRTDataSource><OGRVRTLayer name="x">'
        f"<SrcDataSource>/vsicurl/{url}/a.geojson</SrcDataSource></OGRVRTLayer>"
        "</OGRVRTDataSource>"
    ).encode()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def disguises(content: bytes) -> list[tuple[str, bytes, str]]:
    """``content`` behind every accepted extension: (file name, bytes, extension named)."""
    return [
        ("mappa.kml", content, "kml"),
        ("mappa.kmz", zipped({"doc.kml": content}), "kmz"),
        ("dati.geojson", content, "geojson"),
        ("dati.json", content, "json"),
        ("dati.gpkg", content, "gpkg"),
        ("shape.zip", zipped({"a.shp": content, "a.shx": content, "a.dbf": content}), "zip"),
    ]


CASES = [
    pytest.param(name, data, ext, id=f"{label}-{name}")
    for label, content in (("vrt-passwd", PASSWD_VRT), ("gml-xlink", GML))
    for name, data, ext in disguises(content)
]


@pytest.fixture
def operator(client, operator_rho):
    client.force_login(operator_rho)
    return client


@pytest.mark.parametrize(("name", "data", "ext"), CASES)
def test_disguised_file_is_refused_by_the_api(operator, name, data, ext):
    before = snapshot()
    response = post_upload(operator, name, data)
    assert response.status_code == 400, response.content
    assert response.json()["detail"] == str(m.CONTENT_MISMATCH.format(file=name, ext=ext))
    assert b"root:x:0" not in response.content
    assert snapshot() == before


@pytest.mark.parametrize(("name", "data", "ext"), CASES)
def test_disguised_file_is_refused_by_the_web_form(operator, name, data, ext):
    before = snapshot()
    response = web_upload(operator, name, data)
    page = response.content.decode()
    assert escape(str(m.CONTENT_MISMATCH.format(file=name, ext=ext))) in page
    assert "root:x:0" not in page
    assert snapshot() == before


def test_vrt_fetching_a_url_behind_a_kml_fetches_nothing(operator):
    before = snapshot()
    with recording_server() as (url, hits):
        kml = post_upload(operator, "remoto.kml", curl_vrt(url))
        kmz = post_upload(operator, "remoto.kmz", zipped({"doc.kml": curl_vrt(url)}))
    assert kml.json()["detail"] == str(m.CONTENT_MISMATCH.format(file="remoto.kml", ext="kml"))
    assert kmz.json()["detail"] == str(m.CONTENT_MISMATCH.format(file="remoto.kmz", ext="kmz"))
    assert hits == []
    assert snapshot() == before


def test_geojson_behind_a_kml_extension_is_refused(operator):
    before = snapshot()
    response = post_upload(operator, "finto.kml", geojson_bytes(intervento_rows(1)))
    assert response.json()["detail"] == str(m.CONTENT_MISMATCH.format(file="finto.kml", ext="kml"))
    assert snapshot() == before


def test_kml_behind_a_geojson_extension_is_refused(operator):
    before = snapshot()
    kml = b'<kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>'
    response = post_upload(operator, "finto.geojson", kml)
    assert response.json()["detail"] == str(
        m.CONTENT_MISMATCH.format(file="finto.geojson", ext="geojson")
    )
    assert snapshot() == before


def test_plain_sqlite_database_behind_a_gpkg_extension_is_refused(operator, tmp_path):
    path = tmp_path / "x.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (a TEXT)")
        db.execute("INSERT INTO t VALUES ('riga')")
    before = snapshot()
    response = post_upload(operator, "finto.gpkg", path.read_bytes())
    assert response.status_code == 400
    assert response.json()["detail"] == str(
        m.CONTENT_MISMATCH.format(file="finto.gpkg", ext="gpkg")
    )
    assert snapshot() == before


# The reader below the byte checks: the content checks are skipped on purpose here.


@pytest.mark.parametrize("fmt", sorted(sandbox.DRIVERS))
def test_reader_knows_only_the_declared_formats_driver(fmt):
    skipped = set(sandbox.skipped_drivers(sandbox.DRIVERS[fmt]).split(","))
    assert sandbox.DRIVERS[fmt] not in skipped
    # Among them, every driver that can reach other files or the network.
    assert {"OGR_VRT", "GML", "CSV", "SQLite", "LIBKML", "GDALG", "WFS", "OAPIF"} <= skipped | {
        sandbox.DRIVERS[fmt]
    }


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("kml", "upload.kml"), ("geojson", "upload.geojson"), ("gpkg", "upload.gpkg")],
)
def test_reader_does_not_open_a_vrt_whatever_its_name(tmp_path: Path, fmt, name):
    path = tmp_path / name
    path.write_bytes(PASSWD_VRT)
    with pytest.raises(sandbox.SandboxError) as refused:
        sandbox.read(path, fmt, encoding=None, max_features=10)
    assert refused.value.kind == "open"
    assert "root:x:0" not in refused.value.reason
    assert not (tmp_path / "result.json").exists()


def test_reader_does_not_fetch_a_vsicurl_vrt_named_kml(tmp_path: Path):
    with recording_server() as (url, hits):
        path = tmp_path / "upload.kml"
        path.write_bytes(curl_vrt(url))
        with pytest.raises(sandbox.SandboxError):
            sandbox.read(path, "kml", encoding=None, max_features=10)
    assert hits == []


def test_reader_reads_the_file_it_is_pinned_to(tmp_path: Path):
    path = tmp_path / "upload.geojson"
    path.write_bytes(geojson_bytes(intervento_rows(2)))
    found = sandbox.read(path, "geojson", encoding=None, max_features=10)
    assert (found.count, len(found.geometries)) == (2, 2)
    assert found.columns["titolo"] == ["Riqualificazione piazza 1", "Riqualificazione piazza 2"]
