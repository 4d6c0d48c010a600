"""Words and rules of the sample generator: kinds of intervention and opportunity, funding lines.

Only plausible combinations are produced: PNRR money from 2021, the Bando Periferie for works
started 2016–2020, PINQuA for housing, Forestami for environmental works.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

__all__ = [
    "InterventoKind",
    "FundingSource",
    "OpportunitaKind",
    "INTERVENTO_KINDS",
    "FUNDING_SOURCES",
    "OPPORTUNITA_KINDS",
    "DESTINAZIONI_USO",
]

STREETS = (
    "via Roma",
    "via Garibaldi",
    "via Mazzini",
    "via Matteotti",
    "via Dante",
    "via Verdi",
    "via XXV Aprile",
    "via Manzoni",
    "via della Stazione",
    "via Cavour",
    "viale Lombardia",
    "via dei Mulini",
    "via Gramsci",
    "via Leonardo da Vinci",
    "via San Francesco",
    "via Po",
    "via Adige",
    "alzaia del Naviglio",
    "via per Novara",
    "via Europa",
)
SQUARES = (
    "piazza della Repubblica",
    "piazza del Mercato",
    "piazza Libertà",
    "piazza San Giorgio",
    "piazza della Chiesa",
    "piazza Vittorio Veneto",
    "largo Donatori di Sangue",
    "piazza del Popolo",
)
BUILDINGS = (
    "cascina",
    "filanda",
    "scuola elementare",
    "mercato coperto",
    "macello comunale",
    "caserma",
    "stazione",
    "cinema",
    "lavatoio",
    "fornace",
)
INDUSTRIES = (
    "cotonificio",
    "tessitura",
    "fonderia",
    "cartiera",
    "stabilimento chimico",
    "officina meccanica",
    "deposito",
    "scalo merci",
    "lanificio",
    "conceria",
)
NEIGHBOURHOODS = (
    "Centro storico",
    "Quartiere Stazione",
    "Villaggio operaio",
    "Borgo",
    "Quartiere Nord",
    "Quartiere Sud",
    "Cascine",
    "Fornaci",
)
DESTINAZIONI_USO = [
    "residenziale",
    "housing sociale",
    "terziario",
    "commerciale",
    "produttivo",
    "logistica",
    "servizi pubblici",
    "verde pubblico",
    "ricettivo",
]


@dataclass(frozen=True)
class InterventoKind:
    """A kind of intervention: title pattern, impact domains, geometries it may have."""

    pattern: str
    ambiti: tuple[str, ...]
    geometries: tuple[str, ...]
    description: str
    attuatori: tuple[str, ...] = ("Comune di {comune}",)

    def title(self, rng: random.Random) -> str:
        return self.pattern.format(
            via=rng.choice(STREETS),
            piazza=rng.choice(SQUARES),
            edificio=rng.choice(BUILDINGS),
            quartiere=rng.choice(NEIGHBOURHOODS),
        )

    def soggetto(self, rng: random.Random, comune: str) -> str:
        return rng.choice(self.attuatori).format(comune=comune)


INTERVENTO_KINDS = (
    InterventoKind(
        "Riqualificazione di {piazza}",
        ("sociale", "ricreativo"),
        ("area",),
        "Nuova pavimentazione, arredo urbano, alberature e illuminazione della piazza.",
    ),
    InterventoKind(
        "Nuovo parco urbano del {quartiere}",
        ("ambientale", "ricreativo"),
        ("area",),
        "Parco pubblico su un'area incolta: prati, alberi, giochi e percorsi.",
    ),
    InterventoKind(
        "Recupero dell'ex {edificio} come centro civico",
        ("sociale", "culturale"),
        ("area", "punto"),
        "Restauro e rifunzionalizzazione di un edificio pubblico dismesso.",
    ),
    InterventoKind(
        "Pista ciclabile lungo {via}",
        ("mobilita", "ambientale"),
        ("linea",),
        "Percorso ciclabile in sede propria con attraversamenti protetti.",
        ("Comune di {comune}", "Città metropolitana di Milano"),
    ),
    InterventoKind(
        "Zona 30 e moderazione del traffico in {via}",
        ("mobilita", "sociale"),
        ("linea",),
        "Marciapiedi allargati, attraversamenti rialzati e limite a 30 km/h.",
    ),
    InterventoKind(
        "Alloggi di edilizia residenziale sociale in {via}",
        ("abitativo", "sociale"),
        ("area", "punto"),
        "Recupero e nuova costruzione di alloggi a canone sociale e moderato.",
        ("Comune di {comune}", "ALER Milano"),
    ),
    InterventoKind(
        "Forestazione urbana lungo {via}",
        ("ambientale",),
        ("linea", "area"),
        "Messa a dimora di alberi e arbusti autoctoni (filari e fasce boscate).",
    ),
    InterventoKind(
        "Biblioteca e spazi per i giovani nell'ex {edificio}",
        ("culturale", "sociale"),
        ("punto",),
        "Nuova biblioteca di quartiere con sale studio e spazi per associazioni.",
    ),
    InterventoKind(
        "Spazi per l'artigianato e il coworking nell'ex {edificio}",
        ("economico", "sociale"),
        ("punto", "area"),
        "Laboratori e uffici a canone calmierato per imprese giovani.",
        ("Comune di {comune}", "Fondazione di comunità (privato)"),
    ),
    InterventoKind(
        "Efficientamento energetico della scuola di {via}",
        ("sociale", "ambientale"),
        ("punto",),
        "Cappotto termico, serramenti, pompe di calore e fotovoltaico.",
    ),
)


@dataclass(frozen=True)
class FundingSource:
    """A funding line: its source code, when it applies and its typical measure/act."""

    fonte: str
    weight: int
    measures: tuple[str, ...] = ("",)
    atto: str = ""
    first_year: int = 2000
    last_year: int = 2100
    needs_ambito: str = ""

    def fits(self, ambiti: tuple[str, ...], year: int) -> bool:
        in_years = self.first_year <= year <= self.last_year
        return in_years and (not self.needs_ambito or self.needs_ambito in ambiti)

    def misura(self, year: int) -> str:
        return self.measures[year % len(self.measures)]


FUNDING_SOURCES = (
    FundingSource(
        "pnrr",
        5,
        (
            "M5C2 I2.1 Rigenerazione urbana",
            "M5C2 I2.2 Piani urbani integrati (PUI)",
            "M2C4 I2.2 Resilienza ed efficienza energetica dei Comuni",
        ),
        first_year=2021,
    ),
    FundingSource(
        "bando_periferie",
        4,
        ("Programma straordinario per la riqualificazione delle periferie",),
        first_year=2016,
        last_year=2020,
    ),
    FundingSource(
        "pinqua",
        5,
        ("PINQuA, Programma innovativo per la qualità dell'abitare",),
        first_year=2021,
        needs_ambito="abitativo",
    ),
    FundingSource("forestami", 5, ("ForestaMi, forestazione urbana",), needs_ambito="ambientale"),
    FundingSource("fondi_ue", 2, ("PR FESR Lombardia 2021-2027",), first_year=2021),
    FundingSource("fondi_ue", 2, ("POR FESR Lombardia 2014-2020",), last_year=2020),
    FundingSource("regionale", 3, ("Bando Regione Lombardia per la rigenerazione urbana",)),
    FundingSource("comunale", 4, ("Bilancio comunale, investimenti",)),
    FundingSource("privato", 1, ("Oneri e convenzione urbanistica",)),
    FundingSource("altro", 1, ("Fondazione bancaria",)),
)


@dataclass(frozen=True)
class OpportunitaKind:
    """A kind of opportunity: type code, title pattern, weight and PGT reference pattern."""

    tipo: str
    pattern: str
    weight: int
    description: str
    pgt_pattern: str = ""

    has_act: bool = False

    def render(self, rng: random.Random) -> tuple[str, str]:
        """Title and PGT reference (the same AT number in both)."""
        n = rng.randint(1, 12)
        title = self.pattern.format(
            via=rng.choice(STREETS),
            industria=rng.choice(INDUSTRIES),
            edificio=rng.choice(BUILDINGS),
            quartiere=rng.choice(NEIGHBOURHOODS),
            n=n,
        )
        return title, self.pgt_pattern.format(n=n)


OPPORTUNITA_KINDS = (
    OpportunitaKind(
        "area_dismessa",
        "Ex {industria} di {via}",
        35,
        "Area produttiva dismessa o sottoutilizzata.",
    ),
    OpportunitaKind(
        "ambito_trasformazione",
        "AT-{n} {via}",
        30,
        "Ambito di trasformazione del Documento di Piano del PGT vigente.",
        "PGT vigente, Documento di Piano, scheda AT-{n}",
        has_act=True,
    ),
    OpportunitaKind(
        "ambito_rigenerazione",
        "Ambito di rigenerazione {quartiere}",
        25,
        "Ambito individuato con delibera consiliare ai sensi della LR 12/2005, art. 8bis.",
        has_act=True,
    ),
    OpportunitaKind(
        "incubatore_remix",
        "Re.mix: ex {edificio} di {via}",
        10,
        "Area proposta all'incubatore metropolitano della rigenerazione Re.mix.",
    ),
)
