"""Data versions of published layers: what ETags, Last-Modified and tile-cache keys derive from.

Each table a layer reads carries statement triggers (installed after ``migrate`` for every
registered layer) that bump its row in :class:`layers.models.DataVersion`; reading a layer's
version is then one primary-key lookup, however big the layer.

A version changes only when the data does, so that re-running an idempotent loader keeps every
ETag and cached tile. One trigger per event, reading the statement's transition tables
(functions in migration ``layers/0003``):

- INSERT and DELETE bump when the statement touched at least one row;
- UPDATE bumps when the new rows, as a multiset, differ from the old ones (``EXCEPT ALL`` on
  whole rows cast to text): an UPDATE that rewrites identical values, or touches no row, leaves
  the version alone; no primary-key name is needed and an UPDATE of the key is still seen.
  Text, not ``to_jsonb``: PostGIS casts a geometry to JSON as GeoJSON rounded to 9 decimals,
  whereas its text is the exact hex EWKB (and floats print round-trip exact);
- TRUNCATE always bumps (it has no transition tables).

No process keeps a copy of the versions: the lookup runs on the request's own connection, so
it works the same on a primary, a hot-standby replica or behind a pooler, and sees the
request's own uncommitted changes.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection
from django.utils.http import http_date

from layers.models import DataVersion
from layers.registry import Layer, registry

__all__ = [
    "LayerVersion",
    "layer_version",
    "layer_versions",
    "version_select",
    "version_from_columns",
    "version_triggers_install",
    "versioned_tables",
    "TRIGGERS",
]

# The combined trigger of the first design, dropped on install.
OLD_TRIGGER_NAME = "layers_data_version"
# Trigger name → its event, the transition tables it reads and the function it runs.
TRIGGERS = {
    "layers_data_version_insert": (
        "INSERT",
        "REFERENCING NEW TABLE AS changed_rows",
        "layers_bump_data_version_if_rows",
    ),
    "layers_data_version_update": (
        "UPDATE",
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "layers_bump_data_version_if_changed",
    ),
    "layers_data_version_delete": (
        "DELETE",
        "REFERENCING OLD TABLE AS changed_rows",
        "layers_bump_data_version_if_rows",
    ),
    "layers_data_version_truncate": ("TRUNCATE", "", "layers_bump_data_version"),
}


@dataclass(frozen=True)
class LayerVersion:
    """A token that changes whenever any table of the layer changes, and when that was."""

    token: str
    last_modified: datetime | None

    @functools.cached_property
    def last_modified_http(self) -> str | None:
        """``last_modified`` as an HTTP date (computed once per version)."""
        if self.last_modified is None:
            return None
        return http_date(self.last_modified.timestamp())


def versioned_tables() -> list[str]:
    """Every table a declared layer reads (its changes make a new data version), sorted."""
    return sorted({t for layer in registry.declared() for t in layer.version_tables})


def version_triggers_install(tables: list[str] | None = None) -> list[str]:
    """Create (or replace) the change-counter triggers on each table; all layers' when None.

    Idempotent: the triggers are replaced, the combined trigger of the first design dropped.
    Table names come from the registry's models, never from requests. Returns the tables.
    """
    if tables is None:
        tables = versioned_tables()
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"DROP TRIGGER IF EXISTS {OLD_TRIGGER_NAME} ON {quote(table)}")
            for name, (event, referencing, function) in TRIGGERS.items():
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {quote(table)} "
                    f"{referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
                )
            cursor.execute(
                f"INSERT INTO {quote(DataVersion._meta.db_table)} (table_name, version, changed_at)"  # noqa: S608
                " VALUES (%s, 0, clock_timestamp()) ON CONFLICT (table_name) DO NOTHING",
                [table],
            )
    return tables


VersionRow = tuple[str, int, datetime]


def layer_version(layer: Layer) -> LayerVersion:
    """The current data version of ``layer``: one query on the version table."""
    rows = list(
        DataVersion.objects.filter(table_name__in=layer.version_tables)
        .order_by("table_name")
        .values_list("table_name", "version", "changed_at")
    )
    return _version_of(layer, rows)


def layer_versions(layers: list[Layer]) -> dict[str, LayerVersion]:
    """The current data version of each layer, by layer id: one query for them all."""
    tables = {t for layer in layers for t in layer.version_tables}
    rows = list(
        DataVersion.objects.filter(table_name__in=tables)
        .order_by("table_name")
        .values_list("table_name", "version", "changed_at")
    )
    return {
        layer.id: _version_of(layer, [r for r in rows if r[0] in layer.version_tables])
        for layer in layers
    }


def version_select(layer: Layer) -> tuple[str, list]:
    """A one-row SELECT of the layer's version rows as three arrays (tables, versions,
    change times), to run inside another statement so that both read one snapshot; read it
    back with :func:`version_from_columns`."""
    table = connection.ops.quote_name(DataVersion._meta.db_table)
    sql = (
        "SELECT array_agg(table_name ORDER BY table_name), "  # noqa: S608
        "array_agg(version ORDER BY table_name), array_agg(changed_at ORDER BY table_name) "
        f"FROM {table} WHERE table_name = ANY(%s)"
    )
    return sql, [list(layer.version_tables)]


def version_from_columns(layer: Layer, columns: tuple) -> LayerVersion:
    """The version of ``layer`` from the columns of :func:`version_select`."""
    tables, versions, changed = (c or [] for c in columns)
    return _version_of(layer, list(zip(tables, versions, changed, strict=True)))


def _version_of(layer: Layer, rows: list[VersionRow]) -> LayerVersion:
    raw = "|".join(f"{t}:{v}:{c.astimezone(UTC).isoformat()}" for t, v, c in rows)
    token = hashlib.sha1(f"{layer.id}|{raw}".encode(), usedforsecurity=False).hexdigest()[:20]
    last_modified = max((c for _, _, c in rows), default=None)
    return LayerVersion(token=token, last_modified=last_modified)
