"""Server-rendered pages: map, detail pages of interventi, opportunità and Comuni, data page."""

from __future__ import annotations

import json

import pytest
from django.utils.html import escape

from tests.frontend.conftest import HOSTILE_TITLE, make_opportunita

pytestmark = pytest.mark.django_db


def test_map_page_passes_filter_options_and_api_urls_as_json(client, territorio):
    response = client.get("/")

    assert response.status_code == 200
    config = json.loads(
        response.content.decode()
        .split('id="map-config" type="application/json">')[1]
        .split("</script>")[0]
    )
    assert len(config["filterOptions"]["comune"]) == 133
    assert {"value": "015146", "label": "Milano"} in config["filterOptions"]["comune"]
    assert {o["value"] for o in config["filterOptions"]["stato"]} == {
        "programmato",
        "in_corso",
        "concluso",
    }
    assert set(config["api"]) == {"interventi", "fundingBySource", "byState", "hectares"}


def test_map_page_footer_lists_data_and_layer_attributions(client, territorio):
    html = client.get("/").content.decode()

    assert "Openpolis" in html
    assert "Piano Territoriale Metropolitano (PTM)" in html
    assert 'class="skip-link"' in html


def test_intervento_page_shows_escaped_title_and_funding_total(client, hostile_intervento):
    response = client.get(f"/interventi/{hostile_intervento.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert HOSTILE_TITLE not in html
    assert escape(HOSTILE_TITLE) in html
    # 700,000 (PNRR) + 300,000 (Comunale) = 1,000,000.
    assert "PNRR" in html and "Comunale" in html
    assert "1.000.000,00" in html
    assert '<a href="/comuni/015146/">Milano</a>' in html


def test_unpublished_intervento_page_is_404(client, draft_intervento):
    assert client.get(f"/interventi/{draft_intervento.pk}/").status_code == 404


def test_withdrawn_intervento_page_is_404(client, hostile_intervento):
    hostile_intervento.withdrawn_on = "2025-01-01"
    hostile_intervento.save()

    assert client.get(f"/interventi/{hostile_intervento.pk}/").status_code == 404


def test_opportunita_page_shows_hectares_and_sample_badge(client, milano):
    opportunita = make_opportunita(milano, title="Ex scalo")

    html = client.get(f"/opportunita/{opportunita.pk}/").content.decode()

    # 0.01° × 0.01° at 45.5° N: about 779.6 m × 1111.7 m = 86.7 ha (computed by the model).
    assert opportunita.superficie_ha == pytest.approx(86.7, abs=0.3)
    assert f"{opportunita.superficie_ha:.2f}".replace(".", ",") + " ha" in html
    assert "Dato di esempio" in html


def test_unpublished_opportunita_page_is_404(client, milano):
    opportunita = make_opportunita(milano, title="Ex scalo", state="in_revisione")

    assert client.get(f"/opportunita/{opportunita.pk}/").status_code == 404


def test_comune_page_lists_only_published_records(client, hostile_intervento, draft_intervento):
    html = client.get("/comuni/015146/").content.decode()

    assert "<h1" in html and "Milano" in html
    assert escape(HOSTILE_TITLE) in html
    assert "Bozza riservata" not in html
    assert "Interventi (1)" in html


def test_unknown_comune_page_is_404(client, territorio):
    assert client.get("/comuni/999999/").status_code == 404


def test_data_page_links_every_layer_exports(client, territorio):
    html = client.get("/dati/").content.decode()

    assert '<a href="/api/layers/comuni/download.gpkg">GPKG</a>' in html
    # A mixed layer: one OGC collection and one set of GIS exports per geometry type.
    assert '<a href="/ogc/collections/interventi-aree">OGC API Features</a>' in html
    assert '<a href="/api/layers/interventi-punti/download.fgb">FlatGeobuf</a>' in html
    assert '<a href="/ogc/collections/interventi">' not in html
    assert "Dizionario dei dati" in html
    assert "QGIS" in html


def test_english_page_translates_the_interface(client, territorio):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert '<html lang="en">' in html
    assert "Layers" in html


def test_intervento_page_names_impact_domains_in_words(client, hostile_intervento):
    hostile_intervento.ambiti_ricaduta = ["sociale", "mobilita"]
    hostile_intervento.save()

    html = client.get(f"/interventi/{hostile_intervento.pk}/").content.decode()

    assert "<dd>Sociale, Mobilità</dd>" in html


def test_header_links_the_atlases_and_the_login_for_anonymous_visitors(client, territorio):
    content = client.get("/").content.decode()
    assert 'href="/atlante/lum/"' in content
    assert 'href="/accounts/login/"' in content
    assert 'href="/contributi/"' not in content


def test_header_offers_contributions_and_logout_once_logged_in(
    client, territorio, django_user_model
):
    user = django_user_model.objects.create_user("operatore", password="x-very-secret-1")
    client.force_login(user)
    content = client.get("/").content.decode()
    assert 'href="/contributi/"' in content
    assert 'action="/accounts/logout/" method="post"' in content


def test_comune_page_links_its_atlas_sheet_and_pdf(client, territorio):
    content = client.get("/comuni/015182/").content.decode()
    assert 'href="/atlante/comuni/015182/"' in content
    assert 'href="/atlante/comuni/015182.pdf"' in content


def test_data_page_offers_the_upload_templates(client, territorio):
    content = client.get("/dati/").content.decode()
    for url in (
        "/contributi/modello/interventi.geojson",
        "/contributi/modello/interventi.gpkg",
        "/contributi/modello/opportunita.geojson",
        "/contributi/modello/opportunita.gpkg",
    ):
        assert f'href="{url}"' in content
        assert client.get(url).status_code == 200


def test_favicon_is_served_from_our_static_files(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/frontend/favicon.svg"
