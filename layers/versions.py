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

Every process also keeps the versions in memory (:class:`VersionWatcher`): a trigger on the
version table sends ``NOTIFY remix_data_version`` (migration ``layers/0004``), a connection of
its own LISTENs, and checking for news is a non-blocking ``poll()`` on its socket instead of a
query (plus a re-read every ``RELOAD_SECONDS``). A request whose connection is inside a
transaction (which may hold uncommitted bumps), or a process whose listener is down, reads the
table as before.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import select
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg
from django.conf import settings
from django.db import connection
from django.utils.http import http_date

from layers.models import DataVersion
from layers.registry import Layer, registry

__all__ = [
    "LayerVersion",
    "VersionWatcher",
    "layer_version",
    "memory_version",
    "version_triggers_install",
    "watcher",
]

logger = logging.getLogger(__name__)

CHANNEL = "remix_data_version"
# The listener's application_name (pg_stat_activity shows one per process).
LISTENER_NAME = "remix data-version listener"
# After the listener fails, how long a process reads versions from the table before retrying.
RETRY_SECONDS = 5.0
# The copy is re-read at least this often, notice or not (a bound on any missed notice).
RELOAD_SECONDS = 10.0
CONNECT_TIMEOUT = 5

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


def version_triggers_install(tables: list[str] | None = None) -> list[str]:
    """Create (or replace) the change-counter triggers on each table; all layers' when None.

    Idempotent: the triggers are replaced, the combined trigger of the first design dropped.
    Table names come from the registry's models, never from requests. Returns the tables.
    """
    if tables is None:
        tables = sorted({t for layer in registry.declared() for t in layer.version_tables})
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


class VersionWatcher:
    """This process's copy of the version table, kept current by LISTEN/NOTIFY.

    :meth:`rows` answers from memory after a zero-timeout ``poll()`` on the listening
    socket; when something arrived, it reloads the (small) table first. A NOTIFY is sent at
    commit, after the data is visible, so a reload triggered by it sees the change. None means
    "don't know" (listener down, table not listed yet): the caller reads the table itself.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._conn: psycopg.Connection | None = None
        self._owner: tuple[int, str] | None = None  # (pid, database) the listener belongs to
        self._rows: dict[str, tuple[int, datetime]] = {}
        self._notices = 0
        self._generation = 0
        self._stale = False
        self._retry_at = 0.0
        self._loaded_at = 0.0
        self._poller: select.poll | None = None

    def rows(self, tables: list[str]) -> tuple[int, list[VersionRow]] | None:
        """The generation of this copy (it grows at every reload) and the (table, version,
        changed_at) of each of ``tables``, sorted; None when unknown — also while another
        thread is (re)connecting or reloading: callers read the table rather than wait."""
        if not settings.DATA_VERSION_LISTENER or not self._lock.acquire(blocking=False):
            return None
        try:
            if not self._fresh():
                return None
            known = self._rows
            if not all(t in known for t in tables):
                return None
            return self._generation, [(t, *known[t]) for t in sorted(tables)]
        finally:
            self._lock.release()

    def stop(self) -> None:
        with self._lock:
            self._close()
            self._retry_at = 0.0

    def _fresh(self) -> bool:
        owner = (os.getpid(), connection.settings_dict["NAME"])
        if self._conn is None or self._owner != owner:
            if self._owner is not None and self._owner[0] != owner[0]:
                self._conn = None  # inherited through fork(): the parent's socket, not ours
            return self._connect(owner)
        try:
            # News on the socket; or, in any case, a periodic re-read: a socket the network
            # silently dropped, or a pooler that never delivers notices, can't stall us longer.
            if (
                self._stale
                or self._poller.poll(0)
                or time.monotonic() - self._loaded_at > RELOAD_SECONDS
            ):
                self._reload()
        except (psycopg.Error, OSError, ValueError) as error:
            return self._give_up("Listener of data versions lost", error)
        return True

    def _connect(self, owner: tuple[int, str]) -> bool:
        self._close()
        if time.monotonic() < self._retry_at:
            return False
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params |= {
            "autocommit": True,
            "application_name": LISTENER_NAME,
            "connect_timeout": CONNECT_TIMEOUT,
            # Over TCP: find out within a minute that a silent peer is gone.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
        try:
            self._conn = psycopg.connect(**params)
            self._conn.add_notify_handler(self._on_notify)
            self._conn.execute(f"LISTEN {CHANNEL}")
            self._poller = select.poll()
            self._poller.register(self._conn.fileno(), select.POLLIN)
            self._reload()
        except Exception as error:  # any failure: read the table, try again later
            return self._give_up("Cannot listen for data versions", error)
        self._owner = owner
        return True

    def _give_up(self, what: str, error: Exception) -> bool:
        """Close the listener; callers read the table until RETRY_SECONDS have passed."""
        logger.warning("%s (%s): reading the table.", what, error)
        self._close()
        self._retry_at = time.monotonic() + RETRY_SECONDS
        return False

    def _on_notify(self, notify: psycopg.Notify) -> None:
        self._notices += 1

    def _reload(self) -> None:
        """Read the whole table. A notice read meanwhile may postdate the snapshot: then the
        next call reads it again."""
        seen = self._notices
        table = DataVersion._meta.db_table
        rows = self._conn.execute(
            f"SELECT table_name, version, changed_at FROM {table}"  # noqa: S608
        ).fetchall()
        self._rows = {t: (v, c) for t, v, c in rows}
        self._loaded_at = time.monotonic()
        self._generation += 1
        self._stale = self._notices != seen

    def _close(self) -> None:
        conn, self._conn, self._owner, self._rows = self._conn, None, None, {}
        if conn is not None:
            with contextlib.suppress(psycopg.Error):
                conn.close()


watcher = VersionWatcher()
# Layer id → (watcher generation, its version then): the token is hashed once per change.
_memory_versions: dict[str, tuple[int, LayerVersion]] = {}


def memory_version(layer: Layer) -> LayerVersion | None:
    """The layer's version from this process's memory, or None when that takes a query
    (inside a transaction, or the listener is down)."""
    if connection.in_atomic_block:
        return None
    found = watcher.rows(layer.version_tables)
    if found is None:
        return None
    generation, rows = found
    remembered = _memory_versions.get(layer.id)
    if remembered is not None and remembered[0] == generation:
        return remembered[1]
    version = _version_of(layer, rows)
    _memory_versions[layer.id] = (generation, version)
    return version


def layer_version(layer: Layer) -> LayerVersion:
    """The current data version of ``layer``: from memory, or one query."""
    version = memory_version(layer)
    if version is not None:
        return version
    rows = list(
        DataVersion.objects.filter(table_name__in=layer.version_tables)
        .order_by("table_name")
        .values_list("table_name", "version", "changed_at")
    )
    return _version_of(layer, rows)


def _version_of(layer: Layer, rows: list[VersionRow]) -> LayerVersion:
    raw = "|".join(f"{t}:{v}:{c.astimezone(UTC).isoformat()}" for t, v, c in rows)
    token = hashlib.sha1(f"{layer.id}|{raw}".encode(), usedforsecurity=False).hexdigest()[:20]
    last_modified = max((c for _, _, c in rows), default=None)
    return LayerVersion(token=token, last_modified=last_modified)
