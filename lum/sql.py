"""Spatial SQL used when loading LUM and services: clustering stops, finding Comuni, sampling.

Each function runs one parameterised statement and says what it returns. Table names come from
the models' ``_meta``; values (coordinates, distances, seeds) are always bound parameters.
"""

from __future__ import annotations

from django.db import connection

from layers.srid import METRIC_SRID, STORAGE_SRID
from territorio.models import Comune

__all__ = [
    "points_cluster",
    "points_distance_to_comune",
    "comune_random_points",
    "point_offset",
    "square_around",
]


def points_cluster(points: list[tuple[float, float]], eps_m: float) -> list[int]:
    """Cluster lon/lat points: stops within ``eps_m`` metres (chained) share a cluster number.

    Returns one cluster number per input point, in input order (DBSCAN, minpoints 1, metric CRS).
    """
    if not points:
        return []
    sql = """
        SELECT ST_ClusterDBSCAN(
                   ST_Transform(ST_SetSRID(ST_MakePoint(p.lon, p.lat), %s), %s), %s, 1
               ) OVER () AS cluster, p.i
        FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(lon, lat, i)
        ORDER BY p.i
    """
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    with connection.cursor() as cursor:
        cursor.execute(sql, [STORAGE_SRID, METRIC_SRID, eps_m, lons, lats])
        return [row[0] for row in cursor.fetchall()]


def points_distance_to_comune(
    points: list[tuple[float, float]], comune_ids: list[int]
) -> list[float]:
    """Metres (metric CRS) from each lon/lat point to the area of the Comune paired with it
    (0 inside it), in input order."""
    if not points:
        return []
    table = Comune._meta.db_table
    sql = f"""
        SELECT (SELECT ST_Distance(ST_Transform(c.geom, %s),
                                   ST_Transform(ST_SetSRID(ST_MakePoint(p.lon, p.lat), %s), %s))
                FROM {table} AS c WHERE c.id = p.comune_id)
        FROM unnest(%s::float8[], %s::float8[], %s::int[]) WITH ORDINALITY
             AS p(lon, lat, comune_id, i)
        ORDER BY p.i
    """  # noqa: S608
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    with connection.cursor() as cursor:
        cursor.execute(sql, [METRIC_SRID, STORAGE_SRID, METRIC_SRID, lons, lats, comune_ids])
        return [row[0] for row in cursor.fetchall()]


def comune_random_points(comune_id: int, count: int, seed: int) -> list[tuple[float, float]]:
    """``count`` pseudo-random lon/lat points inside a Comune, the same for the same seed."""
    table = Comune._meta.db_table
    sql = f"""
        SELECT ST_X(d.geom), ST_Y(d.geom)
        FROM {table} AS c, ST_Dump(ST_GeneratePoints(c.geom, %s, %s)) AS d
        WHERE c.id = %s
        ORDER BY d.path
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, seed, comune_id])
        return [(round(x, 6), round(y, 6)) for x, y in cursor.fetchall()]


def point_offset(lon: float, lat: float, dx_m: float, dy_m: float) -> tuple[float, float]:
    """The lon/lat point ``dx_m`` metres east and ``dy_m`` north of a point (metric CRS)."""
    sql = """
        SELECT ST_X(g), ST_Y(g) FROM ST_Transform(
            ST_Translate(ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), %s), %s, %s), %s
        ) AS g
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [lon, lat, STORAGE_SRID, METRIC_SRID, dx_m, dy_m, STORAGE_SRID])
        x, y = cursor.fetchone()
    return round(x, 6), round(y, 6)


def square_around(lon: float, lat: float, half_side_m: float) -> str:
    """EWKT of an axis-aligned square (in the metric CRS) centred on a lon/lat point, stored
    back in the storage CRS as a MultiPolygon."""
    sql = """
        SELECT ST_AsEWKT(ST_Multi(ST_Transform(ST_Expand(
            ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), %s), %s), %s), %s)), 7)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [lon, lat, STORAGE_SRID, METRIC_SRID, half_side_m, STORAGE_SRID])
        return cursor.fetchone()[0]
