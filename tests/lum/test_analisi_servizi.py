"""The Atlante metropolitano dei servizi and the LUM analyses on the real services.

Expected figures are computed independently, with geopandas in EPSG:32632 on the CSV files
(:mod:`tests.lum.regione_expected`), and a few are written out as numbers (from that same
computation, checked by reading the files). A tiny world of hand-placed schools checks the
nearest-service rule on paper.
"""

from __future__ import annotations

from collections import Counter

import geopandas as gpd
import pytest

from lum.models import CategoriaServizio, Lum, Servizio
from lum.services import lum_load
from lum.servizi_regione import HOSPITALS, SCHOOLS, ospedali_load, scuole_load
from territorio.models import ZonaOmogenea
from tests.lum import regione_expected as expected
from tests.lum.conftest import PX, PY, point

RADIUS_M = 800
SOURCED = {"scuola_secondaria", "formazione", "sanita"}


@pytest.fixture
def real_services(territorio, data_dir, settings):
    settings.REMIX_LUM_RADIUS_M = RADIUS_M
    lum_load(data_dir=data_dir)
    scuole_load(data_dir=data_dir)
    ospedali_load(data_dir=data_dir)


def metric_point(geom) -> object:
    return gpd.GeoSeries.from_wkt([geom.wkt], crs="EPSG:4326").to_crs(expected.METRIC).iloc[0]


def in_catchment(lum: Lum) -> gpd.GeoDataFrame:
    """The services of the files within the LUM's radius (geopandas, EPSG:32632)."""
    services = expected.services().to_crs(expected.METRIC)
    return services[services.distance(metric_point(lum.geom)) <= RADIUS_M]


# -- LUM catchments ----------------------------------------------------------------------------


def test_students_and_services_in_every_lum_catchment_match_the_files(client, real_services):
    rows = client.get("/api/analisi/lum/").json()["results"]
    assert len(rows) == 64
    lums = {lum.pk: lum for lum in Lum.objects.all()}
    for row in rows:
        near = in_catchment(lums[row["id"]])
        assert (row["servizi"], row["studenti"]) == (len(near), int(near.studenti.sum()))
    by_name = {row["name"]: row for row in rows}
    # Bollate Centro: 6 schools (2 543 students) and Bollate's hospital within 800 m.
    assert (by_name["Bollate Centro"]["servizi"], by_name["Bollate Centro"]["studenti"]) == (
        7,
        2543,
    )
    assert sum(row["studenti"] for row in rows) == 17489  # students near any LUM, summed


def test_the_sheet_of_a_lum_counts_its_catchment_by_category(client, real_services):
    lum = Lum.objects.get(name="Magenta")
    body = client.get(f"/api/analisi/lum/{lum.pk}/").json()
    near = in_catchment(lum)
    assert {r["categoria"]: r["count"] for r in body["servizi_per_categoria"]} == dict(
        Counter(near.categoria)
    )
    assert dict(Counter(near.categoria)) == {"scuola_secondaria": 6, "formazione": 3}
    assert body["totali"]["studenti"] == int(near.studenti.sum()) == 1868
    assert (body["totali"]["scuole"], body["totali"]["cfp"]) == (6, 3)
    listed = {s["name"]: s for s in body["servizi"]}
    assert len(listed) == 9
    school = next(s for s in listed.values() if s["studenti"])
    assert school["dimensione"] == f"Studenti {school['studenti']}"
    assert school["source"] == SCHOOLS.source and school["is_sample"] is False


# -- Comuni and Zone omogenee ----------------------------------------------------------------


