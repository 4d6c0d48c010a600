"""The seeded sample: counts, spread over every Zona, inside its Comuni, idempotent."""

from __future__ import annotations

import pytest
from django.db import connection

from layers.srid import METRIC_SRID
from remix.errors import UserInputError
from rigenerazione.models import Intervento, Opportunita
from rigenerazione.sample import (
    ERROR_NO_TERRITORIO,
    N_INTERVENTI,
    N_OPPORTUNITA,
    SAMPLE_SOURCE,
    generate,
    sample_load,
)
from rigenerazione.sql import outside_own_comune_ids
from rules.spatial import CMM_TOLERANCE_M
from territorio.models import Comune, ZonaOmogenea

pytestmark = pytest.mark.django_db


def interventi_outside_their_comuni() -> list[int]:
    # SELECT i.id FROM intervento i WHERE NOT ST_CoveredBy(i.geom, union of its Comuni + 1 m)
    sql = """
        SELECT i.id FROM rigenerazione_intervento AS i
        WHERE NOT ST_CoveredBy(
            ST_Transform(i.geom, %s),
            (SELECT ST_Buffer(ST_Union(ST_Transform(c.geom, %s)), %s)
             FROM rigenerazione_intervento_comuni AS ic
             JOIN layers_comune AS c ON c.id = ic.comune_id
             WHERE ic.intervento_id = i.id))
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [METRIC_SRID, METRIC_SRID, CMM_TOLERANCE_M])
        return [row[0] for row in cursor.fetchall()]


def test_sample_loads_spread_inside_real_comuni_and_a_second_run_changes_nothing(territorio):
    report = sample_load()

    interventi = Intervento.objects.published().filter(is_sample=True)
    opportunita = Opportunita.objects.published().filter(is_sample=True)
    assert report.created == N_INTERVENTI + N_OPPORTUNITA
    assert interventi.count() == N_INTERVENTI >= 150
    assert opportunita.count() == N_OPPORTUNITA >= 300
    assert set(interventi.values_list("source", flat=True)) == {SAMPLE_SOURCE}
    assert not interventi.filter(cup__isnull=False).exists()  # no invented CUPs
    # Every Zona omogenea has both kinds of record.
    zone = set(ZonaOmogenea.objects.values_list("slug", flat=True))
    assert set(opportunita.values_list("comune__zona_omogenea__slug", flat=True)) == zone
    assert set(interventi.values_list("comuni__zona_omogenea__slug", flat=True)) == zone
    # Areas, lines and points.
    assert set(interventi.values_list("localizzazione", flat=True)) == {"area", "linea", "punto"}
    # Inside their Comune; funding never above cost; surfaces computed.
    assert interventi_outside_their_comuni() == []
    assert outside_own_comune_ids(Opportunita, opportunita.values_list("pk", flat=True)) == []
    assert all(
        i.funding_total() <= i.costo_totale for i in interventi.prefetch_related("finanziamenti")
    )
    assert not opportunita.filter(superficie_m2__lte=0).exists()

    stamps = dict(Opportunita.objects.values_list("pk", "updated_at"))
    again = sample_load()

    assert (again.created, again.updated, again.unchanged) == (0, 0, N_INTERVENTI + N_OPPORTUNITA)
    assert dict(Opportunita.objects.values_list("pk", "updated_at")) == stamps


def test_generation_is_deterministic(territorio):
    first_i, first_o = generate()
    second_i, second_o = generate()

    assert [f["title"] for f in first_i] == [f["title"] for f in second_i]
    assert [f["geom"].ewkb for f in first_o] == [f["geom"].ewkb for f in second_o]


def test_without_the_territory_it_is_a_clear_error_and_nothing_is_written(territorio):
    Comune.objects.all().delete()

    with pytest.raises(UserInputError) as error:
        sample_load()

    assert error.value.message == ERROR_NO_TERRITORIO
    assert not Intervento.objects.exists() and not Opportunita.objects.exists()
