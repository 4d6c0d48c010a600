"""Fixtures of the API-wide tests: the published records of the rigenerazione tiny world."""

from tests.rigenerazione.conftest import tiny_world  # noqa: F401
