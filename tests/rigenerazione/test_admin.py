"""The admin of interventions and opportunities: lists, filters, map widget, inline funding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rigenerazione.models import Intervento
from rigenerazione.rules import ERROR_FUNDING_OVER_COST
from tests.rigenerazione.conftest import BOLLATE, square

pytestmark = pytest.mark.django_db


def _form(geom, cost: str, amounts: list[str], title: str = "Nuova piazza") -> dict:
    data = {
        "title": title,
        "description": "",
        "stato": "in_corso",
        "tipologia": "",
        "cup": "",
        "geom": geom.geojson,
        "localizzazione": "",
        "anno_inizio": "2022",
        "anno_fine": "2024",
        "costo_totale": cost,
        "soggetto_attuatore": "",
        "ambiti_ricaduta": ["sociale", "ambientale"],
        "sttm": ["1"],
        "links": "[]",
        "publication_state": "bozza",
        "review_comment": "",
        "source": "",
        "source_url": "",
        "licence": "",
        "finanziamenti-TOTAL_FORMS": str(len(amounts)),
        "finanziamenti-INITIAL_FORMS": "0",
        "finanziamenti-MIN_NUM_FORMS": "0",
        "finanziamenti-MAX_NUM_FORMS": "1000",
    }
    for i, amount in enumerate(amounts):
        data.update(
            {
                f"finanziamenti-{i}-fonte": "pnrr",
                f"finanziamenti-{i}-misura": "",
                f"finanziamenti-{i}-importo": amount,
                f"finanziamenti-{i}-atto": "",
            }
        )
    return data


def test_changelists_with_filters_open(admin_client, tiny_world):
    for url in (
        "/admin/rigenerazione/intervento/?zona=nord-ovest&fonte=pnrr&stato__exact=in_corso",
        "/admin/rigenerazione/opportunita/?zona=comune-di-milano",
        "/admin/rigenerazione/intervento/?q=martesana",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
    response = admin_client.get("/admin/rigenerazione/intervento/?zona=nord-ovest&fonte=pnrr")
    assert "Piazza della Chiesa" in response.content.decode()
    assert "Parco della Martesana" not in response.content.decode()


def test_change_pages_show_a_map_widget_funding_shares_and_history(admin_client, tiny_world):
    pk = tiny_world["parco"].pk
    content = admin_client.get(f"/admin/rigenerazione/intervento/{pk}/change/").content.decode()

    assert "leaflet" in content.lower() and 'name="geom"' in content
    assert "60.0 %" in content  # pnrr 600 of 1000, derived
    history = admin_client.get(f"/admin/rigenerazione/intervento/{pk}/history/")
    assert history.status_code == 200
    opp = tiny_world["area_milano"].pk
    assert admin_client.get(f"/admin/rigenerazione/opportunita/{opp}/change/").status_code == 200


def test_adding_an_intervento_derives_comuni_and_multi_geometry(admin_client, territorio):
    response = admin_client.post(
        "/admin/rigenerazione/intervento/add/", _form(square(BOLLATE), "1000", ["600", "400"])
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    intervento = Intervento.objects.get(title="Nuova piazza")
    assert intervento.geom.geom_type == "MultiPolygon"
    assert intervento.localizzazione == "area"
    assert [c.istat_code for c in intervento.comuni.all()] == [BOLLATE]
    assert intervento.funding_total() == Decimal("1000")
    assert intervento.ambiti_ricaduta == ["sociale", "ambientale"] and intervento.sttm == [1]


def test_funding_over_cost_in_the_inline_is_refused_and_nothing_saved(admin_client, territorio):
    response = admin_client.post(
        "/admin/rigenerazione/intervento/add/", _form(square(BOLLATE), "1000", ["600", "401"])
    )

    assert response.status_code == 200
    expected = ERROR_FUNDING_OVER_COST.format(
        record="Intervento «Nuova piazza»", total=Decimal("1001"), cost=Decimal("1000")
    )
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.non_form_errors() == [expected]
    assert not Intervento.objects.exists()


def test_moving_an_intervento_in_the_admin_rederives_its_comuni(admin_client, tiny_world):
    parco = tiny_world["parco"]
    data = _form(square(BOLLATE), "1000", [], title=parco.title)
    data.update({"publication_state": "pubblicato", "comuni": [c.pk for c in parco.comuni.all()]})
    existing = list(parco.finanziamenti.all())
    data.update({"finanziamenti-TOTAL_FORMS": "2", "finanziamenti-INITIAL_FORMS": "2"})
    for i, row in enumerate(existing):
        data.update(
            {
                f"finanziamenti-{i}-id": str(row.pk),
                f"finanziamenti-{i}-intervento": str(parco.pk),
                f"finanziamenti-{i}-fonte": row.fonte,
                f"finanziamenti-{i}-misura": row.misura,
                f"finanziamenti-{i}-importo": str(row.importo),
                f"finanziamenti-{i}-atto": row.atto,
            }
        )

    response = admin_client.post(f"/admin/rigenerazione/intervento/{parco.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert [c.istat_code for c in parco.comuni.all()] == [BOLLATE]
