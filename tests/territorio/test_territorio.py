"""The territorial base: the loader, the models' derived values and the Comuni endpoint."""

from __future__ import annotations

import json
import shutil

import pytest
from django.urls import reverse

from remix.errors import UserInputError
from territorio.models import Comune, MembershipVerification, RuoloPTM, ZonaOmogenea
from territorio.services import COMUNI_FILE, MEMBERSHIP_FILE, territorio_load
from territorio.sql import comuni_topology_report

# Published sizes (CMM; Magentino e Abbiatense after the 2019 Vermezzo con Zelo merger).
EXPECTED_ZONE_SIZES = {
    "Adda Martesana": 29,
    "Alto Milanese": 22,
    "Magentino e Abbiatense": 28,
    "Nord Milano": 6,
    "Nord Ovest": 16,
    "Sud Est": 15,
    "Sud Ovest": 16,
    "Comune di Milano": 1,
}


def test_all_133_comuni_are_loaded_with_valid_boundaries(territorio):
    assert Comune.objects.count() == 133
    assert Comune.objects.filter(istat_code__startswith="015").count() == 133
    report = comuni_topology_report()
    assert report["invalid"] == 0


def test_zone_omogenee_have_the_published_sizes(territorio):
    sizes = {z.name: z.comuni.count() for z in ZonaOmogenea.objects.all()}
    assert sizes == EXPECTED_ZONE_SIZES
    assert sum(sizes.values()) == 133
    assert not Comune.objects.filter(zona_omogenea__isnull=True).exists()


def test_membership_verification_is_kept_per_zona(territorio):
    verification = dict(ZonaOmogenea.objects.values_list("name", "verification"))
    assert verification["Adda Martesana"] == MembershipVerification.PUBLISHED_LIST
    assert verification["Alto Milanese"] == MembershipVerification.PUBLISHED_LIST
    assert verification["Nord Ovest"] == MembershipVerification.COUNT_AND_AREA_CHECK
    assert verification["Comune di Milano"] == MembershipVerification.BY_DEFINITION


def test_comuni_neither_overlap_nor_leave_holes(territorio):
    # SELECT SUM(ST_Area(ST_Intersection(a, b))) over pairs, and the interior rings of
    # ST_UnaryUnion(all), in EPSG:32632. Tolerance: 0.01 km² (generalised ISTAT boundaries).
    report = comuni_topology_report()
    assert report["overlap_m2"] < 10_000
    assert report["holes_m2"] < 10_000
    # Main body plus the San Colombano al Lambro exclave.
    assert report["union_parts"] == 2
    # Official total 1 575.65 km²; the generalised boundaries give 1 575.0 km².
    assert report["union_area_m2"] / 1e6 == pytest.approx(1575.0, abs=1.0)


def test_areas_are_computed_in_the_metric_crs(territorio):
    milano = Comune.objects.get(istat_code="015146")
    # SELECT ST_Area(ST_Transform(geom, 32632)) / 1e6 FROM layers_comune WHERE name='Milano'
    assert milano.area_km2 == pytest.approx(180.75, abs=0.05)
    nord_milano = ZonaOmogenea.objects.get(name="Nord Milano")
    assert nord_milano.area_m2 / 1e6 == pytest.approx(50.04, abs=0.05)


def test_milano_is_the_citta_centrale(territorio):
    assert Comune.objects.get(istat_code="015146").ruolo_ptm == RuoloPTM.CITTA_CENTRALE
    assert Comune.objects.filter(ruolo_ptm=RuoloPTM.CITTA_CENTRALE).count() == 1


def test_poli_attrattori_come_from_the_sourced_list(territorio):
    poli = Comune.objects.filter(ruolo_ptm=RuoloPTM.POLO_ATTRATTORE)
    assert set(poli.values_list("name", flat=True)) == {
        "Rho",
        "Legnano",
        "Abbiategrasso",
        "Magenta",
        "Melzo",
        "Bollate",
        "Castano Primo",
        "Melegnano",
        "San Giuliano Milanese",
        "Pioltello",
        "Cassano d'Adda",
    }
    assert all(
        "Piano strategico" in source for source in poli.values_list("ruolo_ptm_source", flat=True)
    )


