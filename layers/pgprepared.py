"""One value from a prepared statement, through libpq directly: the tile path's way to PostGIS.

A vector tile is one ``bytea`` from one statement that differs only by its parameters. psycopg's
cursor spends 0.1–0.2 ms of Python per execution on adaptation, prepared-statement bookkeeping
and result objects — as much as PostGIS takes for a small tile. Here the statement is prepared
once per connection under a name of its own (``remix_`` + a digest of its text, so psycopg's
``_pg3_*`` names never clash) and run with ``PQexecPrepared``: parameters sent as text, the
result asked for in binary.

Only outside transactions (a statement that fails there aborts the transaction, and psycopg
may DEALLOCATE a session's statements), and for parameters whose text form is unambiguous (str,
int, float, bool, None): callers fall back to a cursor otherwise, and whenever Django
instruments the connection (query log, execute wrappers). A session that lost the statement
(DEALLOCATE, DISCARD) gets it prepared again; a connection the server dropped is replaced
once (instead of Django's per-request health check, a ``SELECT 1``). Errors are psycopg's and
Django's usual ones (``connection.wrap_database_errors``).
"""

from __future__ import annotations

import hashlib
import re
import weakref

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import errors, pq

__all__ = ["can_run", "fetch_value"]

_PLACEHOLDER = re.compile(r"%%|%s")
_TEXT_TYPES = (str, int, float, bool, type(None))
# Statement names already prepared on each psycopg connection (gone with the connection).
_prepared: weakref.WeakKeyDictionary[psycopg.Connection, set[bytes]] = weakref.WeakKeyDictionary()
# Statements kept prepared per session at most (each holds server memory); more run unnamed.
MAX_PREPARED = 64


def can_run(db: BaseDatabaseWrapper, params: list) -> bool:
    """Whether :func:`fetch_value` may run these parameters on ``db`` as it stands: outside a
    transaction (where a failed statement would abort it), uninstrumented, text parameters."""
    return (
        not db.in_atomic_block
        and not db.queries_logged
        and not db.execute_wrappers
        and all(type(p) in _TEXT_TYPES for p in params)
    )


def fetch_value(db: BaseDatabaseWrapper, sql: str, params: list) -> bytes | None:
    """The first column of the first row of ``sql`` (Django's ``%s`` placeholders) in binary;
    None when there is no row or the value is NULL."""
    db.ensure_connection()
    raw: psycopg.Connection = db.connection
    if raw.pgconn.transaction_status in (
        pq.TransactionStatus.INTRANS,
        pq.TransactionStatus.INERROR,
    ):
        raise RuntimeError("fetch_value runs outside transactions only (see can_run).")
    name = b"remix_" + hashlib.sha1(sql.encode(), usedforsecurity=False).hexdigest()[:24].encode()
    values = [_text(p) for p in params]
    with db.wrap_database_errors:
        try:
            result = _execute(raw, name, sql, values)
        except errors.InvalidSqlStatementName:
            _prepared.pop(raw, None)  # the session forgot them: prepare again, once
            result = _execute(raw, name, sql, values)
        except psycopg.Error:
            if raw.pgconn.status == pq.ConnStatus.OK:
                raise
            # The server dropped a kept connection (restart, idle timeout): what Django's
            # health check would have found; one new connection, once.
            db.close()
            db.ensure_connection()
            raw = db.connection
            result = _execute(raw, name, sql, values)
    if result.ntuples == 0:
        return None
    return result.get_value(0, 0)


def _execute(raw: psycopg.Connection, name: bytes, sql: str, values: list) -> pq.abc.PGresult:
    pgconn = raw.pgconn
    names = _prepared.setdefault(raw, set())
    if name in names:
        result = pgconn.exec_prepared(name, values, result_format=pq.Format.BINARY)
    elif len(names) < MAX_PREPARED:
        _check(raw, pgconn.prepare(name, _numbered(sql).encode()), pq.ExecStatus.COMMAND_OK)
        names.add(name)
        result = pgconn.exec_prepared(name, values, result_format=pq.Format.BINARY)
    else:  # enough kept on this session (filters make statements of many shapes): run it once
        result = pgconn.exec_params(_numbered(sql).encode(), values, result_format=pq.Format.BINARY)
    _check(raw, result, pq.ExecStatus.TUPLES_OK)
    return result


def _check(raw: psycopg.Connection, result: pq.abc.PGresult, expected: pq.ExecStatus) -> None:
    if result.status != expected:
        raise errors.error_from_result(result, encoding=raw.info.encoding)


def _numbered(sql: str) -> str:
    """Django's ``%s`` placeholders as PostgreSQL's ``$1, $2…`` (``%%`` is a literal ``%``)."""
    counter = iter(range(1, 10_000))

    def replace(match: re.Match) -> str:
        return "%" if match.group() == "%%" else f"${next(counter)}"

    return _PLACEHOLDER.sub(replace, sql)


def _text(value: object) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return b"t" if value else b"f"
    if isinstance(value, float):
        return repr(value).encode()
    return str(value).encode()
