"""A tiny world of interventions and opportunities on the real Comuni of the CMM.

Geometries are squares (or points, lines) around a point inside a real Comune, drawn in the
metric CRS so their sides and areas are known exactly: a square of side 100 m is 10 000 m².
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from layers.srid import METRIC_SRID, STORAGE_SRID
from rigenerazione.services import FinanziamentoInput, intervento_create, opportunita_create
from rules.publication import PublicationState
from territorio.models import Comune

MILANO, BOLLATE, ARESE, ABBIATEGRASSO = "015146", "015027", "015009", "015002"
PUBLISHED = PublicationState.PUBBLICATO


def metric_shape(istat_code: str, sql_shape: str, *, dx: float = 0, dy: float = 0) -> GEOSGeometry:
    """A shape around the point on surface of a Comune, shifted (dx, dy) metres.

    ``sql_shape`` is a PostGIS expression of ``p`` (the metric point), e.g.
    ``ST_Expand(p, 50)`` for a 100 m square. Returned in the storage SRID.
    """
    sql = f"""
        WITH c AS (SELECT ST_Translate(ST_Transform(ST_PointOnSurface(geom), %s), %s, %s) AS p
                   FROM layers_comune WHERE istat_code = %s)
        SELECT ST_AsEWKT(ST_Transform({sql_shape}, %s)) FROM c
    """  # noqa: S608 (test helper, constant shapes)
    with connection.cursor() as cursor:
        cursor.execute(sql, [METRIC_SRID, dx, dy, istat_code, STORAGE_SRID])
        return GEOSGeometry(cursor.fetchone()[0])


def square(istat_code: str, side_m: float = 100, **shift) -> GEOSGeometry:
    return metric_shape(istat_code, f"ST_Expand(p, {side_m / 2})", **shift)


def bollate_arese_line() -> GEOSGeometry:
    """A line from a point inside Bollate to a point inside Arese (it crosses only the two)."""
    sql = """
        SELECT ST_AsEWKT(ST_MakeLine(ST_PointOnSurface(b.geom), ST_PointOnSurface(a.geom)))
        FROM layers_comune AS b, layers_comune AS a
        WHERE b.istat_code = %s AND a.istat_code = %s
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [BOLLATE, ARESE])
        return GEOSGeometry(cursor.fetchone()[0])


def comune(code: str) -> Comune:
    return Comune.objects.get(istat_code=code)


@pytest.fixture
def tiny_world(territorio):
    """Four published interventi, one draft, three opportunità (one draft).

    - parco: Milano (comune-di-milano), concluso 2018-2020, cost 1000 = pnrr 600 + comunale 400
    - piazza: Bollate (nord-ovest), in_corso 2021-, cost 500, pnrr 300, sample, tipologia B
    - pista: Bollate + Arese (nord-ovest), programmato 2024-2026, cost 900 = regionale 900
    - scuola: Abbiategrasso (magentino), in_corso -2023, cost 200, no funding
    - bozza: Milano, draft (never public), cost 100 = pnrr 100
    - opportunità: Scalo dismesso (Milano, 4 ha), AT Bollate 1 (1 ha, sample), one draft
    """
    f = FinanziamentoInput
    world = {}
    world["parco"] = intervento_create(
        title="Parco della Martesana",
        geom=square(MILANO),
        stato="concluso",
        anno_inizio=2018,
        anno_fine=2020,
        costo_totale=Decimal("1000"),
        ambiti_ricaduta=["ambientale", "ricreativo"],
        cup="C47H21001030001",
        soggetto_attuatore="Comune di Milano",
        publication_state=PUBLISHED,
        finanziamenti=[f("pnrr", Decimal("600"), "M5C2 I2.1"), f("comunale", Decimal("400"))],
    )
    world["piazza"] = intervento_create(
        title="Piazza della Chiesa",
        geom=square(BOLLATE, 60),
        stato="in_corso",
        anno_inizio=2021,
        costo_totale=Decimal("500"),
        ambiti_ricaduta=["sociale"],
        tipologia="B",
        publication_state=PUBLISHED,
        is_sample=True,
        finanziamenti=[f("pnrr", Decimal("300"))],
    )
    line = bollate_arese_line()
    world["pista"] = intervento_create(
        title="Pista ciclabile Bollate-Arese",
        geom=line,
        stato="programmato",
        comuni=[comune(BOLLATE), comune(ARESE)],
        anno_inizio=2024,
        anno_fine=2026,
        costo_totale=Decimal("900"),
        ambiti_ricaduta=["mobilita"],
        publication_state=PUBLISHED,
        finanziamenti=[f("regionale", Decimal("900"))],
    )
    world["scuola"] = intervento_create(
        title="Ex scuola di via Roma",
        geom=metric_shape(ABBIATEGRASSO, "p"),
        stato="in_corso",
        anno_fine=2023,
        costo_totale=Decimal("200"),
        ambiti_ricaduta=["culturale", "sociale"],
        publication_state=PUBLISHED,
    )
    world["bozza"] = intervento_create(
        title="Bozza non pubblicata",
        geom=square(MILANO, 20, dx=500),
        stato="programmato",
        costo_totale=Decimal("100"),
        finanziamenti=[f("pnrr", Decimal("100"))],
    )
    world["area_milano"] = opportunita_create(
        title="Scalo dismesso",
        geom=square(MILANO, 200, dx=1000),
        tipo="area_dismessa",
        stato="disponibile",
        publication_state=PUBLISHED,
    )
    world["at_bollate"] = opportunita_create(
        title="AT Bollate 1",
        geom=square(BOLLATE, 100, dx=300),
        tipo="ambito_trasformazione",
        stato="disponibile",
        publication_state=PUBLISHED,
        is_sample=True,
    )
    world["op_bozza"] = opportunita_create(
        title="Opportunità in bozza",
        geom=square(ARESE, 100),
        tipo="area_dismessa",
        stato="disponibile",
    )
    return world
