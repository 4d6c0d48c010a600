"""The layer registry: declarations are validated at registration and fail loudly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from layers.registry import Field, Layer, LayerRegistry, registry
from territorio.filters import ComuneFilter
from territorio.models import Comune


def declare(**attrs) -> type[Layer]:
    base = {
        "id": "prova",
        "model": Comune,
        "title": {"it": "Prova", "en": "Test"},
        "fields": (Field("name", it="Nome"),),
    }
    return type("ProvaLayer", (Layer,), {**base, **attrs})


def test_a_valid_declaration_is_registered_with_derived_queryables():
    local = LayerRegistry()
    local.register(declare(filterset_class=ComuneFilter, popup_fields=("name",)))
    layer = local.get("prova")
    assert layer.queryables == ["bbox", "comune", "zona", "q"]
    assert [f.name for f in layer.popup] == ["name"]
    # Derived: the ``zona`` filter reads the Zone omogenee (zona_omogenea__slug).
    assert layer.version_tables == ["layers_comune", "layers_zonaomogenea"]


def test_without_filters_or_joins_a_layer_reads_only_its_table():
    local = LayerRegistry()
    local.register(declare())
    assert local.get("prova").version_tables == ["layers_comune"]


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"id": "Not A Slug"}, "id must be a lowercase slug"),
        ({"model": None}, "model is required"),
        ({"title": {"en": "Only English"}}, "Italian"),
        ({"theme": "sport"}, "theme must be one of"),
        ({"render": "wms"}, "render must be one of"),
        ({"geometry_field": "name"}, "not a geometry field"),
        ({"geometry_field": "shape"}, "has no field 'shape'"),
        ({"fields": (Field("nome", "nonexistent"),)}, "has no 'nonexistent'"),
        ({"fields": (Field("zona", "zona_omogenea__nope"),)}, "zona_omogenea__nope"),
        ({"popup_fields": ("area_m2",)}, "popup_fields not among fields"),
        ({"fields": (Field("id", "istat_code"),)}, "not a valid attribute name"),
        ({"min_zoom": 12, "max_zoom": 10}, "zoom range"),
        ({"detail_page": "/comuni/"}, "{id}"),
        ({"id_field": "codice"}, "id_field 'codice' does not exist"),
    ],
)
def test_a_misconfigured_layer_fails_loudly(attrs, message):
    with pytest.raises(ImproperlyConfigured, match=message.replace("{", r"\{").replace("}", r"\}")):
        LayerRegistry().register(declare(**attrs))


def test_a_filterset_of_another_model_is_refused():
    from territorio.filters import ZonaOmogeneaFilter

    with pytest.raises(ImproperlyConfigured, match="filters ZonaOmogenea"):
        LayerRegistry().register(declare(filterset_class=ZonaOmogeneaFilter))


def test_the_same_id_twice_is_refused():
    local = LayerRegistry()
    local.register(declare())
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        local.register(declare())


def test_an_unavailable_layer_is_hidden_from_every_listing():
    local = LayerRegistry()
    local.register(declare(is_available=lambda self: False))
    assert local.get("prova") is None
    assert local.all() == []
    assert [layer.id for layer in local.declared()] == ["prova"]


@pytest.mark.django_db  # availability may look at the data (the benchmark layer)
def test_apps_declare_their_layers_in_layers_py():
    ids = [layer.id for layer in registry.all()]
    assert ids[:3] == ["comuni", "zone-omogenee", "poli-attrattori"]
    assert {"interventi", "opportunita", "ambiti-trasformazione", "ambiti-rigenerazione"} <= set(
        ids
    )
