"""Get an upload safely onto disk before GDAL sees it.

GDAL opens whatever a path names — ``/vsicurl/`` URLs, ``/vsizip/`` chains, VRT files that
point elsewhere — and picks its driver from the *content*. So: the user's file name is only
ever shown, never used as a path; the content must match the declared format (checked from
its first bytes); archives are inspected member by member (names, links, count, declared
sizes) and only the members we need are copied, under names we choose, into a private
temporary directory. GDAL itself reads the staged copy in a child process that knows only
the declared format's driver (:mod:`contributi.importers.sandbox`).
"""

from __future__ import annotations

import io
import json
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from django.conf import settings

from contributi.importers import messages as m
from remix.errors import UserInputError

__all__ = [
    "FORMATS",
    "Staged",
    "max_upload_bytes",
    "check_size",
    "stage_upload",
    "display_name",
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


def max_upload_bytes() -> int:
    """The size limit of one upload (setting ``REMIX_UPLOAD_MAX_BYTES``, 20 MB by default)."""
    return int(getattr(settings, "REMIX_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


@dataclass
class Staged:
    """A file on our own disk, ready for GDAL: format, path and what we noticed."""

    fmt: str
    path: Path
    declared: str = ""
    has_prj: bool = True
    has_cpg: bool = True
    crs_refused: str | None = None
    declared_epsg: int | None = None
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


def display_name(filename: str) -> str:
    """The user's file name as shown in messages: its last path part, without control or
    format characters (a newline or a right-to-left override could forge a message)."""
    name = PurePosixPath(filename.replace("\\", "/")).name or "?"
    cleaned = "".join(
        "?" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in name
    )
    return cleaned[:120]


def stage_upload(filename: str, data: bytes, workdir: Path) -> Staged:
    """Check the upload and copy it into ``workdir`` under our own names."""
    check_size(filename, len(data))
    if not data.strip():
        raise UserInputError(m.EMPTY_FILE.format(file=filename), field="file")
    ext = _extension(filename)
    if ext not in FORMATS:
        raise UserInputError(m.UNKNOWN_FORMAT.format(file=filename), field="file")
    staged = _stage(filename, data, ext, workdir)
    staged.declared = ext
    return staged


def _stage(filename: str, data: bytes, ext: str, workdir: Path) -> Staged:
    if ext in ("geojson", "json"):
        return _stage_geojson(filename, data, ext, workdir)
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


class _JsonRefused(ValueError):
    """Valid for Python's json module, but not JSON a GIS reader must see (the message)."""


def _no_constant(name: str):
    raise _JsonRefused(m.GEOJSON_NOT_FINITE.format(value=name))


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    document = {}
    for key, value in pairs:
        if key in document:
            # Python keeps the last value, GDAL may keep the first: the two would disagree.
            raise _JsonRefused(m.GEOJSON_DUPLICATE_KEY.format(key=key[:60]))
        document[key] = value
    return document


def _parse_json(filename: str, text: str):
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except _JsonRefused as exc:
        raise UserInputError(
            m.GEOJSON_REFUSED.format(file=filename, reason=exc.args[0]), field="file"
        ) from exc
    except RecursionError as exc:
        raise UserInputError(m.GEOJSON_TOO_DEEP.format(file=filename), field="file") from exc
    except ValueError:
        return None


def _stage_geojson(filename: str, data: bytes, ext: str, workdir: Path) -> Staged:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserInputError(m.NOT_UTF8.format(file=filename), field="file") from exc
    document = _parse_json(filename, text)
    # Only a GeoJSON object may reach GDAL: not a VRT, not an ESRI JSON or TopoJSON.
    _require(
        isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Feature"),
        filename,
        ext,
    )
    staged = Staged("geojson", workdir / "upload.geojson")
    if "crs" in document:
        staged.declared_epsg = _geojson_crs_epsg(document["crs"])
        if staged.declared_epsg is None:
            # A link, a URL, null or an unknown name: GDAL would silently read WGS 84.
            staged.has_prj = False
            staged.crs_refused = json.dumps(document["crs"], ensure_ascii=False)[:120]
    return _write(staged, text.encode("utf-8"))


_EPSG_NAME = re.compile(r"^(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[0-9.]*:)([0-9]{4,5})$", re.I)
_CRS84 = {"urn:ogc:def:crs:ogc:1.3:crs84", "urn:ogc:def:crs:ogc::crs84", "ogc:crs84"}
WGS84_EPSG = 4326


def _geojson_crs_epsg(crs) -> int | None:
    """The EPSG code a GeoJSON 2008 ``crs`` member of type ``name`` names (CRS84 is 4326),
    or None for links, URLs and other names (whether the code is accepted is the reader's
    question)."""
    properties = crs.get("properties") if isinstance(crs, dict) else None
    if not isinstance(crs, dict) or crs.get("type") != "name" or not isinstance(properties, dict):
        return None
    name = properties.get("name")
    if not isinstance(name, str):
        return None
    if name.strip().lower() in _CRS84:
        return WGS84_EPSG
    match = _EPSG_NAME.match(name.strip())
    return int(match.group(1)) if match else None


_KML_NAMESPACES = (
    "{http://www.opengis.net/kml/2.2}",
    "{http://earth.google.com/kml/2.0}",
    "{http://earth.google.com/kml/2.1}",
    "{http://earth.google.com/kml/2.2}",
    "",
)


def _xml_root(data: bytes) -> str | None:
    """The tag of the document's root element (parsed, not searched for), or None."""
    parser = ElementTree.XMLPullParser(events=("start",))
    try:
        for offset in range(0, len(data), 65536):
            parser.feed(data[offset : offset + 65536])
            for _event, element in parser.read_events():
                return element.tag
    except ElementTree.ParseError:
        return None
    return None


def check_kml(filename: str, data: bytes, ext: str = "kml") -> None:
    """Refuse KML that could make a reader fetch or expand anything beyond its own bytes,
    and content whose root element is not ``<kml>`` (an OGR VRT or a GML in disguise)."""
    # UTF-16/32 would hide the markup from the byte checks below: KML is UTF-8 text.
    _require(b"\x00" not in data, filename, ext)
    lowered = data.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise UserInputError(m.KML_DOCTYPE.format(file=filename), field="file")
    root = _xml_root(data)
    _require(root in {f"{ns}kml" for ns in _KML_NAMESPACES}, filename, ext)
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
    seen: set[str] = set()
    total = 0
    for info in files:
        _check_member(filename, info)
        if info.filename.casefold() in seen:
            # Two members with one name: which one a reader takes is anybody's guess.
            raise UserInputError(
                m.ZIP_DUPLICATE.format(file=filename, member=info.filename), field="file"
            )
        seen.add(info.filename.casefold())
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
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, NotImplementedError) as exc:
        # RuntimeError: encrypted; NotImplementedError: a compression method we do not read.
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
    check_kml(filename, members[main], "kmz")
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
    if ".prj" in parts and not _PRJ_WKT.match(parts[".prj"]):
        raise UserInputError(m.PRJ_NOT_WKT.format(file=filename), field="file")
    staged = Staged("shapefile", workdir / "upload.shp", has_prj=".prj" in parts)
    if ".cpg" in parts:
        code_page = _code_page(parts[".cpg"])
        if code_page is None:
            staged.notes.append(str(m.NOTE_CPG_IGNORED))
            del parts[".cpg"]
        else:
            parts[".cpg"] = code_page.encode("ascii")
    staged.has_cpg = ".cpg" in parts
    for suffix, content in parts.items():
        (workdir / f"upload{suffix}").write_bytes(content)
    if ignored:
        staged.notes.append(str(m.NOTE_SIDECAR_IGNORED.format(names=", ".join(sorted(ignored)))))
    return staged


# A .prj is one WKT CRS: printable ASCII, a known root keyword, nothing a parser could take
# for a file name, a URL or a PROJ string.
_PRJ_WKT = re.compile(
    rb"^\s*(PROJCS|GEOGCS|COMPD_CS|PROJCRS|GEOGCRS|GEODCRS|COMPOUNDCRS|BOUNDCRS)\[[\x20-\x7e\s]{1,16000}\]\s*$"
)
# What a .cpg may say (normalised: upper case, no separators or prefixes) → what GDAL reads.
_CODE_PAGES = {
    "UTF8": "UTF-8",
    "65001": "UTF-8",
    "1252": "1252",
    "88591": "88591",
    "28591": "88591",
    "LATIN1": "88591",
    "885915": "885915",
    "28605": "885915",
    "LATIN9": "885915",
}


def _code_page(content: bytes) -> str | None:
    """The .cpg's code page if it is one we accept (rewritten in GDAL's own spelling)."""
    if len(content) > 64 or not content.isascii():
        return None
    key = re.sub(r"[\s\-_]|WINDOWS|ANSI|ISO|CP", "", content.decode("ascii").upper())
    return _CODE_PAGES.get(key)


def dbf_is_ascii(dbf: Path) -> bool:
    """Whether a DBF's records hold only ASCII bytes (then its encoding does not matter)."""
    data = dbf.read_bytes()
    header_length = int.from_bytes(data[8:10], "little") if len(data) >= 10 else len(data)
    return data[header_length:].isascii()