def test_counts_per_comune_and_nearest_services_match_the_files(client, real_services):
    rows = {r["istat_code"]: r for r in client.get("/api/analisi/comuni/").json()["results"]}
    assert len(rows) == 133
    services = expected.services()
    comuni = expected.comuni().to_crs(expected.METRIC)
    # Every Comune's centroid lies inside it, so the reference point is the centroid.
    assert comuni.centroid.within(comuni.geometry).all()
    metric = services.to_crs(expected.METRIC)
    hospitals = metric[metric.categoria == "sanita"]
    schools = metric[metric.categoria == "scuola_secondaria"]
    for comune in comuni.itertuples():
        row, here = rows[comune.istat_code], services[services.istat_code == comune.istat_code]
        counts = Counter(here.categoria)
        assert (row["scuole"], row["cfp"], row["ospedali"]) == (
            counts["scuola_secondaria"],
            counts["formazione"],
            counts["sanita"],
        ), comune.comune
        assert row["studenti"] == int(here.studenti.sum())
        centre = comune.geometry.centroid
        assert row["sanita_distance_m"] == pytest.approx(hospitals.distance(centre).min(), abs=0.2)
        assert row["scuola_secondaria_distance_m"] == pytest.approx(
            schools.distance(centre).min(), abs=0.2
        )
    # By the same computation: the farthest from a hospital is San Colombano al Lambro
    # (the exclave), 23.3 km from Vizzolo Predabissi's; Castano Primo is 6.1 km from Cuggiono's.
    far = rows["015191"]
    assert far["sanita_distance_m"] == pytest.approx(23327.05, abs=0.2)
    assert far["sanita_nearest"] == "OSPEDALE DI  VIZZOLO PREDABISSI"
    assert rows["015062"]["sanita_distance_m"] == pytest.approx(6144.0, abs=0.2)
    assert rows["015062"]["sanita_nearest"] == "OSPEDALE DI CUGGIONO"


def test_the_analysis_of_each_zona_counts_the_services_of_its_comuni(client, real_services):
    services = expected.services()
    services["zona"] = services.istat_code.map(expected.zona_of_comuni())
    for zona in ZonaOmogenea.objects.all():
        body = client.get(f"/api/analisi/zone/{zona.slug}/").json()
        here = services[services.zona == zona.name]
        assert {r["categoria"]: r["count"] for r in body["servizi_per_categoria"]} == dict(
            Counter(here.categoria)
        ), zona.name
        assert body["totali"]["studenti"] == int(here.studenti.sum())
        nearest = body["servizi_piu_vicini"]
        assert len(nearest) == 2 * zona.comuni.count()  # a hospital and a school per Comune
    milano = client.get("/api/analisi/zone/comune-di-milano/").json()
    assert {r["categoria"]: r["count"] for r in milano["servizi_per_categoria"]} == {
        "formazione": 30,
        "sanita": 38,
        "scuola_secondaria": 127,
    }


# -- the nearest-service rule on paper -----------------------------------------------------------


@pytest.fixture
def schools_in_tiny_world(tiny_world):
    """Around P (UTM 32N): school A at P + 300 m east (Est, 450 students), school B at
    x = 601 300 (Est, 999 students), a CFP 200 m west of P (Ovest), a hospital at
    (599 000, 5 100 500) in Ovest and a draft hospital at Est's centroid."""
    spec = {
        "A": ("scuola_secondaria", tiny_world.est, point(PX + 300, PY), 450, "pubblicato"),
        "B": ("scuola_secondaria", tiny_world.est, point(601300, PY), 999, "pubblicato"),
        "CFP": ("formazione", tiny_world.ovest, point(PX - 200, PY), None, "pubblicato"),
        "H": ("sanita", tiny_world.ovest, point(599000, 5100500), None, "pubblicato"),
        "H-draft": ("sanita", tiny_world.est, point(601500, PY), None, "bozza"),
    }
    for key, (categoria, comune, geom, students, state) in spec.items():
        Servizio.objects.create(
            code=f"T-{key}",
            name=key,
            categoria=categoria,
            comune=comune,
            geom=geom,
            studenti=students,
            publication_state=state,
        )
    return tiny_world


