"""Peak memory of one export of the load layer: ``python -m bench.memory geojson|gpkg``.

Runs the download view once in this fresh process, reading the answer to the end, and prints
``baseline_mb peak_mb``: the resident set after start-up and its peak during the export.
"""

from __future__ import annotations

import resource
import sys


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
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    response = download(request, LOAD_LAYER_ID, fmt)
    size = sum(len(chunk) for chunk in response.streaming_content)
    response.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{baseline:.1f} {peak:.1f} {size}")


if __name__ == "__main__":
    main(sys.argv[1])
