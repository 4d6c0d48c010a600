"""The benchmark load layer: deterministic, served by id when loaded, never listed publicly."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from bench.layers import LOAD_LAYER_ID
from bench.models import LoadParcel
from bench.services import CMM_BOUNDS, load_parcels_generate

ENDPOINTS = [
    f"/ogc/collections/{LOAD_LAYER_ID}",
    f"/api/layers/{LOAD_LAYER_ID}/download.geojson",
    f"/tiles/{LOAD_LAYER_ID}/10/538/366.pbf",
]


def catalogue_ids(client) -> list[str]:
    return [layer["id"] for layer in client.get("/api/layers/").json()["layers"]]


def test_empty_load_layer_is_not_published(client, db):
    assert not LoadParcel.objects.exists()
    assert LOAD_LAYER_ID not in catalogue_ids(client)
    ogc = [c["id"] for c in client.get("/ogc/collections").json()["collections"]]
    assert LOAD_LAYER_ID not in ogc
    for url in ENDPOINTS:
        assert client.get(url).status_code == 404, url


def test_loaded_layer_is_served_by_id_but_never_listed_to_the_public(client, db, territorio):
    # Issue 13 §4: "Carico sintetico (benchmark)" was public whenever it had rows.
    load_parcels_generate(count=50)
    document = client.get(f"/ogc/collections/{LOAD_LAYER_ID}/items", {"limit": "100"}).json()
    assert document["numberMatched"] == 50

    assert LOAD_LAYER_ID not in catalogue_ids(client)
    ogc = [c["id"] for c in client.get("/ogc/collections").json()["collections"]]
    assert LOAD_LAYER_ID not in ogc
    for page in ("/", "/dati/"):
        html = client.get(page).content.decode()
        assert "Carico sintetico" not in html
        assert LOAD_LAYER_ID not in html
    found = client.get("/api/search/", {"q": "P-0"}).json()
    assert LOAD_LAYER_ID not in json.dumps(found)


def test_generation_is_deterministic_and_inside_the_cmm_box(db):
    load_parcels_generate(count=30)
    first = list(LoadParcel.objects.order_by("code").values_list("code", "geom"))
    load_parcels_generate(count=30)
    second = list(LoadParcel.objects.order_by("code").values_list("code", "geom"))
    assert [(c, g.wkb) for c, g in first] == [(c, g.wkb) for c, g in second]
    west, south, east, north = CMM_BOUNDS
    for _, geom in first:
        x0, y0, x1, y1 = geom.extent
        # Centres lie in the box; octagons reach at most 0.0012° beyond it.
        assert west - 0.0013 < x0 < x1 < east + 0.0013
        assert south - 0.0013 < y0 < y1 < north + 0.0013


def test_command_loads_the_requested_count(db):
    call_command("bench_load", count=12, verbosity=0)
    assert LoadParcel.objects.count() == 12


def test_command_refuses_a_negative_count_and_changes_nothing(db):
    load_parcels_generate(count=5)
    with pytest.raises(CommandError):
        call_command("bench_load", count=-1)
    assert LoadParcel.objects.count() == 5