def test_nearest_hospital_and_school_are_measured_from_the_comune_centroid(
    client, schools_in_tiny_world
):
    # Est is x∈[600000, 603000], y∈[5098000, 5102000]: centroid (601500, 5100000).
    # Nearest school B at 200 m (A is 900 m away); the hospital H is √(2500² + 500²) =
    # 2549.5 m away (the draft at the centroid does not count).
    body = client.get("/api/analisi/comuni/999002/").json()
    nearest = {r["categoria"]: r for r in body["servizi_piu_vicini"]}
    assert nearest["scuola_secondaria"]["servizio"] == "B"
    assert nearest["scuola_secondaria"]["distance_m"] == pytest.approx(200, abs=0.5)
    assert nearest["sanita"]["servizio"] == "H"
    assert nearest["sanita"]["distance_m"] == pytest.approx(2549.5, abs=0.5)
    # Ovest's centroid (599000, 5100000): H at 500 m, school A at 1600 m.
    rows = {r["istat_code"]: r for r in client.get("/api/analisi/comuni/").json()["results"]}
    ovest = rows["999001"]
    assert ovest["sanita_distance_m"] == pytest.approx(500, abs=0.5)
    assert ovest["scuola_secondaria_distance_m"] == pytest.approx(1600, abs=0.5)
    assert (ovest["scuole"], ovest["cfp"], ovest["ospedali"]) == (0, 1, 1)
    assert (rows["999002"]["scuole"], rows["999002"]["studenti"]) == (2, 1449)


def test_students_in_the_tiny_catchment(client, schools_in_tiny_world):
    # Within 800 m of P: A (300 m, 450 students) and the CFP (200 m, no count); B is 1000 m.
    body = client.get(f"/api/analisi/lum/{schools_in_tiny_world.lum.pk}/").json()
    assert body["totali"]["studenti"] == 450
    assert (body["totali"]["scuole"], body["totali"]["cfp"]) == (1, 1)


def test_without_any_hospital_the_distance_is_empty(client, tiny_world):
    body = client.get("/api/analisi/comuni/999002/").json()
    assert [
        (r["categoria"], r["servizio"], r["distance_m"]) for r in body["servizi_piu_vicini"]
    ] == [
        (CategoriaServizio.SANITA, None, None),
        (CategoriaServizio.SCUOLA_SECONDARIA, None, None),
    ]


# -- the pages --------------------------------------------------------------------------------


def test_the_comune_sheet_shows_students_nearest_services_and_attribution(client, real_services):
    html = client.get("/atlante/comuni/015182/").content.decode()  # Rho
    rho = expected.schools()
    students = int(rho[rho.istat_code == "015182"].studenti.sum())
    assert students == 4125
    assert '<li data-indicator="studenti"><strong>4.125</strong>' in html
    assert "4.125 studenti" in html  # the row of the upper-secondary schools
    assert SCHOOLS.source in html and HOSPITALS.source in html and SCHOOLS.licence in html
    assert (
        'data-categoria="sanita"><td>Sanità ospedaliera</td><td>OSPEDALE DI CIRCOLO - RHO' in html
    )


def test_the_atlas_index_leads_with_the_citta_centrale_and_the_poli(client, real_services):
    html = client.get("/atlante/comuni/").content.decode()
    lead = html.split('id="schede-principali"', 1)[1].split("</table>", 1)[0]
    codes = [part.split('"', 1)[0] for part in lead.split('data-istat="')[1:]]
    assert codes[0] == "015146"  # Milano, the Città centrale
    poli = ["Abbiategrasso", "Bollate", "Cassano d&#x27;Adda", "Castano Primo", "Legnano"]
    assert len(codes) == 12 and all(name in lead for name in poli)
    assert html.index('id="schede-principali"') < html.index("Adda Martesana")
    milano = lead.split('data-istat="015146"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">127</td><td class="num">56.440</td><td class="num">38</td>' in milano
