"""The analyses of lum.queries against hand-computed answers on the tiny world (conftest.py).

Reference geometry is in UTM 32N around P = (600300, 5100000); r = 800 m unless stated. The
reference SQL is the one of each function, e.g. for services in a catchment:
    SELECT categoria, count(*) FROM lum_servizio s, lum
    WHERE published AND ST_DWithin(ST_Transform(s.geom, 32632), lum.g, lum.r) GROUP BY 1
"""

from __future__ import annotations

import math

import pytest

from lum import queries
from tests.lum.conftest import PX, PY, make_lum

R = 800
DISC_HA = math.pi * R * R / 10_000  # 201.06 ha; the 128-gon used for areas is 200.98 ha
# Part of rectangle C (x from P: 700..900, |y| <= 50) inside the circle x² + y² <= 800²:
#   ∫_{-50}^{50} (sqrt(800² - y²) - 700) dy = 9 947.9 m²
C_INSIDE_HA = 0.99479
# Circle segment west of the border x = 600000 (d = 300 m from P): r² acos(d/r) - d √(r² - d²)
WEST_SEGMENT_HA = (R * R * math.acos(300 / R) - 300 * math.sqrt(R * R - 300 * 300)) / 10_000


def by(rows, key, value="count"):
    return {row[key]: row[value] for row in rows}


def test_services_in_catchment_by_category(tiny_world):
    rows = queries.lum_services_by_category(tiny_world.lum.pk, R)
    # uni_in at 500 m, sport square at 700 m, cultura at 500 m; uni_out at 900 m is out and the
    # draft at 100 m is not published.
    assert by(rows, "categoria") == {"cultura": 1, "sport": 1, "universita": 1}


def test_services_in_catchment_are_listed_nearest_first_with_distances(tiny_world):
    rows = queries.lum_services(tiny_world.lum.pk, R)
    assert [(r["name"], r["distance_m"]) for r in rows] == [
        ("cultura", pytest.approx(500, abs=0.2)),
        ("uni_in", pytest.approx(500, abs=0.2)),
        ("sport", pytest.approx(700, abs=0.2)),
    ]


def test_the_lum_own_radius_wins_over_the_default(tiny_world):
    tiny_world.lum.radius_m = 1000
    tiny_world.lum.save()
    rows = queries.lum_services_by_category(tiny_world.lum.pk, R)
    assert by(rows, "categoria")["universita"] == 2  # uni_out at 900 m is now in


def test_the_default_radius_is_the_one_passed(tiny_world):
    # Nothing published lies within 400 m (the draft at 100 m does not count).
    assert queries.lum_services_by_category(tiny_world.lum.pk, 400) == []


def test_interventi_touching_the_catchment(tiny_world):
    rows = queries.lum_interventi(tiny_world.lum.pk, R)
    # I2 out, I3 a draft, I4 localised at Comune level (its geometry is no perimeter).
    assert [r["title"] for r in rows] == ["I1"]
    assert rows[0]["ettari"] == pytest.approx(1.0, abs=1e-4)
    assert rows[0]["finanziamento"] == 1_250_000


def test_funding_by_source_of_the_catchment(tiny_world):
    rows = queries.lum_funding_by_source(tiny_world.lum.pk, R)
    assert [(r["fonte"], r["importo"], r["interventi"]) for r in rows] == [
        ("pnrr", 1_000_000, 1),
        ("comunale", 250_000, 1),
    ]


def test_opportunita_touching_the_catchment_with_hectares_inside(tiny_world):
    rows = queries.lum_opportunita(tiny_world.lum.pk, R)
    assert [r["title"] for r in rows] == ["A", "C"]  # B out, D a draft
    a, c = rows
    assert a["ettari"] == pytest.approx(1.0, abs=1e-4)
    assert a["ettari_nel_bacino"] == pytest.approx(1.0, abs=1e-4)
    assert c["ettari"] == pytest.approx(2.0, abs=1e-4)
    assert c["ettari_nel_bacino"] == pytest.approx(C_INSIDE_HA, abs=0.005)


