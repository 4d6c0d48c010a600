"""Data versions of published layers: what ETags, Last-Modified and tile-cache keys derive from.

Each table a layer reads carries a statement trigger (installed after ``migrate`` for every
registered layer) that bumps its row in :class:`layers.models.DataVersion`; reading a layer's
version is then one primary-key lookup, however big the layer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from layers.models import DataVersion
from layers.registry import Layer, registry

__all__ = ["LayerVersion", "layer_version", "version_triggers_install"]

TRIGGER_NAME = "layers_data_version"


@dataclass(frozen=True)
class LayerVersion:
    """A token that changes whenever any table of the layer changes, and when that was."""

    token: str
    last_modified: datetime | None


def version_triggers_install(tables: list[str] | None = None) -> list[str]:
    """Create (or replace) the change-counter trigger on each table; all layers' when None.

    Table names come from the registry's models, never from requests. Returns the tables.
    """
    if tables is None:
        tables = sorted({t for layer in registry.declared() for t in layer.version_tables})
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quote(table)} "
                "FOR EACH STATEMENT EXECUTE FUNCTION layers_bump_data_version()"
            )
            cursor.execute(
                f"INSERT INTO {quote(DataVersion._meta.db_table)} (table_name, version, changed_at)"  # noqa: S608
                " VALUES (%s, 0, clock_timestamp()) ON CONFLICT (table_name) DO NOTHING",
                [table],
            )
    return tables


def layer_version(layer: Layer) -> LayerVersion:
    """The current data version of ``layer`` (one query)."""
    tables = layer.version_tables
    rows = list(
        DataVersion.objects.filter(table_name__in=tables)
        .order_by("table_name")
        .values_list("table_name", "version", "changed_at")
    )
    raw = "|".join(f"{t}:{v}:{c.isoformat()}" for t, v, c in rows)
    token = hashlib.sha1(f"{layer.id}|{raw}".encode(), usedforsecurity=False).hexdigest()[:20]
    last_modified = max((c for _, _, c in rows), default=None)
    return LayerVersion(token=token, last_modified=last_modified)
