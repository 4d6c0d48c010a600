"""Funding is explicit (issue 15 §4) and Comune-level records follow one stated rule (§6)."""

from __future__ import annotations

import json

import pytest
from django.contrib.gis.geos import Point

from layers.srid import STORAGE_SRID
from rigenerazione.models import EsitoCandidatura, FonteFinanziamento
from tests.frontend.conftest import RHO, comune_level_pnrr, make_intervento
from tests.lum.conftest import make_lum

pytestmark = pytest.mark.django_db

GEOJSON = "/api/layers/interventi/download.geojson"


@pytest.fixture
def rho_pnrr(rho):
    """Rho's two real situations: an application admitted but not funded, and a funded record."""
    applied = comune_level_pnrr(rho, cup="C44E21000130005")
    funded = make_intervento(
        rho, title="Piazza finanziata", lon=9.04, lat=45.53,
        funding=((FonteFinanziamento.PNRR, "500000.00"),),
    )  # fmt: skip
    return applied, funded


def geojson(response) -> dict:
    return json.loads(b"".join(response.streaming_content))


def titles(client, query: str) -> set[str]:
    response = client.get(f"{GEOJSON}?{query}")
    assert response.status_code == 200
    return {f["properties"]["title"] for f in geojson(response)["features"]}


def test_the_pnrr_filter_finds_applications_that_were_not_funded(client, rho_pnrr):
    applied, funded = rho_pnrr

    assert titles(client, f"comune={RHO}&fonte=pnrr") == {applied.title, funded.title}


def test_the_funding_outcome_is_filterable(client, rho_pnrr):
    applied, funded = rho_pnrr

    assert titles(client, "esito=ammessa") == {applied.title}
    assert titles(client, "esito=finanziata") == {funded.title}
    assert titles(client, "esito=non_ammessa") == set()
    assert client.get(f"{GEOJSON}?esito=forse").status_code == 400


def test_the_record_page_says_the_outcome_in_plain_words_with_the_opencup_link(client, rho_pnrr):
    applied, _ = rho_pnrr

    html = client.get(f"/interventi/{applied.pk}/").content.decode()

    assert "Candidatura ammessa ma non finanziata (PNRR)." in html
    assert "Non rientra tra i progetti finanziati dal decreto del 30/12/2021." in html
    assert "Contributo richiesto: 2.850.000 €." in html
    assert 'href="https://opencup.gov.it/progetto/-/cup/C44E21000130005"' in html
    assert "Nessun finanziamento registrato" not in html


def test_the_panel_fields_carry_the_outcome(client, rho_pnrr):
    applied, _ = rho_pnrr
    features = geojson(client.get(f"{GEOJSON}?esito=ammessa"))["features"]

    assert features[0]["properties"]["candidatura_esito"] == EsitoCandidatura.AMMESSA
    assert features[0]["properties"]["candidatura_fonte"] == "pnrr"


def test_a_lum_sheet_states_the_rule_for_comune_level_records(client, rho_pnrr):
    applied, _ = rho_pnrr
    rho = applied.comuni.get()
    lum = make_lum(rho, 0, 0, name="Rho FS", geom=Point(9.04, 45.53, srid=STORAGE_SRID))

    html = client.get(f"/atlante/lum/{lum.pk}/").content.decode()

    assert 'id="comune-level-rule" data-comune-level="1"' in html
    assert "non nei bacini dei LUM" in html
    assert "Nel Comune di Rho c'è 1 intervento di questo tipo." in html


def test_a_comune_sheet_states_the_same_rule(client, rho_pnrr):
    html = client.get(f"/atlante/comuni/{RHO}/").content.decode()

    assert 'id="comune-level-rule" data-comune-level="1"' in html
