"""Hand-written PostGIS SQL the engine is measured against: the same documents, built raw.

These are what a developer would type in psql to produce the exact bytes the endpoints answer:
the whole-layer GeoJSON FeatureCollection and one MVT tile of the load layer.
"""

from __future__ import annotations

from bench.layers import LOAD_LAYER_ID
from bench.models import LoadParcel
from layers.queries import MVT_BUFFER, MVT_EXTENT, WEB_MERCATOR_WIDTH
from layers.srid import STORAGE_SRID, WEB_MERCATOR_SRID

__all__ = ["feed_sql", "tile_sql"]

TABLE = LoadParcel._meta.db_table


def feed_sql(precision: int = 6) -> str:
    """One row, one text: the FeatureCollection of every load parcel."""
    return f"""
SELECT '{{"type":"FeatureCollection","features":['
       || coalesce(string_agg(json_build_object(
            'type', 'Feature', 'id', id,
            'geometry', ST_AsGeoJSON(geom, {precision})::json,
            'properties', json_build_object('code', code, 'name', name, 'category', category,
                                            'value', value, 'year', year))::text, ','), '')
       || ']}}'
FROM {TABLE}"""


def tile_sql(z: int, x: int, y: int) -> str:
    """One row, one bytea: the MVT of tile z/x/y (same simplification and buffer; every
    feature kept). The fixed form: nothing filters on ST_AsMVTGeom's result, so it runs once
    per feature (ST_AsMVT skips the NULLs)."""
    tolerance = WEB_MERCATOR_WIDTH / 2**z / MVT_EXTENT / 2
    envelope = f"ST_TileEnvelope({z}, {x}, {y})"
    margin = f"ST_TileEnvelope({z}, {x}, {y}, margin => {MVT_BUFFER}.0 / {MVT_EXTENT})"
    return f"""
SELECT ST_AsMVT(q, '{LOAD_LAYER_ID}', {MVT_EXTENT}, 'geom', 'id') FROM (
  SELECT ST_AsMVTGeom(ST_Simplify(ST_Transform(geom, {WEB_MERCATOR_SRID}), {tolerance}, true),
                      {envelope}, {MVT_EXTENT}, {MVT_BUFFER}, true) AS geom,
         id, code, name, category
  FROM {TABLE}
  WHERE geom && ST_Transform({margin}, {STORAGE_SRID})
) AS q"""
