"""A tiny world for the lum analyses, drawn in UTM 32N so that it can be reasoned about on paper.

Everything sits around P = (600300, 5100000) in EPSG:32632 (north-east of the CMM, away from
the real Comuni), with the catchment radius 800 m:

* two fictional Comuni in a fictional Zona: Ovest x∈[598000, 600000], Est x∈[600000, 603000],
  both y∈[5098000, 5102000];
* LUM ``L`` at P (in Est): its disc crosses the border x = 600000, 300 m west of P;
* services: uni_in (point, 500 m east), uni_out (point, 900 m east), sport (square 200 m,
  x∈[601000, 601200], y∈[5099900, 5100100]: nearest point 700 m), cultura (point 500 m west,
  in Ovest), draft (unpublished point 100 m east);
* opportunità: A (x∈[600400, 600500], y∈[5100000, 5100100] = 1 ha, area_dismessa, inside),
  C (x∈[601000, 601200], y∈[5099950, 5100050] = 2 ha, ambito_trasformazione, straddling the
  circle), B (x∈[602000, 602200], y∈[5101000, 5101200] = 4 ha, area_dismessa, outside),
  D (a draft copy of A);
* interventi: I1 (x∈[600600, 600700], y∈[5100000, 5100100] = 1 ha, in; PNRR 1 000 000 +
  comunale 250 000), I2 (x∈[602000, 602100], y∈[5101000, 5101100], out; PNRR 500 000),
  I3 (draft copy of I1; regionale 999), I4 (localised at Comune level: Est's boundary; fondi UE
  70 000).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from layers.srid import METRIC_SRID, STORAGE_SRID
from lum.models import CategoriaServizio, Lum, ModoTrasporto, RangoLum, Servizio
from rigenerazione.models import (
    FonteFinanziamento,
    Intervento,
    Localizzazione,
    Opportunita,
    StatoIntervento,
    StatoOpportunita,
    TipoOpportunita,
)
from rules.publication import PublicationState
from territorio.models import Comune, ZonaOmogenea

PX, PY = 600300.0, 5100000.0
PUB = PublicationState.PUBBLICATO


def stored(geom):
    """A geometry drawn in UTM 32N, transformed to the storage CRS."""
    geom.srid = METRIC_SRID
    return geom.transform(STORAGE_SRID, clone=True)


def box(x0, y0, x1, y1) -> MultiPolygon:
    return stored(MultiPolygon(Polygon.from_bbox((x0, y0, x1, y1))))


def point(x, y) -> Point:
    return stored(Point(x, y))


@dataclass
class TinyWorld:
    zona: ZonaOmogenea
    ovest: Comune
    est: Comune
    lum: Lum
    services: dict
    opportunita: dict
    interventi: dict


def make_lum(comune, x, y, name="L", **extra) -> Lum:
    fields = {
        "code": f"TEST-{name}",
        "name": name,
        "comune": comune,
        "geom": point(x, y),
        "modes": [ModoTrasporto.TRENO],
        "lines": ["S"],
        "rank": RangoLum.METROPOLITANO,
        "publication_state": PUB,
    }
    return Lum.objects.create(**{**fields, **extra})


def _services(ovest, est) -> dict:
    spec = {
        "uni_in": (CategoriaServizio.UNIVERSITA, est, point(PX + 500, PY), PUB),
        "uni_out": (CategoriaServizio.UNIVERSITA, est, point(PX + 900, PY), PUB),
        "sport": (CategoriaServizio.SPORT, est, box(601000, 5099900, 601200, 5100100), PUB),
        "cultura": (CategoriaServizio.CULTURA, ovest, point(PX - 500, PY), PUB),
        "draft": (CategoriaServizio.UNIVERSITA, est, point(PX + 100, PY), "bozza"),
    }
    return {
        key: Servizio.objects.create(
            code=f"T-{key}",
            name=key,
            categoria=cat,
            comune=c,
            geom=g,
            publication_state=st,
            attributi={"iscritti": 1200, "corsi": 4} if key == "uni_in" else {},
        )
        for key, (cat, c, g, st) in spec.items()
    }


def _opportunita(est) -> dict:
    spec = {
        "A": (TipoOpportunita.AREA_DISMESSA, box(600400, 5100000, 600500, 5100100), PUB),
        "C": (TipoOpportunita.AMBITO_TRASFORMAZIONE, box(601000, 5099950, 601200, 5100050), PUB),
        "B": (TipoOpportunita.AREA_DISMESSA, box(602000, 5101000, 602200, 5101200), PUB),
        "D": (TipoOpportunita.AREA_DISMESSA, box(600400, 5100000, 600500, 5100100), "bozza"),
    }
    return {
        key: Opportunita.objects.create(
            title=key,
            tipo=tipo,
            comune=est,
            geom=g,
            stato=StatoOpportunita.DISPONIBILE,
            publication_state=st,
        )
        for key, (tipo, g, st) in spec.items()
    }


def _interventi(est) -> dict:
    spec = {
        "I1": (
            box(600600, 5100000, 600700, 5100100),
            PUB,
            [("pnrr", 1_000_000), ("comunale", 250_000)],
        ),
        "I2": (box(602000, 5101000, 602100, 5101100), PUB, [("pnrr", 500_000)]),
        "I3": (box(600600, 5100000, 600700, 5100100), "bozza", [("regionale", 999)]),
        # Known only at Comune level: its geometry is Est's boundary, not a perimeter.
        "I4": (box(600000, 5098000, 603000, 5102000), PUB, [("fondi_ue", 70_000)]),
    }
    out = {}
    for key, (geom, state, funding) in spec.items():
        intervento = Intervento.objects.create(
            title=key,
            geom=geom,
            localizzazione=Localizzazione.COMUNALE if key == "I4" else Localizzazione.AREA,
            stato=StatoIntervento.IN_CORSO,
            publication_state=state,
            costo_totale=Decimal(sum(amount for _f, amount in funding)),
        )
        intervento.comuni.add(est)
        for fonte, amount in funding:
            intervento.finanziamenti.create(
                fonte=FonteFinanziamento(fonte), importo=Decimal(amount)
            )
        out[key] = intervento
    return out


@pytest.fixture
def tiny_world(db, settings) -> TinyWorld:
    settings.REMIX_LUM_RADIUS_M = 800
    zona = ZonaOmogenea.objects.create(
        name="Zona di prova", slug="zona-prova", verification="official"
    )
    common = {"zona_omogenea": zona}
    ovest = Comune.objects.create(
        istat_code="999001", name="Ovest", geom=box(598000, 5098000, 600000, 5102000), **common
    )
    est = Comune.objects.create(
        istat_code="999002", name="Est", geom=box(600000, 5098000, 603000, 5102000), **common
    )
    return TinyWorld(
        zona=zona,
        ovest=ovest,
        est=est,
        lum=make_lum(est, PX, PY),
        services=_services(ovest, est),
        opportunita=_opportunita(est),
        interventi=_interventi(est),
    )
