"""A database outage, for real: the default connection points at a server that is not there."""

from __future__ import annotations

import copy

import pytest
from django.db import connections

from remix import outage


@pytest.fixture
def database_down(db):
    """Every query of this thread goes to a PostgreSQL that does not listen (same socket
    directory, a port nobody serves): each connection attempt really fails. The test's own
    connection (and its transaction) is put back afterwards."""
    healthy = connections["default"]
    settings_dict = copy.deepcopy(healthy.settings_dict)
    settings_dict.update(PORT="1", CONN_MAX_AGE=0)
    broken = type(healthy)(settings_dict, "default")
    outage.failures.reset()
    connections["default"] = broken
    try:
        yield broken
    finally:
        broken.close()
        connections["default"] = healthy
        outage.failures.reset()
