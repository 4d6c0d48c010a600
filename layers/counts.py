"""How many features a query matches (OGC ``numberMatched``), counted once per data version.

A ``count()`` of a big layer costs more than the page it goes with. The count is kept in
Django's default cache under the layer's data version and a digest of the compiled query
(SQL and bound values): any filter, whatever parameter made it, gives another key; any change
to the layer's tables gives another version. So the number is never stale, only not recounted.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache
from django.db.models import QuerySet

from layers.registry import Layer
from layers.versions import layer_version

__all__ = ["COUNT_SECONDS", "matched_count"]

logger = logging.getLogger(__name__)

# How long a count is kept (a new data version makes it unreachable sooner).
COUNT_SECONDS = 3600


def _query_digest(queryset: QuerySet) -> str:
    sql, params = queryset.order_by().query.sql_with_params()
    # Geometries travel as adapters whose repr is an address: key them by their EWKB.
    values = [getattr(p, "ewkb", p) for p in params]
    return hashlib.sha1(repr((sql, values)).encode(), usedforsecurity=False).hexdigest()


def matched_count(layer: Layer, queryset: QuerySet) -> int:
    """``queryset.count()``, from the cache while the layer's data version holds."""
    key = f"count:{layer.id}:{layer_version(layer).token}:{_query_digest(queryset)}"
    try:
        count = cache.get(key)
    except Exception:  # a cache outage costs a count, never the answer
        logger.warning("Count cache read failed for %s", key, exc_info=True)
        count = None
    if count is None:
        count = queryset.count()
        try:
            cache.set(key, count, COUNT_SECONDS)
        except Exception:
            logger.warning("Count cache write failed for %s", key, exc_info=True)
    return count
