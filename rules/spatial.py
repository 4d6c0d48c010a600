"""The spatial facts several apps derive from a geometry, computed in PostGIS.

Inside the CMM or not, the Comune(i) of a geometry, a metric area: one parameterised
statement each, saying what comes back. Geometries reach PostGIS as bound EWKB parameters
(the exact binary coordinates and their SRID, read by ``ST_GeomFromEWKB``); table names come
from the models' ``_meta``. Metric measures are taken in :data:`layers.srid.METRIC_SRID`,
never approximated from degrees.
"""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from layers.srid import METRIC_SRID, STORAGE_SRID
from territorio.models import Comune

__all__ = [
    "CMM_TOLERANCE_M",
    "is_inside_cmm",
    "comuni_ids_of_geometry",
    "main_comune_id_of_geometry",
    "comune_ids_of_points",
    "area_m2",
]

# The ISTAT boundaries are generalised (vertices ~200 m apart) and the union of adjacent
# Comuni is recomputed with floating point: a record drawn on a border must not be rejected
# for a few millimetres. One metre is far below any drawing precision that matters here.
CMM_TOLERANCE_M = 1.0


def _geom_param(geom: GEOSGeometry) -> bytes:
    """The geometry as EWKB (bytes with the SRID), read by ``ST_GeomFromEWKB``: no rounding."""
    return bytes(geom.ewkb)


def is_inside_cmm(geom: GEOSGeometry) -> bool:
    """Whether ``geom`` lies inside the union of the CMM's Comuni (within the tolerance).

    Only the Comuni near the geometry are unioned, which keeps the check cheap; the test is
    made in the metric CRS with :data:`CMM_TOLERANCE_M` of slack along the borders.
    """
    table = Comune._meta.db_table
    sql = f"""
        WITH g AS (SELECT ST_Transform(ST_GeomFromEWKB(%s), %s) AS g),
        u AS (
            SELECT ST_Union(ST_Transform(c.geom, %s)) AS u
            FROM {table} AS c, g
            WHERE ST_Transform(c.geom, %s) && ST_Expand(g.g, %s)
        )
        SELECT COALESCE(ST_CoveredBy(g.g, ST_Buffer(u.u, %s)), false) FROM g, u
    """  # noqa: S608
    params = [_geom_param(geom), METRIC_SRID, METRIC_SRID, METRIC_SRID, CMM_TOLERANCE_M]
    params += [CMM_TOLERANCE_M]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (inside,) = cursor.fetchone()
    return bool(inside)


def comuni_ids_of_geometry(geom: GEOSGeometry) -> list[int]:
    """The Comuni a geometry lies in, ordered by ISTAT code.

    A Comune counts when the geometry meets its *interior* (a drawn area sharing only a
    border with a neighbour does not count the neighbour). A point or line lying exactly on
    a border falls back to every Comune it touches.
    """
    table = Comune._meta.db_table
    sql = f"""
        WITH g AS (SELECT ST_GeomFromEWKB(%s) AS g),
        hits AS (
            SELECT c.id, c.istat_code, ST_Relate(c.geom, g.g, 'T********') AS interior
            FROM {table} AS c, g
            WHERE ST_Intersects(c.geom, g.g)
        )
        SELECT id FROM hits
        WHERE interior OR NOT EXISTS (SELECT 1 FROM hits WHERE interior)
        ORDER BY istat_code
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [_geom_param(geom)])
        return [row[0] for row in cursor.fetchall()]


def main_comune_id_of_geometry(geom: GEOSGeometry) -> int | None:
    """The Comune of a geometry: the one holding its largest part (metric area), or None.

    A point, or a line, has no area in any Comune: then the Comune it lies in (the lowest
    ISTAT code when it lies on a border).
    """
    table = Comune._meta.db_table
    sql = f"""
        WITH g AS (SELECT ST_GeomFromEWKB(%s) AS g)
        SELECT c.id
        FROM {table} AS c, g
        WHERE ST_Intersects(c.geom, g.g)
        ORDER BY ST_Area(ST_Transform(ST_Intersection(c.geom, g.g), %s)) DESC, c.istat_code
        LIMIT 1
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [_geom_param(geom), METRIC_SRID])
        row = cursor.fetchone()
    return row[0] if row else None


def comune_ids_of_points(points: list[tuple[float, float]]) -> list[int | None]:
    """The id of the Comune containing each lon/lat point, in order (None outside every
    Comune; the lowest ISTAT code for a point on a border). One statement for all points."""
    if not points:
        return []
    table = Comune._meta.db_table
    sql = f"""
        SELECT (SELECT c.id FROM {table} AS c
                WHERE ST_Intersects(c.geom, ST_SetSRID(ST_MakePoint(p.lon, p.lat), %s))
                ORDER BY c.istat_code LIMIT 1)
        FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(lon, lat, i)
        ORDER BY p.i
    """  # noqa: S608
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    with connection.cursor() as cursor:
        cursor.execute(sql, [STORAGE_SRID, lons, lats])
        return [row[0] for row in cursor.fetchall()]


def area_m2(geom: GEOSGeometry) -> float:
    """The area of ``geom`` in square metres, measured in the metric CRS (0 for points, lines)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_Area(ST_Transform(ST_GeomFromEWKB(%s), %s))",
            [_geom_param(geom), METRIC_SRID],
        )
        (area,) = cursor.fetchone()
    return float(area)
