"""A small world an analyst loads into QGIS or GDAL: every collection has features.

Built on the real Comuni with the ORM (published records): 12 intervention areas whose first
10 (in id order) have no years and no cost — a client that guessed types from the first page
of 10 would read the years as text —, 2 lines, 3 points; 3 service points and 2 service
areas; 2 LUM (one with its own radius, one with the default); one opportunity of each of
three kinds.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.gis.geos import (
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)

from lum.models import Lum, Servizio
from rigenerazione.models import Finanziamento, Intervento, Opportunita
from rules.publication import PublicationState
from territorio.models import Comune

PUBLISHED = PublicationState.PUBBLICATO
# Inside Rho, Bollate and Sesto San Giovanni (lon/lat).
RHO, BOLLATE, SESTO = (9.04, 45.53), (9.12, 45.545), (9.235, 45.535)


def square(lon: float, lat: float, half: float = 0.002) -> MultiPolygon:
    box = Polygon.from_bbox((lon - half, lat - half, lon + half, lat + half))
    return MultiPolygon(box, srid=4326)


def _intervento(title: str, geom, localizzazione: str, **extra) -> Intervento:
    return Intervento.objects.create(
        title=title,
        geom=geom,
        localizzazione=localizzazione,
        stato=extra.pop("stato", "in_corso"),
        publication_state=PUBLISHED,
        **extra,
    )


def analyst_world_create() -> dict:
    """Create the world; returns the records by kind."""
    lon, lat = RHO
    areas = [_intervento(f"Area {i:02d}", square(lon + i * 0.005, lat), "area") for i in range(10)]
    areas.append(
        _intervento(
            "Parco Nord", square(*SESTO), "area", anno_inizio=2019, anno_fine=2022,
            costo_totale=Decimal("1234567.89"), stato="concluso",
            ambiti_ricaduta=["sociale", "ambientale"],
        )
    )  # fmt: skip
    areas.append(
        _intervento(
            "Piazza Nuova", square(*BOLLATE), "area", anno_inizio=2023,
            costo_totale=Decimal("250000.00"), stato="concluso",
        )
    )  # fmt: skip
    Finanziamento.objects.create(intervento=areas[-2], fonte="pnrr", importo=Decimal("1000000"))
    Finanziamento.objects.create(intervento=areas[-2], fonte="comunale", importo=Decimal("200"))
    lines = [
        _intervento(
            f"Ciclabile {i}",
            MultiLineString(
                LineString((lon, lat + 0.01 * i), (lon + 0.02, lat + 0.01 * i)), srid=4326
            ),
            "linea",
            anno_inizio=2021,
        )
        for i in range(1, 3)
    ]
    points = [
        _intervento(f"Chiosco {i}", MultiPoint(Point(lon, lat - 0.01 * i), srid=4326), "punto")
        for i in range(1, 4)
    ]
    comune = Comune.objects.get(name="Rho")
    servizi = [
        Servizio.objects.create(
            code=f"S-P{i}", name=f"Università {i}", categoria="universita", comune=comune,
            geom=Point(lon + 0.003 * i, lat + 0.003, srid=4326), publication_state=PUBLISHED,
            attributi={"iscritti": 100 * i},
        )
        for i in range(1, 4)
    ]  # fmt: skip
    servizi += [
        Servizio.objects.create(
            code=f"S-A{i}", name=f"Museo {i}", categoria="cultura", comune=comune,
            geom=square(lon - 0.01 * i, lat + 0.005), publication_state=PUBLISHED,
        )
        for i in range(1, 3)
    ]  # fmt: skip
    # The layers of real registers (scuole, ospedali): one point each.
    servizi += [
        Servizio.objects.create(
            code=f"R-{categoria}", name=f"Sede {categoria}", categoria=categoria, comune=comune,
            geom=Point(lon - 0.004, lat - 0.004 * i, srid=4326), publication_state=PUBLISHED,
        )
        for i, categoria in enumerate(("scuola_secondaria", "sanita"), start=1)
    ]  # fmt: skip
    lums = [
        Lum.objects.create(
            code="T-1", name="Rho Fiera", comune=comune, geom=Point(lon, lat, srid=4326),
            modes=["treno", "metro"], rank="metropolitano", publication_state=PUBLISHED,
            radius_m=1200,
        ),
        Lum.objects.create(
            code="T-2", name="Rho", comune=comune, geom=Point(lon + 0.01, lat, srid=4326),
            modes=["treno"], rank="sovracomunale", publication_state=PUBLISHED,
        ),
    ]  # fmt: skip
    opportunita = []
    for i, tipo in enumerate(("area_dismessa", "ambito_trasformazione", "ambito_rigenerazione")):
        record = Opportunita(
            title=f"Area {tipo}", tipo=tipo, comune=comune, stato="disponibile",
            geom=square(lon + 0.02 * i, lat - 0.02), publication_state=PUBLISHED,
        )  # fmt: skip
        record.save()
        opportunita.append(record)
    return {
        "areas": areas,
        "lines": lines,
        "points": points,
        "servizi": servizi,
        "lums": lums,
        "opportunita": opportunita,
    }
