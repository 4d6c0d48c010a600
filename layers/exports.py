"""File exports of a layer through pyogrio: CSV (WKT or lon/lat), GeoPackage, zipped Shapefile.

Rows come in batches from a server-side cursor and are appended to the file batch by batch,
so memory is bounded by one batch whatever the layer's size.
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
import pyogrio
import shapely
from django.db.models import QuerySet
from django.http import FileResponse, QueryDict

from layers.queries import export_rows
from layers.registry import Layer
from layers.srid import STORAGE_SRID
from remix.errors import UserInputError

__all__ = [
    "FORMATS",
    "BAD_GEOMETRY_OPTION",
    "export_options",
    "export_response",
    "shp_names",
    "spreadsheet_safe",
]

FORMATS = {
    "csv": ("CSV", "text/csv; charset=utf-8", "csv"),
    "gpkg": ("GPKG", "application/geopackage+sqlite3", "gpkg"),
    "shp.zip": ("ESRI Shapefile", "application/zip", "shp"),
}
CSV_GEOMETRY = ("wkt", "lonlat")
BAD_GEOMETRY_OPTION = "geometry deve essere 'wkt' o 'lonlat' (solo per il CSV)."
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


def _frame(
    layer: Layer, rows: list[tuple], columns: list[str], lonlat: bool, *, csv: bool = False
) -> gpd.GeoDataFrame:
    geometry = shapely.from_wkb([row[1] for row in rows])
    if lonlat:
        geometry = shapely.point_on_surface(geometry)
    clean = (lambda v: spreadsheet_safe(_plain(v))) if csv else _plain
    data = {columns[0]: [row[0] for row in rows]}
    for index, name in enumerate(columns[1:], start=2):
        data[name] = [clean(row[index]) for row in rows]
    return gpd.GeoDataFrame(data, geometry=geometry, crs=f"EPSG:{STORAGE_SRID}")


def _write(layer: Layer, queryset: QuerySet, fmt: str, folder: Path, lonlat: bool) -> list[Path]:
    """Write the export file(s) batch by batch; one file per geometry family for Shapefile."""
    driver, _, suffix = FORMATS[fmt]
    names = ["id", *[f.name for f in layer.fields]]
    if fmt == "shp.zip":
        names = list(shp_names(names).values())
    options = {}
    if fmt == "csv":
        options["layer_options"] = {"GEOMETRY": "AS_XY" if lonlat else "AS_WKT"}
    written: list[Path] = []
    for rows in export_rows(layer, queryset):
        frame = _frame(layer, rows, names, lonlat, csv=fmt == "csv")
        groups = [(layer.id, frame)]
        if fmt == "shp.zip" and layer.geometry_type == "Geometry":
            family = frame.geom_type.str.removeprefix("Multi").str.lower()
            groups = [(f"{layer.id}_{kind}", part) for kind, part in frame.groupby(family)]
        for stem, part in groups:
            path = folder / f"{stem}.{suffix}"
            part = (
                part.set_geometry(shapely.force_2d(part.geometry.values)) if fmt != "csv" else part
            )
            if fmt == "shp.zip":
                part = part.set_geometry(_promote_to_multi(part.geometry.values))
            pyogrio.write_dataframe(
                part,
                path,
                layer=stem,
                driver=driver,
                append=path in written,
                encoding="UTF-8" if fmt != "gpkg" else None,
                **options,
            )
            if path not in written:
                written.append(path)
    if not written:  # an empty selection still gets a valid, empty file
        path = folder / f"{layer.id}.{suffix}"
        empty = gpd.GeoDataFrame({n: [] for n in names}, geometry=[], crs=f"EPSG:{STORAGE_SRID}")
        pyogrio.write_dataframe(empty, path, layer=layer.id, driver=driver, **options)
        written.append(path)
    return written


def _promote_to_multi(geometries):
    """Shapefile layers hold one geometry kind: single parts become multi."""
    kinds = shapely.get_type_id(geometries)
    out = geometries.copy()
    for single, multi in (
        (0, shapely.multipoints),
        (1, shapely.multilinestrings),
        (3, shapely.multipolygons),
    ):
        mask = kinds == single
        out[mask] = [multi([g]) for g in geometries[mask]]
    return out


def export_response(layer: Layer, queryset: QuerySet, fmt: str, params: QueryDict) -> FileResponse:
    """Write the export to a temporary folder and answer it as a file download."""
    lonlat = params.get("geometry") == "lonlat"
    folder = Path(tempfile.mkdtemp(prefix="remix-export-"))
    try:
        written = _write(layer, queryset, fmt, folder, lonlat)
        if fmt == "shp.zip":
            archive = folder / f"{layer.id}.shp.zip"
            with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
                for path in sorted(folder.iterdir()):
                    if path != archive:
                        bundle.write(path, path.name)
            written = [archive]
        handle = open(written[0], "rb")  # noqa: SIM115  (FileResponse closes it)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the open handle keeps the data readable
    filename = f"{layer.id}.{fmt}"
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=FORMATS[fmt][1])
