"""A real worker of the job queue for the tests: ``manage.py procrastinate worker`` in a
subprocess, on the test database (the tests using it are transactional, so it sees their
rows). :func:`wait_for` polls a condition instead of sleeping a fixed time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

__all__ = ["Worker", "wait_for", "worker"]


def wait_for(condition: Callable[[], object], *, timeout: float = 60, what: str = "") -> object:
    """Poll ``condition`` until it returns something true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    pytest.fail(f"Timed out after {timeout}s waiting for {what or condition}")


def tests_database_url() -> str:
    """The URL of the test database, as the worker's settings read it (DATABASE_URL)."""
    s = connection.settings_dict
    host = quote(s["HOST"] or "", safe="")
    user = quote(s["USER"] or "", safe="")
    auth = f"{user}:{quote(s['PASSWORD'], safe='')}@" if s.get("PASSWORD") else f"{user}@"
    return f"postgis://{auth}{host}:{s['PORT'] or 5432}/{s['NAME']}"


class Worker:
    """Start, stop and kill one worker process."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        env = dict(os.environ, DATABASE_URL=tests_database_url(), DEBUG="true")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "procrastinate", "worker", "--name", "test-worker"],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up at all, as when a machine loses power."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def worker(transactional_db) -> Iterator[Worker]:
    """A running worker; the queue is emptied first (a flush does not reach its tables)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM procrastinate_jobs")
    running = Worker().start()
    yield running
    running.stop()
