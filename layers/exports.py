"""File exports of a layer through pyogrio: CSV (WKT or lon/lat), GeoPackage, zipped
Shapefile, FlatGeobuf.

Rows come in batches from a server-side cursor and are appended to the file batch by batch,
so memory is bounded by one batch whatever the layer's size (FlatGeobuf, whose spatial index
is built over the whole file, is written once). Columns carry the types of the layer's schema
(:mod:`layers.fieldschema`): integers stay integers when values are missing, decimals are reals,
date-times are date-times; lists and objects are JSON text. Coordinates are in the requested
CRS, which the file declares. GeoPackage, Shapefile and FlatGeobuf hold one geometry type:
a mixed layer is exported through its geometry parts.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
from django.db.models import QuerySet
from django.http import QueryDict

from layers.fieldschema import FieldSchema, layer_schema
from layers.queries import export_rows
from layers.registry import Layer
from layers.srid import STORAGE_SRID
from remix.errors import UserInputError

__all__ = [
    "FORMATS",
    "SINGLE_GEOMETRY_FORMATS",
    "BAD_GEOMETRY_OPTION",
    "MIXED_GEOMETRY",
    "export_options",
    "export_bytes",
    "shp_names",
    "spreadsheet_safe",
]

FORMATS = {
    "csv": ("CSV", "text/csv; charset=utf-8", "csv"),
    "gpkg": ("GPKG", "application/geopackage+sqlite3", "gpkg"),
    "shp.zip": ("ESRI Shapefile", "application/zip", "shp"),
    "fgb": ("FlatGeobuf", "application/flatgeobuf", "fgb"),
}
SINGLE_GEOMETRY_FORMATS = ("gpkg", "shp.zip", "fgb")
CSV_GEOMETRY = ("wkt", "lonlat")
BAD_GEOMETRY_OPTION = "geometry deve essere 'wkt' o 'lonlat' (solo per il CSV)."
MIXED_GEOMETRY = "{id} mescola tipi di geometria e {fmt} ne contiene uno solo: scaricare {parts}."
SHP_NAME_LENGTH = 10
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def export_options(fmt: str, params: QueryDict) -> str:
    """Validate the format-specific options and return them as a canonical text."""
    geometry = params.get("geometry", "wkt")
    if fmt == "csv" and geometry not in CSV_GEOMETRY:
        raise UserInputError(BAD_GEOMETRY_OPTION, field="geometry")
    return f"geometry={geometry}" if fmt == "csv" else ""


def shp_names(names: list[str]) -> dict[str, str]:
    """Map attribute names to unique Shapefile names of at most 10 characters.

    Short names are kept; long ones are cut to 10, and a clash becomes the first 8 characters
    plus a two-digit counter (``zona_omogenea`` → ``zona_omoge``, then ``zona_omo01``).
    """
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        short = name[:SHP_NAME_LENGTH]
        counter = 1
        while short in used:
            short = f"{name[: SHP_NAME_LENGTH - 2]}{counter:02d}"
            counter += 1
        used.add(short)
        mapping[name] = short
    return mapping


def _plain(value):
    """A value GDAL can store: lists/dicts as JSON text, decimals as floats."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def spreadsheet_safe(value):
    """Text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) gets
    a leading apostrophe: municipalities type these values and clerks open CSVs in Excel."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _column(values: list, schema: FieldSchema | None, csv: bool):
    """One attribute column with the pandas type that makes GDAL write the schema's type."""
    if schema is not None and schema.type == "integer":
        return pd.array(values, dtype="Int64")
    if schema is not None and schema.type == "number":
        return pd.array([None if v is None else float(v) for v in values], dtype="Float64")
    if schema is not None and schema.type == "boolean":
        return pd.array(values, dtype="boolean")
    if schema is not None and schema.format == "date-time":
        return pd.to_datetime(pd.Series(values, dtype=object), utc=True)
    clean = (lambda v: spreadsheet_safe(_plain(v))) if csv else _plain
    return [clean(v) for v in values]


def _frame(
    layer: Layer,
    rows: list[tuple],
    columns: list[str],
    lonlat: bool,
    *,
    srid: int,
    csv: bool = False,
) -> gpd.GeoDataFrame:
    geometry = shapely.from_wkb([row[1] for row in rows])
    if lonlat:
        geometry = shapely.point_on_surface(geometry)
    schemas: list[FieldSchema | None] = [None, *layer_schema(layer)]
    data = {columns[0]: [row[0] for row in rows]}
    for index, name in enumerate(columns[1:], start=2):
        data[name] = _column([row[index] for row in rows], schemas[index - 1], csv)
    return gpd.GeoDataFrame(data, geometry=geometry, crs=f"EPSG:{srid}")


def _write_options(layer: Layer, fmt: str, lonlat: bool) -> dict:
    options: dict = {"geometry_type": None if fmt == "csv" else layer.geometry_type}
    if fmt == "csv":
        options["layer_options"] = {"GEOMETRY": "AS_XY" if lonlat else "AS_WKT"}
    if fmt == "fgb":
        options["layer_options"] = {"SPATIAL_INDEX": "YES"}
    if fmt not in ("gpkg", "fgb"):
        options["encoding"] = "UTF-8"
    return options


def _frames(layer: Layer, queryset: QuerySet, fmt: str, lonlat: bool, srid: int):
    """The export's data frames, one per batch (one for the whole layer with FlatGeobuf)."""
    names = ["id", *[f.name for f in layer.fields]]
    if fmt == "shp.zip":
        names = list(shp_names(names).values())
    frames = (
        _frame(layer, rows, names, lonlat, srid=srid, csv=fmt == "csv")
        for rows in export_rows(layer, queryset, srid=srid)
    )
    if fmt == "fgb":
        collected = list(frames)
        frames = iter([pd.concat(collected, ignore_index=True)] if collected else [])
    empty = True
    for frame in frames:
        empty = False
        if fmt != "csv":
            frame = frame.set_geometry(shapely.force_2d(frame.geometry.values))
        yield frame
    if empty:  # an empty selection still gets a valid, empty file
        yield gpd.GeoDataFrame({n: [] for n in names}, geometry=[], crs=f"EPSG:{srid}")


def _write(
    layer: Layer, queryset: QuerySet, fmt: str, folder: Path, lonlat: bool, srid: int
) -> Path:
    """Write the export file batch by batch into ``folder``; return its path."""
    driver, _, suffix = FORMATS[fmt]
    path = folder / f"{layer.id}.{suffix}"
    options = _write_options(layer, fmt, lonlat)
    for index, frame in enumerate(_frames(layer, queryset, fmt, lonlat, srid)):
        pyogrio.write_dataframe(
            frame, path, layer=layer.id, driver=driver, append=index > 0, **options
        )
    return path


def export_bytes(
    layer: Layer, queryset: QuerySet, fmt: str, params: QueryDict, *, srid: int = STORAGE_SRID
) -> bytes:
    """The export file's bytes (a zip of the Shapefile's parts), coordinates in ``srid``."""
    lonlat = params.get("geometry") == "lonlat"
    folder = Path(tempfile.mkdtemp(prefix="remix-export-"))
    try:
        written = _write(layer, queryset.order_by(layer.id_field), fmt, folder, lonlat, srid)
        if fmt == "shp.zip":
            archive = folder / f"{layer.id}.shp.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
                for path in sorted(folder.iterdir()):
                    if path != archive:
                        bundle.write(path, path.name)
            written = archive
        return written.read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
