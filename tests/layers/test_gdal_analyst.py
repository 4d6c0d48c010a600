"""What a GIS analyst sees through GDAL's OAPIF driver (the one QGIS's GDAL provider uses).

Every collection loads whole at GDAL's default page size (10) with its one geometry type and
the field types of the published schema, although the first page of intervention areas has
no years and no costs; attribute filters (``-where``) and bounding boxes run on the server;
CQL2, ``sortby`` and ``properties`` reach the server as query parameters of the connection.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from layers.fieldschema import layer_schema
from layers.registry import registry
from tests.layers.analyst_world import analyst_world_create

pytestmark = [
    pytest.mark.gdal,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin is not installed"),
]

# What ogrinfo prints for each JSON Schema type of layers.fieldschema.
OGR_TYPES = {
    ("integer", ""): "Integer",
    ("number", ""): "Real",
    ("string", ""): "String",
    ("string", "date-time"): "DateTime",
    ("string", "date"): "Date",
    ("boolean", ""): "Integer(Boolean)",
    ("array", "string"): "StringList",
    ("array", "integer"): "IntegerList",
    ("object", ""): "String",
}
OGR_GEOMETRIES = {
    "Point": "Point",
    "MultiPoint": "Multi Point",
    "MultiLineString": "Multi Line String",
    "MultiPolygon": "Multi Polygon",
}


def run(*args: str, debug: bool = False) -> str:
    """Run a GDAL tool (with its HTTP log on stderr when ``debug``); fail with its output."""
    env = {**os.environ, "CPL_DEBUG": "ON"} if debug else None
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=300, check=False, cwd="/tmp", env=env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + (result.stderr if debug else "")


def summary(live_server, layer_id: str) -> tuple[str, int, dict[str, str]]:
    """Geometry type, feature count and field types as ``ogrinfo -so`` reports them."""
    out = run("ogrinfo", "-ro", "-so", f"OAPIF:{live_server.url}/ogc/", layer_id)
    lines = out.splitlines()
    geometry = next(ln.split(": ", 1)[1] for ln in lines if ln.startswith("Geometry: "))
    count = int(next(ln.split(": ", 1)[1] for ln in lines if ln.startswith("Feature Count: ")))
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Data axis to CRS"))
    fields = {}
    for line in lines[start + 1 :]:
        name, kind = line.split(": ", 1)
        fields[name] = kind.split(" (")[0]
    return geometry, count, fields


def read_all(live_server, tmp_path, source: str, *args: str) -> list[dict]:
    target = tmp_path / "out.geojson"
    target.unlink(missing_ok=True)
    run("ogr2ogr", "-f", "GeoJSON", str(target), source, *args)
    return json.loads(target.read_text())["features"]


@pytest.fixture
def analyst_world(territorio):
    return analyst_world_create()


def test_every_collection_has_its_geometry_type_field_types_and_complete_count(
    live_server, analyst_world, tmp_path
):
    for layer in registry.collections():
        expected_count = layer.get_queryset().count()
        assert expected_count > 0, layer.id
        geometry, count, fields = summary(live_server, layer.id)
        assert geometry == OGR_GEOMETRIES[layer.geometry_type], layer.id
        assert count == expected_count, layer.id
        for schema in layer_schema(layer):
            kind = OGR_TYPES[(schema.type, schema.format or schema.items)]
            assert fields[schema.name] == kind, f"{layer.id}.{schema.name}"
        # Read whole at the default page size (10 per request).
        features = read_all(live_server, tmp_path, f"OAPIF:{live_server.url}/ogc/", layer.id)
        assert len(features) == expected_count, layer.id
        assert {f["geometry"]["type"] for f in features} == {layer.geometry_type}, layer.id


def test_years_are_integers_and_costs_reals_although_the_first_page_has_none(
    live_server, analyst_world, tmp_path
):
    features = read_all(live_server, tmp_path, f"OAPIF:{live_server.url}/ogc/", "interventi-aree")
    parco = next(f["properties"] for f in features if f["properties"]["title"] == "Parco Nord")
    assert parco["anno_inizio"] == 2019 and parco["anno_fine"] == 2022
    assert parco["costo_totale"] == 1234567.89
    assert parco["is_sample"] is False


def test_lum_radius_is_the_radius_in_force(live_server, analyst_world, tmp_path, settings):
    features = read_all(live_server, tmp_path, f"OAPIF:{live_server.url}/ogc/", "lum")
    radii = {f["properties"]["name"]: f["properties"]["radius_m"] for f in features}
    assert radii == {"Rho Fiera": 1200, "Rho": settings.REMIX_LUM_RADIUS_M}


def test_gdal_sends_an_attribute_filter_to_the_server_as_cql(live_server, analyst_world, tmp_path):
    where = "stato = 'concluso' AND anno_inizio >= 2020"
    out = run("ogrinfo", "-ro", "-where", where, f"OAPIF:{live_server.url}/ogc/",
              "interventi-aree", debug=True)  # fmt: skip
    requests = [ln for ln in out.splitlines() if "Fetch(" in ln and "/items?" in ln]
    # GDAL 3.6 writes the draft's language name; the whole expression runs on the server.
    assert any("filter=(stato%20%3D%20'concluso')%20AND%20(anno_inizio%20%3E%3D%202020)"
               "&filter-lang=cql-text" in ln for ln in requests), requests  # fmt: skip
    assert "Only part of the filter" not in out
    titles = [ln.split("= ", 1)[1] for ln in out.splitlines() if ln.strip().startswith("title (")]
    assert titles == ["Piazza Nuova"]


def test_cql2_sortby_and_properties_reach_the_server_through_gdal(
    live_server, analyst_world, tmp_path
):
    query = (
        "filter=anno_inizio%20IS%20NOT%20NULL&filter-lang=cql2-text"
        "&sortby=-anno_inizio&properties=title,anno_inizio"
    )
    url = f"OAPIF:{live_server.url}/ogc/collections/interventi-aree?{query}"
    features = read_all(live_server, tmp_path, url)
    rows = [(f["properties"]["title"], f["properties"]["anno_inizio"]) for f in features]
    assert rows == [("Piazza Nuova", 2023), ("Parco Nord", 2019)]
    # Properties not asked for are not sent: GDAL leaves them empty.
    assert all(f["properties"].get("costo_totale") is None for f in features)
