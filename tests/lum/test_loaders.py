"""The loaders against the real station files and the deterministic sample of services."""

from __future__ import annotations

import math

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lum import queries
from lum.models import Lum, RangoLum, Servizio
from lum.samples import servizi_sample_load
from lum.services import ERROR_FILE_MISSING, RAIL_FILE, lum_load
from territorio.models import MILANO_ISTAT_CODE

# 45 rail stations + 21 metro stations outside Milano (SOURCES.md), minus 2 merges within
# 300 m: Rho Fiera (rail + M1) and Sesto San Giovanni / Sesto 1° Maggio FS (rail + M1).
EXPECTED_LUM = 45 + 21 - 2


@pytest.fixture
def real_lum(territorio, data_dir):
    lum_load(data_dir=data_dir)
    return Lum.objects


def test_one_lum_per_stop_outside_milano_with_interchanges_merged(real_lum):
    assert real_lum.count() == EXPECTED_LUM
    merged = real_lum.filter(code__contains="+")
    assert sorted(m.comune.name for m in merged) == ["Rho", "Sesto San Giovanni"]
    assert all(m.modes == ["treno", "metro"] for m in merged)


def test_every_lum_lies_in_a_comune_of_the_cmm_and_none_in_milano(real_lum):
    # SELECT count(*) FROM lum_lum l JOIN layers_comune c ON c.id = l.comune_id
    # WHERE ST_Intersects(c.geom, l.geom) AND c.istat_code LIKE '015%' AND c.istat_code <> '015146'
    sql = """
        SELECT count(*) FROM lum_lum l JOIN layers_comune c ON c.id = l.comune_id
        WHERE ST_Intersects(c.geom, l.geom) AND c.istat_code LIKE '015%%'
          AND c.istat_code <> %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [MILANO_ISTAT_CODE])
        assert cursor.fetchone()[0] == EXPECTED_LUM


def test_rank_rule_metro_or_s_lines_make_a_metropolitan_lum(real_lum):
    for lum in real_lum.all():
        metropolitan = "metro" in lum.modes or "S" in lum.lines
        assert lum.rank == (RangoLum.METROPOLITANO if metropolitan else RangoLum.SOVRACOMUNALE)
    assert real_lum.get(name="Abbiategrasso").rank == RangoLum.SOVRACOMUNALE  # R trains only


def test_every_lum_keeps_its_source_and_is_published_real_data(real_lum):
    assert not real_lum.filter(source="").exists()
    assert not real_lum.filter(is_sample=True).exists()
    assert real_lum.published().count() == EXPECTED_LUM


@pytest.mark.parametrize("radius", [800, 500])
def test_catchments_use_the_configured_radius(real_lum, settings, radius):
    settings.REMIX_LUM_RADIUS_M = radius
    lum = real_lum.get(name__startswith="Rho Fiera")  # a disc inside the CMM (Rho, Milano, Pero)
    reached = queries.lum_comuni_reached(lum.pk, settings.REMIX_LUM_RADIUS_M)
    total = sum(r["ettari_nel_bacino"] for r in reached)
    # The Comuni partition the territory, so the parts add up to the 128-gon of radius r:
    # 64 r² sin(2π/128) = 200.98 ha (800 m), 78.51 ha (500 m).
    assert total == pytest.approx(64 * radius**2 * math.sin(2 * math.pi / 128) / 10_000, abs=0.01)


def test_loading_twice_changes_nothing(real_lum, data_dir):
    before = list(real_lum.order_by("code").values_list("pk", "code", "name", "comune_id"))
    report = lum_load(data_dir=data_dir)
    assert (report.created, report.deleted) == (0, 0)
    assert list(real_lum.order_by("code").values_list("pk", "code", "name", "comune_id")) == before


def test_a_missing_station_file_is_a_command_error_and_loads_nothing(territorio, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("load_lum", data_dir=str(tmp_path))
    assert str(error.value) == ERROR_FILE_MISSING.format(path=tmp_path / RAIL_FILE)
    assert not Lum.objects.exists()


def test_sample_services_are_deterministic_flagged_and_inside_their_comune(real_lum):
    servizi_sample_load()
    first = list(Servizio.objects.order_by("code").values_list("code", "name", "geom"))
    report = servizi_sample_load()
    assert (report.created, report.deleted) == (0, 0)
    again = list(Servizio.objects.order_by("code").values_list("code", "name", "geom"))
    assert [(c, n, g.wkt) for c, n, g in again] == [(c, n, g.wkt) for c, n, g in first]
    assert Servizio.objects.filter(is_sample=False).count() == 0
    assert all(name.endswith("(esempio)") for _c, name, _g in first)
    # Every sample service's representative point lies in its own Comune.
    sql = """SELECT count(*) FROM lum_servizio s JOIN layers_comune c ON c.id = s.comune_id
             WHERE NOT ST_Intersects(c.geom, ST_PointOnSurface(s.geom))"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert cursor.fetchone()[0] == 0
    assert Servizio.objects.values("comune").distinct().count() == 133  # every Comune has one
