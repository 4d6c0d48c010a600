"""A layer's data version follows every table its declaration reads — derived, never listed.

Issue 13: ``ZonaOmogenea`` was missing from the hand-written lists of the interventi,
opportunità and LUM layers, so after a Zona's slug was renamed ``?zona=<old>`` with the old
ETag still got 304 while a fresh GET found no feature.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import Point

from layers.dependencies import filter_tables, lookup_tables, query_tables
from layers.registry import registry
from rigenerazione.filters import InterventoFilter
from rigenerazione.models import Intervento
from rigenerazione.services import intervento_create
from rules.publication import PublicationState
from territorio.models import Comune, ZonaOmogenea

MILANO = "015146"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_filter_written_as_a_method_counts_its_joins_and_subqueries():
    # filter_zona: EXISTS (SELECT … FROM rigenerazione_intervento_comuni
    #                      JOIN layers_comune … JOIN layers_zonaomogenea … WHERE slug = %s)
    tables = filter_tables(InterventoFilter, Intervento.objects.all())
    assert {
        "rigenerazione_intervento_comuni",
        "layers_comune",
        "layers_zonaomogenea",
        "rigenerazione_finanziamento",
    } <= tables


def test_select_related_and_lookup_paths_count_their_tables():
    assert query_tables(Comune.objects.select_related("zona_omogenea")) == {
        "layers_comune",
        "layers_zonaomogenea",
    }
    assert lookup_tables(Intervento, "comuni__zona_omogenea__name__icontains") == {
        "rigenerazione_intervento",
        "rigenerazione_intervento_comuni",
        "layers_comune",
        "layers_zonaomogenea",
    }


@pytest.mark.parametrize("layer_id", ["interventi", "opportunita", "lum", "servizi", "comuni"])
def test_every_layer_filtered_by_zona_depends_on_the_zone(layer_id):
    layer = registry.get_declared(layer_id)
    assert "zona" in layer.queryables
    assert ZonaOmogenea._meta.db_table in layer.version_tables
    assert layer.model._meta.db_table in layer.version_tables


def test_renaming_a_zona_slug_invalidates_the_etag_of_a_feed_filtered_by_it(client, territorio):
    milano = Comune.objects.select_related("zona_omogenea").get(istat_code=MILANO)
    old_slug = milano.zona_omogenea.slug
    intervento_create(
        title="Piazza",
        geom=Point(9.19, 45.464, srid=4326),
        stato="in_corso",
        publication_state=PublicationState.PUBBLICATO,
    )
    url = "/api/layers/interventi/download.geojson"
    first = client.get(url, {"zona": old_slug})
    assert len(json.loads(body(first))["features"]) == 1

    ZonaOmogenea.objects.filter(pk=milano.zona_omogenea_id).update(slug="milano-rinominata")

    again = client.get(url, {"zona": old_slug}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert json.loads(body(again))["features"] == []
