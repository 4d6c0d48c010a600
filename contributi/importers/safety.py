"""Get an upload safely onto disk before GDAL sees it.

GDAL opens whatever a path names — ``/vsicurl/`` URLs, ``/vsizip/`` chains, VRT files that
point elsewhere — and picks its driver from the *content*. So: the user's file name is only
ever shown, never used as a path; the content must match the declared format (checked from
its first bytes); archives are inspected member by member (names, links, count, declared
sizes) and only the members we need are copied, under names we choose, into a private
temporary directory. GDAL's network access is switched off while it reads
(:func:`gdal_offline`).
"""

from __future__ import annotations

import io
import json
import re
import stat
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.conf import settings

from contributi.importers import messages as m
from remix.errors import UserInputError

__all__ = [
    "FORMATS",
    "Staged",
    "max_upload_bytes",
    "check_size",
    "stage_upload",
    "gdal_offline",
]

FORMATS = {
    "geojson": "GeoJSON",
    "json": "GeoJSON",
    "zip": "Shapefile",
    "gpkg": "GeoPackage",
    "kml": "KML",
    "kmz": "KML",
}
MAX_MEMBERS = 50
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200  # declared uncompressed / compressed size of one member
SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg"}
SIDECARS = {
    ".shp.xml",
    ".sbn",
    ".sbx",
    ".qix",
    ".qmd",
    ".qml",
    ".sld",
    ".fix",
    ".aih",
    ".ain",
    ".atx",
    ".cst",
    ".txt",
    ".pdf",
    ".lyr",
    ".lyrx",
    ".html",
    ".htm",
}
_SAFE_MEMBER = re.compile(r"^[\w\- .()àèéìòùÀÈÉÌÒÙ]+$")
_GDAL_OFFLINE = {
    # Only a URL ending in this impossible extension/name would be fetched: none is.
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".remix-offline",
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "remix-offline",
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "LIBKML_RESOLVE_STYLE": "NO",
    "LIBKML_EXTERNAL_STYLE": "NO",
}


