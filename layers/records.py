"""Whether a stored record already holds given values: what lets a loader skip no-op writes.

A loader that writes only what changed keeps the tables' data versions (hence ETags and cached
tiles) when it is run again on the same data; see :mod:`layers.versions`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.gis.db.models import GeometryField
from django.contrib.gis.geos import GEOSGeometry
from django.db import models

__all__ = ["record_is_unchanged"]


def _geometry_bytes(geom: GEOSGeometry | str | None, srid: int) -> bytes | None:
    """The EWKB a geometry is stored as (a missing SRID is the field's, as on save)."""
    if geom is None:
        return None
    geom = GEOSGeometry(geom) if isinstance(geom, str) else geom.clone()
    if geom.srid is None:
        geom.srid = srid
    return bytes(geom.ewkb)


def _stored_equals(record: models.Model, name: str, value: Any) -> bool:
    field = record._meta.get_field(name)
    if isinstance(field, GeometryField):
        stored = getattr(record, field.attname)
        return _geometry_bytes(stored, field.srid) == _geometry_bytes(value, field.srid)
    if field.is_relation:  # compare keys: no query for the related object
        key = value.pk if isinstance(value, models.Model) else value
        return getattr(record, field.attname) == key
    return getattr(record, field.attname) == value


def record_is_unchanged(record: models.Model, values: dict[str, Any]) -> bool:
    """True when ``record`` already holds every one of ``values`` (field name → value).

    Geometries are compared exactly, as stored EWKB; foreign keys by primary key (a model
    instance or a ``*_id`` value both work). Fields not named in ``values`` are ignored.
    """
    return all(_stored_equals(record, name, value) for name, value in values.items())
