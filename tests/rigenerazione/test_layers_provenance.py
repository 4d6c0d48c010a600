"""Published regeneration layers keep the provenance of each record and the licence of the whole.

The interventi layer holds records derived from the PNRR extraction (CC BY-SA 4.0): the layer
is shared alike with both attributions, and every record carries its own source and licence
into every format.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from layers.registry import registry

pytestmark = pytest.mark.django_db


def test_interventi_layer_is_shared_alike_with_the_pnrr_attribution():
    layer = registry.get("interventi")
    assert layer.licence == "CC-BY-SA-4.0"
    assert "onData" in layer.attribution and "Ministero dell'Interno" in layer.attribution


@pytest.mark.parametrize("layer_id", ["interventi", "opportunita", "ambiti-trasformazione"])
def test_regeneration_layers_publish_source_and_licence_fields(layer_id):
    names = [f.name for f in registry.get(layer_id).fields]
    assert {"source", "licence"} <= set(names)


def test_every_pnrr_feature_carries_its_source_and_licence_in_the_feed(client, territorio):
    call_command("load_pnrr_rigenerazione", verbosity=0)
    response = client.get("/api/layers/interventi/download.geojson")
    features = json.loads(b"".join(response.streaming_content))["features"]
    assert len(features) == 117
    assert {f["properties"]["licence"] for f in features} == {"CC-BY-SA-4.0"}
    assert all("onData" in f["properties"]["source"] for f in features)
