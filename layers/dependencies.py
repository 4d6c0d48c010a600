"""Which database tables a published layer reads: derived from its declaration, never listed.

A layer's data version (ETags, Last-Modified, tile URLs) must change whenever anything it
serves or filters on changes. The tables are found the way the ORM itself finds them:

- the layer's queryset, compiled, gives every table it joins (``select_related``, filters),
  including the tables of its subqueries (``Exists``, ``__in``);
- every filter of its ``filterset_class`` is applied once, alone, with a probe value of the
  right type, and the tables of the resulting query are collected — so filters written as
  methods (``filter_zona`` joining the Comuni through a link table) count as well as
  ``field_name`` paths;
- every exposed field and search lookup (``zona_omogenea__name``) adds the tables along its
  path (and the link table of a many-to-many step); a computed field, those of its expression.

Nothing here runs a query: the SQL is compiled, never executed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import django_filters
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import DEFAULT_DB_ALIAS
from django.db.models import ManyToManyField, ManyToManyRel, Model, QuerySet
from django.db.models.sql import Query
from django.db.models.sql.where import WhereNode

__all__ = ["query_tables", "lookup_tables", "filter_tables", "layer_tables"]

# Raw values a filter's form field accepts, by filter class (the first match wins).
_PROBES: tuple[tuple[type, str], ...] = (
    (django_filters.BooleanFilter, "true"),
    (django_filters.NumberFilter, "1"),
    (django_filters.DateFilter, "2000-01-01"),
)


def _subqueries(query: Query) -> Iterator[Query]:
    """The queries nested in ``query``'s WHERE clause and annotations (Exists, Subquery, __in)."""
    stack: list = [query.where, *query.annotations.values()]
    while stack:
        node = stack.pop()
        if isinstance(node, Query):
            yield node
            continue
        inner = getattr(node, "query", None)
        if isinstance(inner, Query):
            yield inner
        if isinstance(node, WhereNode):
            stack.extend(node.children)
        for side in ("lhs", "rhs"):
            value = getattr(node, side, None)
            if value is not None and not isinstance(value, str | int | float | bytes):
                stack.append(value)
        if hasattr(node, "get_source_expressions"):
            stack.extend(e for e in node.get_source_expressions() if e is not None)


def query_tables(queryset_or_query: QuerySet | Query) -> set[str]:
    """Every table a queryset reads: its joins (as compiled) and its subqueries' tables."""
    query = getattr(queryset_or_query, "query", queryset_or_query).clone()
    with contextlib.suppress(EmptyResultSet, FullResultSet):
        query.get_compiler(DEFAULT_DB_ALIAS).as_sql()  # sets up select_related joins
    tables = {alias.table_name for alias in query.alias_map.values()}
    tables.add(query.get_meta().db_table)
    for sub in _subqueries(query):
        tables |= query_tables(sub)
    return tables


def lookup_tables(model: type[Model], lookup: str) -> set[str]:
    """The tables along an ORM path such as ``comuni__zona_omogenea__name`` (transforms and
    lookups at its end, such as ``__icontains``, are ignored)."""
    tables = {model._meta.db_table}
    current = model
    for part in lookup.split("__"):
        try:
            field = current._meta.get_field(part)
        except Exception:  # noqa: BLE001 — a transform or lookup ends the path
            break
        if isinstance(field, ManyToManyField):
            tables.add(field.remote_field.through._meta.db_table)
        elif isinstance(field, ManyToManyRel):
            tables.add(field.through._meta.db_table)
        if field.related_model is None:
            break
        current = field.related_model
        tables.add(current._meta.db_table)
    return tables


def _probe(flt: django_filters.Filter) -> str:
    for kind, value in _PROBES:
        if isinstance(flt, kind):
            return value
    choices = flt.extra.get("choices")
    if choices:
        return str(next(iter(choices))[0])
    return "x"


def filter_tables(filterset_class, queryset: QuerySet) -> set[str]:
    """The tables each filter of ``filterset_class`` makes ``queryset`` read, one at a time."""
    tables: set[str] = set()
    for name, flt in filterset_class.base_filters.items():
        filterset = filterset_class(data={name: _probe(flt)}, queryset=queryset)
        if filterset.is_valid():
            tables |= query_tables(filterset.qs)
        if flt.field_name and flt.field_name != name:
            tables |= lookup_tables(queryset.model, flt.field_name)
        for lookup in getattr(flt, "lookups", ()):
            tables |= lookup_tables(queryset.model, lookup)
    return tables


def layer_tables(layer) -> list[str]:
    """The tables whose changes make a new data version of ``layer``, sorted."""
    queryset = layer.get_queryset()
    tables = query_tables(queryset) | {layer.model._meta.db_table}
    computed = {f"rx_dep_{f.name}": f.expression for f in layer.fields if f.expression is not None}
    if computed:  # subqueries of computed fields (funding totals, Comuni of an intervento)
        tables |= query_tables(queryset.annotate(**computed))
    for lookup in [f.lookup for f in layer.fields if f.expression is None]:
        tables |= lookup_tables(layer.model, lookup)
    for lookup in layer.search_fields:
        tables |= lookup_tables(layer.model, lookup)
    if layer.filterset_class is not None:
        tables |= filter_tables(layer.filterset_class, queryset)
    return sorted(tables)
