"""Loader of the real PNRR M5C2 investment 2.1 applications of the CMM Comuni (2021).

``pnrr_load`` reads ``cmm_pnrr_rigenerazione_urbana_2021.csv`` in place (``REMIX_DATA_DIR``),
checks every row before writing anything, then creates or updates one published intervento per
CUP (the natural key) in one transaction: running it twice changes nothing the second time.

What the data says and what we derive (see docs/rigenerazione.md):

- location: the data has no coordinates, so the geometry is the boundary of the Comune,
  flagged ``localizzazione = comunale``; nothing is invented;
- state: every row is an application with a CUP and no information on works, so every
  intervento is ``programmato``; the outcome (admitted, funded by the decree of 30/12/2021) is
  spelt out in the description;
- years: funded projects run over the decree's allocation period 2021–2026; for the others the
  years are unknown and left empty;
- funding: one PNRR row (M5C2 I2.1) with the decree's 2021–2026 allocation for funded projects.
  Six allocations exceed the cost by 0.01 € (the sum of rounded yearly instalments): the amount
  is capped at the cost and the decree's figure kept in the row's ``atto``;
- impact domains: from the type letter of art. 3 c.1 DPCM 21/01/2021 (A: reuse of public
  buildings and areas → sociale; B: urban decorum, social and environmental fabric → sociale,
  ambientale; C: sustainable mobility → mobilita).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from layers.records import record_is_unchanged
from remix.errors import UserInputError
from rigenerazione.models import (
    CUP_REGEX,
    AmbitoRicaduta,
    FonteFinanziamento,
    Intervento,
    Localizzazione,
    StatoIntervento,
)
from rigenerazione.services import FinanziamentoInput, intervento_create, intervento_update
from rules.publication import PublicationState
from territorio.models import Comune

__all__ = [
    "PNRR_FILE",
    "PNRR_SOURCE",
    "PNRR_LICENCE",
    "PNRR_SOURCE_URL",
    "PnrrReport",
    "pnrr_load",
    "ERROR_FILE_MISSING",
    "ERROR_COLUMNS",
    "ERROR_ROW",
]

PNRR_FILE = "cmm_pnrr_rigenerazione_urbana_2021.csv"
PNRR_SOURCE = (
    "Fonte: Ministero dell'Interno, decreto 30 dicembre 2021; estrazione onData "
    "(datiBeneComuneMonitoraggio), CC BY-SA 4.0"
)
PNRR_LICENCE = "CC-BY-SA-4.0"
PNRR_SOURCE_URL = "https://github.com/ondata/datiBeneComuneMonitoraggio"
PNRR_MISURA = "M5C2 I2.1 Rigenerazione urbana"
DECREE_DATE = date(2021, 12, 30)
FUNDED_YEARS = (2021, 2026)

ERROR_FILE_MISSING = "File dei dati mancante: {path}."
ERROR_COLUMNS = "{file}: colonne mancanti: {columns}."
ERROR_ROW = "{file}, riga {line} (CUP {cup}): {problem}"

REQUIRED_COLUMNS = (
    "istat_code",
    "comune",
    "cup",
    "target_mq",
    "tipologia_intervento",
    "costo_complessivo_eur",
    "quota_cofinanziata_eur",
    "richiesta_contributo_eur",
    "data_domanda",
    "ammesso",
    "motivazione",
    "finanziato_decreto_30_12_2021",
    "assegnazione_2021_2026_eur",
    "opencup_url",
)
TIPOLOGIE = {
    "A": ("riuso di aree e strutture edilizie pubbliche", [AmbitoRicaduta.SOCIALE]),
    "B": (
        "decoro urbano e tessuto sociale e ambientale",
        [AmbitoRicaduta.SOCIALE, AmbitoRicaduta.AMBIENTALE],
    ),
    "C": ("mobilità sostenibile", [AmbitoRicaduta.MOBILITA]),
}


@dataclass
class PnrrReport:
    """What a PNRR load did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    funded: int = 0
    capped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"Interventi PNRR M5C2 I2.1: {self.created} creati, {self.updated} aggiornati, "
            f"{self.unchanged} invariati; {self.funded} finanziati dal decreto 30/12/2021.",
            f"Assegnazioni limitate al costo (arrotondamento): {len(self.capped)}.",
        ]


def _euro(value: str, *, name: str) -> Decimal | None:
    if not value.strip():
        return None
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError(f"{name} non è un importo: {value!r}") from None
    if amount < 0:
        raise ValueError(f"{name} è negativo: {value}")
    return amount.quantize(Decimal("0.01"))


def _is_yes(value: str) -> bool:
    return value.strip().lower().startswith("sì")


def _description(row: dict, tipo: str) -> str:
    parts = [
        f"Candidatura del Comune di {row['comune']} al PNRR, Missione 5 Componente 2 "
        f"Investimento 2.1 (rigenerazione urbana), tipologia {tipo} — {TIPOLOGIE[tipo][0]}.",
        f"Domanda del {row['data_domanda']}; superficie obiettivo {row['target_mq']} m²; "
        f"contributo richiesto {row['richiesta_contributo_eur']} €.",
        f"Ammissione: {row['ammesso']}"
        + (f" ({row['motivazione']})." if row["motivazione"] else "."),
        "Finanziato dal decreto del 30/12/2021: "
        + ("sì." if _is_yes(row["finanziato_decreto_30_12_2021"]) else "no."),
        "Localizzazione comunale: il dato non ha coordinate, la geometria è il confine del Comune.",
    ]
    if row["quota_cofinanziata_eur"].strip():
        parts.insert(2, f"Quota cofinanziata dichiarata: {row['quota_cofinanziata_eur']} €.")
    return " ".join(parts)


