"""Fixtures of the benchmark-layer tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from bench.layers import AVAILABLE_CACHE_KEY


@pytest.fixture(autouse=True)
def forget_load_layer_availability():
    """Rows loaded here are rolled back: the remembered availability must not outlive a test."""
    cache.delete(AVAILABLE_CACHE_KEY)
    yield
    cache.delete(AVAILABLE_CACHE_KEY)
