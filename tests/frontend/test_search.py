"""The search endpoint /api/search/: Comuni and layers declaring search_fields, published only."""

from __future__ import annotations

import pytest

from frontend.search import PER_LAYER, QUERY_TOO_LONG, QUERY_TOO_SHORT
from layers.registry import registry
from tests.frontend.conftest import make_intervento

pytestmark = pytest.mark.django_db


@pytest.fixture
def interventi_searchable(monkeypatch):
    """The interventi layer searchable by title (rig's declaration may not set it yet)."""
    monkeypatch.setattr(registry.get("interventi"), "search_fields", ("title", "cup"))


def test_search_finds_a_comune_by_name_with_its_bbox_and_a_point_inside(client, territorio):
    response = client.get("/api/search/", {"q": "rho"})

    assert response.status_code == 200
    hit = next(h for h in response.json()["results"] if h["name"] == "Rho")
    assert hit["layer"] == "comuni"
    assert hit["id"] == "015182"
    assert hit["url"] == "/comuni/015182/"
    minx, miny, maxx, maxy = hit["bbox"]
    # Rho lies north-west of Milano, around 9.04 E 45.53 N.
    assert 8.9 < minx < maxx < 9.2 and 45.4 < miny < maxy < 45.6
    lon, lat = hit["centroid"]
    assert minx <= lon <= maxx and miny <= lat <= maxy


def test_search_puts_names_starting_with_the_text_first(client, territorio):
    results = client.get("/api/search/", {"q": "mila"}).json()["results"]

    assert results[0]["name"] == "Milano"


def test_search_returns_at_most_per_layer_hits_of_each_layer(client, territorio):
    # "an" occurs in far more than PER_LAYER Comuni names.
    results = client.get("/api/search/", {"q": "an"}).json()["results"]

    assert len([h for h in results if h["layer"] == "comuni"]) == PER_LAYER


def test_search_finds_published_interventi_of_a_layer_with_search_fields(
    client, milano, interventi_searchable
):
    published = make_intervento(milano, title="Parco della Goccia", lon=9.17, lat=45.51)
    make_intervento(milano, title="Parco in bozza", lon=9.18, lat=45.5, state="bozza")

    results = client.get("/api/search/", {"q": "parco"}).json()["results"]

    interventi = [h for h in results if h["layer"] == "interventi"]
    assert [h["name"] for h in interventi] == ["Parco della Goccia"]
    assert interventi[0]["id"] == published.pk
    assert interventi[0]["url"] == f"/interventi/{published.pk}/"
    assert interventi[0]["centroid"] == pytest.approx([9.17, 45.51], abs=1e-6)


def test_layers_without_search_fields_are_not_searched(client, milano, monkeypatch):
    monkeypatch.setattr(registry.get("interventi"), "search_fields", ())
    make_intervento(milano, title="Parco della Goccia", lon=9.17, lat=45.51)

    results = client.get("/api/search/", {"q": "goccia"}).json()["results"]

    assert results == []


def test_search_with_one_character_is_a_400_naming_q(client, territorio):
    response = client.get("/api/search/", {"q": " m "})

    assert response.status_code == 400
    assert response.json() == {"detail": QUERY_TOO_SHORT, "field": "q"}


def test_search_without_q_is_a_400(client, territorio):
    response = client.get("/api/search/")

    assert response.status_code == 400
    assert response.json()["detail"] == QUERY_TOO_SHORT


def test_search_with_a_too_long_text_is_a_400(client, territorio):
    response = client.get("/api/search/", {"q": "x" * 101})

    assert response.status_code == 400
    assert response.json() == {"detail": QUERY_TOO_LONG, "field": "q"}


def test_a_layer_declaring_unknown_search_fields_fails_at_registration():
    from django.core.exceptions import ImproperlyConfigured

    from layers.registry import Layer, LayerRegistry
    from territorio.models import Comune

    class BadLayer(Layer):
        id = "bad-search"
        model = Comune
        title = {"it": "Prova"}
        search_fields = ("nome_inesistente",)

    with pytest.raises(ImproperlyConfigured, match="search_fields"):
        LayerRegistry().register(BadLayer)