def test_loading_twice_changes_nothing(territorio, data_dir):
    before = list(Comune.objects.order_by("istat_code").values_list("istat_code", "area_m2"))
    report = territorio_load(data_dir=data_dir)
    assert report.comuni_created == 0
    assert report.comuni_updated == 0
    assert report.comuni_unchanged == 133
    assert report.zone_created == 0
    after = list(Comune.objects.order_by("istat_code").values_list("istat_code", "area_m2"))
    assert after == before


def test_missing_data_dir_is_a_clear_error_and_changes_nothing(territorio, tmp_path):
    with pytest.raises(UserInputError, match=COMUNI_FILE):
        territorio_load(data_dir=tmp_path)
    assert Comune.objects.count() == 133


def test_unknown_comune_in_membership_is_refused_atomically(territorio, data_dir, tmp_path):
    shutil.copy(data_dir / COMUNI_FILE, tmp_path / COMUNI_FILE)
    text = (data_dir / MEMBERSHIP_FILE).read_text()
    (tmp_path / MEMBERSHIP_FILE).write_text(text + "099999,Nowhere,Nord Ovest,published_list\n")
    Comune.objects.filter(istat_code="015146").update(name="changed")
    with pytest.raises(UserInputError, match="099999"):
        territorio_load(data_dir=tmp_path)
    assert Comune.objects.get(istat_code="015146").name == "changed"


def test_comune_without_sourced_zona_stays_unassigned_and_is_listed(territorio, data_dir, tmp_path):
    shutil.copy(data_dir / COMUNI_FILE, tmp_path / COMUNI_FILE)
    lines = (data_dir / MEMBERSHIP_FILE).read_text().splitlines(keepends=True)
    (tmp_path / MEMBERSHIP_FILE).write_text("".join(row for row in lines if "015009," not in row))
    report = territorio_load(data_dir=tmp_path)
    assert report.unassigned == ["Arese (015009)"]
    assert Comune.objects.get(istat_code="015009").zona_omogenea is None


def test_moving_a_comune_updates_both_zone_boundaries(territorio):
    nord_ovest = ZonaOmogenea.objects.get(name="Nord Ovest")
    nord_milano = ZonaOmogenea.objects.get(name="Nord Milano")
    arese = Comune.objects.get(istat_code="015009")
    assert arese.zona_omogenea == nord_ovest
    before_no, before_nm = nord_ovest.area_m2, nord_milano.area_m2
    arese.zona_omogenea = nord_milano
    arese.save()
    nord_ovest.refresh_from_db()
    nord_milano.refresh_from_db()
    assert nord_ovest.area_m2 == pytest.approx(before_no - arese.area_m2, rel=1e-6)
    assert nord_milano.area_m2 == pytest.approx(before_nm + arese.area_m2, rel=1e-6)


def test_comuni_endpoint_returns_a_feature_collection(client, territorio):
    response = client.get(reverse("territorio:comuni"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["type"] == "FeatureCollection"
    assert len(body["features"]) == 133
    milano = next(f for f in body["features"] if f["id"] == "015146")
    assert milano["properties"]["name"] == "Milano"
    assert milano["properties"]["zona_omogenea"] == "Comune di Milano"
    assert milano["geometry"]["type"] == "MultiPolygon"
    lon, lat = milano["geometry"]["coordinates"][0][0][0]
    assert 9.0 < lon < 9.3 and 45.3 < lat < 45.6


def test_comuni_endpoint_does_one_query(client, territorio, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(reverse("territorio:comuni"))


def test_home_page_shows_the_map_and_attribution(client, territorio):
    response = client.get("/")
    assert response.status_code == 200
    content = response.content.decode()
    assert 'id="map"' in content
    assert "ISTAT" in content and "Openpolis" in content
