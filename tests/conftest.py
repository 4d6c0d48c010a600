"""Shared fixtures: the real territorial base of the CMM, loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from territorio.models import Comune
from territorio.services import territorio_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 133 real Comuni into the test database once; tests roll back on top of it."""
    with django_db_blocker.unblock():
        territorio_load(data_dir=Path(settings.REMIX_DATA_DIR))


@pytest.fixture
def territorio(db):
    """The real Comuni and Zone omogenee (reloaded if a transactional test flushed them)."""
    if not Comune.objects.exists():
        territorio_load(data_dir=Path(settings.REMIX_DATA_DIR))
    return Comune.objects


@pytest.fixture
def data_dir() -> Path:
    return Path(settings.REMIX_DATA_DIR)


# Headless Chromium (Playwright on Debian's chromium) for every browser test.
from tests.browser import browser, page  # noqa: E402, F401
