"""Copy the front-end packages' files named in package.json ("remixVendor") into static files.

``"remixVendor": {"leaflet": ["dist/leaflet.js", "dist/images"]}`` copies those files or
folders of node_modules/leaflet to frontend/static/vendor/leaflet/. Nothing is fetched: the
packages come from the lock file, installed by ``npm ci``. Unchanged files are not copied.
"""

from __future__ import annotations

import filecmp
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "frontend" / "static" / "vendor"


def copy(src: Path, dst: Path) -> int:
    """Copy a file or a tree if it differs; return how many files were written."""
    if src.is_dir():
        return sum(copy(child, dst / child.name) for child in sorted(src.iterdir()))
    if dst.exists() and filecmp.cmp(src, dst, shallow=False):
        return 0
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)
    return 1


def main() -> int:
    manifest = json.loads((ROOT / "package.json").read_text()).get("remixVendor", {})
    written = 0
    for package, paths in manifest.items():
        for rel in paths:
            src = ROOT / "node_modules" / package / rel
            if not src.exists():
                print(f"vendor: {package}/{rel} not found in node_modules", file=sys.stderr)
                return 1
            written += copy(src, TARGET / package / Path(rel).name)
    if written:
        print(f"vendor: {written} file(s) copied to {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
