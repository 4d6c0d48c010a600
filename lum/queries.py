"""The spatial analyses of STTM 2, in PostGIS and in the metric CRS (:mod:`layers.srid`).

Each function runs one parameterised statement (table names from the models' ``_meta``, values
bound) and returns plain rows (dicts). Only published records count: every table of a
Publishable model is filtered with :data:`PUBLISHED` and its bound state.

A LUM's catchment is the disc of radius ``COALESCE(lum.radius_m, default_radius)`` around its
point. "Touching" the catchment is ``ST_DWithin`` on the metric geometries (exact circle);
hectares *inside* the catchment intersect with ``ST_Buffer(point, radius, CATCHMENT_QUAD_SEGS)``,
a 128-gon whose area is 0.04% below the circle's.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from layers.srid import METRIC_SRID
from lum.models import Lum, Servizio
from rigenerazione.models import (
    Finanziamento,
    Intervento,
    Localizzazione,
    Opportunita,
)
from rules.publication import PublicationState
from territorio.models import Comune

__all__ = [
    "CATCHMENT_QUAD_SEGS",
    "PUB",
    "COMUNALE",
    "published_where",
    "lum_services_by_category",
    "lum_services",
    "lum_interventi",
    "lum_funding_by_source",
    "lum_opportunita",
    "lum_comuni_reached",
    "area_interventi",
    "area_funding_by_source",
    "area_opportunita_by_tipo",
    "area_opportunita_catchment_share",
    "area_services_by_category",
    "services_count_by_comune",
    "comuni_nearest_services",
    "lums_summary",
]

CATCHMENT_QUAD_SEGS = 32
PUBLISHED = "{a}.publication_state = %s AND {a}.withdrawn_on IS NULL"

LUM_T = Lum._meta.db_table
SERVIZIO_T = Servizio._meta.db_table
INTERVENTO_T = Intervento._meta.db_table
INTERVENTO_COMUNI_T = Intervento.comuni.through._meta.db_table
FINANZIAMENTO_T = Finanziamento._meta.db_table
OPPORTUNITA_T = Opportunita._meta.db_table
COMUNE_T = Comune._meta.db_table
PUB = PublicationState.PUBBLICATO
# Interventi known only at Comune level carry their Comune's boundary: not a project perimeter,
# so they never "touch" a catchment (they still count in their Comune's indicators).
COMUNALE = Localizzazione.COMUNALE


def _rows(sql: str, params: Sequence) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        names = [col.name for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def published_where(alias: str) -> str:
    """The SQL condition (one bound parameter: PUB) that keeps published, not withdrawn rows."""
    return PUBLISHED.format(a=alias)


# A LUM's point and radius in the metric CRS: params [METRIC_SRID, default_radius, lum_id].
LUM_CTE = f"""
    lum AS (
        SELECT ST_Transform(l.geom, %s) AS g, COALESCE(l.radius_m, %s)::float8 AS r
        FROM {LUM_T} AS l WHERE l.id = %s
    )
