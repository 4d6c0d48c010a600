"""Small worlds for the portal's tests: published and draft records made through the ORM."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.gis.geos import (
    LineString,
    MultiLineString,
    MultiPoint,
    MultiPolygon,
    Point,
    Polygon,
)

from layers.srid import STORAGE_SRID
from rigenerazione.models import (
    EsitoCandidatura,
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


# Places inside Rho (checked against the ISTAT boundary).
POINT = (9.045, 45.52)  # a point intervento, inside the opportunità
IN_OPPORTUNITA = (9.048, 45.517)  # the opportunità only
LINE = ((9.02, 45.54), (9.035, 45.545))  # a line intervento; clicked at its middle
ELSEWHERE_IN_RHO = (9.03, 45.535)  # only the Comune and its Comune-level record


def comune_level_pnrr(rho, *, esito=EsitoCandidatura.AMMESSA, cup="B11B21000000001") -> Intervento:
    """A PNRR application located only by its Comune (its geometry is the Comune's)."""
    intervento = Intervento.objects.create(
        title=f"Candidatura PNRR di Rho {cup}",
        geom=rho.geom,
        localizzazione=Localizzazione.COMUNALE,
        stato=StatoIntervento.PROGRAMMATO,
        costo_totale=Decimal("2850000.00"),
        cup=cup,
        candidatura_fonte=FonteFinanziamento.PNRR,
        candidatura_esito=esito,
        contributo_richiesto=Decimal("2850000.00"),
        publication_state=PublicationState.PUBBLICATO,
    )
    intervento.comuni.add(rho)
    return intervento


@pytest.fixture
def rho_world(rho):
    """In Rho: a Comune-level PNRR application, an opportunità, a point inside it and a line."""
    comune_level_pnrr(rho)
    make_opportunita(rho, title="Area ex Cerini", lon=9.04, lat=45.515)
    make_intervento(rho, title="Fermata riqualificata", lon=POINT[0], lat=POINT[1])
    line = Intervento.objects.create(
        title="Pista ciclabile del Lura",
        geom=MultiLineString(LineString(*LINE, srid=STORAGE_SRID), srid=STORAGE_SRID),
        localizzazione=Localizzazione.LINEA,
        stato=StatoIntervento.PROGRAMMATO,
        publication_state=PublicationState.PUBBLICATO,
    )
    line.comuni.add(rho)
    return rho


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
