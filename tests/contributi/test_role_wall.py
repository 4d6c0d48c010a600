"""The role wall of issue 12: "an operator writes only inside its own Comuni", at every entry.

The rule is :func:`rules.writers.may_write_in`, asked by the models' validation (the
writer, or the author of a new record, against the Comuni of the geometry) and by the
services; the Comune of a record is derived from its geometry and a tag that disagrees with
the geometry is refused. Each entry point is tried by the operator of Rho with a geometry in
Milano: the Django admin (add and change, intervento and opportunità), the REST API, the web
upload, the map editor and the shell (services and ``full_clean``).
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from contributi.importers import messages as m
from rigenerazione.models import Intervento, Opportunita
from rigenerazione.services import intervento_create, intervento_update, opportunita_create
from rules.writers import (
    ERROR_COMUNE_NOT_OF_GEOMETRY,
    ERROR_COMUNI_NOT_OF_GEOMETRY,
    ERROR_WRITER_OUTSIDE,
)
from tests.contributi.conftest import (
    MILANO_POINT,
    RHO_POINT,
    geojson_bytes,
    geos_square,
    intervento_rows,
    snapshot,
    square,
)
from tests.contributi.helpers import web_upload

pytestmark = pytest.mark.django_db

IN_MILANO_GEOJSON = json.dumps(square(*MILANO_POINT).__geo_interface__)
IN_MILANO_MULTI = geos_square(*MILANO_POINT).geojson
IN_RHO_MULTI = geos_square(*RHO_POINT).geojson


def outside(record: str, user) -> str:
    return ERROR_WRITER_OUTSIDE.format(record=record, user=user, comuni="Milano")


@pytest.fixture
def staff_rho(operator_rho):
    operator_rho.is_staff = True
    operator_rho.save()
    return operator_rho


def intervento_add_form(geom_geojson: str, **extra) -> dict:
    data = {
        "title": "Nel Comune accanto",
        "description": "",
        "stato": "in_corso",
        "tipologia": "",
        "cup": "",
        "geom": geom_geojson,
        "localizzazione": "",
        "anno_inizio": "",
        "anno_fine": "",
        "costo_totale": "",
        "soggetto_attuatore": "",
        "links": "[]",
        "source": "",
        "source_url": "",
        "licence": "",
        "data_updated_on": "",
        "publication_state": "bozza",
        "review_comment": "",
        "finanziamenti-TOTAL_FORMS": "0",
        "finanziamenti-INITIAL_FORMS": "0",
        "finanziamenti-MIN_NUM_FORMS": "0",
        "finanziamenti-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def opportunita_add_form(geom_geojson: str, **extra) -> dict:
    data = {
        "title": "Area nel Comune accanto",
        "description": "",
        "tipo": "area_dismessa",
        "stato": "disponibile",
        "destinazioni_uso": "",
        "geom": geom_geojson,
        "atto_numero": "",
        "atto_data": "",
        "riferimento_pgt": "",
        "source": "",
        "source_url": "",
        "licence": "",
        "data_updated_on": "",
        "publication_state": "bozza",
        "review_comment": "",
    }
    data.update(extra)
    return data


# The Django admin


def test_admin_refuses_operator_adding_an_intervento_in_another_comune(client, staff_rho, rho):
    client.force_login(staff_rho)
    before = snapshot()
    response = client.post(
        "/admin/rigenerazione/intervento/add/",
        intervento_add_form(IN_MILANO_GEOJSON, comuni=[rho.pk]),
    )
    assert response.status_code == 200
    assert (
        escape(outside("Intervento «Nel Comune accanto»", staff_rho)) in response.content.decode()
    )
    assert snapshot() == before


def test_admin_refuses_operator_adding_an_opportunita_tagged_with_own_comune(
    client, staff_rho, rho
):
    client.force_login(staff_rho)
    before = snapshot()
    response = client.post(
        "/admin/rigenerazione/opportunita/add/",
        opportunita_add_form(IN_MILANO_MULTI, comune=rho.pk),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert escape(outside("Opportunità «Area nel Comune accanto»", staff_rho)) in page
    assert snapshot() == before


def test_admin_lets_operator_add_in_own_comune(client, staff_rho):
    client.force_login(staff_rho)
    form = opportunita_add_form(IN_RHO_MULTI)
    response = client.post("/admin/rigenerazione/opportunita/add/", form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Opportunita.objects.get(title="Area nel Comune accanto")
    assert (added.comune.name, added.created_by) == ("Rho", staff_rho)


def test_admin_lets_reviewer_add_in_any_comune(client, reviewer):
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    response = client.post(
        "/admin/rigenerazione/intervento/add/", intervento_add_form(IN_MILANO_GEOJSON)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = Intervento.objects.get(title="Nel Comune accanto")
    assert [c.name for c in added.comuni.all()] == ["Milano"]


def test_admin_refuses_operator_moving_an_opportunita_into_another_comune(
    client, staff_rho, opportunita_rho
):
    client.force_login(staff_rho)
    before = snapshot()
    url = f"/admin/rigenerazione/opportunita/{opportunita_rho.pk}/change/"
    form = opportunita_add_form(IN_MILANO_MULTI, title=opportunita_rho.title)
    response = client.post(url, form)
    assert response.status_code == 200
    record = f"Opportunità «{opportunita_rho.title}»"
    assert response.context["adminform"].form.errors == {"geom": [outside(record, staff_rho)]}
    assert snapshot() == before


# The REST API, the web upload and the map editor


def test_api_refuses_operator_moving_a_record_into_another_comune(client, operator_rho, draft_rho):
    client.force_login(operator_rho)
    before = snapshot()
    response = client.patch(
        f"/api/contributi/interventi/{draft_rho.pk}/",
        {"geometry": json.loads(IN_MILANO_GEOJSON)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "geom"
    assert "Milano" in response.json()["detail"]
    assert snapshot() == before


def test_web_upload_refuses_a_feature_in_another_comune(client, operator_rho):
    client.force_login(operator_rho)
    before = snapshot()
    data = geojson_bytes(intervento_rows(1, point=MILANO_POINT))
    response = web_upload(client, "milano.geojson", data)
    message = m.F_OUTSIDE_OPERATOR.format(feature=1, comuni="Milano")
    assert escape(str(message)) in response.content.decode()
    assert snapshot() == before


def test_map_editor_refuses_a_geometry_in_another_comune(client, operator_rho, draft_rho):
    client.force_login(operator_rho)
    before = snapshot()
    response = client.post(
        f"/contributi/interventi/{draft_rho.pk}/modifica/",
        {
            "title": draft_rho.title,
            "stato": draft_rho.stato,
            "geojson": IN_MILANO_GEOJSON,
            "fin-TOTAL_FORMS": "0",
            "fin-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "Milano" in response.content.decode()
    assert snapshot() == before


# The shell: services and full_clean


def test_shell_service_refuses_a_record_created_for_an_operator_in_another_comune(operator_rho):
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        intervento_create(
            title="Da shell",
            geom=geos_square(*MILANO_POINT),
            stato="in_corso",
            created_by=operator_rho,
        )
    assert refused.value.message_dict["geom"] == [outside("Intervento «Da shell»", operator_rho)]
    assert snapshot() == before


def test_shell_service_refuses_an_operator_moving_a_record_away(operator_rho, draft_rho):
    before = snapshot()
    with pytest.raises(ValidationError):
        intervento_update(
            intervento=draft_rho, geom=geos_square(*MILANO_POINT), writer=operator_rho
        )
    assert snapshot() == before
    draft_rho.refresh_from_db()
    assert [c.name for c in draft_rho.comuni.all()] == ["Rho"]


def test_shell_full_clean_refuses_an_operators_opportunita_elsewhere(operator_rho, milano):
    record = Opportunita(
        title="A mano",
        geom=geos_square(*MILANO_POINT),
        tipo="area_dismessa",
        stato="disponibile",
        created_by=operator_rho,
    )
    with pytest.raises(ValidationError) as refused:
        record.full_clean()
    assert refused.value.message_dict["geom"] == [outside("Opportunità «A mano»", operator_rho)]


def test_a_comune_tag_that_disagrees_with_the_geometry_is_refused(rho, milano):
    """Even for a reviewer or a loader: the Comune is the geometry's, never typed in."""
    before = snapshot()
    with pytest.raises(ValidationError) as refused:
        opportunita_create(
            title="Etichetta sbagliata",
            geom=geos_square(*MILANO_POINT),
            tipo="area_dismessa",
            stato="disponibile",
            comune=rho,
        )
    message = ERROR_COMUNE_NOT_OF_GEOMETRY.format(
        record="Opportunità «Etichetta sbagliata»", chosen="Rho", actual="Milano"
    )
    assert refused.value.message_dict["comune"] == [message]
    with pytest.raises(ValidationError) as refused:
        intervento_create(
            title="Etichetta sbagliata",
            geom=geos_square(*MILANO_POINT),
            stato="in_corso",
            comuni=[rho],
        )
    message = ERROR_COMUNI_NOT_OF_GEOMETRY.format(
        record="Intervento «Etichetta sbagliata»", chosen="Rho", actual="Milano"
    )
    assert refused.value.message_dict["comuni"] == [message]
    assert snapshot() == before
