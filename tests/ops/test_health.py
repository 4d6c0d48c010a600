"""/healthz says the process is alive; /readyz says the node can serve (database, migrations,
cache), with each check in a JSON body and 503 when one fails."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


def test_healthz_is_alive_without_touching_the_database(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_with_each_check_named(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "cache"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["migrations"]["pending"] == []


def test_readyz_is_not_ready_when_a_migration_is_not_applied(client, db):
    applied = MigrationRecorder(connection).applied_migrations()
    app_label, name = max(key for key in applied if key[0] == "territorio")
    MigrationRecorder(connection).record_unapplied(app_label, name)  # rolled back after the test
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "pending": [f"{app_label}.{name}"],
        "ms": response.json()["checks"]["migrations"]["ms"],
    }


def test_readyz_is_not_ready_when_the_database_is_down(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is False
    assert checks["database"]["error"]  # the driver's first line, e.g. "connection failed"
    assert checks["migrations"]["ok"] is False
    assert checks["cache"]["ok"] is True


def test_health_endpoints_refuse_writes(client, db):
    assert client.post("/healthz").status_code == 405
    assert client.post("/readyz").status_code == 405