def _funding(row: dict, cost: Decimal, report: PnrrReport) -> list[FinanziamentoInput]:
    if not _is_yes(row["finanziato_decreto_30_12_2021"]):
        return []
    assigned = _euro(row["assegnazione_2021_2026_eur"], name="assegnazione_2021_2026_eur")
    if assigned is None:
        raise ValueError("finanziato ma senza assegnazione_2021_2026_eur")
    atto = f"Decreto Min. Interno 30/12/2021, assegnazione 2021–2026: {assigned} €"
    if assigned > cost:
        report.capped.append(row["cup"])
        atto += " (somma di annualità arrotondate: importo limitato al costo)"
    amount = min(assigned, cost)
    return [FinanziamentoInput(FonteFinanziamento.PNRR, amount, PNRR_MISURA, atto)]


def _fields(row: dict, comune: Comune, report: PnrrReport) -> dict:
    """The intervento's fields from one CSV row (raises ValueError on a bad value)."""
    cup = row["cup"].strip()
    if not re.match(CUP_REGEX, cup):
        raise ValueError(f"CUP non valido: {cup!r}")
    tipo = row["tipologia_intervento"].strip()
    if tipo not in TIPOLOGIE:
        raise ValueError(f"tipologia_intervento sconosciuta: {tipo!r}")
    cost = _euro(row["costo_complessivo_eur"], name="costo_complessivo_eur")
    if cost is None:
        raise ValueError("costo_complessivo_eur mancante")
    funded = _is_yes(row["finanziato_decreto_30_12_2021"])
    years = FUNDED_YEARS if funded else (None, None)
    return {
        "title": f"Rigenerazione urbana PNRR a {comune.name} (tipologia {tipo}, CUP {cup})",
        "description": _description(row, tipo),
        "geom": comune.geom,
        "localizzazione": Localizzazione.COMUNALE,
        "stato": StatoIntervento.PROGRAMMATO,
        "anno_inizio": years[0],
        "anno_fine": years[1],
        "costo_totale": cost,
        "soggetto_attuatore": f"Comune di {comune.name}",
        "cup": cup,
        "tipologia": tipo,
        "ambiti_ricaduta": list(TIPOLOGIE[tipo][1]),
        "links": [{"titolo": "OpenCUP", "url": row["opencup_url"].strip()}],
        "publication_state": PublicationState.PUBBLICATO,
        "is_sample": False,
        "source": PNRR_SOURCE,
        "source_url": PNRR_SOURCE_URL,
        "licence": PNRR_LICENCE,
        "data_updated_on": DECREE_DATE,
        "finanziamenti": _funding(row, cost, report),
        "comuni": [comune],
    }


def _read(path: Path, report: PnrrReport) -> list[dict]:
    """Every row checked and turned into intervento fields, before anything is written."""
    if not path.exists():
        raise UserInputError(ERROR_FILE_MISSING.format(path=path), field="REMIX_DATA_DIR")
    comuni = {c.istat_code: c for c in Comune.objects.all()}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise UserInputError(
                ERROR_COLUMNS.format(file=path.name, columns=", ".join(missing)), field="file"
            )
        records, seen = [], set()
        for line, row in enumerate(reader, start=2):
            cup = (row["cup"] or "").strip()

            def fail(problem: str, line=line, cup=cup) -> UserInputError:
                message = ERROR_ROW.format(file=path.name, line=line, cup=cup, problem=problem)
                return UserInputError(message, field="file")

            comune = comuni.get(row["istat_code"].strip())
            if comune is None:
                raise fail(f"codice ISTAT {row['istat_code']!r} non presente tra i Comuni")
            if cup in seen:
                raise fail("CUP ripetuto")
            seen.add(cup)
            try:
                records.append(_fields(row, comune, report))
            except ValueError as exc:
                raise fail(str(exc)) from None
    return records


def is_unchanged(intervento: Intervento, fields: dict) -> bool:
    """Whether an intervento already holds exactly ``fields`` (funding and Comuni included)."""
    own = {k: v for k, v in fields.items() if k not in ("comuni", "finanziamenti")}
    if not record_is_unchanged(intervento, own):
        return False
    stored = list(intervento.finanziamenti.values_list("fonte", "importo", "misura", "atto"))
    wanted = [(f.fonte, f.importo, f.misura, f.atto) for f in fields["finanziamenti"]]
    comuni = sorted(intervento.comuni.values_list("pk", flat=True))
    return sorted(stored) == sorted(wanted) and comuni == sorted(c.pk for c in fields["comuni"])


@transaction.atomic
def pnrr_load(*, data_dir: Path) -> PnrrReport:
    """Create or update (by CUP) the PNRR M5C2 I2.1 interventions of the CMM; all or nothing."""
    report = PnrrReport()
    path = Path(data_dir) / PNRR_FILE
    records = _read(path, report)
    existing = {i.cup: i for i in Intervento.objects.filter(cup__in=[r["cup"] for r in records])}
    for fields in records:
        report.funded += bool(fields["finanziamenti"])
        try:
            current = existing.get(fields["cup"])
            if current is not None and is_unchanged(current, fields):
                report.unchanged += 1
            elif current is not None:
                intervento_update(intervento=current, **fields)
                report.updated += 1
            else:
                intervento_create(**fields)
                report.created += 1
        except ValidationError as exc:
            problem = "; ".join(exc.messages)
            raise UserInputError(f"{path.name}, CUP {fields['cup']}: {problem}") from exc
    return report
