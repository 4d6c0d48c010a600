"""Read a staged upload into a GeoDataFrame in the storage CRS.

GDAL reads the file in a child process that knows only the declared format's driver
(:mod:`contributi.importers.sandbox`); this module checks what comes back.

CRSs come only from an allow-list of EPSG codes (``layers.srid``) and are parsed by pyproj; a
file without a CRS is refused unless the user states one. Z and M are dropped with a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from contributi.importers import messages as m
from contributi.importers import sandbox
from contributi.importers.safety import Staged, dbf_is_ascii
from layers.srid import (
    GAUSS_BOAGA_SRID,
    METRIC_SRID,
    RDN2008_UTM32_ALT_SRID,
    RDN2008_UTM32_SRID,
    STORAGE_SRID,
)
from remix.errors import UserInputError

__all__ = ["ALLOWED_SRIDS", "ENCODINGS", "MAX_FEATURES", "Read", "read_staged"]

# The label shows each SRID's EPSG code from layers.srid, so the two cannot disagree.
ALLOWED_SRIDS = {
    srid: f"{name} (EPSG:{srid})"
    for srid, name in (
        (STORAGE_SRID, "WGS 84"),
        (METRIC_SRID, "WGS 84 / UTM 32N"),
        (GAUSS_BOAGA_SRID, "Monte Mario / Gauss-Boaga fuso Ovest"),
        (RDN2008_UTM32_SRID, "RDN2008 / UTM 32N"),
        (RDN2008_UTM32_ALT_SRID, "RDN2008 / UTM 32N N-E"),
    )
}
ENCODINGS = {
    "UTF-8": "UTF-8",
    "CP1252": "Windows-1252 (Europa occidentale)",
    "ISO-8859-1": "ISO-8859-1 (Latin-1)",
    "ISO-8859-15": "ISO-8859-15 (Latin-9)",
}
MAX_FEATURES = 5000


@dataclass
class Read:
    """What the file holds, reprojected: a GeoDataFrame and the notes for the report."""

    filename: str
    frame: gpd.GeoDataFrame
    source_srid: int
    columns: list[str]
    notes: list[str] = field(default_factory=list)


def read_staged(
    filename: str, staged: Staged, *, stated_srid: int | None, stated_encoding: str | None
) -> Read:
    """Read the staged file (its own GDAL driver only), check its CRS, return it in WGS 84."""
    notes = list(staged.notes)
    encoding = _encoding(filename, staged, stated_encoding, notes)
    found = _sandbox_read(filename, staged, encoding)
    if len(found.layers) > 1:
        raise UserInputError(
            m.GPKG_MANY_LAYERS.format(file=filename, names=", ".join(found.layers)), field="file"
        )
    if not found.layers or found.count == 0:
        raise UserInputError(m.NO_FEATURES.format(file=filename), field="file")
    if found.count > MAX_FEATURES:
        raise UserInputError(
            m.TOO_MANY_FEATURES.format(file=filename, count=found.count, limit=MAX_FEATURES),
            field="file",
        )
    frame = _frame(found)
    srid = _source_srid(filename, staged, frame, stated_srid)
    frame = frame.set_crs(srid, allow_override=True)
    _check_ranges(filename, frame, srid)
    geoms = frame.geometry.values
    if shapely.has_z(geoms).any() or _has_m(geoms):
        frame = frame.set_geometry(shapely.force_2d(geoms), crs=frame.crs)
        notes.append(str(m.NOTE_Z_DROPPED))
    if srid != STORAGE_SRID:
        frame = frame.to_crs(STORAGE_SRID)
        # A huge but finite coordinate can become infinite once reprojected.
        _check_ranges(filename, frame, STORAGE_SRID, source=srid)
        notes.append(str(m.NOTE_REPROJECTED.format(crs=ALLOWED_SRIDS[srid])))
    columns = [c for c in frame.columns if c != frame.geometry.name]
    return Read(filename=filename, frame=frame, source_srid=srid, columns=columns, notes=notes)


def _sandbox_read(filename: str, staged: Staged, encoding: str | None) -> sandbox.SandboxRead:
    try:
        return sandbox.read(staged.path, staged.fmt, encoding=encoding, max_features=MAX_FEATURES)
    except sandbox.SandboxError as exc:
        if exc.kind in ("open", "driver"):
            # Only the driver of the declared format exists in the reader: it did not
            # recognise the content, so the content is not what its extension says.
            message = m.CONTENT_MISMATCH.format(file=filename, ext=staged.declared)
        elif exc.kind in ("timeout", "crash"):
            message = m.TOO_COMPLEX.format(file=filename)
        else:
            reason = exc.reason.replace(str(staged.path.parent), "").strip()[:200]
            message = m.UNREADABLE.format(file=filename, reason=reason)
        raise UserInputError(message, field="file") from exc


def _frame(found: sandbox.SandboxRead) -> gpd.GeoDataFrame:
    wkb = [bytes.fromhex(g) if g is not None else None for g in found.geometries]
    geometry = shapely.from_wkb(wkb, on_invalid="ignore")
    crs = CRS.from_user_input(found.crs) if found.crs else None
    return gpd.GeoDataFrame(found.columns, geometry=geometry, crs=crs)


def _has_m(geoms) -> bool:
    has_m = getattr(shapely, "has_m", None)
    return bool(has_m(geoms).any()) if has_m else False


def _encoding(filename: str, staged: Staged, stated: str | None, notes: list[str]) -> str | None:
    if stated and stated not in ENCODINGS:
        stated = None
    if staged.fmt != "shapefile" or staged.has_cpg:
        return None  # GDAL honours the .cpg; GeoJSON/KML/GPKG are UTF-8 by definition
    if stated:
        notes.append(str(m.NOTE_ENCODING.format(encoding=ENCODINGS[stated])))
        return stated
    if not dbf_is_ascii(staged.path.with_suffix(".dbf")):
        raise UserInputError(m.NEEDS_ENCODING.format(file=filename), field="encoding")
    return None


def _source_srid(filename: str, staged: Staged, frame, stated: int | None) -> int:
    if stated is not None and stated not in ALLOWED_SRIDS:
        raise UserInputError(m.CRS_STATED_NOT_ALLOWED.format(crs=f"EPSG:{stated}"), field="srid")
    if frame.crs is None or not staged.has_prj:
        if stated is not None:
            return stated
        if staged.crs_refused:
            message = m.GEOJSON_CRS_UNKNOWN.format(file=filename, crs=staged.crs_refused)
        elif staged.fmt == "shapefile":
            message = m.MISSING_PRJ.format(file=filename)
        else:
            message = m.NO_CRS.format(file=filename)
        raise UserInputError(message, field="srid")
    try:
        # A 3D CRS (e.g. EPSG:4979 for GeoJSON with heights) counts as its 2D base.
        epsg = CRS.from_user_input(frame.crs).to_2d().to_epsg(min_confidence=70)
    except CRSError:
        epsg = None
    if staged.declared_epsg and _epsg_2d(staged.declared_epsg) != epsg:
        # GDAL did not read the code the file names (it falls back to WGS 84): never guess.
        if stated is not None:
            return stated
        crs = f"EPSG:{staged.declared_epsg}"
        raise UserInputError(m.GEOJSON_CRS_UNKNOWN.format(file=filename, crs=crs), field="srid")
    if epsg not in ALLOWED_SRIDS:
        allowed = ", ".join(f"EPSG:{code}" for code in ALLOWED_SRIDS)
        name = f"EPSG:{epsg}" if epsg else frame.crs.name
        raise UserInputError(
            m.CRS_NOT_ALLOWED.format(file=filename, crs=name, allowed=allowed), field="srid"
        )
    return epsg


def _epsg_2d(code: int) -> int | None:
    try:
        return CRS.from_epsg(code).to_2d().to_epsg(min_confidence=70)
    except CRSError:
        return None


def _check_ranges(filename: str, frame, srid: int, *, source: int | None = None) -> None:
    """Coordinates impossible in the CRS (metres read as degrees) are the user's error.

    ``source`` is the CRS the file was in, named in the message, when ``frame`` has already
    been reprojected to ``srid``."""
    valid = frame.geometry[~frame.geometry.is_empty & frame.geometry.notna()]
    if valid.empty:
        return
    minx, miny, maxx, maxy = valid.total_bounds
    outside = not all(map(_finite, (minx, miny, maxx, maxy)))
    if srid == STORAGE_SRID:
        outside = outside or minx < -180 or maxx > 180 or miny < -90 or maxy > 90
    if outside:
        raise UserInputError(
            m.COORDS_OUT_OF_RANGE.format(file=filename, crs=ALLOWED_SRIDS[source or srid]),
            field="srid",
        )


def _finite(value: float) -> bool:
    return value == value and abs(value) != float("inf")
