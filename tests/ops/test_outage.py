"""During a database outage every answer is a 503 with Retry-After in the client's format,
the log gets one line per failure kind, and what needs no database keeps being served."""

from __future__ import annotations

import logging

import pytest

from layers import tiles
from layers.registry import registry
from layers.versions import layer_version

MILANO_TILE = "/tiles/comuni/10/538/366.pbf"


def problem(response) -> dict:
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert int(response["Retry-After"]) > 0
    return response.json()


@pytest.mark.parametrize(
    "path",
    ["/api/comuni/", "/ogc/collections/comuni/items", "/ogc/collections", MILANO_TILE],
)
def test_machine_urls_answer_problem_details(client, territorio, database_down, path):
    body = problem(client.get(path))
    assert body["status"] == 503
    assert body["title"] == "Servizio temporaneamente non disponibile"
    assert body["type"].startswith("https://")
    assert body["instance"] == path


def test_the_database_really_is_unreachable(database_down):
    from django.db import OperationalError

    with pytest.raises(OperationalError):
        database_down.ensure_connection()


@pytest.mark.parametrize("path", ["/", "/atlante/lum/", "/ogc/collections?f=html"])
def test_portal_pages_answer_a_friendly_page_in_italian_and_english(
    client, territorio, database_down, path
):
    response = client.get(path)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "Servizio temporaneamente non disponibile" in page
    assert "Service temporarily unavailable" in page
    assert "Server Error" not in page


def test_one_log_line_per_failure_kind_not_a_traceback_per_request(
    client, territorio, database_down, caplog
):
    caplog.set_level(logging.INFO)
    for _ in range(5):
        assert client.get("/api/comuni/").status_code == 503
        assert client.get(MILANO_TILE).status_code == 503
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 1, [r.getMessage() for r in errors]
    (line,) = errors
    assert line.name == "remix.outage"
    assert "OperationalError" in line.getMessage()
    assert line.exc_info is None


def test_a_cached_versioned_tile_is_served_during_the_outage(
    client, territorio, monkeypatch, request
):
    monkeypatch.setattr(tiles, "CACHE_MIN_SECONDS", 0.0)  # keep every tile built
    token = layer_version(registry.get("comuni")).token
    url = MILANO_TILE.replace("/tiles/comuni/", f"/tiles/comuni/v{token}/")
    before = client.get(url)
    assert before.status_code == 200
    request.getfixturevalue("database_down")
    during = client.get(url)
    assert during.status_code == 200
    assert during.content == before.content
    # A tile never built before needs the database: a 503, not a 500.
    problem(client.get(url.replace("/538/366.pbf", "/537/366.pbf")))


def test_healthz_stays_up_during_the_outage(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_other_errors_are_not_disguised_as_an_outage(client, territorio):
    response = client.get("/api/comuni/?limit=abc")
    assert response.status_code == 400
