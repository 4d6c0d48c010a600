"""The health endpoints as the deployment uses them: through nginx's configuration, and as
docker-compose's healthcheck (read from its file; no Docker daemon in the test run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bench.measure import nginx, nginx_binary
from tests.layers.test_nginx_front import free_port, get

ROOT = Path(__file__).resolve().parent.parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


def test_compose_waits_for_a_ready_app_before_nginx():
    probe = " ".join(COMPOSE["app"]["healthcheck"]["test"])
    assert "/readyz" in probe
    assert COMPOSE["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"


@pytest.mark.skipif(
    nginx_binary() is None, reason="nginx is not installed (apt-get install nginx-light)"
)
def test_health_endpoints_through_nginx(live_server, db):
    with nginx(f"http://127.0.0.1:{live_server.thread.port}", free_port(), cache_seconds=1) as url:
        status, _, body = get(url + "/healthz")
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        status, headers, body = get(url + "/readyz")
        assert status == 200
        assert json.loads(body)["status"] == "ready"
        assert headers["Content-Type"] == "application/json"
