"""Read one staged upload in a child process whose GDAL knows a single driver.

Run by :mod:`contributi.importers.sandbox` as ``python -I gdal_child.py`` with ``GDAL_SKIP``
naming every other driver, so ``GDALAllRegister`` (called when pyogrio is imported) never
registers them: whatever the bytes say, only the pinned driver exists in this process. This
script imports no Django and nothing of Remix; it reads a JSON request on stdin, writes the
features to ``result.json`` next to the upload and a JSON answer on stdout.

Before opening anything it checks that the registered drivers are exactly the pinned ones
and that the dataset was opened by that driver; it also caps its own memory, CPU time and
file size, so a decompression or parsing bomb ends this process, not the server.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

MEMORY_BYTES = 1536 * 1024 * 1024
CPU_SECONDS = 60
FILE_BYTES = 512 * 1024 * 1024


def _limit() -> None:
    for kind, value in (
        (resource.RLIMIT_AS, MEMORY_BYTES),
        (resource.RLIMIT_CPU, CPU_SECONDS),
        (resource.RLIMIT_FSIZE, FILE_BYTES),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(kind, (value, value))


def _answer(**body) -> None:
    json.dump(body, sys.stdout)
    sys.stdout.flush()


def _column(values) -> list:
    kind = values.dtype.kind
    if kind in "iufb":
        return values.tolist()
    if kind in "mM":
        return [None if str(v) == "NaT" else str(v) for v in values]
    return [v.decode("utf-8", "replace") if isinstance(v, bytes) else v for v in values]


def main() -> int:
    _limit()
    request = json.load(sys.stdin)
    import pyogrio  # imported only now: GDAL registers its drivers here, honouring GDAL_SKIP

    pinned = request["driver"]
    registered = set(pyogrio.list_drivers())
    if registered != {pinned}:
        _answer(error="drivers", registered=sorted(registered))
        return 0
    path = request["path"]
    try:
        info = pyogrio.read_info(path)
    except Exception as exc:  # any failure to open is "not this format"
        _answer(error="open", reason=str(exc)[:300])
        return 0
    if info.get("driver") != pinned:
        _answer(error="driver", reason=str(info.get("driver")))
        return 0
    layers = [str(name) for name, kind in pyogrio.list_layers(path) if kind]
    if len(layers) != 1:
        _answer(layers=layers)
        return 0
    count = int(info.get("features") or 0)
    if count > request["max_features"]:
        _answer(layers=layers, count=count)
        return 0
    try:
        meta, _fids, geometries, fields = pyogrio.raw.read(
            path, layer=layers[0], encoding=request.get("encoding")
        )
    except Exception as exc:
        _answer(error="read", reason=str(exc)[:300])
        return 0
    result = {
        "geometries": [None if g is None else bytes(g).hex() for g in geometries],
        "columns": {str(n): _column(v) for n, v in zip(meta["fields"], fields, strict=True)},
    }
    Path(request["result"]).write_text(json.dumps(result, default=str), encoding="utf-8")
    _answer(layers=layers, count=len(geometries), crs=meta.get("crs"), driver=info["driver"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
