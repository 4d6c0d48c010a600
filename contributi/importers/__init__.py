"""The upload pipeline: stage safely, read with pyogrio, map attributes, report per feature.

:func:`upload_report` is the one entry point; it never writes to the database. Committing a
clean report is :func:`contributi.services.upload_commit`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from contributi.importers.mapping import TARGETS, default_mapping, target
from contributi.importers.reader import ALLOWED_SRIDS, ENCODINGS, read_staged
from contributi.importers.report import FeatureReport, UploadReport, build_report
from contributi.importers.safety import check_size, display_name, max_upload_bytes, stage_upload

__all__ = [
    "ALLOWED_SRIDS",
    "ENCODINGS",
    "TARGETS",
    "FeatureReport",
    "UploadReport",
    "check_size",
    "max_upload_bytes",
    "upload_report",
    "Progress",
]

# Told ``(step, done, total)`` as the work goes on: step "read" once the file is read, then
# "checked" after each feature. It may raise to stop the work (a cancelled job).
Progress = Callable[[str, int, int], None]


def upload_report(
    *,
    filename: str,
    data: bytes,
    target_key: str,
    user,
    stated_srid: int | None = None,
    stated_encoding: str | None = None,
    mapping: dict[str, str] | None = None,
    make_valid: bool = False,
    progress: Progress | None = None,
) -> UploadReport:
    """Check an upload end to end and return its per-feature report (no database write).

    ``mapping`` (field → column) overrides the automatic one field by field; an empty column
    means "leave this field empty". Raises :class:`remix.errors.UserInputError` for problems
    of the whole file.
    """
    spec = target(target_key)
    filename = display_name(filename)
    with tempfile.TemporaryDirectory(prefix="remix-upload-") as tmp:
        workdir = Path(tmp)
        workdir.chmod(0o700)
        staged = stage_upload(filename, data, workdir)
        read = read_staged(
            filename, staged, stated_srid=stated_srid, stated_encoding=stated_encoding
        )
    if progress:
        progress("read", len(read.frame), len(read.frame))
    chosen = default_mapping(spec, read.columns)
    for name, column in (mapping or {}).items():
        if name in {f.name for f in spec.fields}:
            if column:
                chosen[name] = column
            else:
                chosen.pop(name, None)
    return build_report(read, spec, chosen, user=user, make_valid=make_valid, progress=progress)
