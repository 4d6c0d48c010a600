"""Generate the synthetic load dataset inside PostGIS (deterministic, fast at a million rows)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import connection, transaction

from bench.layers import AVAILABLE_CACHE_KEY
from bench.models import LoadParcel
from layers.srid import STORAGE_SRID

__all__ = ["CMM_BOUNDS", "load_parcels_generate"]

# The CMM's lon/lat bounding box (the Comuni's extent, rounded outwards).
CMM_BOUNDS = (8.70, 45.16, 9.56, 45.65)
CATEGORIES = ["residenziale", "produttivo", "servizi", "verde", "misto"]

# Points of the R2 low-discrepancy sequence (golden ratios of dimension 2) cover the box
# evenly and deterministically; each becomes an octagon 40-160 m across.
GENERATE_SQL = """
INSERT INTO bench_loadparcel (code, name, category, value, year, geom)
SELECT 'P' || lpad(i::text, 7, '0'),
       'Particella ' || i,
       (%(categories)s::text[])[1 + i %% 5],
       round(((i * 7919) %% 100000) / 10.0, 1),
       2000 + i %% 26,
       ST_Multi(ST_Buffer(
           ST_SetSRID(ST_MakePoint(
               %(west)s + %(width)s * ((i * 0.7548776662466927) %% 1),
               %(south)s + %(height)s * ((i * 0.5698402909980532) %% 1)), %(srid)s),
           0.0003 + 0.0009 * ((i * 0.6180339887498949) %% 1), 'quad_segs=2'))
FROM generate_series(1::bigint, %(count)s) AS i
"""


@transaction.atomic
def load_parcels_generate(*, count: int) -> int:
    """Replace the load table's rows with ``count`` deterministic parcels; returns the count."""
    west, south, east, north = CMM_BOUNDS
    table = LoadParcel._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {connection.ops.quote_name(table)} RESTART IDENTITY")
        cursor.execute(
            GENERATE_SQL,
            {
                "categories": CATEGORIES,
                "west": west,
                "south": south,
                "width": east - west,
                "height": north - south,
                "srid": STORAGE_SRID,
                "count": count,
            },
        )
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    cache.delete(AVAILABLE_CACHE_KEY)  # this process sees the layer (dis)appear at once
    return LoadParcel.objects.count()