def max_upload_bytes() -> int:
    """The size limit of one upload (setting ``REMIX_UPLOAD_MAX_BYTES``, 20 MB by default)."""
    return int(getattr(settings, "REMIX_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


@dataclass
class Staged:
    """A file on our own disk, ready for GDAL: format, path and what we noticed."""

    fmt: str
    path: Path
    has_prj: bool = True
    has_cpg: bool = True
    notes: list[str] = field(default_factory=list)


def _extension(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")


def check_size(filename: str, size: int) -> None:
    """Refuse an upload above the limit (call it before reading the upload into memory)."""
    limit = max_upload_bytes()
    if size > limit:
        raise UserInputError(
            m.TOO_LARGE.format(file=filename, size=_mb(size), limit=_mb(limit)), field="file"
        )


def stage_upload(filename: str, data: bytes, workdir: Path) -> Staged:
    """Check the upload and copy it into ``workdir`` under our own names."""
    check_size(filename, len(data))
    if not data.strip():
        raise UserInputError(m.EMPTY_FILE.format(file=filename), field="file")
    ext = _extension(filename)
    if ext not in FORMATS:
        raise UserInputError(m.UNKNOWN_FORMAT.format(file=filename), field="file")
    if ext in ("geojson", "json"):
        return _stage_geojson(filename, data, workdir)
    if ext == "gpkg":
        _require(data.startswith(b"SQLite format 3\x00"), filename, ext)
        return _write(Staged("gpkg", workdir / "upload.gpkg"), data)
    if ext == "kml":
        return _stage_kml(filename, data, workdir)
    members = _safe_members(filename, data, ext)
    if ext == "kmz":
        return _stage_kmz(filename, members, workdir)
    return _stage_shapefile(filename, members, workdir)


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def _require(condition: bool, filename: str, ext: str) -> None:
    if not condition:
        raise UserInputError(m.CONTENT_MISMATCH.format(file=filename, ext=ext), field="file")


def _write(staged: Staged, data: bytes) -> Staged:
    staged.path.write_bytes(data)
    return staged


def _stage_geojson(filename: str, data: bytes, workdir: Path) -> Staged:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserInputError(m.NOT_UTF8.format(file=filename), field="file") from exc
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    # Only a GeoJSON object may reach GDAL: not a VRT, not an ESRI JSON or TopoJSON.
    _require(
        isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Feature"),
        filename,
        "geojson",
    )
    return _write(Staged("geojson", workdir / "upload.geojson"), text.encode("utf-8"))


def check_kml(filename: str, data: bytes) -> None:
    """Refuse KML that could make a reader fetch or expand anything beyond its own bytes."""
    head = data.lstrip()[:512].lower()
    _require(
        b"<kml" in data[:4096].lower() and head.startswith((b"<?xml", b"<kml")), filename, "kml"
    )
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise UserInputError(m.KML_DOCTYPE.format(file=filename), field="file")
    for tag in (b"networklink", b"xi:include", b"<include"):
        if tag in lowered:
            raise UserInputError(
                m.KML_EXTERNAL.format(file=filename, what=tag.decode().strip("<")), field="file"
            )


def _stage_kml(filename: str, data: bytes, workdir: Path) -> Staged:
    check_kml(filename, data)
    return _write(Staged("kml", workdir / "upload.kml"), data)


def _safe_members(filename: str, data: bytes, ext: str) -> dict[str, bytes]:
    """Read the members of a zip after checking names, links, count and declared sizes."""
    _require(data.startswith(b"PK\x03\x04"), filename, ext)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise UserInputError(m.ZIP_BROKEN.format(file=filename), field="file") from exc
    files = [info for info in infos if not info.is_dir()]
    if len(infos) > MAX_MEMBERS:
        raise UserInputError(
            m.ZIP_TOO_MANY.format(file=filename, count=len(infos), limit=MAX_MEMBERS),
            field="file",
        )
    total = 0
    for info in files:
        _check_member(filename, info)
        total += info.file_size
        if total > MAX_UNPACKED_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UserInputError(
                m.ZIP_TOO_BIG.format(file=filename, limit=MAX_UNPACKED_BYTES // 1024 // 1024),
                field="file",
            )
    return {info.filename: _read_member(filename, archive, info) for info in files}


def _check_member(filename: str, info: zipfile.ZipInfo) -> None:
    name = info.filename
    path = PurePosixPath(name)
    unsafe = (
        name.startswith(("/", "\\"))
        or "\\" in name
        or ".." in path.parts
        or "/vsi" in name.lower()
        or ":" in name
        or any(not _SAFE_MEMBER.match(part) for part in path.parts)
    )
    if unsafe:
        raise UserInputError(m.ZIP_UNSAFE_NAME.format(file=filename, member=name), field="file")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UserInputError(m.ZIP_LINK.format(file=filename, member=name), field="file")


def _read_member(filename: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    # Never trust the declared size alone: read at most one byte more than it.
    try:
        with archive.open(info) as handle:
            content = handle.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as exc:
        raise UserInputError(m.ZIP_BROKEN.format(file=filename), field="file") from exc
    if len(content) > info.file_size:
        raise UserInputError(
            m.ZIP_TOO_BIG.format(file=filename, limit=MAX_UNPACKED_BYTES // 1024 // 1024),
            field="file",
        )
    return content


def _stage_kmz(filename: str, members: dict[str, bytes], workdir: Path) -> Staged:
    kml = [name for name in members if name.lower().endswith(".kml")]
    if not kml:
        raise UserInputError(m.KMZ_NO_KML.format(file=filename), field="file")
    main = "doc.kml" if "doc.kml" in kml else sorted(kml)[0]
    check_kml(filename, members[main])
    return _write(Staged("kml", workdir / "upload.kml"), members[main])


def _suffix(name: str) -> str:
    lowered = name.lower()
    if lowered.endswith(".shp.xml"):
        return ".shp.xml"
    return PurePosixPath(lowered).suffix


def _stage_shapefile(filename: str, members: dict[str, bytes], workdir: Path) -> Staged:
    stems = sorted({name[: -len(".shp")] for name in members if _suffix(name) == ".shp"})
    if not stems:
        raise UserInputError(m.ZIP_NO_SHAPEFILE.format(file=filename), field="file")
    if len(stems) > 1:
        names = ", ".join(PurePosixPath(s).name + ".shp" for s in stems)
        raise UserInputError(m.ZIP_MANY_SHAPEFILES.format(file=filename, names=names), field="file")
    stem = stems[0]
    parts = {}
    ignored = []
    for name, content in members.items():
        suffix = _suffix(name)
        if name.lower().startswith(stem.lower() + ".") and suffix in SHAPEFILE_PARTS:
            parts[suffix] = content
        else:
            ignored.append(PurePosixPath(name).name)
    for needed in (".shp", ".shx", ".dbf"):
        if needed not in parts:
            raise UserInputError(m.ZIP_MISSING_PART.format(file=filename, ext=needed), field="file")
    _require(parts[".shp"][:4] == b"\x00\x00\x27\x0a", filename, "zip")
    staged = Staged(
        "shapefile", workdir / "upload.shp", has_prj=".prj" in parts, has_cpg=".cpg" in parts
    )
    for suffix, content in parts.items():
        (workdir / f"upload{suffix}").write_bytes(content)
    if ignored:
        staged.notes.append(str(m.NOTE_SIDECAR_IGNORED.format(names=", ".join(sorted(ignored)))))
    return staged


def dbf_is_ascii(dbf: Path) -> bool:
    """Whether a DBF's records hold only ASCII bytes (then its encoding does not matter)."""
    data = dbf.read_bytes()
    header_length = int.from_bytes(data[8:10], "little") if len(data) >= 10 else len(data)
    return data[header_length:].isascii()


@contextmanager
def gdal_offline() -> Iterator[None]:
    """Within the block, pyogrio's GDAL fetches nothing over the network.

    The options are process-wide and harmless to the rest of Remix (which never reads remote
    data with pyogrio), so they are set and left set rather than restored: restoring would open
    a window for a concurrent upload in another thread.
    """
    import pyogrio

    pyogrio.set_gdal_config_options(_GDAL_OFFLINE)
    yield
