"""Domain rules of interventions and opportunities (services and model validation)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.gis.geos import GEOSGeometry, LineString, Point, Polygon
from django.core.exceptions import ValidationError

from layers.srid import STORAGE_SRID
from rigenerazione.models import Finanziamento, Intervento, Localizzazione, Opportunita
from rigenerazione.rules import ERROR_FUNDING_OVER_COST
from rigenerazione.services import (
    FinanziamentoInput,
    intervento_create,
    intervento_update,
    opportunita_create,
    opportunita_update,
)
from rules.geometry import ERROR_GEOM_INVALID, ERROR_OUTSIDE_CMM
from tests.rigenerazione.conftest import (
    ARESE,
    BOLLATE,
    MILANO,
    comune,
    metric_shape,
    square,
)

pytestmark = pytest.mark.django_db


def _intervento(**overrides):
    args = {"title": "Prova", "geom": square(MILANO), "stato": "in_corso"}
    return intervento_create(**{**args, **overrides})


def test_single_polygon_is_stored_as_multipolygon_with_its_comune_found_spatially(territorio):
    intervento = _intervento(geom=square(BOLLATE))

    intervento.refresh_from_db()
    assert intervento.geom.geom_type == "MultiPolygon"
    assert intervento.localizzazione == Localizzazione.AREA
    assert [c.istat_code for c in intervento.comuni.all()] == [BOLLATE]


def test_point_and_line_become_multi_with_their_localizzazione(territorio):
    point = _intervento(title="Punto", geom=metric_shape(MILANO, "p"))
    line = _intervento(
        title="Linea", geom=metric_shape(MILANO, "ST_MakeLine(p, ST_Translate(p, 5, 5))")
    )

    assert (point.geom.geom_type, point.localizzazione) == ("MultiPoint", "punto")
    assert (line.geom.geom_type, line.localizzazione) == ("MultiLineString", "linea")


def test_area_across_a_border_gets_both_comuni(territorio):
    # A 200 m square centred on the middle of the Bollate-Arese border.
    border = """ST_Expand(ST_Transform(ST_LineInterpolatePoint(ST_LineMerge(ST_Intersection(
        (SELECT geom FROM layers_comune WHERE istat_code = '015027'),
        (SELECT geom FROM layers_comune WHERE istat_code = '015009'))), 0.5), 32632), 100)"""
    intervento = _intervento(geom=metric_shape(MILANO, border))

    codes = list(intervento.comuni.values_list("istat_code", flat=True))
    assert codes == [ARESE, BOLLATE]


def test_invalid_geometry_is_rejected_naming_the_record_and_nothing_is_stored(territorio):
    x, y = square(MILANO).centroid.coords
    bowtie = Polygon(
        ((x, y), (x + 0.001, y + 0.001), (x + 0.001, y), (x, y + 0.001), (x, y)),
        srid=STORAGE_SRID,
    )

    with pytest.raises(ValidationError) as error:
        _intervento(title="Farfalla", geom=bowtie)

    message = error.value.message_dict["geom"][0]
    assert message.startswith(
        ERROR_GEOM_INVALID.split("{reason}")[0].format(record="Intervento «Farfalla»")
    )
    assert not Intervento.objects.exists()


def test_geometry_outside_the_cmm_is_rejected_naming_the_record(territorio):
    rome = Point(12.4964, 41.9028, srid=STORAGE_SRID)

    with pytest.raises(ValidationError) as error:
        _intervento(title="Colosseo", geom=rome)

    expected = ERROR_OUTSIDE_CMM.format(record="Intervento «Colosseo»")
    assert error.value.message_dict["geom"] == [expected]
    assert not Intervento.objects.exists()


def test_geometry_straddling_the_cmm_border_is_rejected(territorio):
    # Abbiategrasso borders the province of Pavia to the south-west: 20 km reaches outside.
    with pytest.raises(ValidationError) as error:
        _intervento(title="Troppo grande", geom=square("015002", 20000))

    assert "esce dalla Città metropolitana" in error.value.message_dict["geom"][0]
    assert not Intervento.objects.exists()


def test_the_boundary_of_a_comune_itself_is_inside_the_cmm(territorio):
    intervento = _intervento(geom=comune(ARESE).geom, localizzazione="comunale")

    assert list(intervento.comuni.values_list("istat_code", flat=True)) == [ARESE]


def test_funding_over_total_cost_is_rejected_and_nothing_is_stored(territorio):
    rows = [
        FinanziamentoInput("pnrr", Decimal("600")),
        FinanziamentoInput("privato", Decimal("401")),
    ]

    with pytest.raises(ValidationError) as error:
        _intervento(costo_totale=Decimal("1000"), finanziamenti=rows)

    expected = ERROR_FUNDING_OVER_COST.format(
        record="Intervento «Prova»", total=Decimal("1001"), cost=Decimal("1000")
    )
    assert error.value.message_dict["costo_totale"] == [expected]
    assert not Intervento.objects.exists()
    assert not Finanziamento.objects.exists()


def test_funding_equal_to_cost_is_accepted_and_shares_are_derived(territorio):
    rows = [
        FinanziamentoInput("pnrr", Decimal("600")),
        FinanziamentoInput("comunale", Decimal("400")),
    ]

    intervento = _intervento(costo_totale=Decimal("1000"), finanziamenti=rows)

    shares = sorted((f.fonte, f.quota) for f in intervento.finanziamenti.all())
    assert shares == [("comunale", 0.4), ("pnrr", 0.6)]


def test_lowering_the_cost_below_existing_funding_is_rejected_and_nothing_changes(territorio):
    intervento = _intervento(
        costo_totale=Decimal("1000"), finanziamenti=[FinanziamentoInput("pnrr", Decimal("800"))]
    )

    with pytest.raises(ValidationError):
        intervento_update(intervento=intervento, costo_totale=Decimal("700"))

    stored = Intervento.objects.get(pk=intervento.pk)
    assert stored.costo_totale == Decimal("1000")
    assert list(stored.finanziamenti.values_list("importo", flat=True)) == [Decimal("800")]


def test_replacing_funding_and_cost_together_is_accepted(territorio):
    intervento = _intervento(
        costo_totale=Decimal("1000"), finanziamenti=[FinanziamentoInput("pnrr", Decimal("800"))]
    )

    intervento_update(
        intervento=intervento,
        costo_totale=Decimal("500"),
        finanziamenti=[FinanziamentoInput("regionale", Decimal("500"))],
    )

    assert list(intervento.finanziamenti.values_list("fonte", "importo")) == [
        ("regionale", Decimal("500"))
    ]


@pytest.mark.parametrize(
    "cup", ["C47H2100103000", "C47H210010300011", "147H21001030001", "c47h21001030001"]
)
def test_bad_cup_is_rejected_and_nothing_is_stored(territorio, cup):
    with pytest.raises(ValidationError) as error:
        _intervento(cup=cup)

    assert "cup" in error.value.message_dict
    assert not Intervento.objects.exists()


def test_new_geometry_rederives_the_comuni(territorio):
    intervento = _intervento(geom=square(MILANO))

    intervento_update(intervento=intervento, geom=square(BOLLATE))

    assert list(intervento.comuni.values_list("istat_code", flat=True)) == [BOLLATE]


def test_opportunita_surface_is_computed_in_the_metric_crs(territorio):
    # A 200 m × 100 m rectangle drawn in UTM 32N: 20 000 m², 2 ha.
    geom = metric_shape(
        MILANO, "ST_MakeEnvelope(ST_X(p), ST_Y(p), ST_X(p) + 200, ST_Y(p) + 100, 32632)"
    )

    opportunita = opportunita_create(
        title="Area", geom=geom, tipo="area_dismessa", stato="disponibile"
    )

    opportunita.refresh_from_db()
    assert opportunita.superficie_m2 == pytest.approx(20_000, rel=1e-6)
    assert opportunita.superficie_ha == 2.0
    assert opportunita.comune.istat_code == MILANO
    assert opportunita.geom.geom_type == "MultiPolygon"


def test_opportunita_surface_follows_a_new_perimeter(territorio):
    opportunita = opportunita_create(
        title="Area", geom=square(MILANO, 100), tipo="area_dismessa", stato="disponibile"
    )

    opportunita_update(opportunita=opportunita, geom=square(BOLLATE, 300))

    opportunita.refresh_from_db()
    assert opportunita.superficie_m2 == pytest.approx(90_000, rel=1e-6)
    assert opportunita.comune.istat_code == BOLLATE


def test_opportunita_history_records_the_surface_of_each_version(territorio):
    # Issue 13 §6: the history row was written before the surface was recomputed, so it said
    # 0.0 at creation and the previous surface after a change.
    opportunita = opportunita_create(
        title="Area", geom=square(MILANO, 100), tipo="area_dismessa", stato="disponibile"
    )
    opportunita_update(opportunita=opportunita, geom=square(MILANO, 200))

    history = opportunita.history.order_by("history_date", "history_id")
    surfaces = list(history.values_list("history_type", "superficie_m2"))
    assert [kind for kind, _ in surfaces] == ["+", "~"]
    assert surfaces[0][1] == pytest.approx(10_000, rel=1e-6)
    assert surfaces[1][1] == pytest.approx(40_000, rel=1e-6)


def test_opportunita_must_be_a_polygon(territorio):
    with pytest.raises((ValidationError, TypeError)):
        opportunita_create(
            title="Linea",
            geom=LineString((9.1, 45.4), (9.2, 45.5), srid=STORAGE_SRID),
            tipo="area_dismessa",
            stato="disponibile",
        )
    assert not Opportunita.objects.exists()


def test_opportunita_outside_the_cmm_is_rejected_naming_it(territorio):
    far = GEOSGeometry("SRID=4326;POLYGON((12 41, 12.01 41, 12.01 41.01, 12 41.01, 12 41))")

    with pytest.raises(ValidationError) as error:
        opportunita_create(title="Lontana", geom=far, tipo="area_dismessa", stato="disponibile")

    assert error.value.message_dict["geom"] == [
        ERROR_OUTSIDE_CMM.format(record="Opportunità «Lontana»")
    ]
    assert not Opportunita.objects.exists()


def test_database_refuses_a_single_geometry_written_around_the_services(territorio):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Intervento.objects.create(
            title="Diretto",
            geom=Point(9.19, 45.46, srid=STORAGE_SRID),
            stato="in_corso",
            localizzazione="punto",
        )
