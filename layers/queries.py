"""The publishing engine's spatial SQL: GeoJSON features and vector tiles built in PostGIS.

A layer's filtered QuerySet is compiled once by Django (``query.sql_with_params()``, values as
bound parameters) into an inner SELECT with fixed column aliases; the functions here wrap it
with the PostGIS document builders. Identifiers come from the registry (validated names),
values are always parameters.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import F, IntegerField, QuerySet

from layers.registry import Layer, resolve_lookup
from layers.srid import STORAGE_SRID, WEB_MERCATOR_SRID

__all__ = [
    "MVT_EXTENT",
    "MVT_BUFFER",
    "TILE_BYTE_BUDGET",
    "pixel_size",
    "layer_select",
    "feature_sql",
    "features_iter",
    "features_page",
    "tile_sql",
    "tile_params",
    "tile_bytes",
    "id_is_integer",
    "export_rows",
]

MVT_EXTENT = 4096
MVT_BUFFER = 64
# Web Mercator's full width in metres (2 × π × 6 378 137): one tile's width at zoom 0.
WEB_MERCATOR_WIDTH = 40075016.685578488
# The Web Mercator world: a tile's buffer is clipped to it, else the margin of an edge tile
# crosses ±180° and wraps round the globe once in lon/lat.
_HALF = WEB_MERCATOR_WIDTH / 2
WORLD_BOX = f"ST_MakeBox2D(ST_Point({-_HALF}, {-_HALF}), ST_Point({_HALF}, {_HALF}))"
FETCH_ROWS = 2000
# Screen pixels across a tile as drawn (Leaflet.VectorGrid: 256): what "a pixel" means below.
TILE_PIXELS = 256
# What a tile may weigh: browsers choke on megabyte tiles. Over it, a tile is generalised more:
# features smaller than each of these many pixels left out in turn (see tile_bytes).
TILE_BYTE_BUDGET = 500_000
DROP_STEPS = (0, 1, 2, 4, 8, 16)
POINT_TYPES = frozenset({"Point", "MultiPoint"})

ID, GEOM = "rx_id", "rx_geom"


def _alias(index: int) -> str:
    return f"rx_{index}"


def layer_select(layer: Layer, queryset: QuerySet, *, fields=None) -> tuple[str, list]:
    """The inner SELECT of ``queryset``: columns rx_id, rx_geom, rx_0… (``fields`` order)."""
    fields = layer.fields if fields is None else fields
    columns = {ID: F(layer.id_field), GEOM: F(layer.geometry_field)}
    columns.update({_alias(i): F(f.lookup) for i, f in enumerate(fields)})
    values = queryset.annotate(**columns).values(*columns)
    sql, params = values.query.sql_with_params()
    return sql, list(params)


def id_is_integer(layer: Layer) -> bool:
    """Whether the layer's feature id is an integer column (MVT feature ids must be)."""
    return isinstance(resolve_lookup(layer.model, layer.id_field), IntegerField)


def feature_sql(layer: Layer, queryset: QuerySet, *, precision: int, srid: int) -> tuple:
    """SQL returning one GeoJSON Feature text per row, coordinates rounded to ``precision``."""
    inner, params = layer_select(layer, queryset)
    geom = f"t.{GEOM}" if srid == STORAGE_SRID else f"ST_Transform(t.{GEOM}, %s)"
    geom_params = [] if srid == STORAGE_SRID else [srid]
    props = ", ".join(f"%s::text, t.{_alias(i)}" for i in range(len(layer.fields)))
    sql = (
        "SELECT json_build_object('type', 'Feature', 'id', t.rx_id, "  # noqa: S608
        f"'geometry', ST_AsGeoJSON({geom}, %s)::json, "
        f"'properties', json_build_object({props}))::text "
        f"FROM ({inner}) AS t"
    )
    return sql, [*geom_params, precision, *[f.name for f in layer.fields], *params]


def features_iter(layer: Layer, queryset: QuerySet, *, precision: int, srid: int) -> Iterator:
    """Stream GeoJSON Feature texts through a server-side cursor (memory stays flat)."""
    sql, params = feature_sql(layer, queryset, precision=precision, srid=srid)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_ROWS):
            for (feature,) in rows:
                yield feature


def features_page(layer: Layer, queryset: QuerySet, *, precision: int, srid: int) -> list[str]:
    """GeoJSON Feature texts of an already sliced QuerySet (one page of OGC items)."""
    sql, params = feature_sql(layer, queryset, precision=precision, srid=srid)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _is_point_layer(layer: Layer) -> bool:
    return layer.geometry_type in POINT_TYPES


