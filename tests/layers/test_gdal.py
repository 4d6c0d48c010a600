"""Interoperability: GDAL's own OAPIF and MVT drivers read what the engine publishes.

These tests drive the GDAL command-line tools (Debian's gdal-bin) against a live server, the
way an analyst does from a shell or QGIS (which uses the same drivers).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.cache import cache

from bench.layers import AVAILABLE_CACHE_KEY, LOAD_LAYER_ID
from bench.services import load_parcels_generate
from layers.registry import registry

pytestmark = [
    pytest.mark.gdal,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin is not installed"),
]

# A small page so that every collection with more than 7 features is read over several pages.
PAGE_SIZE = "7"


def run(*args: str) -> str:
    """Run a GDAL tool; fail the test with its output when it fails."""
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=300, check=False, cwd="/tmp"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def number_matched(source: list[str]) -> int:
    """numberMatched of the collection, as the server announces it (read by GDAL below)."""
    every_layer = ["-al"] if len(source) == 1 else []  # a collection URL: its one layer
    out = run("ogrinfo", "-ro", "-so", *every_layer, "-oo", "PAGE_SIZE=1", *source)
    (line,) = [ln for ln in out.splitlines() if ln.startswith("Feature Count:")]
    return int(line.split(":")[1])


def gdal_sources(live_server) -> list[tuple]:
    """(layer, GDAL source) of every listed layer, and of the benchmark's unlisted layer opened
    by its collection URL (served by id, never in /ogc/collections)."""
    sources = [
        (layer, [f"OAPIF:{live_server.url}/ogc/", layer.id]) for layer in registry.collections()
    ]
    bench = registry.get(LOAD_LAYER_ID)
    sources.append((bench, [f"OAPIF:{live_server.url}/ogc/collections/{LOAD_LAYER_ID}"]))
    return sources


def test_ogrinfo_lists_every_collection_of_the_registry(live_server, territorio):
    out = run("ogrinfo", "-ro", "-so", f"OAPIF:{live_server.url}/ogc/")
    listed = [
        line.split(":", 1)[1].split("(")[0].strip()
        for line in out.splitlines()
        if line[:1].isdigit() and ": " in line
    ]
    assert listed == [layer.id for layer in registry.collections()]


@pytest.fixture
def load_layer_with_23_parcels():
    """The benchmark layer with 23 parcels: a layer with integer ids (4 pages of 7 + 2)."""
    load_parcels_generate(count=23)
    yield
    cache.delete(AVAILABLE_CACHE_KEY)  # the rows go with the test; so must their availability


def test_ogr2ogr_reads_every_collection_completely_over_pages(
    live_server, territorio, load_layer_with_23_parcels, tmp_path
):
    assert LOAD_LAYER_ID not in [layer.id for layer in registry.all()]  # unlisted
    for layer, source in gdal_sources(live_server):
        expected = layer.get_queryset().count()
        target: Path = tmp_path / f"{layer.id}.geojson"
        run("ogr2ogr", "-f", "GeoJSON", "-preserve_fid", str(target), "-oo",
            f"PAGE_SIZE={PAGE_SIZE}", *source)  # fmt: skip
        features = json.loads(target.read_text())["features"]
        assert number_matched(source) == expected, layer.id
        assert len(features) == expected, layer.id
        # GDAL writes an integer id as the feature id, a text id (ISTAT code) as a property.
        ids = [f["properties"].get("id", f.get("id")) for f in features]
        assert len(set(ids)) == expected, f"{layer.id}: a page repeated or skipped features"


def test_gdal_reads_all_133_comuni_with_their_attributes(live_server, territorio, tmp_path):
    target = tmp_path / "comuni.geojson"
    run("ogr2ogr", "-f", "GeoJSON", str(target), "-oo", f"PAGE_SIZE={PAGE_SIZE}",
        f"OAPIF:{live_server.url}/ogc/", "comuni")  # fmt: skip
    features = json.loads(target.read_text())["features"]
    assert len(features) == 133  # 133 / 7 = 19 full pages
    milano = next(f for f in features if f["properties"]["istat_code"] == "015146")
    assert milano["properties"]["name"] == "Milano"
    assert milano["geometry"]["type"] == "MultiPolygon"
    lon, lat = milano["geometry"]["coordinates"][0][0][0]
    # CRS84 order (lon, lat): Milano lies around 9.19 E, 45.46 N.
    assert 8.9 < lon < 9.4 and 45.3 < lat < 45.6


def test_gdal_bbox_and_attribute_filter_reach_the_server(live_server, territorio, tmp_path):
    target = tmp_path / "milano.geojson"
    # ogr2ogr -spat is sent to the server as bbox=; only Milano meets Piazza del Duomo's box.
    run("ogr2ogr", "-f", "GeoJSON", str(target), "-spat", "9.190", "45.463", "9.192", "45.465",
        f"OAPIF:{live_server.url}/ogc/", "comuni")  # fmt: skip
    features = json.loads(target.read_text())["features"]
    assert [f["properties"]["istat_code"] for f in features] == ["015146"]


def test_gdal_mvt_driver_decodes_a_tile(live_server, territorio, tmp_path):
    # GDAL's MVT driver reads a single tile file named z/x/y.pbf (it then knows where it lies).
    import urllib.request

    folder = tmp_path / "12" / "2152"
    folder.mkdir(parents=True)
    tile = folder / "1465.pbf"
    with urllib.request.urlopen(f"{live_server.url}/tiles/comuni/12/2152/1465.pbf") as answer:  # noqa: S310
        tile.write_bytes(answer.read())
    target = tmp_path / "tile.geojson"
    run("ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", str(target), str(tile), "comuni")
    features = json.loads(target.read_text())["features"]
    # Reference: the Comuni meeting tile 12/2152/1465 with its 64-unit buffer (test_tiles.py).
    assert sorted(f["properties"]["name"] for f in features) == ["Milano", "Novate Milanese"]
    milano = next(f for f in features if f["properties"]["name"] == "Milano")
    assert milano["properties"]["zona_omogenea"] == "Comune di Milano"
    lons = [p[0] for ring in milano["geometry"]["coordinates"] for p in ring]
    # The tile spans 9.140625..9.228516 E (plus its buffer): decoded coordinates lie there.
    assert min(lons) > 9.13 and max(lons) < 9.24