"""  # noqa: S608


def _lum_params(lum_id: int, default_radius: int) -> list:
    return [METRIC_SRID, default_radius, lum_id]


def lum_services_by_category(lum_id: int, default_radius: int) -> list[dict]:
    """``[{"categoria", "count", "studenti", "esempi"}]``: published services touching the LUM's
    catchment; ``studenti`` sums the students of those that record them (None: none does),
    ``esempi`` counts the sample records among them."""
    sql = f"""WITH {LUM_CTE}
        SELECT s.categoria, COUNT(*)::int AS count, SUM(s.studenti)::int AS studenti,
               COUNT(*) FILTER (WHERE s.is_sample)::int AS esempi
        FROM {SERVIZIO_T} AS s, lum
        WHERE {published_where("s")} AND ST_DWithin(ST_Transform(s.geom, %s), lum.g, lum.r)
        GROUP BY s.categoria ORDER BY s.categoria
    """  # noqa: S608
    return _rows(sql, [*_lum_params(lum_id, default_radius), PUB, METRIC_SRID])


def lum_services(lum_id: int, default_radius: int) -> list[dict]:
    """``[{"id", "name", "categoria", "tipologia", "studenti", "comune", "attributi", "source",
    "licence", "distance_m", "is_sample"}]``: published services touching the catchment,
    nearest first."""
    sql = f"""WITH {LUM_CTE}
        SELECT s.id, s.name, s.categoria, s.tipologia, s.studenti, c.name AS comune,
               s.is_sample, s.attributi, s.source, s.licence,
               ROUND(ST_Distance(ST_Transform(s.geom, %s), lum.g)::numeric, 1)::float8
                   AS distance_m
        FROM {SERVIZIO_T} AS s JOIN {COMUNE_T} AS c ON c.id = s.comune_id, lum
        WHERE {published_where("s")} AND ST_DWithin(ST_Transform(s.geom, %s), lum.g, lum.r)
        ORDER BY distance_m, s.name
    """  # noqa: S608
    params = [*_lum_params(lum_id, default_radius), METRIC_SRID, PUB, METRIC_SRID]
    return _rows(sql, params)


def lum_interventi(lum_id: int, default_radius: int) -> list[dict]:
    """``[{"id", "title", "stato", "costo_totale", "finanziamento", "ettari", "is_sample"}]``:
    published interventi touching the catchment; ``ettari`` is the area of the whole geometry
    (0 for lines and points), ``finanziamento`` the sum of its funding rows."""
    sql = f"""WITH {LUM_CTE}
        SELECT i.id, i.title, i.stato, i.costo_totale::float8 AS costo_totale, i.is_sample,
               ST_Area(ST_Transform(i.geom, %s)) / 10000.0 AS ettari,
               COALESCE((SELECT SUM(f.importo) FROM {FINANZIAMENTO_T} AS f
                         WHERE f.intervento_id = i.id), 0)::float8 AS finanziamento
        FROM {INTERVENTO_T} AS i, lum
        WHERE {published_where("i")} AND i.localizzazione <> %s
          AND ST_DWithin(ST_Transform(i.geom, %s), lum.g, lum.r)
        ORDER BY i.title
    """  # noqa: S608
    params = [*_lum_params(lum_id, default_radius), METRIC_SRID, PUB, COMUNALE, METRIC_SRID]
    return _rows(sql, params)


def lum_funding_by_source(lum_id: int, default_radius: int) -> list[dict]:
    """``[{"fonte", "importo", "interventi"}]``: funding of the interventi touching the
    catchment, by source (each funding row counted once)."""
    sql = f"""WITH {LUM_CTE}
        SELECT f.fonte, SUM(f.importo)::float8 AS importo,
               COUNT(DISTINCT i.id)::int AS interventi
        FROM {INTERVENTO_T} AS i JOIN {FINANZIAMENTO_T} AS f ON f.intervento_id = i.id, lum
        WHERE {published_where("i")} AND i.localizzazione <> %s
          AND ST_DWithin(ST_Transform(i.geom, %s), lum.g, lum.r)
        GROUP BY f.fonte ORDER BY importo DESC, f.fonte
    """  # noqa: S608
    return _rows(sql, [*_lum_params(lum_id, default_radius), PUB, COMUNALE, METRIC_SRID])


def lum_opportunita(lum_id: int, default_radius: int) -> list[dict]:
    """``[{"id", "title", "tipo", "comune", "ettari", "ettari_nel_bacino", "is_sample"}]``:
    published opportunities touching the catchment, with their area and the part inside it."""
    sql = f"""WITH {LUM_CTE},
        disc AS (SELECT ST_Buffer(lum.g, lum.r, %s) AS g FROM lum)
        SELECT o.id, o.title, o.tipo, c.name AS comune, o.is_sample,
               ST_Area(ST_Transform(o.geom, %s)) / 10000.0 AS ettari,
               ST_Area(ST_Intersection(ST_Transform(o.geom, %s), disc.g)) / 10000.0
                   AS ettari_nel_bacino
        FROM {OPPORTUNITA_T} AS o JOIN {COMUNE_T} AS c ON c.id = o.comune_id, lum, disc
        WHERE {published_where("o")} AND ST_DWithin(ST_Transform(o.geom, %s), lum.g, lum.r)
        ORDER BY o.title
    """  # noqa: S608
    params = [*_lum_params(lum_id, default_radius), CATCHMENT_QUAD_SEGS]
    return _rows(sql, [*params, METRIC_SRID, METRIC_SRID, PUB, METRIC_SRID])


def lum_comuni_reached(lum_id: int, default_radius: int) -> list[dict]:
    """``[{"istat_code", "name", "ettari_nel_bacino"}]``: Comuni the catchment reaches, with
    the hectares of the catchment in each, largest first."""
    sql = f"""WITH {LUM_CTE},
        disc AS (SELECT ST_Buffer(lum.g, lum.r, %s) AS g FROM lum)
        SELECT c.istat_code, c.name,
               ST_Area(ST_Intersection(ST_Transform(c.geom, %s), disc.g)) / 10000.0
                   AS ettari_nel_bacino
        FROM {COMUNE_T} AS c, lum, disc
        WHERE ST_DWithin(ST_Transform(c.geom, %s), lum.g, lum.r)
        ORDER BY ettari_nel_bacino DESC, c.istat_code
    """  # noqa: S608
    params = [*_lum_params(lum_id, default_radius), CATCHMENT_QUAD_SEGS]
    return _rows(sql, [*params, METRIC_SRID, METRIC_SRID])


# -- per area: a Comune or a Zona omogenea, given as the ids of its Comuni --------------------


def area_interventi(comune_ids: list[int]) -> list[dict]:
    """``[{"id", "title", "stato", "costo_totale", "is_sample"}]``: published interventi with at
    least one of the Comuni (each once)."""
    sql = f"""
        SELECT i.id, i.title, i.stato, i.costo_totale::float8 AS costo_totale, i.is_sample
        FROM {INTERVENTO_T} AS i
        WHERE {published_where("i")} AND EXISTS (
            SELECT 1 FROM {INTERVENTO_COMUNI_T} AS ic
            WHERE ic.intervento_id = i.id AND ic.comune_id = ANY(%s))
        ORDER BY i.title
    """  # noqa: S608
    return _rows(sql, [PUB, comune_ids])


def area_funding_by_source(comune_ids: list[int]) -> list[dict]:
    """``[{"fonte", "importo", "interventi"}]``: funding of the published interventi with at
    least one of the Comuni, by source. An intervento shared with Comuni outside the area
    counts in full (each funding row once per area)."""
    sql = f"""
        SELECT f.fonte, SUM(f.importo)::float8 AS importo,
               COUNT(DISTINCT i.id)::int AS interventi
        FROM {INTERVENTO_T} AS i JOIN {FINANZIAMENTO_T} AS f ON f.intervento_id = i.id
        WHERE {published_where("i")} AND EXISTS (
            SELECT 1 FROM {INTERVENTO_COMUNI_T} AS ic
            WHERE ic.intervento_id = i.id AND ic.comune_id = ANY(%s))
        GROUP BY f.fonte ORDER BY importo DESC, f.fonte
    """  # noqa: S608
    return _rows(sql, [PUB, comune_ids])


def area_opportunita_by_tipo(comune_ids: list[int]) -> list[dict]:
    """``[{"tipo", "count", "ettari"}]``: published opportunities of the Comuni by type, with
    their area computed from the geometry in the metric CRS."""
    sql = f"""
        SELECT o.tipo, COUNT(*)::int AS count,
               SUM(ST_Area(ST_Transform(o.geom, %s))) / 10000.0 AS ettari
        FROM {OPPORTUNITA_T} AS o
        WHERE {published_where("o")} AND o.comune_id = ANY(%s)
        GROUP BY o.tipo ORDER BY o.tipo
    """  # noqa: S608
    return _rows(sql, [METRIC_SRID, PUB, comune_ids])


def area_opportunita_catchment_share(comune_ids: list[int], default_radius: int) -> dict:
    """``{"ettari", "ettari_nei_bacini", "quota"}``: the union of the published opportunities
    of the Comuni, the part of it inside the union of all published LUM catchments (a LUM of a
    neighbouring Comune counts too) and their ratio (None without opportunities). Unions on
    both sides: overlapping areas and overlapping catchments are counted once."""
    sql = f"""
        WITH opp AS (
            SELECT ST_Union(ST_Transform(o.geom, %s)) AS g FROM {OPPORTUNITA_T} AS o
            WHERE {published_where("o")} AND o.comune_id = ANY(%s)
        ), discs AS (
            SELECT ST_Union(ST_Buffer(ST_Transform(l.geom, %s), COALESCE(l.radius_m, %s), %s))
                AS g
            FROM {LUM_T} AS l, opp
            WHERE {published_where("l")}
              AND ST_DWithin(ST_Transform(l.geom, %s), opp.g, COALESCE(l.radius_m, %s))
        )
        SELECT COALESCE(ST_Area(opp.g), 0) / 10000.0 AS ettari,
               COALESCE(ST_Area(ST_Intersection(opp.g, discs.g)), 0) / 10000.0
                   AS ettari_nei_bacini
        FROM opp, discs
    """  # noqa: S608
    params = [METRIC_SRID, PUB, comune_ids, METRIC_SRID, default_radius, CATCHMENT_QUAD_SEGS]
    row = _rows(sql, [*params, PUB, METRIC_SRID, default_radius])[0]
    row["quota"] = row["ettari_nei_bacini"] / row["ettari"] if row["ettari"] else None
    return row


def area_services_by_category(comune_ids: list[int]) -> list[dict]:
    """``[{"categoria", "count", "studenti", "esempi"}]``: published services of the Comuni by
    category, with the students of those that record them (None: none does) and the number of
    sample records."""
    sql = f"""
        SELECT s.categoria, COUNT(*)::int AS count, SUM(s.studenti)::int AS studenti,
               COUNT(*) FILTER (WHERE s.is_sample)::int AS esempi
        FROM {SERVIZIO_T} AS s
        WHERE {published_where("s")} AND s.comune_id = ANY(%s)
        GROUP BY s.categoria ORDER BY s.categoria
    """  # noqa: S608
    return _rows(sql, [PUB, comune_ids])


def services_count_by_comune() -> list[dict]:
    """``[{"comune_id", "categoria", "count", "studenti"}]``: published services per Comune and
    category, with the students of those that record them (None: none does)."""
    sql = f"""
        SELECT s.comune_id, s.categoria, COUNT(*)::int AS count, SUM(s.studenti)::int AS studenti
        FROM {SERVIZIO_T} AS s WHERE {published_where("s")}
        GROUP BY s.comune_id, s.categoria ORDER BY s.comune_id, s.categoria
    """  # noqa: S608
    return _rows(sql, [PUB])


def comuni_nearest_services(comune_ids: list[int], categories: Sequence[str]) -> list[dict]:
    """``[{"istat_code", "comune", "categoria", "servizio_id", "servizio", "servizio_comune",
    "distance_m"}]``: for each Comune and category, the nearest published service, measured in
    the metric CRS from the Comune's centroid (its point on surface when the centroid falls
    outside it, as for a crescent-shaped Comune). ``servizio*`` and ``distance_m`` are None
    when no service of the category is published. Ordered by ISTAT code, then category."""
    sql = f"""
        WITH c AS (
            SELECT c.id, c.istat_code, c.name, ST_Transform(c.geom, %s) AS g
            FROM {COMUNE_T} AS c WHERE c.id = ANY(%s)
        ), ref AS (
            SELECT c.istat_code, c.name, CASE WHEN ST_Within(ST_Centroid(c.g), c.g)
                THEN ST_Centroid(c.g) ELSE ST_PointOnSurface(c.g) END AS p
            FROM c
        )
        SELECT ref.istat_code, ref.name AS comune, cat.categoria, n.id AS servizio_id,
               n.name AS servizio, n.comune AS servizio_comune, n.distance_m
        FROM ref CROSS JOIN unnest(%s::text[]) AS cat(categoria)
        LEFT JOIN LATERAL (
            SELECT s.id, s.name, sc.name AS comune,
                   ROUND(ST_Distance(ST_Transform(s.geom, %s), ref.p)::numeric, 1)::float8
                       AS distance_m
            FROM {SERVIZIO_T} AS s JOIN {COMUNE_T} AS sc ON sc.id = s.comune_id
            WHERE {published_where("s")} AND s.categoria = cat.categoria
            ORDER BY distance_m, s.id LIMIT 1
        ) AS n ON TRUE
        ORDER BY ref.istat_code, array_position(%s::text[], cat.categoria)
    """  # noqa: S608
    cats = list(categories)
    return _rows(sql, [METRIC_SRID, comune_ids, cats, METRIC_SRID, PUB, cats])


def lums_summary(default_radius: int) -> list[dict]:
    """One row per published LUM: ``{"id", "name", "comune", "istat_code", "rank", "stato",
    "radius_m", "servizi", "studenti", "interventi", "finanziamento", "opportunita",
    "opportunita_ettari_nel_bacino"}`` — the headline indicators of every sheet in one query;
    ``studenti`` are those of the schools in the catchment (0 without any)."""
    sql = f"""
        WITH l AS (
            SELECT l.id, l.name, l.rank, l.stato, c.name AS comune, c.istat_code,
                   ST_Transform(l.geom, %s) AS g, COALESCE(l.radius_m, %s)::float8 AS r
            FROM {LUM_T} AS l JOIN {COMUNE_T} AS c ON c.id = l.comune_id
            WHERE {published_where("l")}
        )
        SELECT l.id, l.name, l.comune, l.istat_code, l.rank, l.stato, l.r AS radius_m,
          (SELECT COUNT(*) FROM {SERVIZIO_T} AS s WHERE {published_where("s")}
             AND ST_DWithin(ST_Transform(s.geom, %s), l.g, l.r))::int AS servizi,
          (SELECT COALESCE(SUM(s.studenti), 0) FROM {SERVIZIO_T} AS s
             WHERE {published_where("s")}
             AND ST_DWithin(ST_Transform(s.geom, %s), l.g, l.r))::int AS studenti,
          (SELECT COUNT(*) FROM {INTERVENTO_T} AS i WHERE {published_where("i")}
             AND i.localizzazione <> %s
             AND ST_DWithin(ST_Transform(i.geom, %s), l.g, l.r))::int AS interventi,
          (SELECT COALESCE(SUM(f.importo), 0) FROM {INTERVENTO_T} AS i
             JOIN {FINANZIAMENTO_T} AS f ON f.intervento_id = i.id
             WHERE {published_where("i")} AND i.localizzazione <> %s
             AND ST_DWithin(ST_Transform(i.geom, %s), l.g, l.r))::float8 AS finanziamento,
          (SELECT COUNT(*) FROM {OPPORTUNITA_T} AS o WHERE {published_where("o")}
             AND ST_DWithin(ST_Transform(o.geom, %s), l.g, l.r))::int AS opportunita,
          (SELECT COALESCE(SUM(ST_Area(ST_Intersection(ST_Transform(o.geom, %s),
                                                       ST_Buffer(l.g, l.r, %s)))), 0) / 10000.0
             FROM {OPPORTUNITA_T} AS o WHERE {published_where("o")}
             AND ST_DWithin(ST_Transform(o.geom, %s), l.g, l.r)) AS opportunita_ettari_nel_bacino
        FROM l ORDER BY l.name, l.id
    """  # noqa: S608
    params = [METRIC_SRID, default_radius, PUB]
    params += [PUB, METRIC_SRID]  # servizi
    params += [PUB, METRIC_SRID]  # studenti
    params += [PUB, COMUNALE, METRIC_SRID]  # interventi
    params += [PUB, COMUNALE, METRIC_SRID]  # finanziamento
    params += [PUB, METRIC_SRID]  # opportunità
    params += [METRIC_SRID, CATCHMENT_QUAD_SEGS, PUB, METRIC_SRID]  # ettari nel bacino
    return _rows(sql, params)
