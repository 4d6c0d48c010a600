"""Structured logs: one JSON object per line with a UTC timestamp, level, logger, the request id
nginx sent (or a new one, echoed to the client), the user id and the request's duration."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from remix.requestlog import RequestContextFilter, UtcJsonFormatter, UtcTextFormatter


@pytest.fixture
def json_log():
    """The JSON lines Remix logs meanwhile, parsed (the production handler's set-up)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(UtcJsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["logger"] == "remix.request"]


def test_a_request_is_one_json_line_with_nginx_s_request_id(client, db, json_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")
    assert response["X-Request-ID"] == "0123456789abcdef0123456789abcdef"
    (line,) = request_lines(json_log())
    assert line["level"] == "INFO"
    assert line["request_id"] == "0123456789abcdef0123456789abcdef"
    assert line["user_id"] is None
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["duration_ms"] >= 0
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["timestamp"])


def test_a_missing_or_hostile_request_id_is_replaced(client, db, json_log):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="x\nforged line")
    rid = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", rid)
    assert request_lines(json_log())[0]["request_id"] == rid
    assert client.get("/healthz")["X-Request-ID"] != rid


def test_lines_logged_during_a_request_carry_its_id_and_the_user(
    client, territorio, django_user_model, json_log
):
    user = django_user_model.objects.create_user("operatore", password="x")
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    (line,) = request_lines(json_log())
    assert line["user_id"] == user.pk
    assert line["request_id"] == response["X-Request-ID"]


def test_the_outage_line_carries_the_request_id(client, territorio, database_down, json_log):
    response = client.get("/api/comuni/")
    assert response.status_code == 503
    outage = [line for line in json_log() if line["logger"] == "remix.outage"]
    assert [line["request_id"] for line in outage] == [response["X-Request-ID"]]
    assert outage[0]["level"] == "ERROR"


def test_the_development_text_lines_are_in_utc_too():
    record = logging.LogRecord("remix.test", logging.INFO, __file__, 1, "hello", None, None)
    record.created = 0.0  # 1970-01-01T00:00:00Z, 01:00 in Europe/Rome
    RequestContextFilter().filter(record)
    assert UtcTextFormatter().format(record) == "1970-01-01T00:00:00Z INFO remix.test [None] hello"
