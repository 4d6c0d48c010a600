"""numberMatched of OGC items pages: counted once per data version and query, never stale."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from layers import counts
from territorio.models import Comune

ITEMS = "/ogc/collections/comuni/items"
MILANO = "015146"


@pytest.fixture(autouse=True)
def no_counts_kept():
    cache.clear()


def matched(client, **params) -> int:
    return client.get(ITEMS, {"limit": "1", **params}).json()["numberMatched"]


def test_a_repeated_page_reads_its_count_from_the_cache(
    client, territorio, django_assert_num_queries
):
    with django_assert_num_queries(3):  # data version + count + page
        first = client.get(ITEMS, {"limit": "5"}).json()
    with django_assert_num_queries(2):  # data version + page
        again = client.get(ITEMS, {"limit": "5", "offset": "5"}).json()
    assert first["numberMatched"] == again["numberMatched"] == 133


def test_each_filter_and_bbox_has_its_own_count(client, territorio):
    # Reference: SELECT count(*) FROM layers_comune c JOIN layers_zonaomogenea z
    #   ON c.zona_omogenea_id = z.id WHERE z.slug = 'nord-ovest'
    nord_ovest = territorio.filter(zona_omogenea__slug="nord-ovest").count()
    assert matched(client) == 133
    assert matched(client, zona="nord-ovest") == nord_ovest < 133
    # A box around Piazza del Duomo meets Milano alone.
    assert matched(client, bbox="9.18,45.46,9.19,45.47") == 1
    assert matched(client, bbox="9.0,45.3,9.4,45.6") > 1


def test_count_follows_a_data_change(client, territorio):
    assert matched(client) == 133
    Comune.objects.filter(istat_code=MILANO).delete()
    assert matched(client) == 132


def test_a_failing_cache_still_counts(client, territorio, monkeypatch):
    class Down:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    monkeypatch.setattr(counts, "cache", Down())
    assert matched(client) == 133
