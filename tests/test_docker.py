"""The Docker deployment's habits, read from its files (no Docker daemon in the test run)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))["services"]


def runtime_stage() -> str:
    """The Dockerfile's last stage: what the running image is made of."""
    return DOCKERFILE.rsplit("\nFROM ", 1)[1]


def test_the_app_runs_as_a_non_root_user():
    users = [line.split()[1] for line in runtime_stage().splitlines() if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")


def test_npm_stays_in_the_build_stage():
    assert "npm" in DOCKERFILE.split("\nFROM ", 2)[1]
    assert "npm" not in runtime_stage()
    assert "COPY --from=vendor" in runtime_stage()


def test_the_image_installs_the_locked_packages_with_hashes():
    assert "--require-hashes -r requirements/base.txt" in runtime_stage()


def test_migrations_run_once_before_the_app_and_samples_only_when_asked():
    assert COMPOSE["migrate"]["restart"] == "no"
    assert COMPOSE["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    start = (ROOT / "scripts" / "docker-start.sh").read_text(encoding="utf-8")
    assert "migrate" not in start.replace("`migrate`", "").split("set -eu", 1)[1]
    assert "sample" not in (ROOT / "scripts" / "docker-setup.sh").read_text().split("set -eu")[1]
    assert COMPOSE["load-samples"]["profiles"] == ["samples"]


def test_a_job_worker_runs_beside_the_app_after_the_migrations():
    worker = COMPOSE["worker"]
    assert worker["command"] == ["python", "manage.py", "procrastinate", "worker"]
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker["environment"]["DATABASE_URL"] == COMPOSE["app"]["environment"]["DATABASE_URL"]
    assert worker["restart"] == "unless-stopped"
