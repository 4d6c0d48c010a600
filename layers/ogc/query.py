"""Query parameters of OGC items beyond Part 1: ``filter``, ``sortby``, ``properties``,
``datetime`` (and the temporal extent they share).

Names are checked against the layer's published fields (a 400 names any other); values reach
SQL only through the ORM.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F, Max, Min, QuerySet
from django.db.models.functions import Coalesce
from django.http import QueryDict

from layers.fieldschema import layer_schema
from layers.ogc.cql import filter_queryset, parse_filter
from layers.registry import Field, Layer
from remix.errors import UserInputError

__all__ = [
    "BAD_SORTBY",
    "BAD_PROPERTIES",
    "BAD_DATETIME",
    "NO_DATETIME",
    "Queryables",
    "queryables",
    "apply_filter",
    "apply_sortby",
    "selected_fields",
    "apply_datetime",
    "temporal_extent",
]

BAD_SORTBY = "sortby: proprietà sconosciuta {name!r}; ordinabili: {names}."
BAD_PROPERTIES = "properties: proprietà sconosciuta {name!r}; disponibili: {names}."
BAD_DATETIME = (
    "datetime deve essere una data o un istante RFC 3339 (2022, 2022-05-01, "
    "2022-05-01T10:00:00Z) o un intervallo 'inizio/fine' con '..' per un estremo aperto."
)
NO_DATETIME = "datetime: la collezione {id} non ha date."
YEAR_RE = re.compile(r"^\d{4}$")
ALIAS = "rx_q_{}"


@dataclass(frozen=True)
class Queryables:
    """The queryset with an alias per computed field, and queryable name → ORM lookup."""

    queryset: QuerySet
    lookups: dict[str, str]


def queryables(layer: Layer, queryset: QuerySet) -> Queryables:
    """The scalar fields (and ``geometry``) a filter or sortby may name, as ORM lookups."""
    scalar = {s.name for s in layer_schema(layer) if s.is_scalar}
    lookups = {"geometry": layer.geometry_field}
    aliases = {}
    for f in layer.fields:
        if f.name not in scalar:
            continue
        if f.expression is not None:
            aliases[ALIAS.format(f.name)] = f.expression
            lookups[f.name] = ALIAS.format(f.name)
        else:
            lookups[f.name] = f.lookup
    return Queryables(queryset.alias(**aliases) if aliases else queryset, lookups)


def apply_filter(found: Queryables, params: QueryDict, *, srid: int) -> QuerySet:
    """Narrow by ``filter`` (``filter-lang``, geometries in ``filter-crs``'s ``srid``)."""
    text = params.get("filter")
    if not text:
        return found.queryset
    tree = parse_filter(text, params.get("filter-lang"))
    return filter_queryset(found.queryset, tree, found.lookups, srid=srid)


def apply_sortby(found: Queryables, queryset: QuerySet, value: str | None, id_field: str):
    """Order by ``sortby`` (``+name``/``name`` ascending, ``-name`` descending), then id."""
    order = []
    sortable = {k: v for k, v in found.lookups.items() if k != "geometry"}
    for item in (value or "").split(","):
        item = item.strip()
        if not item:
            continue
        descending = item.startswith("-")
        name = item.lstrip("+-")
        if name not in sortable:
            names = ", ".join(sorted(sortable))
            raise UserInputError(BAD_SORTBY.format(name=name, names=names), field="sortby")
        expr = F(sortable[name])
        order.append(expr.desc(nulls_last=True) if descending else expr.asc(nulls_last=True))
    return queryset.order_by(*order, id_field)


def selected_fields(layer: Layer, value: str | None) -> tuple[Field, ...]:
    """The fields named by ``properties`` (all when absent), in declaration order."""
    if value is None:
        return layer.fields
    wanted = [name.strip() for name in value.split(",") if name.strip()]
    names = [f.name for f in layer.fields]
    for name in wanted:
        if name not in names:
            message = BAD_PROPERTIES.format(name=name, names=", ".join(names))
            raise UserInputError(message, field="properties")
    return tuple(f for f in layer.fields if f.name in wanted)


def _bound(text: str, *, end: bool) -> date | None:
    """One end of a ``datetime`` interval as a date (None when open)."""
    if text in ("", ".."):
        return None
    try:
        if YEAR_RE.match(text):
            return date(int(text), 12, 31) if end else date(int(text), 1, 1)
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        raise UserInputError(BAD_DATETIME, field="datetime") from None


def _temporal_lookups(layer: Layer) -> tuple[str, str]:
    start, end = (layer.temporal + layer.temporal)[:2]
    return layer.field_named(start).lookup, layer.field_named(end).lookup


def apply_datetime(layer: Layer, queryset: QuerySet, value: str | None) -> QuerySet:
    """The features whose years (``layer.temporal``) meet the ``datetime`` instant or interval.

    A feature spans [start, end] (end missing: its start year); it matches when that span
    overlaps the requested one. Features without a start year never match.
    """
    if value is None:
        return queryset
    if not layer.temporal:
        raise UserInputError(NO_DATETIME.format(id=layer.id), field="datetime")
    parts = value.split("/")
    if len(parts) > 2 or parts == ["", ""] or parts == ["..", ".."]:
        raise UserInputError(BAD_DATETIME, field="datetime")
    low = _bound(parts[0], end=False)
    high = _bound(parts[-1], end=True)
    start, end = _temporal_lookups(layer)
    queryset = queryset.filter(**{f"{start}__isnull": False})
    if high is not None:
        queryset = queryset.filter(**{f"{start}__lte": high.year})
    if low is not None:
        queryset = queryset.alias(rx_until=Coalesce(end, start)).filter(rx_until__gte=low.year)
    return queryset


def temporal_extent(layer: Layer) -> list[str | None] | None:
    """[first, last] instant of the layer's years (RFC 3339), or None without dates."""
    if not layer.temporal:
        return None
    start, end = _temporal_lookups(layer)
    span = layer.get_queryset().aggregate(low=Min(start), high=Max(Coalesce(end, start)))
    if span["low"] is None:
        return None
    return [f"{span['low']}-01-01T00:00:00Z", f"{span['high']}-12-31T23:59:59Z"]
