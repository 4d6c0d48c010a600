"""``/healthz`` and ``/readyz``: what nginx, docker-compose and monitoring ask of a node.

- ``/healthz``: the process is alive and answers requests; touches nothing else (no database),
  so a database outage never gets healthy workers restarted.
- ``/readyz``: the node can serve: the database answers, every migration is applied (Django's
  ``MigrationExecutor`` plan is empty) and the cache answers. A JSON body names each check;
  status 200 when all pass, 503 (with ``Retry-After``) otherwise.
"""

from __future__ import annotations

import time
import uuid

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from remix.outage import DATABASE_ERRORS, RETRY_AFTER_SECONDS

__all__ = ["healthz", "readyz", "readiness_checks"]


def _database(alias: str) -> dict:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _migrations(alias: str) -> dict:
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    pending = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
    return {"ok": not pending, "pending": pending}


def _cache(alias: str) -> dict:
    cache = caches[alias]
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok}


def _run(check, alias: str) -> dict:
    started = time.monotonic()
    try:
        result = check(alias)
    except DATABASE_ERRORS as exc:
        result = {"ok": False, "error": str(exc).strip().splitlines()[0] if str(exc) else ""}
    except OSError as exc:  # a cache on a full/missing disk or an unreachable Redis
        result = {"ok": False, "error": str(exc)}
    result["ms"] = round((time.monotonic() - started) * 1000, 1)
    return result


def readiness_checks(database: str = DEFAULT_DB_ALIAS) -> dict[str, dict]:
    """Each check's result (``ok`` plus details); migrations are checked only when the
    database answers."""
    checks = {"database": _run(_database, database)}
    if checks["database"]["ok"]:
        checks["migrations"] = _run(_migrations, database)
    else:
        checks["migrations"] = {"ok": False, "error": "database unreachable"}
    checks["cache"] = _run(_cache, "default")
    return checks


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness_checks()
    ready = all(check["ok"] for check in checks.values())
    response = JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response._has_been_logged = True  # monitoring polls this: no error line per poll
    return response
