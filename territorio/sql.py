"""Spatial SQL for the territorial base that the ORM cannot express cleanly.

Each function runs one parameterised statement and says what it changes or returns. Table
names come from the models' ``_meta``, never from request data.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from layers.srid import METRIC_SRID
from territorio.models import Comune, ZonaOmogenea

__all__ = ["comune_areas_refresh", "zona_boundaries_refresh", "comuni_topology_report"]


def comune_areas_refresh(comune_ids: Iterable[int] | None = None) -> int:
    """Recompute ``area_m2`` of the given Comuni (all when None) in the metric CRS.

    Only rows whose area differs are written (so an unchanged Comune keeps its data version).
    Returns the number of rows updated.
    """
    table = Comune._meta.db_table
    sql = f"""
        UPDATE {table} SET area_m2 = ST_Area(ST_Transform(geom, %s))
        WHERE area_m2 IS DISTINCT FROM ST_Area(ST_Transform(geom, %s))
    """  # noqa: S608
    params: list = [METRIC_SRID, METRIC_SRID]
    if comune_ids is not None:
        sql += " AND id = ANY(%s)"
        params.append(list(comune_ids))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def zona_boundaries_refresh(zona_ids: Iterable[int] | None = None) -> int:
    """Recompute each Zona omogenea's boundary as the union of its Comuni, and its area.

    A Zona left with no Comuni gets a NULL boundary. The Comuni are collected in id order so
    that the same Comuni give the same bytes, and only a Zona whose boundary (compared as
    EWKB) or area differs is written. Returns the number of Zone updated.
    """
    zona_table = ZonaOmogenea._meta.db_table
    comune_table = Comune._meta.db_table
    sql = f"""
        UPDATE {zona_table} AS z
        SET geom = u.geom, area_m2 = u.area_m2
        FROM (
            SELECT b.id, b.geom, ST_Area(ST_Transform(b.geom, %s)) AS area_m2
            FROM (
                SELECT z2.id,
                       ST_Multi(ST_CollectionExtract(
                           ST_UnaryUnion(ST_Collect(c.geom ORDER BY c.id)), 3)) AS geom
                FROM {zona_table} AS z2
                LEFT JOIN {comune_table} AS c ON c.zona_omogenea_id = z2.id
                GROUP BY z2.id
            ) AS b
        ) AS u
        WHERE u.id = z.id
          AND (ST_AsEWKB(z.geom) IS DISTINCT FROM ST_AsEWKB(u.geom)
               OR z.area_m2 IS DISTINCT FROM u.area_m2)
    """  # noqa: S608
    params: list = [METRIC_SRID]
    if zona_ids is not None:
        sql += " AND z.id = ANY(%s)"
        params.append([i for i in zona_ids if i is not None])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def comuni_topology_report() -> dict:
    """Measure overlaps and holes among all Comuni, in m² of the metric CRS.

    Returns ``{"overlap_m2", "holes_m2", "union_parts", "union_area_m2", "invalid"}``: the
    total area where two Comuni overlap, the area of holes inside the union of all Comuni,
    the number of separate parts of that union, its area, and how many boundaries are invalid.
    """
    table = Comune._meta.db_table
    sql = f"""
        WITH m AS (SELECT id, ST_Transform(geom, %s) AS g FROM {table}),
        u AS (SELECT ST_UnaryUnion(ST_Collect(g)) AS g FROM m)
        SELECT
            COALESCE((SELECT SUM(ST_Area(ST_Intersection(a.g, b.g)))
                      FROM m a JOIN m b ON a.id < b.id AND ST_Intersects(a.g, b.g)), 0),
            (SELECT COALESCE(SUM(ST_Area(ST_MakePolygon(ST_InteriorRingN(p.geom, n)))), 0)
             FROM (SELECT (ST_Dump(g)).geom FROM u) AS p,
                  generate_series(1, GREATEST(ST_NumInteriorRings(p.geom), 0)) AS n),
            (SELECT ST_NumGeometries(g) FROM u),
            (SELECT ST_Area(g) FROM u),
            (SELECT COUNT(*) FROM m WHERE NOT ST_IsValid(g))
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [METRIC_SRID])
        overlap, holes, parts, area, invalid = cursor.fetchone()
    return {
        "overlap_m2": float(overlap),
        "holes_m2": float(holes),
        "union_parts": int(parts),
        "union_area_m2": float(area),
        "invalid": int(invalid),
    }
