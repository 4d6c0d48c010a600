"""Good uploads in every accepted format and CRS: the report, the drafts, the notes."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon

from contributi.forms import InterventoEditForm
from contributi.importers import messages as m
from contributi.importers.reader import ALLOWED_SRIDS
from rigenerazione.models import Finanziamento, Intervento, Opportunita
from rules.publication import PublicationState
from tests.contributi.conftest import (
    RHO,
    RHO_POINT,
    geojson_bytes,
    intervento_rows,
    shapefile_zip,
    snapshot,
)
from tests.contributi.helpers import post_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, operator_rho):
    client.force_login(operator_rho)
    return client


def test_geojson_commit_creates_drafts_in_rho_with_funding(api, operator_rho):
    rows = intervento_rows(2, fonte="PNRR", importo_finanziato="80.000,50")
    response = post_upload(api, "piazze.geojson", geojson_bytes(rows))
    assert response.status_code == 201, response.content
    created = Intervento.objects.filter(pk__in=response.json()["created"]).order_by("pk")
    assert [r.title for r in created] == ["Riqualificazione piazza 1", "Riqualificazione piazza 2"]
    first = created[0]
    assert first.publication_state == PublicationState.BOZZA
    assert first.created_by == operator_rho
    assert first.localizzazione == "area"
    assert first.geom.geom_type == "MultiPolygon"
    assert [c.istat_code for c in first.comuni.all()] == [RHO]
    assert first.costo_totale == Decimal("100000.00")
    funding = Finanziamento.objects.get(intervento=first)
    assert (funding.fonte, funding.importo) == ("pnrr", Decimal("80000.50"))
    assert first.source == "Caricamento del file piazze.geojson"
    assert first.history.count() == 1


@pytest.mark.parametrize("srid", [32632, 3003, 6707, 7791])
def test_projected_shapefile_is_reprojected_to_wgs84(api, tmp_path, srid):
    # The same square, written in ``srid``, comes back where it was (tolerance 1e-6° ≈ 0.1 m).
    rows = intervento_rows(1)
    projected = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326).to_crs(srid)
    data = shapefile_zip(tmp_path, projected.to_dict("records"), crs=srid)
    response = post_upload(api, f"epsg{srid}.zip", data)
    assert response.status_code == 201, response.content
    assert str(m.NOTE_REPROJECTED.format(crs=ALLOWED_SRIDS[srid])) in response.json()["notes"]
    stored = Intervento.objects.get(pk=response.json()["created"][0]).geom
    assert stored.srid == 4326
    assert stored.centroid.x == pytest.approx(RHO_POINT[0], abs=1e-6)
    assert stored.centroid.y == pytest.approx(RHO_POINT[1], abs=1e-6)


def test_missing_prj_with_stated_crs_is_read(api, tmp_path):
    rows = gpd.GeoDataFrame(intervento_rows(1), geometry="geometry", crs=4326).to_crs(32632)
    data = shapefile_zip(tmp_path, rows.to_dict("records"), crs=32632, drop=(".prj",))
    response = post_upload(api, "senza_prj.zip", data, srid=32632)
    assert response.status_code == 201, response.content


def test_z_values_are_dropped_with_a_note(api):
    x, y = RHO_POINT
    rows = [
        {
            "titolo": "Con quote",
            "stato": "concluso",
            "geometry": Polygon(
                [(x, y, 120), (x + 0.001, y, 121), (x + 0.001, y + 0.001, 122), (x, y, 120)]
            ),
        }
    ]
    response = post_upload(api, "quote.geojson", geojson_bytes(rows))
    assert response.status_code == 201, response.content
    assert str(m.NOTE_Z_DROPPED) in response.json()["notes"]
    assert not Intervento.objects.get(pk=response.json()["created"][0]).geom.hasz


def test_sidecar_files_are_ignored_with_a_note(api, tmp_path):
    data = shapefile_zip(
        tmp_path,
        intervento_rows(1),
        extra={"interventi.shp.xml": "<metadata/>", "LEGGIMI.txt": "ciao"},
    )
    response = post_upload(api, "con_xml.zip", data, commit=False)
    assert response.status_code == 200, response.content
    assert response.json()["notes"] == [
        str(m.NOTE_SIDECAR_IGNORED.format(names="LEGGIMI.txt, interventi.shp.xml"))
    ]


def test_geopackage_is_read(api, tmp_path):
    path = tmp_path / "interventi.gpkg"
    gpd.GeoDataFrame(intervento_rows(2), geometry="geometry", crs=4326).to_file(path)
    response = post_upload(api, "interventi.gpkg", path.read_bytes())
    assert response.status_code == 201, response.content
    assert len(response.json()["created"]) == 2


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Giardino condiviso</name><description>Via Roma</description>
<Point><coordinates>9.0474,45.5318,0</coordinates></Point></Placemark>
</Document></kml>"""