def tile_sql(layer: Layer, queryset: QuerySet) -> tuple[str, list]:
    """SQL of any MVT tile of ``queryset`` and its query's own parameters.

    One MVT layer named after the layer id, holding the popup attributes (what the map's style
    and popup read) of the features whose bounding box meets the tile plus its buffer (an index
    scan). Generalised to the zoom: geometry simplified to a fraction of a pixel and, in lines
    and polygons, features whose bounding box is smaller than a given size left out.
    Placeholders before and after the query's own parameters come from :func:`tile_params`.

    ``ST_AsMVTGeom`` appears once and nothing filters on its result (``ST_AsMVT`` skips the
    NULL geometries of features clipped away): a filter on it would make PostgreSQL, which
    flattens the subquery, compute ``ST_AsMVTGeom(ST_Simplify(ST_Transform(…)))`` twice per
    feature. No fence (``MATERIALIZED``, ``OFFSET 0``) is needed then, and the planner keeps
    its free choice of scan, parallel or not (see bench/RESULTS.md).
    """
    popup = layer.popup
    inner, params = layer_select(layer, queryset, fields=popup)
    quote = connection.ops.quote_name
    props = "".join(f", t.{_alias(i)} AS {quote(f.name)}" for i, f in enumerate(popup))
    feature_id = "'id'" if id_is_integer(layer) else "NULL"
    size = (
        ""
        if _is_point_layer(layer)
        else f" AND ST_Length(ST_Transform(ST_BoundingDiagonal(t.{GEOM}), "
        f"{WEB_MERCATOR_SRID})) >= %s::float8"
    )
    sql = (
        f"SELECT ST_AsMVT(q, %s::text, {MVT_EXTENT}, 'geom', {feature_id}) FROM ("  # noqa: S608
        f"SELECT ST_AsMVTGeom(ST_Simplify(ST_Transform(t.{GEOM}, {WEB_MERCATOR_SRID}), "
        "%s::float8, true), ST_TileEnvelope(%s::int, %s::int, %s::int), "
        f"{MVT_EXTENT}, {MVT_BUFFER}, true) AS geom, t.{ID} AS id{props} FROM ({inner}) AS t "
        f"WHERE t.{GEOM} && ST_Transform(ST_ClipByBox2D(ST_TileEnvelope(%s::int, %s::int, "
        f"%s::int, margin => {MVT_BUFFER}.0 / {MVT_EXTENT}), {WORLD_BOX}), {STORAGE_SRID})"
        f"{size}) AS q"
    )
    return sql, list(params)


def pixel_size(z: int) -> float:
    """Web Mercator metres of one screen pixel of a tile at zoom ``z`` (tiles drawn at
    ``TILE_PIXELS`` pixels, as Leaflet does)."""
    return WEB_MERCATOR_WIDTH / 2**z / TILE_PIXELS


def tile_params(layer: Layer, inner_params: list, z: int, x: int, y: int, *, drop: int = 0):
    """The parameters of :func:`tile_sql`'s statement for tile z/x/y: geometry simplified to
    half a pixel (half of ``drop`` pixels when larger), lines and polygons whose bounding box
    is smaller than ``drop`` pixels left out (0: none)."""
    pixel = pixel_size(z)
    size = [] if _is_point_layer(layer) else [pixel * drop]
    return [layer.id, pixel * max(drop, 1) / 2, z, x, y, *inner_params, z, x, y, *size]


def tile_bytes(layer: Layer, statement: tuple[str, list], z: int, x: int, y: int) -> bytes:
    """The encoded MVT of tile z/x/y (empty bytes when no feature reaches the tile), within
    ``TILE_BYTE_BUDGET`` when generalising can get it there.

    ``statement`` is :func:`tile_sql`'s; it runs on Django's ordinary cursor (query log,
    health checks and instrumentation as for any query). Every feature is kept while the
    tile fits the budget, so that small features of ordinary layers stay on the map; a tile
    over it is built again leaving out what is smaller than 1, 2, 4… pixels (and simplified as
    coarsely), as needed. A points layer has nothing to generalise and is sent as it is.
    """
    sql, inner_params = statement
    for drop in DROP_STEPS:
        with connection.cursor() as cursor:
            cursor.execute(sql, tile_params(layer, inner_params, z, x, y, drop=drop))
            row = cursor.fetchone()
        data = bytes(row[0]) if row and row[0] is not None else b""
        if len(data) <= TILE_BYTE_BUDGET or _is_point_layer(layer):
            break
    return data


def export_rows(layer: Layer, queryset: QuerySet) -> Iterator[list[tuple]]:
    """Batches of ``(id, wkb, *field values)`` rows through a server-side cursor."""
    inner, params = layer_select(layer, queryset)
    columns = "".join(f", t.{_alias(i)}" for i in range(len(layer.fields)))
    sql = f"SELECT t.rx_id, ST_AsBinary(t.rx_geom){columns} FROM ({inner}) AS t"  # noqa: S608
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_ROWS):
            yield rows
