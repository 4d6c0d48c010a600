"""Which file column feeds which field of an intervento or an opportunità.

A file made from the downloadable template maps itself; other files get a mapping step where
the user picks a column for each field. Aliases cover the usual Italian names and the
10-character names a Shapefile's DBF cuts them to.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from rigenerazione.models import (
    FonteFinanziamento,
    StatoIntervento,
    StatoOpportunita,
    TipoOpportunita,
)

__all__ = ["FieldSpec", "TARGETS", "Target", "default_mapping", "target"]


@dataclass(frozen=True)
class FieldSpec:
    """One field a file can fill: its name, label, kind and the column names it answers to."""

    name: str
    label: str
    kind: str = "text"  # text | choice | decimal | year
    required: bool = False
    max_length: int | None = None
    choices: type | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """What an upload creates: interventi or opportunità, with their importable fields."""

    key: str
    label: str
    fields: tuple[FieldSpec, ...]
    polygons_only: bool


_TITLE = ("titolo", "title", "nome", "denominazione", "denominazi", "name")
_DESCRIPTION = ("descrizione", "descrizion", "description", "desc")

INTERVENTI = Target(
    key="interventi",
    label=_("Interventi"),
    polygons_only=False,
    fields=(
        FieldSpec("title", _("Titolo"), required=True, max_length=300, aliases=_TITLE),
        FieldSpec("description", _("Descrizione"), aliases=_DESCRIPTION),
        FieldSpec(
            "stato",
            _("Stato"),
            "choice",
            True,
            choices=StatoIntervento,
            aliases=("stato", "status"),
        ),
        FieldSpec(
            "anno_inizio",
            _("Anno di inizio"),
            "year",
            aliases=("anno_inizio", "anno_inizi", "inizio"),
        ),
        FieldSpec("anno_fine", _("Anno di fine"), "year", aliases=("anno_fine", "fine")),
        FieldSpec(
            "costo_totale",
            _("Costo totale (€)"),
            "decimal",
            aliases=("costo_totale", "costo_tota", "costo"),
        ),
        FieldSpec(
            "soggetto_attuatore",
            _("Soggetto attuatore"),
            max_length=200,
            aliases=("soggetto_attuatore", "soggetto_a", "attuatore"),
        ),
        FieldSpec("cup", _("CUP"), max_length=15, aliases=("cup", "codice_cup")),
        FieldSpec("tipologia", _("Tipologia"), max_length=120, aliases=("tipologia",)),
        FieldSpec(
            "fonte",
            _("Fonte di finanziamento"),
            "choice",
            choices=FonteFinanziamento,
            aliases=("fonte", "fonte_finanziamento", "fonte_fina"),
        ),
        FieldSpec(
            "importo_finanziato",
            _("Importo finanziato (€)"),
            "decimal",
            aliases=("importo_finanziato", "importo_fi", "importo", "finanziamento"),
        ),
        FieldSpec(
            "misura", _("Misura / linea di finanziamento"), max_length=120, aliases=("misura",)
        ),
    ),
)

OPPORTUNITA = Target(
    key="opportunita",
    label=_("Opportunità"),
    polygons_only=True,
    fields=(
        FieldSpec("title", _("Denominazione"), required=True, max_length=300, aliases=_TITLE),
        FieldSpec("description", _("Descrizione"), aliases=_DESCRIPTION),
        FieldSpec("tipo", _("Tipo"), "choice", True, choices=TipoOpportunita, aliases=("tipo",)),
        FieldSpec(
            "stato",
            _("Stato"),
            "choice",
            True,
            choices=StatoOpportunita,
            aliases=("stato", "status"),
        ),
        FieldSpec(
            "riferimento_pgt",
            _("Riferimento PGT"),
            max_length=200,
            aliases=("riferimento_pgt", "riferiment", "pgt"),
        ),
        FieldSpec(
            "atto_numero", _("Numero dell'atto"), max_length=60, aliases=("atto_numero", "atto")
        ),
    ),
)

TARGETS = {t.key: t for t in (INTERVENTI, OPPORTUNITA)}


def target(key: str) -> Target:
    """The upload target named ``key`` (a KeyError is the caller's bug: keys come from a form)."""
    return TARGETS[key]


def default_mapping(spec: Target, columns: list[str]) -> dict[str, str]:
    """Field → column for every field whose name or alias is a column (case-insensitive)."""
    by_lower = {column.lower(): column for column in columns}
    mapping = {}
    for field in spec.fields:
        for alias in (field.name, *field.aliases):
            if alias in by_lower:
                mapping[field.name] = by_lower[alias]
                break
    return mapping
