"""System check: every table a layer reads carries its version triggers and its version row.

Without the triggers a change never reaches the layer's ETag or tile URLs; without the row the
version token never changes, silently (the table is read as "no version"). Both are installed
by ``manage.py migrate`` (:func:`layers.versions.version_triggers_install`, after every
migration): this check makes a database that missed it fail at start-up (``runserver``,
``manage.py check``, the Docker app's start) instead of serving stale answers.

It does not run inside ``migrate`` (which passes ``databases``: it installs them afterwards),
nor on a database not migrated yet.
"""

from __future__ import annotations

from django.core.checks import Error, register
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from layers.models import DataVersion
from layers.versions import TRIGGERS, versioned_tables

__all__ = ["ERROR_NO_TRIGGERS", "ERROR_NO_VERSION_ROW", "data_versions_check", "missing_versions"]

# The trigger names the engine installs on every versioned table.
TRIGGER_NAMES = tuple(TRIGGERS)
ERROR_NO_TRIGGERS = "layers.E101"
ERROR_NO_VERSION_ROW = "layers.E102"
HINT = "Run `manage.py migrate`: it installs the triggers and rows of every registered layer."


def missing_versions(tables: list[str]) -> tuple[dict[str, list[str]], list[str]]:
    """For each of ``tables``: the version triggers it lacks, and whether its row is missing.

    Returns ``({table: [missing trigger names]}, [tables without a version row])``; two queries.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, t.tgname FROM pg_trigger AS t
            JOIN pg_class AS c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND c.relname = ANY(%s) AND t.tgname = ANY(%s)
              AND pg_catalog.pg_table_is_visible(c.oid)
            """,
            [tables, list(TRIGGER_NAMES)],
        )
        present = set(cursor.fetchall())
    without_triggers = {
        table: missing
        for table in tables
        if (missing := [name for name in TRIGGER_NAMES if (table, name) not in present])
    }
    with_row = set(
        DataVersion.objects.filter(table_name__in=tables).values_list("table_name", flat=True)
    )
    return without_triggers, [t for t in tables if t not in with_row]


def _database_is_ready() -> bool:
    """Whether the database is reachable and fully migrated (else ``migrate`` comes first)."""
    try:
        if DataVersion._meta.db_table not in connection.introspection.table_names():
            return False
        executor = MigrationExecutor(connection)
        return not executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return False


@register("database_versions")
def data_versions_check(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """Errors for each registered layer's table lacking its triggers or its version row."""
    if databases is not None or not _database_is_ready():
        return []
    tables = versioned_tables()
    without_triggers, without_row = missing_versions(tables)
    errors = [
        Error(
            f"Table {table!r} lacks its data-version triggers ({', '.join(names)}): changes "
            "to it would not change the ETags and tile URLs of the layers reading it.",
            hint=HINT,
            id=ERROR_NO_TRIGGERS,
        )
        for table, names in without_triggers.items()
    ]
    errors += [
        Error(
            f"Table {table!r} has no row in {DataVersion._meta.db_table}: the version of the "
            "layers reading it would never change.",
            hint=HINT,
            id=ERROR_NO_VERSION_ROW,
        )
        for table in without_row
    ]
    return errors
