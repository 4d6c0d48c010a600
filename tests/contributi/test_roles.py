"""Role boundaries in the pages, the API and the admin: anonymous users write nothing, an
operator of Rho never writes Milano, CSRF is enforced; each refusal leaves the DB unchanged."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client
from rest_framework.authtoken.models import Token

from contributi.permissions import can_change, can_create_in, editable_records, is_reviewer
from contributi.roles import AMMINISTRATORI, OPERATORI, REVISORI
from rigenerazione.models import Intervento
from rules.publication import PublicationState
from tests.contributi.conftest import (
    PASSWORD,
    geojson_bytes,
    intervento_rows,
    snapshot,
)
from tests.contributi.helpers import post_upload

pytestmark = pytest.mark.django_db

SQUARE_IN_MILANO = {
    "type": "Polygon",
    "coordinates": [[[9.1722, 45.4607], [9.1742, 45.4607], [9.1742, 45.4627], [9.1722, 45.4607]]],
}


def test_migrate_creates_the_three_role_groups():
    groups = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert {OPERATORI, REVISORI, AMMINISTRATORI} <= set(groups)
    assert "change_intervento" in groups[OPERATORI]
    assert "review_contributions" not in groups[OPERATORI]
    assert "review_contributions" in groups[REVISORI]


def test_permission_module_answers_for_each_role(
    operator_rho, reviewer, rho, milano, draft_rho, draft_milano
):
    assert can_create_in(operator_rho, {rho.pk})
    assert not can_create_in(operator_rho, {milano.pk})
    assert not can_create_in(operator_rho, {rho.pk, milano.pk})
    assert can_change(operator_rho, draft_rho) and not can_change(operator_rho, draft_milano)
    assert can_change(reviewer, draft_milano) and is_reviewer(reviewer)
    assert not can_create_in(AnonymousUser(), {rho.pk})
    assert not is_reviewer(operator_rho) and not is_reviewer(AnonymousUser())
    assert list(editable_records(operator_rho, Intervento.objects.all())) == [draft_rho]


def test_operator_cannot_change_own_record_while_under_review(operator_rho, draft_rho):
    draft_rho.publication_state = PublicationState.IN_REVISIONE
    assert not can_change(operator_rho, draft_rho)


def test_anonymous_cannot_reach_contribution_pages(client, draft_rho):
    for url in (
        "/contributi/",
        "/contributi/carica/",
        f"/contributi/interventi/{draft_rho.pk}/modifica/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_anonymous_cannot_upload_through_the_api(client, territorio):
    before = snapshot()
    response = post_upload(client, "a.geojson", geojson_bytes(intervento_rows(1)))
    assert response.status_code in (401, 403)
    assert snapshot() == before


def test_anonymous_cannot_submit_or_publish(client, draft_rho):
    before = snapshot()
    assert client.post(f"/api/contributi/interventi/{draft_rho.pk}/pubblica/").status_code in (
        401,
        403,
    )
    assert client.post(f"/contributi/interventi/{draft_rho.pk}/invia/").status_code == 302
    assert snapshot() == before


def test_user_without_a_role_is_refused(client, django_user_model, territorio):
    user = django_user_model.objects.create_user("nessuno", password=PASSWORD)
    client.force_login(user)
    assert client.get("/contributi/").status_code == 403
    before = snapshot()
    assert post_upload(client, "a.geojson", geojson_bytes(intervento_rows(1))).status_code == 403
    assert snapshot() == before


def test_operator_of_rho_cannot_edit_milano_in_the_ui(client, operator_rho, draft_milano):
    client.force_login(operator_rho)
    before = snapshot()
    url = f"/contributi/interventi/{draft_milano.pk}/modifica/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"title": "Preso", "stato": "concluso"})
    assert response.status_code == 404
    assert client.post(f"/contributi/interventi/{draft_milano.pk}/invia/").status_code == 404
    assert snapshot() == before


def test_operator_of_rho_cannot_edit_milano_through_the_api(client, operator_rho, draft_milano):
    token = Token.objects.create(user=operator_rho)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    before = snapshot()
    response = api.patch(
        f"/api/contributi/interventi/{draft_milano.pk}/",
        json.dumps({"title": "Preso"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    response = api.post(f"/api/contributi/interventi/{draft_milano.pk}/invia/")
    assert response.status_code == 404
    assert snapshot() == before


def test_operator_cannot_move_own_record_into_milano(client, operator_rho, draft_rho):
    token = Token.objects.create(user=operator_rho)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    before = snapshot()
    response = api.patch(
        f"/api/contributi/interventi/{draft_rho.pk}/",
        json.dumps({"geometry": SQUARE_IN_MILANO}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == (
        "Elemento 1: ricade nel Comune di Milano, per cui non sei abilitato a inserire dati."
    )
    assert snapshot() == before
    assert draft_rho.comuni.get().name == "Rho"


def test_operator_edits_own_record_through_the_api_with_a_token(operator_rho, draft_rho):
    token = Token.objects.create(user=operator_rho)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.patch(
        f"/api/contributi/interventi/{draft_rho.pk}/",
        json.dumps({"title": "Nuovo titolo"}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    draft_rho.refresh_from_db()
    assert draft_rho.title == "Nuovo titolo"


def test_csrf_is_enforced_on_session_posts(operator_rho, draft_rho):
    client = Client(enforce_csrf_checks=True)
    client.force_login(operator_rho)
    before = snapshot()
    response = client.post(f"/contributi/interventi/{draft_rho.pk}/invia/")
    assert response.status_code == 403
    response = post_upload(client, "a.geojson", geojson_bytes(intervento_rows(1)))
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert snapshot() == before


@pytest.fixture
def staff_operator(operator_rho):
    operator_rho.is_staff = True
    operator_rho.save()
    return operator_rho


def admin_form(record, **changes) -> dict:
    data = {
        "title": record.title,
        "description": "",
        "stato": record.stato,
        "tipologia": "",
        "cup": "",
        "geom": record.geom.geojson,
        "localizzazione": record.localizzazione,
        "comuni": [c.pk for c in record.comuni.all()],
        "anno_inizio": "",
        "anno_fine": "",
        "costo_totale": str(record.costo_totale),
        "soggetto_attuatore": "",
        "links": "[]",
        "source": "",
        "source_url": "",
        "licence": "",
        "data_updated_on": "",
        "finanziamenti-TOTAL_FORMS": "0",
        "finanziamenti-INITIAL_FORMS": "0",
        "finanziamenti-MIN_NUM_FORMS": "0",
        "finanziamenti-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_admin_scopes_operator_to_own_comuni(client, staff_operator, draft_rho, draft_milano):
    client.force_login(staff_operator)
    listing = client.get("/admin/rigenerazione/intervento/").content.decode()
    assert "Bozza di Rho" in listing and "Bozza di Milano" not in listing
    before = snapshot()
    change = f"/admin/rigenerazione/intervento/{draft_milano.pk}/change/"
    assert client.get(change).status_code in (302, 403, 404)
    response = client.post(change, admin_form(draft_milano, title="Preso"))
    assert response.status_code in (302, 403, 404)
    assert snapshot() == before


def test_admin_operator_edits_own_record(client, staff_operator, draft_rho):
    client.force_login(staff_operator)
    change = f"/admin/rigenerazione/intervento/{draft_rho.pk}/change/"
    response = client.post(change, admin_form(draft_rho, title="Rinominato"))
    assert response.status_code == 302, response.content.decode()[:2000]
    draft_rho.refresh_from_db()
    assert draft_rho.title == "Rinominato"


def test_admin_ignores_a_comune_chosen_by_hand(client, staff_operator, draft_rho, milano):
    """The Comuni are derived from the geometry: a posted choice (Milano) changes nothing."""
    client.force_login(staff_operator)
    change = f"/admin/rigenerazione/intervento/{draft_rho.pk}/change/"
    response = client.post(change, admin_form(draft_rho, title="Preso", comuni=[milano.pk]))
    assert response.status_code == 302
    assert [c.name for c in draft_rho.comuni.all()] == ["Rho"]


def test_admin_refuses_operator_moving_geometry_into_milano(client, staff_operator, draft_rho):
    """The admin derives the Comuni from a moved geometry: the result is checked too."""
    client.force_login(staff_operator)
    before = snapshot()
    change = f"/admin/rigenerazione/intervento/{draft_rho.pk}/change/"
    response = client.post(change, admin_form(draft_rho, geom=json.dumps(SQUARE_IN_MILANO)))
    assert response.status_code == 200  # the form comes back with the error on the geometry
    assert "Milano" in response.content.decode()
    assert snapshot() == before
    draft_rho.refresh_from_db()
    assert [c.name for c in draft_rho.comuni.all()] == ["Rho"]


def test_admin_operator_cannot_publish(client, staff_operator, draft_rho):
    client.force_login(staff_operator)
    change = f"/admin/rigenerazione/intervento/{draft_rho.pk}/change/"
    client.post(change, admin_form(draft_rho, publication_state="pubblicato"))
    draft_rho.refresh_from_db()
    assert draft_rho.publication_state == PublicationState.BOZZA


def test_admin_lets_reviewer_see_every_comune(client, reviewer, draft_rho, draft_milano):
    reviewer.is_staff = True
    reviewer.save()
    client.force_login(reviewer)
    listing = client.get("/admin/rigenerazione/intervento/").content.decode()
    assert "Bozza di Rho" in listing and "Bozza di Milano" in listing


def test_operator_of_two_comuni_may_write_across_both(rho, territorio):
    from tests.contributi.conftest import _operator

    pero = territorio.get(name="Pero")
    user = _operator("op-rho-pero", rho, pero)
    assert can_create_in(user, {rho.pk, pero.pk})
    assert not can_create_in(user, {rho.pk, territorio.get(name="Milano").pk})


def test_api_edit_with_a_bad_value_names_the_field(operator_rho, draft_rho):
    token = Token.objects.create(user=operator_rho)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    before = snapshot()
    response = api.patch(
        f"/api/contributi/interventi/{draft_rho.pk}/",
        json.dumps({"stato": "finito"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "stato"
    assert snapshot() == before


def test_operator_cannot_see_confirm_or_cancel_anothers_upload(
    client, operator_rho, operator_milano
):
    from contributi.jobs import upload_job_start
    from tests.contributi.conftest import geojson_bytes, intervento_rows

    job = upload_job_start(
        user=operator_rho,
        filename="rho.geojson",
        data=geojson_bytes(intervento_rows(1)),
        target_key="interventi",
        options={},
    )
    client.force_login(operator_milano)
    before = snapshot()
    for suffix, method in (
        ("", "get"),
        ("stato/", "get"),
        ("conferma/", "post"),
        ("annulla/", "post"),
    ):
        response = getattr(client, method)(f"/contributi/carica/{job.pk}/{suffix}")
        assert response.status_code == 404, suffix
    job.refresh_from_db()
    assert (job.status, job.cancel_requested) == ("queued", False)
    assert snapshot() == before


def test_admin_history_hides_other_comune_records_from_operator(
    client, staff_operator, draft_milano
):
    """The admin's history pages read the history table, not the scoped change list: an
    operator of Rho must not read Milano's draft there either."""
    client.force_login(staff_operator)
    version = draft_milano.history.latest().history_id
    base = f"/admin/rigenerazione/intervento/{draft_milano.pk}/history/"
    for url in (base, f"{base}{version}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Bozza di Milano" not in response.content.decode()


def test_admin_history_shows_operator_own_records(client, staff_operator, draft_rho):
    client.force_login(staff_operator)
    version = draft_rho.history.latest().history_id
    base = f"/admin/rigenerazione/intervento/{draft_rho.pk}/history/"
    for url in (base, f"{base}{version}/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "Bozza di Rho" in response.content.decode()


def test_admin_history_refuses_operator_an_old_version_in_own_comune(
    client, staff_operator, opportunita_rho, milano
):
    """An opportunità moved to Milano is Milano's: its older version in Rho gives the
    operator of Rho no right to read it or to revert it back."""
    first = opportunita_rho.history.latest().history_id
    opportunita_rho.comune = milano
    opportunita_rho.save()
    client.force_login(staff_operator)
    url = f"/admin/rigenerazione/opportunita/{opportunita_rho.pk}/history/{first}/"
    assert client.get(url).status_code == 403
    before = snapshot()
    assert client.post(url, {"title": "Ripresa"}).status_code == 403
    assert snapshot() == before


def test_admin_history_refuses_operator_a_revert_of_a_record_under_review(
    client, staff_operator, draft_rho
):
    """Restoring a version is the reviewer's (record_restore): an operator reverting an old
    draft version through the admin would also unlock a record under review."""
    old = draft_rho.history.latest().history_id
    draft_rho.publication_state = PublicationState.IN_REVISIONE
    draft_rho.save()
    client.force_login(staff_operator)
    before = snapshot()
    url = f"/admin/rigenerazione/intervento/{draft_rho.pk}/history/{old}/"
    response = client.post(url, admin_form(draft_rho, title="Ripristinata"))
    assert response.status_code == 403
    assert snapshot() == before


def test_admin_history_refuses_operator_a_revert_of_own_draft(client, staff_operator, draft_rho):
    old = draft_rho.history.latest().history_id
    client.force_login(staff_operator)
    before = snapshot()
    url = f"/admin/rigenerazione/intervento/{draft_rho.pk}/history/{old}/"
    response = client.post(url, admin_form(draft_rho, title="Ripristinata"))
    assert response.status_code == 403
    assert snapshot() == before


def test_failed_login_keeps_the_username_but_never_echoes_the_password(client, db):
    response = client.post(
        "/accounts/login/", {"username": "operatore<b>", "password": "segreto-123-xyz"}
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="operatore&lt;b&gt;"' in content
    assert "segreto-123-xyz" not in content
    assert 'class="form-control' in content
