"""Writes of interventions and opportunities, with their domain rules.

Every function is keyword-only and validates with ``full_clean()`` before anything is stored:
geometry valid, multi and inside the CMM; the Comune(i) found spatially when not given;
funding not above the total cost (shares are derived by :attr:`Finanziamento.quota`); the
surface of an opportunità computed in PostGIS (:func:`rules.spatial.area_m2`, in its ``save``).
A rule that fails raises :class:`django.core.exceptions.ValidationError` naming the record and
nothing is written (each service runs in one transaction).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import transaction

from layers.srid import STORAGE_SRID
from rigenerazione.models import Finanziamento, Intervento, Opportunita
from rules.geometry import ERROR_NO_COMUNE, as_multi, record_label
from rules.spatial import comuni_ids_of_geometry
from rules.writers import ERROR_COMUNI_NOT_OF_GEOMETRY, comuni_names
from territorio.models import Comune

__all__ = [
    "FinanziamentoInput",
    "intervento_create",
    "intervento_update",
    "intervento_comuni_refresh",
    "opportunita_create",
    "opportunita_update",
    "ERROR_UNKNOWN_FIELD",
]

ERROR_UNKNOWN_FIELD = "Campo non modificabile: {name}."

INTERVENTO_FIELDS = frozenset(
    {
        "title",
        "description",
        "geom",
        "localizzazione",
        "stato",
        "anno_inizio",
        "anno_fine",
        "costo_totale",
        "soggetto_attuatore",
        "cup",
        "tipologia",
        "ambiti_ricaduta",
        "sttm",
        "links",
        "publication_state",
        "review_comment",
        "withdrawn_on",
        "is_sample",
        "source",
        "source_url",
        "licence",
        "data_updated_on",
        "created_by",
        "external_id",
    }
)
OPPORTUNITA_FIELDS = frozenset(
    (INTERVENTO_FIELDS & {f.name for f in Opportunita._meta.get_fields()})
    | {"tipo", "comune", "destinazioni_uso", "atto_numero", "atto_data", "riferimento_pgt"}
)


@dataclass(frozen=True)
class FinanziamentoInput:
    """One funding row to attach to an intervento."""

    fonte: str
    importo: Decimal
    misura: str = ""
    atto: str = ""


def _prepared(geom: GEOSGeometry) -> GEOSGeometry:
    if geom.srid is None:
        geom.srid = STORAGE_SRID
    return as_multi(geom)


def _check_names(names: Iterable[str], allowed: frozenset[str]) -> None:
    for name in names:
        if name not in allowed:
            raise ValidationError({name: ERROR_UNKNOWN_FIELD.format(name=name)})


def intervento_comuni_refresh(*, intervento: Intervento) -> list[int]:
    """Set the Comuni of an intervento from its geometry (spatially); return their ids."""
    ids = comuni_ids_of_geometry(intervento.geom)
    if not ids:
        record = f"Intervento «{intervento.title}»"
        raise ValidationError({"comuni": ERROR_NO_COMUNE.format(record=record)})
    intervento.comuni.set(ids)
    return ids


def _comuni_set(intervento: Intervento, comuni: Iterable[Comune]) -> None:
    """Tag the Comuni given, which must all be Comuni the geometry lies in."""
    chosen = {c.pk for c in comuni}
    actual = set(comuni_ids_of_geometry(intervento.geom))
    if not chosen or not chosen <= actual:
        record = record_label("Intervento", intervento.title)
        message = ERROR_COMUNI_NOT_OF_GEOMETRY.format(
            record=record, chosen=comuni_names(chosen), actual=comuni_names(actual)
        )
        raise ValidationError({"comuni": message})
    intervento.comuni.set(chosen)


def _finanziamenti_replace(
    intervento: Intervento, finanziamenti: Iterable[FinanziamentoInput]
) -> None:
    rows = list(finanziamenti)
    intervento.validate_funding([Decimal(str(r.importo)) for r in rows])
    intervento.finanziamenti.all().delete()
    for row in rows:
        funding = Finanziamento(
            intervento=intervento,
            fonte=row.fonte,
            importo=Decimal(str(row.importo)),
            misura=row.misura,
            atto=row.atto,
        )
        funding.full_clean()
        funding.save()


@transaction.atomic
def intervento_create(
    *,
    title: str,
    geom: GEOSGeometry,
    stato: str,
    comuni: Iterable[Comune] | None = None,
    finanziamenti: Iterable[FinanziamentoInput] = (),
    writer=None,
    **fields: Any,
) -> Intervento:
    """Create an intervento with its Comuni (found spatially when not given) and funding.

    ``fields`` are other model fields (``costo_totale``, ``cup``, ``anno_inizio``, …);
    ``writer`` (default: ``created_by``) must be allowed to write in the geometry's Comuni.
    """
    _check_names(fields, INTERVENTO_FIELDS)
    intervento = Intervento(title=title, geom=_prepared(geom), stato=stato, **fields)
    intervento.writer = writer
    intervento.full_clean()
    intervento.save()
    if comuni is None:
        intervento_comuni_refresh(intervento=intervento)
    else:
        _comuni_set(intervento, comuni)
    _finanziamenti_replace(intervento, finanziamenti)
    intervento.full_clean()
    intervento.validate_funding()
    return intervento


@transaction.atomic
def intervento_update(
    *,
    intervento: Intervento,
    comuni: Iterable[Comune] | None = None,
    finanziamenti: Iterable[FinanziamentoInput] | None = None,
    writer=None,
    **changes: Any,
) -> Intervento:
    """Change an intervento; a new geometry re-derives its Comuni unless ``comuni`` is given.

    ``finanziamenti``, when given, replaces every funding row; ``writer``, the user making
    the change, must be allowed to write in the Comuni of the (new) geometry.
    """
    _check_names(changes, INTERVENTO_FIELDS)
    intervento.writer = writer
    if "geom" in changes:
        changes["geom"] = _prepared(changes["geom"])
        if "localizzazione" not in changes:
            intervento.localizzazione = ""
    for name, value in changes.items():
        setattr(intervento, name, value)
    if finanziamenti is not None:
        # Replaced below; dropped first so the new cost is checked against the new rows only
        # (the transaction restores them if anything fails).
        finanziamenti = list(finanziamenti)
        intervento.finanziamenti.all().delete()
    intervento.full_clean()
    intervento.save()
    if comuni is not None:
        _comuni_set(intervento, comuni)
    elif "geom" in changes:
        intervento_comuni_refresh(intervento=intervento)
    if finanziamenti is not None:
        _finanziamenti_replace(intervento, finanziamenti)
    intervento.full_clean()
    intervento.validate_funding()
    return intervento


@transaction.atomic
def opportunita_create(
    *,
    title: str,
    geom: GEOSGeometry,
    tipo: str,
    stato: str,
    comune: Comune | None = None,
    writer=None,
    **fields: Any,
) -> Opportunita:
    """Create an opportunità; its Comune is found spatially when not given (and must be the
    geometry's when given), its surface computed; ``writer`` as for :func:`intervento_create`."""
    _check_names(fields, OPPORTUNITA_FIELDS)
    opportunita = Opportunita(
        title=title, geom=_prepared(geom), tipo=tipo, stato=stato, comune=comune, **fields
    )
    opportunita.writer = writer
    opportunita.full_clean()
    opportunita.save()
    return opportunita


@transaction.atomic
def opportunita_update(*, opportunita: Opportunita, writer=None, **changes: Any) -> Opportunita:
    """Change an opportunità; a new perimeter re-derives its Comune unless one is given;
    ``writer`` as for :func:`intervento_update`."""
    _check_names(changes, OPPORTUNITA_FIELDS)
    opportunita.writer = writer
    if "geom" in changes:
        changes["geom"] = _prepared(changes["geom"])
        if "comune" not in changes:
            changes["comune"] = None
    for name, value in changes.items():
        setattr(opportunita, name, value)
    opportunita.full_clean()
    opportunita.save()
    return opportunita
