"""Geometry rules of every record: multi geometries, the kinds allowed, and their messages.

Messages are module constants (translatable, reused by the tests); each names the record at
fault (``Intervento «Titolo»: …``). The spatial checks run in PostGIS (:mod:`rules.spatial`).
"""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry, MultiLineString, MultiPoint, MultiPolygon
from django.utils.translation import gettext_lazy as _

from rules.spatial import is_inside_cmm

__all__ = [
    "ERROR_GEOM_INVALID",
    "ERROR_GEOM_EMPTY",
    "ERROR_GEOM_KIND",
    "ERROR_OUTSIDE_CMM",
    "ERROR_NO_COMUNE",
    "POLYGONAL",
    "ANY_MULTI",
    "as_multi",
    "record_label",
    "geometry_errors",
]

ERROR_GEOM_INVALID = _("{record}: la geometria non è valida ({reason}).")
ERROR_GEOM_EMPTY = _("{record}: la geometria è vuota.")
ERROR_GEOM_KIND = _("{record}: tipo di geometria non ammesso ({kind}); ammessi: {allowed}.")
ERROR_OUTSIDE_CMM = _(
    "{record}: la geometria esce dalla Città metropolitana di Milano (oltre i confini dei "
    "suoi Comuni)."
)
ERROR_NO_COMUNE = _("{record}: nessun Comune della Città metropolitana contiene la geometria.")

# The geometry kinds a record may have, once made multi.
POLYGONAL = ("MultiPolygon",)
ANY_MULTI = ("MultiPolygon", "MultiLineString", "MultiPoint")

_MULTI = {
    "Point": MultiPoint,
    "LineString": MultiLineString,
    "Polygon": MultiPolygon,
}


def as_multi(geom: GEOSGeometry) -> GEOSGeometry:
    """Single geometries become multi (Point → MultiPoint, …); multi ones are returned as is."""
    multi = _MULTI.get(geom.geom_type)
    if multi is None:
        return geom
    return multi(geom.clone(), srid=geom.srid)


def record_label(kind: str, title: str) -> str:
    """How messages name a record: ``Intervento «Parco Nord»``."""
    return f"{kind} «{title or '?'}»"


def geometry_errors(geom: GEOSGeometry | None, *, record: str, allowed: tuple[str, ...]) -> list:
    """Messages for a geometry that is empty, of a kind not allowed, invalid or outside the CMM."""
    if geom is None:
        return []
    if geom.empty:
        return [ERROR_GEOM_EMPTY.format(record=record)]
    if geom.geom_type not in allowed:
        kind, allowed_text = geom.geom_type, ", ".join(allowed)
        return [ERROR_GEOM_KIND.format(record=record, kind=kind, allowed=allowed_text)]
    if not geom.valid:
        return [ERROR_GEOM_INVALID.format(record=record, reason=geom.valid_reason)]
    if not is_inside_cmm(geom):
        return [ERROR_OUTSIDE_CMM.format(record=record)]
    return []
