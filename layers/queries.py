"""The publishing engine's spatial SQL: GeoJSON features and vector tiles built in PostGIS.

A layer's filtered QuerySet is compiled once by Django (``query.sql_with_params()``, values as
bound parameters) into an inner SELECT with fixed column aliases; the functions here wrap it
with the PostGIS document builders. Identifiers come from the registry (validated names),
values are always parameters.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from django.db import connection
from django.db.models import DecimalField, F, FloatField, IntegerField, QuerySet
from django.db.models.functions import Cast

from layers.registry import Layer, resolve_lookup
from layers.srid import STORAGE_SRID, WEB_MERCATOR_SRID

__all__ = [
    "MVT_EXTENT",
    "MVT_BUFFER",
    "field_expression",
    "TILE_BYTE_BUDGET",
    "pixel_size",
    "layer_select",
    "feature_sql",
    "features_iter",
    "features_page",
    "TileStatement",
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
# What a tile may weigh: browsers choke on megabyte tiles. Over it, its smallest features are
# left out (see tile_bytes): aiming this far below the budget, in at most so many attempts.
TILE_BYTE_BUDGET = 500_000
BUDGET_MARGIN = 0.9
MAX_GENERALISATIONS = 4
# (layer id, zoom) → bytes per feature of an over-full tile this process built: a hint for the
# next tiles of that zoom, which then skip the full build (never a source of content).
_BYTES_PER_FEATURE: dict[tuple[str, int], float] = {}
POINT_TYPES = frozenset({"Point", "MultiPoint"})

ID, GEOM = "rx_id", "rx_geom"


def _alias(index: int) -> str:
    return f"rx_{index}"


def _is_decimal(layer: Layer, field) -> bool:
    if field.expression is not None:
        return isinstance(getattr(field.expression, "output_field", None), DecimalField)
    return isinstance(resolve_lookup(layer.model, field.lookup), DecimalField)


def field_expression(layer: Layer, field, *, float_numbers: bool = False):
    """The ORM expression of a published field (computed fields bring their own).

    Decimals stay numeric in GeoJSON (``480000.00``: clients that guess types from a page see
    a real, not an integer); ``float_numbers`` turns them into double precision, which vector
    tiles need (ST_AsMVT would write a numeric as text).
    """
    expression = field.expression if field.expression is not None else F(field.lookup)
    if float_numbers and _is_decimal(layer, field):
        return Cast(expression, FloatField())
    return expression


def layer_select(
    layer: Layer, queryset: QuerySet, *, fields=None, float_numbers: bool = False
) -> tuple[str, list]:
    """The inner SELECT of ``queryset``: columns rx_id, rx_geom, rx_0… (``fields`` order)."""
    fields = layer.fields if fields is None else fields
    columns = {ID: F(layer.id_field), GEOM: F(layer.geometry_field)}
    columns.update(
        {
            _alias(i): field_expression(layer, f, float_numbers=float_numbers)
            for i, f in enumerate(fields)
        }
    )
    values = queryset.annotate(**columns).values(*columns)
    sql, params = values.query.sql_with_params()
    return sql, list(params)


def id_is_integer(layer: Layer) -> bool:
    """Whether the layer's feature id is an integer column (MVT feature ids must be)."""
    return isinstance(resolve_lookup(layer.model, layer.id_field), IntegerField)


def feature_sql(
    layer: Layer, queryset: QuerySet, *, precision: int, srid: int, fields=None
) -> tuple:
    """SQL returning one GeoJSON Feature text per row, coordinates rounded to ``precision``;
    the properties are ``fields`` (default: all the layer's)."""
    fields = layer.fields if fields is None else fields
    inner, params = layer_select(layer, queryset, fields=fields)
    geom = f"t.{GEOM}" if srid == STORAGE_SRID else f"ST_Transform(t.{GEOM}, %s)"
    geom_params = [] if srid == STORAGE_SRID else [srid]
    props = ", ".join(f"%s::text, t.{_alias(i)}" for i in range(len(fields)))
    sql = (
        "SELECT json_build_object('type', 'Feature', 'id', t.rx_id, "  # noqa: S608
        f"'geometry', ST_AsGeoJSON({geom}, %s)::json, "
        f"'properties', json_build_object({props}))::text "
        f"FROM ({inner}) AS t"
    )
    return sql, [*geom_params, precision, *[f.name for f in fields], *params]