def test_comuni_reached_with_the_hectares_of_the_catchment_in_each(tiny_world):
    rows = queries.lum_comuni_reached(tiny_world.lum.pk, R)
    assert [r["name"] for r in rows] == ["Est", "Ovest"]
    assert rows[0]["ettari_nel_bacino"] == pytest.approx(DISC_HA - WEST_SEGMENT_HA, abs=0.2)
    assert rows[1]["ettari_nel_bacino"] == pytest.approx(WEST_SEGMENT_HA, abs=0.2)


def test_a_smaller_catchment_stays_in_one_comune(tiny_world):
    rows = queries.lum_comuni_reached(tiny_world.lum.pk, 250)  # border is 300 m away
    assert [r["name"] for r in rows] == ["Est"]
    assert rows[0]["ettari_nel_bacino"] == pytest.approx(math.pi * 250**2 / 10_000, abs=0.05)


def test_area_interventi_and_funding_by_source(tiny_world):
    est = [tiny_world.est.pk]
    # I4, known only at Comune level, counts in its Comune.
    assert [r["title"] for r in queries.area_interventi(est)] == ["I1", "I2", "I4"]
    rows = queries.area_funding_by_source(est)
    assert [(r["fonte"], r["importo"], r["interventi"]) for r in rows] == [
        ("pnrr", 1_500_000, 2),
        ("comunale", 250_000, 1),
        ("fondi_ue", 70_000, 1),
    ]
    assert queries.area_interventi([tiny_world.ovest.pk]) == []


def test_area_opportunity_hectares_by_type(tiny_world):
    rows = queries.area_opportunita_by_tipo([tiny_world.est.pk])
    assert by(rows, "tipo") == {"ambito_trasformazione": 1, "area_dismessa": 2}
    ettari = by(rows, "tipo", "ettari")
    assert ettari["ambito_trasformazione"] == pytest.approx(2.0, abs=1e-3)
    assert ettari["area_dismessa"] == pytest.approx(5.0, abs=1e-3)  # A 1 ha + B 4 ha


def test_share_of_opportunity_area_inside_lum_catchments(tiny_world):
    share = queries.area_opportunita_catchment_share([tiny_world.est.pk], R)
    # (A 1 ha + 0.9948 ha of C) / (A 1 + C 2 + B 4) = 0.2850
    assert share["ettari"] == pytest.approx(7.0, abs=1e-3)
    assert share["ettari_nei_bacini"] == pytest.approx(1 + C_INSIDE_HA, abs=0.005)
    assert share["quota"] == pytest.approx((1 + C_INSIDE_HA) / 7, abs=0.001)


def test_overlapping_catchments_are_counted_once(tiny_world):
    # L2, 200 m east of L, covers all of C (farthest corner 701.8 m) and A again. Summing the
    # two catchments would give 1.99 + 3 = 4.99 ha; their union holds A + C = 3 ha.
    make_lum(tiny_world.est, PX + 200, PY, name="L2")
    share = queries.area_opportunita_catchment_share([tiny_world.est.pk], R)
    assert share["ettari_nei_bacini"] == pytest.approx(3.0, abs=1e-3)
    assert share["quota"] == pytest.approx(3 / 7, abs=1e-4)


def test_an_unpublished_lum_has_no_catchment(tiny_world):
    make_lum(tiny_world.est, PX + 200, PY, name="L2", publication_state="bozza")
    share = queries.area_opportunita_catchment_share([tiny_world.est.pk], R)
    assert share["ettari_nei_bacini"] == pytest.approx(1 + C_INSIDE_HA, abs=0.005)


def test_share_is_none_without_opportunities(tiny_world):
    share = queries.area_opportunita_catchment_share([tiny_world.ovest.pk], R)
    assert share == {"ettari": 0.0, "ettari_nei_bacini": 0.0, "quota": None}


def test_services_per_category_of_a_comune_and_of_a_zona(tiny_world):
    assert by(queries.area_services_by_category([tiny_world.est.pk]), "categoria") == {
        "sport": 1,
        "universita": 2,  # uni_in and uni_out; the draft does not count
    }
    zona = [tiny_world.ovest.pk, tiny_world.est.pk]
    assert by(queries.area_services_by_category(zona), "categoria") == {
        "cultura": 1,
        "sport": 1,
        "universita": 2,
    }
