"""Peak memory of one export of the load layer: ``python -m bench.memory geojson|gpkg``.

Runs the download view once in this fresh process, reading the answer to the end, and prints
``baseline_mb peak_mb bytes``: the peak resident set after start-up, after the export, and the
size of the export. The peak is the kernel's VmHWM (``ru_maxrss`` would carry over the peak of
the parent process across fork and exec).
"""

from __future__ import annotations

import sys
from pathlib import Path


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("VmHWM not found in /proc/self/status")


def main(fmt: str) -> None:
    from bench.measure import bench_environment

    bench_environment()
    import django

    django.setup()
    import geopandas  # noqa: F401  (imported by the exports anyway; part of the baseline)
    import pyogrio  # noqa: F401
    from django.test import RequestFactory

    from bench.layers import LOAD_LAYER_ID
    from layers.feeds import download

    request = RequestFactory().get(f"/api/layers/{LOAD_LAYER_ID}/download.{fmt}")
    baseline = peak_rss_mb()
    response = download(request, LOAD_LAYER_ID, fmt)
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    peak = peak_rss_mb()
    print(f"{baseline:.1f} {peak:.1f} {size}")


if __name__ == "__main__":
    main(sys.argv[1])
