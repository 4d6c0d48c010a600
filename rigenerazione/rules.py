"""Domain rules shared by the models, the services, the admin and the loaders.

Messages are module constants, reused by the tests; each names the record at fault
(``Intervento «Titolo»: …``). Spatial checks run in PostGIS (:mod:`rigenerazione.sql`).
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib.gis.geos import GEOSGeometry, MultiLineString, MultiPoint, MultiPolygon
from django.core.exceptions import ValidationError

from contributi.roles import may_write_in
from layers.models import Comune
from rigenerazione.sql import is_inside_cmm

__all__ = [
    "ERROR_GEOM_INVALID",
    "ERROR_GEOM_EMPTY",
    "ERROR_GEOM_KIND",
    "ERROR_OUTSIDE_CMM",
    "ERROR_FUNDING_OVER_COST",
    "ERROR_FUNDING_WITHOUT_COST",
    "ERROR_NO_COMUNE",
    "ERROR_COMUNE_NOT_OF_GEOMETRY",
    "ERROR_COMUNI_NOT_OF_GEOMETRY",
    "ERROR_WRITER_OUTSIDE",
    "as_multi",
    "record_label",
    "geometry_errors",
    "funding_errors",
    "comuni_names",
    "writer_errors",
    "acting_writer",
]

ERROR_GEOM_INVALID = "{record}: la geometria non è valida ({reason})."
ERROR_GEOM_EMPTY = "{record}: la geometria è vuota."
ERROR_GEOM_KIND = "{record}: tipo di geometria non ammesso ({kind}); ammessi: {allowed}."
ERROR_OUTSIDE_CMM = (
    "{record}: la geometria esce dalla Città metropolitana di Milano (oltre i confini dei "
    "suoi Comuni)."
)
ERROR_FUNDING_OVER_COST = (
    "{record}: i finanziamenti ({total} €) superano il costo totale ({cost} €)."
)
ERROR_FUNDING_WITHOUT_COST = (
    "{record}: indicare il costo totale prima dei finanziamenti (servono per le quote)."
)
ERROR_NO_COMUNE = "{record}: nessun Comune della Città metropolitana contiene la geometria."
ERROR_COMUNE_NOT_OF_GEOMETRY = (
    "{record}: il Comune indicato ({chosen}) non è quello in cui ricade la geometria ({actual})."
)
ERROR_COMUNI_NOT_OF_GEOMETRY = (
    "{record}: i Comuni indicati ({chosen}) non sono tutti fra quelli in cui ricade la "
    "geometria ({actual})."
)
ERROR_WRITER_OUTSIDE = (
    "{record}: l'utente {user} inserisce e modifica dati solo nei propri Comuni, ma la "
    "geometria ricade in: {comuni}."
)

_MULTI = {
    "Point": MultiPoint,
    "LineString": MultiLineString,
    "Polygon": MultiPolygon,
}


def as_multi(geom: GEOSGeometry) -> GEOSGeometry:
    """Single geometries become multi (Point → MultiPoint, …); multi ones are returned as is."""
    multi = _MULTI.get(geom.geom_type)
    if multi is None:
        return geom
    return multi(geom.clone(), srid=geom.srid)


def record_label(kind: str, title: str) -> str:
    return f"{kind} «{title or '?'}»"


def geometry_errors(geom: GEOSGeometry | None, *, record: str, allowed: tuple[str, ...]) -> list:
    """Messages for a geometry that is empty, of a kind not allowed, invalid or outside the CMM."""
    if geom is None:
        return []
    if geom.empty:
        return [ERROR_GEOM_EMPTY.format(record=record)]
    if geom.geom_type not in allowed:
        kind, allowed_text = geom.geom_type, ", ".join(allowed)
        return [ERROR_GEOM_KIND.format(record=record, kind=kind, allowed=allowed_text)]
    if not geom.valid:
        return [ERROR_GEOM_INVALID.format(record=record, reason=geom.valid_reason)]
    if not is_inside_cmm(geom):
        return [ERROR_OUTSIDE_CMM.format(record=record)]
    return []


def funding_errors(record: str, amounts: list[Decimal], cost: Decimal | None) -> None:
    """Raise ValidationError when the funding amounts exceed the total cost (or have none)."""
    total = sum(amounts, Decimal("0"))
    if not amounts or total == 0:
        return
    if cost is None:
        raise ValidationError({"costo_totale": ERROR_FUNDING_WITHOUT_COST.format(record=record)})
    if total > cost:
        raise ValidationError(
            {"costo_totale": ERROR_FUNDING_OVER_COST.format(record=record, total=total, cost=cost)}
        )


def comuni_names(ids) -> str:
    """The names of these Comuni, in ISTAT order, for messages."""
    names = Comune.objects.filter(pk__in=list(ids)).order_by("istat_code")
    return ", ".join(names.values_list("name", flat=True)) or "—"


def writer_errors(record: str, writer, comuni_ids) -> list:
    """The role wall at model level: ``writer`` (the user saving, or the author of a new
    record) must be allowed to write in every Comune of the geometry
    (:func:`contributi.roles.may_write_in`). No writer (a loader, a command) is not checked."""
    if writer is None or may_write_in(writer, comuni_ids):
        return []
    names = comuni_names(comuni_ids)
    return [ERROR_WRITER_OUTSIDE.format(record=record, user=writer, comuni=names)]


def acting_writer(instance):
    """Who is writing ``instance``: its ``writer`` when a service or the admin set it, else
    the author of a record not yet stored (so a shell or a loader creating a record in an
    operator's name is held to that operator's Comuni)."""
    if instance.writer is not None:
        return instance.writer
    return instance.created_by if instance._state.adding and instance.created_by_id else None