def features_iter(layer: Layer, queryset: QuerySet, *, precision: int, srid: int) -> Iterator:
    """Stream GeoJSON Feature texts through a server-side cursor (memory stays flat)."""
    sql, params = feature_sql(layer, queryset, precision=precision, srid=srid)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(FETCH_ROWS):
            for (feature,) in rows:
                yield feature


def features_page(
    layer: Layer, queryset: QuerySet, *, precision: int, srid: int, fields=None
) -> list[str]:
    """GeoJSON Feature texts of an already sliced QuerySet (one page of OGC items)."""
    sql, params = feature_sql(layer, queryset, precision=precision, srid=srid, fields=fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _is_point_layer(layer: Layer) -> bool:
    return layer.geometry_type in POINT_TYPES


class TileStatement(NamedTuple):
    """The SQL of a layer's tiles (see :func:`tile_sql`)."""

    mvt: str  # one bytea: the tile
    sizes: str  # the size of each line or polygon meeting the tile, largest first
    params: list  # the layer query's own parameters
    points: bool  # a points layer: nothing to generalise by size


# The size of a feature: its bounding box's diagonal in Web Mercator metres.
_SIZE = f"ST_Length(ST_Transform(ST_BoundingDiagonal(t.{GEOM}), {WEB_MERCATOR_SRID}))"
# Features whose bounding box meets the tile plus its buffer (an index scan).
_IN_TILE = (
    f"t.{GEOM} && ST_Transform(ST_ClipByBox2D(ST_TileEnvelope(%s::int, %s::int, %s::int, "
    f"margin => {MVT_BUFFER}.0 / {MVT_EXTENT}), {WORLD_BOX}), {STORAGE_SRID})"
)


def tile_sql(layer: Layer, queryset: QuerySet) -> TileStatement:
    """SQL of any MVT tile of ``queryset``, with the placeholders :func:`tile_params` fills.

    One MVT layer named after the layer id, holding the tile attributes (``layer.tile_fields``:
    what the map's style and popup read, and the declared extras) of the features whose
    bounding box meets the tile plus its buffer;
    geometry simplified to half a pixel; lines and polygons smaller than a given size left out
    (0 keeps them all; see :func:`tile_bytes`).

    ``ST_AsMVTGeom`` appears once and nothing filters on its result (``ST_AsMVT`` skips the
    NULL geometries of features clipped away): a filter on it would make PostgreSQL, which
    flattens the subquery, compute ``ST_AsMVTGeom(ST_Simplify(ST_Transform(…)))`` twice per
    feature. No fence (``MATERIALIZED``, ``OFFSET 0``) is needed then, and the planner keeps
    its free choice of scan, parallel or not (figures in bench/RESULTS.md).
    """
    popup = layer.tile_fields
    inner, params = layer_select(layer, queryset, fields=popup, float_numbers=True)
    quote = connection.ops.quote_name
    props = "".join(f", t.{_alias(i)} AS {quote(f.name)}" for i, f in enumerate(popup))
    feature_id = "'id'" if id_is_integer(layer) else "NULL"
    points = _is_point_layer(layer)
    size = "" if points else f" AND {_SIZE} >= %s::float8"
    mvt = (
        f"SELECT ST_AsMVT(q, %s::text, {MVT_EXTENT}, 'geom', {feature_id}) FROM ("  # noqa: S608
        f"SELECT ST_AsMVTGeom(ST_Simplify(ST_Transform(t.{GEOM}, {WEB_MERCATOR_SRID}), "
        "%s::float8, true), ST_TileEnvelope(%s::int, %s::int, %s::int), "
        f"{MVT_EXTENT}, {MVT_BUFFER}, true) AS geom, t.{ID} AS id{props} FROM ({inner}) AS t "
        f"WHERE {_IN_TILE}{size}) AS q"
    )
    sizes = f"SELECT {_SIZE} FROM ({inner}) AS t WHERE {_IN_TILE} ORDER BY 1 DESC"  # noqa: S608
    return TileStatement(mvt, sizes, list(params), points)


def pixel_size(z: int) -> float:
    """Web Mercator metres of one screen pixel of a tile at zoom ``z`` (tiles drawn at
    ``TILE_PIXELS`` pixels, as Leaflet does)."""
    return WEB_MERCATOR_WIDTH / 2**z / TILE_PIXELS


def tile_params(
    statement: TileStatement, z: int, x: int, y: int, *, layer_id: str, min_size: float = 0.0
) -> list:
    """The parameters of ``statement.mvt`` for tile z/x/y: simplified to half a pixel, lines
    and polygons smaller than ``min_size`` metres left out."""
    size = [] if statement.points else [min_size]
    return [layer_id, pixel_size(z) / 2, z, x, y, *statement.params, z, x, y, *size]


def _fetch_tile(
    layer: Layer, statement: TileStatement, z, x, y, min_size: float, also: tuple | None = None
) -> tuple[bytes, tuple]:
    """The tile and the columns of the one-row SELECT ``also`` (sql, params) read with it."""
    sql = statement.mvt
    params = tile_params(statement, z, x, y, layer_id=layer.id, min_size=min_size)
    if also is not None:
        sql = f"SELECT ({sql}), a.* FROM ({also[0]}) AS a"  # noqa: S608
        params = [*params, *also[1]]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return (bytes(row[0]) if row[0] is not None else b""), tuple(row[1:])


def _feature_sizes(statement: TileStatement, z: int, x: int, y: int) -> list[float]:
    with connection.cursor() as cursor:
        cursor.execute(statement.sizes, [*statement.params, z, x, y])
        return [row[0] for row in cursor.fetchall()]


def tile_bytes(
    layer: Layer, statement: TileStatement, z: int, x: int, y: int, *, also: tuple | None = None
) -> tuple[bytes, tuple]:
    """The encoded MVT of tile z/x/y (empty bytes when no feature reaches the tile), within
    ``TILE_BYTE_BUDGET`` when generalising can get it there; and the columns of ``also``, a
    one-row SELECT ``(sql, params)`` run in the same statement (so in the same snapshot) as
    the tile's first build: () without it.

    Runs on Django's ordinary cursor (query log, health checks and instrumentation as for any
    query). Every feature is kept while the tile fits the budget, so that small features of
    ordinary layers stay on the map. A tile over it keeps its largest features, as many as the
    budget holds at the bytes per feature the full tile showed (the smallest ones are those a
    map shows least: below a pixel, nothing at all); halving that number again while over.
    Once a zoom of a layer has gone over, this process remembers its bytes per feature and
    starts the next tiles of that zoom from the sizes (no full build thrown away). A points
    layer has nothing to leave out by size and is sent as it is.
    """
    learned = _BYTES_PER_FEATURE.get((layer.id, z))
    if learned is None or statement.points:
        data, columns = _fetch_tile(layer, statement, z, x, y, 0.0, also)
        if len(data) <= TILE_BYTE_BUDGET or statement.points:
            return data, columns
        sizes = _feature_sizes(statement, z, x, y)
        learned = _BYTES_PER_FEATURE[(layer.id, z)] = len(data) / len(sizes)
    else:
        sizes, columns = _feature_sizes(statement, z, x, y), None
    keep = max(int(TILE_BYTE_BUDGET / learned * BUDGET_MARGIN), 1)
    for _ in range(MAX_GENERALISATIONS):
        min_size = sizes[keep - 1] if keep < len(sizes) else 0.0
        data, found = _fetch_tile(layer, statement, z, x, y, min_size, None if columns else also)
        columns = columns or found
        if len(data) <= TILE_BYTE_BUDGET or keep == 1:
            break
        keep = max(min(keep, len(sizes)) // 2, 1)
    return data, columns


def export_rows(
    layer: Layer, queryset: QuerySet, *, srid: int = STORAGE_SRID
) -> Iterator[list[tuple]]:
    """Batches of ``(id, wkb, *field values)`` rows through a server-side cursor, the
    geometry in ``srid``."""
    inner, params = layer_select(layer, queryset)
    columns = "".join(f", t.{_alias(i)}" for i in range(len(layer.fields)))
    geom = f"t.{GEOM}" if srid == STORAGE_SRID else f"ST_Transform(t.{GEOM}, %s)"
    geom_params = [] if srid == STORAGE_SRID else [srid]
    sql = f"SELECT t.rx_id, ST_AsBinary({geom}){columns} FROM ({inner}) AS t"  # noqa: S608
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [*geom_params, *params])
        while rows := cursor.fetchmany(FETCH_ROWS):
            yield rows
