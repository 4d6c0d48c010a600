"""Production settings pass Django's deployment checklist."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_passes_with_production_settings():
    # The browser tests allow Django's ORM under Playwright's event loop; production must not.
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DEBUG": "False",
        "SECRET_KEY": "x" * 24 + "-a-long-random-production-secret-key-for-the-check",
        "ALLOWED_HOSTS": "remix.example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "False"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def production_settings(**extra: str) -> dict:
    """The security settings of a production process (DEBUG off), as Django sees them."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SECURE_HSTS")},
        "DEBUG": "False",
        "SECRET_KEY": "x" * 24 + "-a-long-random-production-secret-key-for-the-check",
        "ALLOWED_HOSTS": "remix.example.org",
        "DJANGO_SETTINGS_MODULE": "remix.settings",
        **extra,
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({'apps': s.INSTALLED_APPS, 'preload': s.SECURE_HSTS_PRELOAD, "
        "'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'seconds': s.SECURE_HSTS_SECONDS}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_hsts_preload_is_opt_in():
    # Issue 13 §6: preload was on whenever DEBUG was off.
    default = production_settings()
    assert (default["seconds"], default["subdomains"], default["preload"]) == (
        31536000,
        True,
        False,
    )
    assert production_settings(SECURE_HSTS_PRELOAD="true")["preload"] is True


def test_production_settings_do_not_install_the_benchmark():
    assert "bench" not in production_settings()["apps"]
    bench = production_settings(DJANGO_SETTINGS_MODULE="bench.settings")
    assert "bench" in bench["apps"]
