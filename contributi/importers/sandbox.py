"""Open a staged upload with its own GDAL driver only, in a child process.

pyogrio cannot pass GDAL an allow-list of drivers, and GDAL picks its driver from the
*content*: a ``.kml`` that is really an OGR VRT would be opened by the VRT driver and read
``/etc/passwd``. So the upload is read by :mod:`contributi.importers.gdal_child` in a fresh
interpreter whose environment sets ``GDAL_SKIP`` to every driver but the one of the declared
format (:data:`DRIVERS`). GDAL reads ``GDAL_SKIP`` when it registers its drivers, at pyogrio's
import in the child, and a driver that was never registered cannot be reached by anything a
file contains (a VRT source, a GML xlink, a ``CSV:`` or ``/vsi…`` path) nor by a file name
prefix or an open option. The child checks that the registered drivers are exactly the pinned
one and that the dataset was opened by it; the parent starts it with a clean environment (no
inherited ``GDAL_*``/``CPL_*`` option, network access switched off) and a time limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyogrio

__all__ = ["DRIVERS", "GDAL_OFFLINE", "SandboxError", "SandboxRead", "skipped_drivers", "read"]

DRIVERS = {
    "geojson": "GeoJSON",
    "shapefile": "ESRI Shapefile",
    "gpkg": "GPKG",
    "kml": "KML",
}
GDAL_OFFLINE = {
    # Only a URL ending in this impossible extension/name would be fetched: none is.
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".remix-offline",
    "CPL_VSIL_CURL_ALLOWED_FILENAME": "remix-offline",
    "GDAL_HTTP_PROXY": "127.0.0.1:9",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_DISABLE_READDIR_ON_OPEN": "EMPTY_DIR",
    "GDAL_PAM_ENABLED": "NO",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",
    "OGR_GPKG_INTEGRITY_CHECK": "NO",
}
TIMEOUT_S = 90
_CHILD = Path(__file__).with_name("gdal_child.py")


class SandboxError(Exception):
    """The child could not read the file: ``kind`` is open, read, timeout or crash."""

    def __init__(self, kind: str, reason: str = ""):
        super().__init__(kind, reason)
        self.kind = kind
        self.reason = reason


@dataclass
class SandboxRead:
    """What the child found: geometry layers, feature count, CRS and the features."""

    layers: list[str]
    count: int = 0
    crs: str | None = None
    geometries: list[str | None] = field(default_factory=list)
    columns: dict[str, list] = field(default_factory=dict)


@cache
def skipped_drivers(pinned: str) -> str:
    """``GDAL_SKIP`` for a child that must know only ``pinned`` (all other drivers, by name)."""
    return ",".join(sorted(name for name in pyogrio.list_drivers() if name != pinned))


def _environment(pinned: str) -> dict[str, str]:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "GDAL_SKIP": skipped_drivers(pinned),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        # No gdalrc of the server's user: no configuration reaches the child but ours.
        "GDAL_CONFIG_FILE": os.devnull,
        "PROJ_NETWORK": "OFF",
        **GDAL_OFFLINE,
    }
    return env


def read(path: Path, fmt: str, *, encoding: str | None, max_features: int) -> SandboxRead:
    """Read ``path`` as ``fmt`` with that format's driver only; raise :class:`SandboxError`."""
    pinned = DRIVERS[fmt]
    result = path.with_name("result.json")
    request = {
        "path": str(path),
        "driver": pinned,
        "encoding": encoding,
        "max_features": max_features,
        "result": str(result),
    }
    try:
        done = subprocess.run(  # noqa: S603 (our interpreter and script; data on stdin)
            [sys.executable, "-I", str(_CHILD)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            env=_environment(pinned),
            cwd=path.parent,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SandboxError("timeout") from exc
    try:
        answer = json.loads(done.stdout)
    except ValueError:
        answer = None
    if isinstance(answer, dict) and answer.get("error") == "drivers":
        # A set-up fault, not the user's: never fall back to reading with more drivers.
        raise RuntimeError(f"GDAL_SKIP did not pin {pinned}: {answer['registered']}")
    if isinstance(answer, dict) and "error" in answer:
        raise SandboxError(answer["error"], answer.get("reason", ""))
    if done.returncode != 0 or not isinstance(answer, dict):
        # Killed by its limits (memory, CPU) or by a crash of GDAL on hostile bytes.
        raise SandboxError("crash", done.stderr[-300:])
    read_back = SandboxRead(
        layers=answer["layers"], count=answer.get("count", 0), crs=answer.get("crs")
    )
    if result.exists():
        features = json.loads(result.read_text(encoding="utf-8"))
        read_back.geometries, read_back.columns = features["geometries"], features["columns"]
    return read_back
