"""The publishing engine's spatial SQL: GeoJSON features and vector tiles built in PostGIS.

A layer's filtered QuerySet is compiled once by Django (``query.sql_with_params()``, values as
bound parameters) into an inner SELECT with fixed column aliases; the functions here wrap it
with the PostGIS document builders. Identifiers come from the registry (validated names),
values are always parameters.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import DecimalField, F, FloatField, IntegerField, QuerySet
from django.db.models.functions import Cast

from layers import pgprepared
from layers.registry import Layer, resolve_lookup
from layers.srid import STORAGE_SRID, WEB_MERCATOR_SRID

__all__ = [
    "MVT_EXTENT",
    "MVT_BUFFER",
    "field_expression",
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


def tile_sql(layer: Layer, queryset: QuerySet) -> tuple[str, list]:
    """SQL of any MVT tile of ``queryset`` and its query's own parameters.

    The tile attributes (``layer.tile_fields``: the popup's and the declared extras), geometry
    simplified to the zoom (half a tile pixel), one MVT layer
    named after the layer id; features whose bounding box meets the tile plus its buffer (an
    index scan). Placeholders before the query's own parameters come from
    :func:`tile_params` — a tile is then one statement whatever its z/x/y, prepared once per
    connection.
    """
    popup = layer.tile_fields
    inner, params = layer_select(layer, queryset, fields=popup, float_numbers=True)
    quote = connection.ops.quote_name
    props = "".join(f", t.{_alias(i)} AS {quote(f.name)}" for i, f in enumerate(popup))
    feature_id = "'id'" if id_is_integer(layer) else "NULL"
    sql = (
        f"SELECT ST_AsMVT(q, %s::text, {MVT_EXTENT}, 'geom', {feature_id}) FROM ("  # noqa: S608
        f"SELECT ST_AsMVTGeom(ST_Simplify(ST_Transform(t.{GEOM}, {WEB_MERCATOR_SRID}), "
        "%s::float8, true), ST_TileEnvelope(%s::int, %s::int, %s::int), "
        f"{MVT_EXTENT}, {MVT_BUFFER}, true) AS geom, t.{ID} AS id{props} FROM ({inner}) AS t "
        f"WHERE t.{GEOM} && ST_Transform(ST_ClipByBox2D(ST_TileEnvelope(%s::int, %s::int, "
        f"%s::int, margin => {MVT_BUFFER}.0 / {MVT_EXTENT}), {WORLD_BOX}), {STORAGE_SRID})"
        ") AS q WHERE q.geom IS NOT NULL"
    )
    return sql, list(params)


def tile_params(layer: Layer, inner_params: list, z: int, x: int, y: int) -> list:
    """The parameters of :func:`tile_sql`'s statement for tile z/x/y."""
    tolerance = WEB_MERCATOR_WIDTH / (2**z) / MVT_EXTENT / 2
    return [layer.id, tolerance, z, x, y, *inner_params, z, x, y]


def tile_bytes(layer: Layer, statement: tuple[str, list], z: int, x: int, y: int) -> bytes:
    """The encoded MVT of tile z/x/y (empty bytes when no feature reaches the tile).

    ``statement`` is :func:`tile_sql`'s. It runs as a server-side prepared statement on the
    request's connection (parsed once per connection; the planner still sees each tile's
    values), through libpq directly (:mod:`layers.pgprepared`). Where that can't run (inside a
    transaction, or Django instruments the connection: query log, execute wrappers) or
    ``TILE_PREPARED_STATEMENTS`` is off (e.g. behind a transaction-pooling PgBouncer older
    than 1.21): Django's ordinary cursor, health check and query log included.
    """
    sql, inner_params = statement
    params = tile_params(layer, inner_params, z, x, y)
    db = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: one thread-local lookup
    if settings.TILE_PREPARED_STATEMENTS and pgprepared.can_run(db, params):
        value = pgprepared.fetch_value(db, sql, params)
        return bytes(value) if value is not None else b""
    with db.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


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
