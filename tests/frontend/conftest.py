"""Small worlds for the portal's tests: published and draft records made through the ORM."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.gis.geos import MultiPoint, MultiPolygon, Point, Polygon

from layers.srid import STORAGE_SRID
from rigenerazione.models import (
    Finanziamento,
    FonteFinanziamento,
    Intervento,
    Localizzazione,
    Opportunita,
    StatoIntervento,
    StatoOpportunita,
    TipoOpportunita,
)
from rules.publication import PublicationState
from territorio.models import Comune

MILANO = "015146"
RHO = "015182"
# A title a careless page would execute: it must stay text.
HOSTILE_TITLE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">'


def make_intervento(
    comune: Comune,
    *,
    title: str,
    lon: float,
    lat: float,
    stato: str = StatoIntervento.IN_CORSO,
    state: str = PublicationState.PUBBLICATO,
    funding: tuple[tuple[str, str], ...] = (),
    is_sample: bool = False,
) -> Intervento:
    """An intervento at one point of ``comune`` with its funding (fonte, importo) pairs."""
    intervento = Intervento.objects.create(
        title=title,
        geom=MultiPoint(Point(lon, lat, srid=STORAGE_SRID), srid=STORAGE_SRID),
        localizzazione=Localizzazione.PUNTO,
        stato=stato,
        anno_inizio=2022,
        anno_fine=2026,
        costo_totale=sum((Decimal(v) for _, v in funding), start=Decimal("0")) or None,
        publication_state=state,
        is_sample=is_sample,
    )
    intervento.comuni.add(comune)
    for fonte, importo in funding:
        Finanziamento.objects.create(intervento=intervento, fonte=fonte, importo=Decimal(importo))
    return intervento


def make_opportunita(
    comune: Comune, *, title: str, state: str = PublicationState.PUBBLICATO, lon=9.10, lat=45.50
) -> Opportunita:
    """A 0.01° square opportunità (an area dismessa) in ``comune``."""
    square = Polygon.from_bbox((lon, lat, lon + 0.01, lat + 0.01))
    return Opportunita.objects.create(
        title=title,
        tipo=TipoOpportunita.AREA_DISMESSA,
        comune=comune,
        geom=MultiPolygon(square, srid=STORAGE_SRID),
        stato=StatoOpportunita.DISPONIBILE,
        publication_state=state,
        is_sample=True,
    )


@pytest.fixture
def milano(territorio) -> Comune:
    return Comune.objects.get(istat_code=MILANO)


@pytest.fixture
def rho(territorio) -> Comune:
    return Comune.objects.get(istat_code=RHO)


@pytest.fixture
def hostile_intervento(milano) -> Intervento:
    """A published intervento in Milano whose title is HTML, funded by PNRR and the Comune."""
    return make_intervento(
        milano,
        title=HOSTILE_TITLE,
        lon=9.19,
        lat=45.464,
        funding=(
            (FonteFinanziamento.PNRR, "700000.00"),
            (FonteFinanziamento.COMUNALE, "300000.00"),
        ),
    )


@pytest.fixture
def draft_intervento(milano) -> Intervento:
    return make_intervento(
        milano, title="Bozza riservata", lon=9.2, lat=45.47, state=PublicationState.BOZZA
    )