def test_kml_is_read_and_names_the_missing_required_field(api):
    before = snapshot()
    response = post_upload(api, "punto.kml", KML.encode())
    feature = response.json()["features"][0]
    assert feature["title"] == "Giardino condiviso"
    assert feature["comuni"] == [RHO]
    assert feature["errors"] == [str(m.F_REQUIRED.format(feature=1, field="Stato"))]
    assert snapshot() == before


def test_kmz_is_read(api):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("doc.kml", KML)
    response = post_upload(api, "punto.kmz", buffer.getvalue(), commit=False)
    assert response.json()["features"][0]["title"] == "Giardino condiviso"


def test_mapping_step_maps_other_column_names(api):
    rows = [{"nome_progetto": "Orti urbani", "fase": "Concluso", "geometry": Point(*RHO_POINT)}]
    data = geojson_bytes(rows)
    first = post_upload(api, "altro.geojson", data, commit=False).json()
    assert first["features"][0]["errors"] == [
        str(m.F_REQUIRED.format(feature=1, field="Titolo")),
        str(m.F_REQUIRED.format(feature=1, field="Stato")),
    ]
    response = post_upload(api, "altro.geojson", data, map_title="nome_progetto", map_stato="fase")
    assert response.status_code == 201, response.content
    record = Intervento.objects.get(pk=response.json()["created"][0])
    assert (record.title, record.stato, record.localizzazione) == (
        "Orti urbani",
        "concluso",
        "punto",
    )


def test_opportunita_upload_computes_comune_and_surface(api):
    x, y = RHO_POINT
    rows = [
        {
            "denominazione": "Ex deposito",
            "tipo": "area_dismessa",
            "stato": "disponibile",
            "geometry": Polygon([(x, y), (x + 0.002, y), (x + 0.002, y + 0.002), (x, y + 0.002)]),
        }
    ]
    response = post_upload(api, "aree.geojson", geojson_bytes(rows), target="opportunita")
    assert response.status_code == 201, response.content
    record = Opportunita.objects.get(pk=response.json()["created"][0])
    assert record.comune.istat_code == RHO
    # 0.002° × 0.002° at 45.53°N ≈ 156 m × 222 m ≈ 34 700 m² (cos 45.53° × 111 320 m × ...).
    assert record.superficie_m2 == pytest.approx(34_700, rel=0.02)


def test_html_in_attributes_is_stored_as_text_and_escaped_when_shown(api):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    response = post_upload(api, "html.geojson", geojson_bytes(intervento_rows(1, titolo=script)))
    assert response.status_code == 201, response.content
    assert Intervento.objects.get(pk=response.json()["created"][0]).title == script
    page = api.get("/contributi/").content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


@pytest.mark.parametrize("target", ["interventi", "opportunita"])
@pytest.mark.parametrize("fmt", ["geojson", "gpkg"])
def test_template_downloads_for_anyone_and_reads_back(client, operator_rho, target, fmt):
    response = client.get(f"/contributi/modello/{target}.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="modello-{target}.{fmt}"'
    client.force_login(operator_rho)
    # The example lies in Milano: the operator of Rho sees exactly that refusal and no other.
    body = post_upload(
        client, f"modello.{fmt}", response.content, target=target, commit=False
    ).json()
    assert body["features"][0]["errors"] == [
        str(m.F_OUTSIDE_OPERATOR.format(feature=1, comuni="Milano"))
    ]


def test_template_geojson_lists_every_importable_field(client):
    """Every field the editing form offers, plus the funding row's three columns."""
    document = json.loads(client.get("/contributi/modello/interventi.geojson").content)
    assert set(document["features"][0]["properties"]) == {
        *InterventoEditForm.Meta.fields,
        "fonte",
        "importo_finanziato",
        "misura",
    }
