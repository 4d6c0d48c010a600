"""The review desk: where each role lands, a paged and filtered list, actions that ask first
and say what happened, notes, and the e-mails of the workflow (Django's mail outbox)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils.html import escape

from contributi import services
from rules.publication import PublicationState
from tests.contributi.conftest import MILANO_POINT, PASSWORD, RHO_POINT, make_intervento

pytestmark = pytest.mark.django_db


def records_on(page: str, prefix: str = "interventi-") -> int:
    return page.count(f'data-record="{prefix}')


def test_operator_lands_on_their_records_and_reviewer_on_the_queue(client, operator_rho, reviewer):
    response = client.post(
        "/accounts/login/", {"username": operator_rho.username, "password": PASSWORD}
    )
    assert response.url == "/contributi/"
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": reviewer.username, "password": PASSWORD}
    )
    assert response.url == "/contributi/?stato=in_revisione"


def test_login_still_honours_next(client, operator_rho):
    response = client.post(
        "/accounts/login/?next=/contributi/carica/",
        {"username": operator_rho.username, "password": PASSWORD},
    )
    assert response.url == "/contributi/carica/"


def test_desk_pages_fifty_records_at_a_time(client, operator_rho, rho):
    for i in range(53):
        make_intervento(rho, RHO_POINT, title=f"Piazza {i:02d}")
    client.force_login(operator_rho)

    first = client.get("/contributi/").content.decode()
    second = client.get("/contributi/?pagina_interventi=2").content.decode()

    assert records_on(first) == 50
    assert records_on(second) == 3
    assert "pagina 1 di 2" in first and "pagina 2 di 2" in second


def test_desk_search_and_filters(client, reviewer, operator_rho, rho, milano):
    make_intervento(rho, RHO_POINT, title="Parco di Rho", created_by=operator_rho)
    make_intervento(rho, RHO_POINT, title="Piazza di Rho", state=PublicationState.IN_REVISIONE)
    make_intervento(milano, MILANO_POINT, title="Parco di Milano")
    client.force_login(reviewer)

    def titles(query: str) -> list[str]:
        page = client.get(f"/contributi/{query}").content.decode()
        return sorted(t for t in ("Parco di Rho", "Piazza di Rho", "Parco di Milano") if t in page)

    assert titles("?q=parco") == ["Parco di Milano", "Parco di Rho"]
    assert titles("?stato=in_revisione") == ["Piazza di Rho"]
    assert titles(f"?comune={milano.pk}") == ["Parco di Milano"]
    assert titles(f"?autore={operator_rho.pk}") == ["Parco di Rho"]
    assert titles("?livello=opportunita") == []
    assert titles("?dal=2999-01-01") == []


def test_empty_sections_are_not_shown(client, reviewer, operator_rho):
    client.force_login(reviewer)
    page = client.get("/contributi/").content.decode()
    assert "Da revisionare" not in page
    assert 'id="list-interventi"' not in page
    assert "Nessun record" in page


def test_operator_filters_only_among_own_comuni(client, operator_rho, rho, milano):
    client.force_login(operator_rho)
    page = client.get("/contributi/").content.decode()
    assert f'<option value="{rho.pk}">Rho</option>' in page
    assert f'<option value="{milano.pk}">' not in page


def test_publish_asks_first_and_the_question_changes_nothing(client, reviewer, rho):
    record = make_intervento(rho, RHO_POINT, state=PublicationState.IN_REVISIONE)
    client.force_login(reviewer)

    page = client.get(f"/contributi/interventi/{record.pk}/pubblica/").content.decode()

    assert escape("Pubblicare «Parco»?") in page and 'id="action-form"' in page
    record.refresh_from_db()
    assert record.publication_state == PublicationState.IN_REVISIONE


def test_publish_with_a_note_says_what_happened_and_keeps_the_note(client, reviewer, rho):
    record = make_intervento(rho, RHO_POINT, state=PublicationState.IN_REVISIONE)
    client.force_login(reviewer)

    response = client.post(
        f"/contributi/interventi/{record.pk}/pubblica/",
        {"review_comment": "Verificato in sopralluogo"},
        follow=True,
    )

    assert escape("«Parco» è pubblicato: ora è sulla mappa e nei dati aperti.") in (
        response.content.decode()
    )
    latest = record.history.latest()
    assert latest.history_change_reason == "Pubblicato: Verificato in sopralluogo"


def test_send_back_without_note_returns_to_the_question(client, reviewer, rho):
    record = make_intervento(rho, RHO_POINT, state=PublicationState.IN_REVISIONE)
    client.force_login(reviewer)

    response = client.post(f"/contributi/interventi/{record.pk}/rinvia/", {"review_comment": ""})

    assert response.url == f"/contributi/interventi/{record.pk}/rinvia/"
    record.refresh_from_db()
    assert record.publication_state == PublicationState.IN_REVISIONE


def test_submit_emails_the_reviewers_with_a_link(
    client, operator_rho, reviewer, draft_rho, django_capture_on_commit_callbacks
):
    reviewer.email = "revisore@cittametropolitana.mi.it"
    reviewer.save()
    client.force_login(operator_rho)

    # The e-mail leaves once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/contributi/interventi/{draft_rho.pk}/invia/")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["revisore@cittametropolitana.mi.it"]
    assert message.subject == "Remix: «Bozza di Rho» da revisionare"
    assert f"http://testserver/contributi/interventi/{draft_rho.pk}/modifica/" in message.body


def test_publish_and_send_back_email_the_author(
    operator_rho, reviewer, rho, django_capture_on_commit_callbacks
):
    operator_rho.email = "ufficio.tecnico@comune.rho.mi.it"
    operator_rho.save()
    first = make_intervento(rho, RHO_POINT, title="Primo", created_by=operator_rho)
    second = make_intervento(rho, RHO_POINT, title="Secondo", created_by=operator_rho)
    for record in (first, second):
        services.record_submit(record=record, user=operator_rho, link="")

    with django_capture_on_commit_callbacks(execute=True):
        services.record_publish(record=first, user=reviewer, link="https://remix.example/1")
        services.record_send_back(
            record=second, user=reviewer, comment="Manca il CUP", link="https://remix.example/2"
        )

    assert [m.subject for m in mail.outbox] == [
        "Remix: «Primo» è pubblicato",
        "Remix: «Secondo» rinviato al Comune",
    ]
    assert all(m.to == ["ufficio.tecnico@comune.rho.mi.it"] for m in mail.outbox)
    assert "Manca il CUP" in mail.outbox[1].body
    assert "https://remix.example/2" in mail.outbox[1].body


def test_nobody_to_tell_sends_no_email(
    operator_rho, reviewer, draft_rho, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.record_submit(record=draft_rho, user=operator_rho)  # no reviewer's address
    assert callbacks == []
    assert mail.outbox == []


def test_history_shows_labels_and_readable_values(client, operator_rho, reviewer, draft_rho):
    services.record_submit(record=draft_rho, user=operator_rho)
    services.record_publish(record=draft_rho, user=reviewer)
    client.force_login(reviewer)

    page = client.get(f"/contributi/interventi/{draft_rho.pk}/storico/").content.decode()

    assert "<strong>Stato di pubblicazione</strong>: «In revisione» → «Pubblicato»" in page
    assert "publication_state" not in page and "Changed" not in page
    assert "Modificato: Pubblicato" in page


def test_history_draws_a_geometry_change_side_by_side(client, operator_rho, reviewer, draft_rho):
    moved = (
        '{"type": "MultiPolygon", "coordinates": [[[[9.046, 45.531], [9.049, 45.531],'
        " [9.049, 45.533], [9.046, 45.533], [9.046, 45.531]]]]}"
    )
    services.record_update(record=draft_rho, user=operator_rho, values={}, geojson=moved)
    client.force_login(reviewer)

    response = client.get(f"/contributi/interventi/{draft_rho.pk}/storico/")

    geometries = response.context["geometries"]
    assert len(geometries) == 1
    change = geometries[0]
    assert change["after"]["coordinates"][0][0][0] == [9.046, 45.531]
    assert change["before"]["type"] == "MultiPolygon"
    assert 'class="geometry-compare"' in response.content.decode()


def test_editor_gets_the_comune_boundary_and_the_published_neighbours(
    client, operator_rho, rho, draft_rho
):
    neighbour = make_intervento(rho, RHO_POINT, title="Vicino", state=PublicationState.PUBBLICATO)
    make_intervento(rho, RHO_POINT, title="Bozza altrui")  # a draft is not shown as context
    client.force_login(operator_rho)

    response = client.get(f"/contributi/interventi/{draft_rho.pk}/modifica/")

    boundaries = response.context["boundaries"]["features"]
    assert [f["properties"]["name"] for f in boundaries] == ["Rho"]
    neighbours = response.context["neighbours"]["features"]
    assert [(f["id"], f["properties"]["title"]) for f in neighbours] == [(neighbour.pk, "Vicino")]
    assert 'id="record-neighbours"' in response.content.decode()


def funding_post(record, rows: list[tuple[str, str]]) -> dict:
    data = {
        "title": record.title,
        "stato": record.stato,
        "costo_totale": "1000.00",
        "fin-TOTAL_FORMS": str(len(rows)),
        "fin-INITIAL_FORMS": "0",
        "fin-MIN_NUM_FORMS": "0",
        "fin-MAX_NUM_FORMS": "20",
    }
    for i, (fonte, importo) in enumerate(rows):
        data[f"fin-{i}-fonte"] = fonte
        data[f"fin-{i}-importo"] = importo
    return data


def test_funding_rows_are_edited_in_the_editor(client, operator_rho, draft_rho):
    client.force_login(operator_rho)

    response = client.post(
        f"/contributi/interventi/{draft_rho.pk}/modifica/",
        funding_post(draft_rho, [("pnrr", "600.00"), ("comunale", "150.50"), ("", "")]),
    )

    assert response.status_code == 302
    rows = sorted(draft_rho.finanziamenti.values_list("fonte", "importo"))
    assert [(f, str(i)) for f, i in rows] == [("comunale", "150.50"), ("pnrr", "600.00")]


def test_funding_above_the_cost_is_refused_and_changes_nothing(client, operator_rho, draft_rho):
    client.force_login(operator_rho)

    response = client.post(
        f"/contributi/interventi/{draft_rho.pk}/modifica/",
        funding_post(draft_rho, [("pnrr", "900.00"), ("comunale", "200.00")]),
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert draft_rho.finanziamenti.count() == 0
