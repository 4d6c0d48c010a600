"""Every bad upload of the issue: a clear message naming file/feature/field, nothing stored.

Each test uploads through the API as the operator of Rho with ``commit=true`` and asserts the
error AND that the database is exactly as before (:func:`snapshot`).
"""

from __future__ import annotations

import io
import stat
import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon

from contributi.importers import messages as m
from contributi.importers.reader import ALLOWED_SRIDS
from contributi.importers.safety import MAX_MEMBERS, MAX_UNPACKED_BYTES
from tests.contributi.conftest import (
    MILANO_POINT,
    RHO_POINT,
    geojson_bytes,
    intervento_rows,
    shapefile_zip,
    snapshot,
    square,
)
from tests.contributi.helpers import post_upload, recording_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, operator_rho):
    client.force_login(operator_rho)
    return client


def assert_refused(response, message: str, before) -> dict:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == str(message)
    assert snapshot() == before
    return body


def assert_feature_error(response, message: str, before, number: int = 1) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    feature = body["features"][number - 1]
    assert str(message) in feature["errors"], feature["errors"]
    assert snapshot() == before


def zip_bytes(members: dict[str, bytes], *, symlinks=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name)
            if name in symlinks:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def test_oversized_file_is_refused(api, settings):
    settings.REMIX_UPLOAD_MAX_BYTES = 1024 * 1024
    before = snapshot()
    data = b" " * (1024 * 1024 + 1) + geojson_bytes(intervento_rows())
    response = post_upload(api, "grande.geojson", data)
    size = f"{len(data) / 1024 / 1024:.1f}".replace(".", ",")
    assert_refused(
        response, m.TOO_LARGE.format(file="grande.geojson", size=size, limit="1,0"), before
    )


def test_empty_file_is_refused(api):
    before = snapshot()
    response = post_upload(api, "vuoto.geojson", b"")
    # DRF refuses an empty upload before our code: still a 400 naming the file field.
    assert response.status_code == 400
    assert "file" in response.json()
    response = post_upload(api, "vuoto.geojson", b"   \n")
    assert_refused(response, m.EMPTY_FILE.format(file="vuoto.geojson"), before)


def test_feature_collection_without_features_is_refused(api):
    before = snapshot()
    data = b'{"type": "FeatureCollection", "features": []}'
    assert_refused(
        post_upload(api, "niente.geojson", data),
        m.NO_FEATURES.format(file="niente.geojson"),
        before,
    )


def test_zip_with_path_traversal_is_refused(api, tmp_path):
    before = snapshot()
    data = zip_bytes({"../../etc/cron.d/evil.shp": b"\x00\x00\x27\x0a", "a.dbf": b""})
    response = post_upload(api, "percorso.zip", data)
    assert_refused(
        response,
        m.ZIP_UNSAFE_NAME.format(file="percorso.zip", member="../../etc/cron.d/evil.shp"),
        before,
    )
    assert not (tmp_path.parent / "etc").exists()


def test_zip_with_symlink_member_is_refused(api):
    before = snapshot()
    data = zip_bytes({"interventi.shp": b"/etc/passwd"}, symlinks={"interventi.shp"})
    assert_refused(
        post_upload(api, "link.zip", data),
        m.ZIP_LINK.format(file="link.zip", member="interventi.shp"),
        before,
    )


def test_zip_with_thousands_of_members_is_refused(api):
    before = snapshot()
    data = zip_bytes({f"parte{i}.txt": b"x" for i in range(3000)})
    assert_refused(
        post_upload(api, "tanti.zip", data),
        m.ZIP_TOO_MANY.format(file="tanti.zip", count=3000, limit=MAX_MEMBERS),
        before,
    )


