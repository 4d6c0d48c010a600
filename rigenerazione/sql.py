"""Spatial SQL of the regeneration records that the ORM cannot express cleanly.

Each function runs one parameterised statement and says what comes back; table names come
from the models' ``_meta``. Metric measures are taken in :data:`layers.srid.METRIC_SRID`,
never approximated from degrees. What other apps share (inside the CMM, the Comune of a
geometry, a metric area) is in :mod:`rules.spatial`; this module imports no model of its app.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from layers.srid import METRIC_SRID
from rules.spatial import CMM_TOLERANCE_M
from territorio.models import Comune

__all__ = ["outside_own_comune_ids"]


def outside_own_comune_ids(model, ids: Iterable[int]) -> list[int]:
    """Ids of ``model`` rows (Opportunita) whose geometry is not within their own Comune.

    Uses the same metric tolerance as :func:`rules.spatial.is_inside_cmm`
    (:data:`~rules.spatial.CMM_TOLERANCE_M`). For bulk checks after loads.
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
