"""Spatial SQL of the regeneration records that the ORM cannot express cleanly.

Each function runs one parameterised statement and says what comes back. Geometries reach
PostGIS as bound EWKB parameters; table names come from the models' ``_meta``. Metric
measures are taken in :data:`layers.srid.METRIC_SRID`, never approximated from degrees.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.gis.geos import GEOSGeometry
from django.db import connection

from layers.srid import METRIC_SRID
from territorio.models import Comune

__all__ = [
    "CMM_TOLERANCE_M",
    "is_inside_cmm",
    "comuni_ids_of_geometry",
    "main_comune_id_of_geometry",
    "opportunita_areas_refresh",
    "outside_own_comune_ids",
]

# The ISTAT boundaries are generalised (vertices ~200 m apart) and the union of adjacent
# Comuni is recomputed with floating point: a record drawn on a border must not be rejected
# for a few millimetres. One metre is far below any drawing precision that matters here.
CMM_TOLERANCE_M = 1.0


def _geom_param(geom: GEOSGeometry) -> str:
    return geom.ewkt


def is_inside_cmm(geom: GEOSGeometry) -> bool:
    """Whether ``geom`` lies inside the union of the CMM's Comuni (within the tolerance).

    Only the Comuni near the geometry are unioned, which keeps the check cheap; the test is
    made in the metric CRS with :data:`CMM_TOLERANCE_M` of slack along the borders.
    """
    table = Comune._meta.db_table
    sql = f"""
        WITH g AS (SELECT ST_Transform(ST_GeomFromEWKT(%s), %s) AS g),
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
        WITH g AS (SELECT ST_GeomFromEWKT(%s) AS g),
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
    """The Comune holding the largest part of a polygonal geometry (metric area), or None."""
    table = Comune._meta.db_table
    sql = f"""
        WITH g AS (SELECT ST_GeomFromEWKT(%s) AS g)
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


def opportunita_areas_refresh(ids: Iterable[int]) -> int:
    """Recompute ``superficie_m2`` of the given opportunità in the metric CRS.

    Returns the number of rows updated. This is the only place the surface is computed.
    """
    from rigenerazione.models import Opportunita

    table = Opportunita._meta.db_table
    sql = f"UPDATE {table} SET superficie_m2 = ST_Area(ST_Transform(geom, %s)) WHERE id = ANY(%s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [METRIC_SRID, list(ids)])
        return cursor.rowcount


def outside_own_comune_ids(model, ids: Iterable[int]) -> list[int]:
    """Ids of ``model`` rows (Opportunita) whose geometry is not within their own Comune.

    Uses the same metric tolerance as :func:`outside_cmm_m`. For bulk checks after loads.
    """
    table = model._meta.db_table
    comune_table = Comune._meta.db_table
    sql = f"""
        SELECT o.id FROM {table} AS o JOIN {comune_table} AS c ON c.id = o.comune_id
        WHERE o.id = ANY(%s)
          AND NOT ST_CoveredBy(ST_Transform(o.geom, %s), ST_Buffer(ST_Transform(c.geom, %s), %s))
        ORDER BY o.id
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(ids), METRIC_SRID, METRIC_SRID, CMM_TOLERANCE_M])
        return [row[0] for row in cursor.fetchall()]