def test_zip_bomb_by_declared_size_is_refused(api):
    before = snapshot()
    data = zip_bytes({"interventi.shp": b"\x00" * (10 * 1024 * 1024), "interventi.dbf": b""})
    assert len(data) < 100_000  # 10 MB of zeros compress ~1000:1
    assert_refused(
        post_upload(api, "bomba.zip", data),
        m.ZIP_TOO_BIG.format(file="bomba.zip", limit=MAX_UNPACKED_BYTES // 1024 // 1024),
        before,
    )


def test_vsicurl_path_in_a_zip_member_name_is_refused(api):
    before = snapshot()
    with recording_server() as (url, hits):
        member = f"/vsicurl/{url}/interventi.shp"
        data = zip_bytes({member: b"\x00\x00\x27\x0a"})
        response = post_upload(api, "vsi.zip", data)
    assert_refused(response, m.ZIP_UNSAFE_NAME.format(file="vsi.zip", member=member), before)
    assert hits == []


def test_vsicurl_upload_name_is_never_opened_as_a_path(api):
    """The user's file name is shown, never used: GDAL reads the bytes we wrote ourselves."""
    with recording_server() as (url, hits):
        name = f"/vsicurl/{url}/remoto.geojson"
        response = post_upload(api, name, geojson_bytes(intervento_rows(1)), commit=False)
    assert response.status_code == 200, response.content
    assert response.json()["features"][0]["title"] == "Riqualificazione piazza 1"
    assert hits == []


def test_vrt_disguised_as_geojson_is_refused_and_fetches_nothing(api):
    before = snapshot()
    with recording_server() as (url, hits):
        vrt = (
            f'<OGRVRTDataSource><OGRVRTLayer name="x"><SrcDataSource>/vsicurl/{url}/a.geojson'
            "</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"
        ).encode()
        response = post_upload(api, "travestito.geojson", vrt)
    assert_refused(
        response, m.CONTENT_MISMATCH.format(file="travestito.geojson", ext="geojson"), before
    )
    assert hits == []


def test_vsizip_chain_in_a_geopackage_name_is_refused(api):
    before = snapshot()
    response = post_upload(api, "/vsizip//etc/x.zip/a.gpkg", b"PK\x03\x04 not sqlite")
    # Django keeps only the last part of an uploaded file's name; we check the content.
    assert_refused(response, m.CONTENT_MISMATCH.format(file="a.gpkg", ext="gpkg"), before)


def test_kml_network_link_is_refused_and_not_fetched(api):
    before = snapshot()
    with recording_server() as (url, hits):
        kml = (
            '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
            f"<Document><NetworkLink><Link><href>{url}/altro.kml</href></Link></NetworkLink>"
            "<Placemark><name>P</name><Point><coordinates>9.0474,45.5318</coordinates></Point>"
            "</Placemark></Document></kml>"
        ).encode()
        response = post_upload(api, "esterno.kml", kml)
    assert_refused(response, m.KML_EXTERNAL.format(file="esterno.kml", what="networklink"), before)
    assert hits == []


def test_kml_external_entity_is_refused(api):
    before = snapshot()
    kml = (
        b'<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&x;</name>'
        b"<Point><coordinates>9.0474,45.5318</coordinates></Point></Placemark></kml>"
    )
    assert_refused(
        post_upload(api, "entita.kml", kml), m.KML_DOCTYPE.format(file="entita.kml"), before
    )


def test_points_are_refused_for_opportunita(api):
    before = snapshot()
    rows = [
        {
            "denominazione": "Area",
            "tipo": "area_dismessa",
            "stato": "disponibile",
            "geometry": Point(*RHO_POINT),
        }
    ]
    response = post_upload(api, "punti.geojson", geojson_bytes(rows), target="opportunita")
    assert_feature_error(
        response,
        m.F_WRONG_TYPE.format(feature=1, type="Point", model="Opportunità", wanted="poligoni"),
        before,
    )


def test_mixed_geometry_types_are_refused(api):
    before = snapshot()
    rows = intervento_rows(2)
    rows[1]["geometry"] = LineString([RHO_POINT, (RHO_POINT[0] + 0.001, RHO_POINT[1])])
    response = post_upload(api, "misto.geojson", geojson_bytes(rows))
    assert_refused(
        response, m.MIXED_TYPES.format(file="misto.geojson", types="LineString, Polygon"), before
    )


def test_feature_far_outside_the_cmm_is_refused(api):
    before = snapshot()
    rows = intervento_rows(1, point=(12.4924, 41.8902))  # the Colosseum, Rome
    response = post_upload(api, "roma.geojson", geojson_bytes(rows))
    assert_feature_error(response, m.F_OUTSIDE_CMM.format(feature=1), before)


def test_metres_declared_as_degrees_are_refused(api):
    before = snapshot()
    rows = [{"titolo": "x", "stato": "in_corso", "geometry": Point(503000, 5042000)}]
    data = geojson_bytes(rows).replace(b'"crs"', b'"_crs"')
    response = post_upload(api, "metri.geojson", data)
    assert_refused(
        response,
        m.COORDS_OUT_OF_RANGE.format(file="metri.geojson", crs=ALLOWED_SRIDS[4326]),
        before,
    )


def test_non_utf8_geojson_is_refused(api):
    before = snapshot()
    data = geojson_bytes(intervento_rows(1, titolo="Citta_")).replace(b"Citta_", b"Citt\xe0")
    assert_refused(
        post_upload(api, "latino.geojson", data), m.NOT_UTF8.format(file="latino.geojson"), before
    )


def test_shapefile_without_cpg_and_accents_asks_for_the_encoding(api, tmp_path):
    before = snapshot()
    data = shapefile_zip(
        tmp_path, intervento_rows(1, titolo="Città"), drop=(".cpg",), encoding="cp1252"
    )
    assert_refused(
        post_upload(api, "senza_cpg.zip", data),
        m.NEEDS_ENCODING.format(file="senza_cpg.zip"),
        before,
    )


def test_shapefile_without_cpg_reads_with_the_stated_encoding(api, tmp_path):
    data = shapefile_zip(
        tmp_path, intervento_rows(1, titolo="Città"), drop=(".cpg",), encoding="cp1252"
    )
    response = post_upload(api, "senza_cpg.zip", data, commit=False, encoding="CP1252")
    body = response.json()
    assert body["features"][0]["title"] == "Città"
    assert (
        str(m.NOTE_ENCODING.format(encoding="Windows-1252 (Europa occidentale)")) in body["notes"]
    )


def test_shapefile_cpg_is_honoured(api, tmp_path):
    data = shapefile_zip(tmp_path, intervento_rows(1, titolo="Città"), encoding="cp1252")
    response = post_upload(api, "con_cpg.zip", data, commit=False)
    assert response.json()["features"][0]["title"] == "Città"


def test_missing_prj_is_named(api, tmp_path):
    before = snapshot()
    data = shapefile_zip(tmp_path, intervento_rows(1), drop=(".prj",))
    assert_refused(
        post_upload(api, "senza_prj.zip", data), m.MISSING_PRJ.format(file="senza_prj.zip"), before
    )


def test_missing_crs_is_refused_unless_stated(api, tmp_path):
    before = snapshot()
    frame = gpd.GeoDataFrame(intervento_rows(1), geometry="geometry", crs=None)
    path = tmp_path / "nocrs.gpkg"
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        frame.to_file(path, driver="GPKG")
    data = path.read_bytes()
    assert_refused(post_upload(api, "nocrs.gpkg", data), m.NO_CRS.format(file="nocrs.gpkg"), before)
    response = post_upload(api, "nocrs.gpkg", data, commit=False, srid=4326)
    assert response.status_code == 200
    assert response.json()["features"][0]["comuni"] == ["015182"]


def test_crs_outside_the_allow_list_is_refused(api):
    before = snapshot()
    frame = gpd.GeoDataFrame(intervento_rows(1), geometry="geometry", crs=4326).to_crs(3857)
    data = frame.to_json(drop_id=True).encode()
    # GeoDataFrame.to_json writes a legacy "crs" member that GDAL honours.
    response = post_upload(api, "mercatore.geojson", data)
    allowed = ", ".join(f"EPSG:{code}" for code in ALLOWED_SRIDS)
    assert_refused(
        response,
        m.CRS_NOT_ALLOWED.format(file="mercatore.geojson", crs="EPSG:3857", allowed=allowed),
        before,
    )


def test_invalid_geometry_is_refused_and_make_valid_is_offered(api):
    before = snapshot()
    x, y = RHO_POINT
    bowtie = Polygon([(x, y), (x + 0.002, y + 0.002), (x + 0.002, y), (x, y + 0.002), (x, y)])
    rows = [{"titolo": "Farfalla", "stato": "in_corso", "geometry": bowtie}]
    response = post_upload(api, "farfalla.geojson", geojson_bytes(rows))
    body = response.json()
    assert response.status_code == 400
    assert body["features"][0]["errors"][0].startswith("Elemento 1: la geometria non è valida")
    assert "Correggi le geometrie" in body["features"][0]["errors"][0]
    assert snapshot() == before
    fixed = post_upload(
        api, "farfalla.geojson", geojson_bytes(rows), commit=False, make_valid="true"
    ).json()
    assert fixed["ok"] is True
    assert fixed["features"][0]["notes"] == [str(m.F_FIXED.format(feature=1))]


def test_required_field_missing_is_named(api):
    before = snapshot()
    rows = intervento_rows(1)
    del rows[0]["stato"]
    response = post_upload(api, "senza_stato.geojson", geojson_bytes(rows))
    assert_feature_error(response, m.F_REQUIRED.format(feature=1, field="Stato"), before)


def test_bad_cup_is_named(api):
    before = snapshot()
    response = post_upload(api, "cup.geojson", geojson_bytes(intervento_rows(1, cup="ABC")))
    assert_feature_error(response, m.F_BAD_CUP.format(feature=1, value="ABC"), before)


def test_funding_above_cost_is_refused(api):
    before = snapshot()
    rows = intervento_rows(1, fonte="pnrr", importo_finanziato=150000.0)  # cost 100 000
    response = post_upload(api, "importi.geojson", geojson_bytes(rows))
    assert_feature_error(
        response,
        m.F_FUNDING_OVER_COST.format(feature=1, funding="150000.00", cost="100000.00"),
        before,
    )


def test_bad_amount_is_named(api):
    before = snapshot()
    rows = intervento_rows(1, costo_totale="tanti")
    response = post_upload(api, "importi.geojson", geojson_bytes(rows))
    assert_feature_error(
        response, m.F_BAD_NUMBER.format(feature=1, field="Costo totale (€)", value="tanti"), before
    )


def test_duplicate_cup_in_the_same_file_is_refused(api):
    before = snapshot()
    rows = intervento_rows(2)
    rows[1]["cup"] = rows[0]["cup"]
    response = post_upload(api, "doppio.geojson", geojson_bytes(rows))
    assert_feature_error(
        response,
        m.F_DUPLICATE_CUP.format(
            feature=2, value=rows[0]["cup"], where="nell'elemento 1 dello stesso file"
        ),
        before,
        2,
    )


def test_operator_of_rho_cannot_upload_in_milano(api):
    before = snapshot()
    rows = intervento_rows(1, point=MILANO_POINT)
    response = post_upload(api, "milano.geojson", geojson_bytes(rows))
    assert_feature_error(response, m.F_OUTSIDE_OPERATOR.format(feature=1, comuni="Milano"), before)


def test_one_bad_feature_stores_nothing(api):
    """All or nothing: two good features and one outside the CMM → zero records."""
    before = snapshot()
    rows = intervento_rows(3)
    rows[2]["geometry"] = square(12.4924, 41.8902)
    response = post_upload(api, "tre.geojson", geojson_bytes(rows))
    body = response.json()
    assert [f["ok"] for f in body["features"]] == [True, True, False]
    assert snapshot() == before


def test_oversized_upload_is_not_kept_by_the_upload_handler(api, settings):
    """Above the limit the view receives an empty stand-in with the real size."""
    settings.REMIX_UPLOAD_MAX_BYTES = 1024 * 1024
    from contributi.uploadhandlers import SizeLimitedUploadHandler

    handler = SizeLimitedUploadHandler()
    handler.new_file("file", "grande.geojson", "application/json", 3 * 1024 * 1024)
    kept = [handler.receive_data_chunk(b"x" * 65536, i * 65536) for i in range(48)]
    assert sum(len(chunk) for chunk in kept if chunk) == 1024 * 1024
    stand_in = handler.file_complete(3 * 1024 * 1024)
    assert (stand_in.size, stand_in.read()) == (3 * 1024 * 1024, b"")
    before = snapshot()
    response = post_upload(api, "grande.geojson", b"x" * (3 * 1024 * 1024))
    assert_refused(
        response, m.TOO_LARGE.format(file="grande.geojson", size="3,0", limit="1,0"), before
    )


def test_geometry_collection_is_the_wrong_type(api):
    before = snapshot()
    from shapely.geometry import GeometryCollection

    rows = intervento_rows(1)
    rows[0]["geometry"] = GeometryCollection([Point(*RHO_POINT), square(*RHO_POINT)])
    response = post_upload(api, "collezione.geojson", geojson_bytes(rows))
    assert_feature_error(
        response,
        m.F_WRONG_TYPE.format(
            feature=1,
            type="GeometryCollection",
            model="Interventi",
            wanted="punti, linee o poligoni",
        ),
        before,
    )
