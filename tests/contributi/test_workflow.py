"""The review workflow: draft → in review → published or sent back; withdraw; history and
restore; and drafts probed through every public endpoint."""

from __future__ import annotations

import datetime
import math

import mapbox_vector_tile
import pytest
from django.core.exceptions import PermissionDenied

from contributi import services
from remix.errors import UserInputError
from rigenerazione.models import Intervento, Opportunita
from rules.publication import PublicationState
from tests.contributi.conftest import RHO_POINT, make_intervento, snapshot

pytestmark = pytest.mark.django_db

SECRET = "SEGRETO-NON-PUBBLICATO"


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (the usual Web Mercator formula)."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def public_answers(client, record) -> dict[str, bytes]:
    """What every public endpoint answers about the record's layer and the record itself."""
    layer = "opportunita" if isinstance(record, Opportunita) else "interventi"
    # The OGC API serves a mixed layer through one collection per geometry type.
    parts = {"MultiPolygon": "aree", "MultiLineString": "linee", "MultiPoint": "punti"}
    collection = layer if layer == "opportunita" else f"{layer}-{parts[record.geom.geom_type]}"
    x, y = tile_of(*RHO_POINT, 14)
    urls = [
        f"/api/layers/{layer}/download.geojson",
        f"/api/layers/{layer}/download.csv",
        f"/ogc/collections/{collection}/items",
        f"/ogc/collections/{collection}/items?f=html",
        f"/ogc/collections/{collection}/items/{record.pk}",
        f"/tiles/{layer}/14/{x}/{y}.pbf",
        f"/api/{layer}/",
        f"/api/{layer}/{record.pk}/",
        f"/{layer}/{record.pk}/",
    ]
    answers = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 204, 404), (url, response.status_code)
        content = body(response)
        if url.endswith(".pbf") and response.status_code == 200:
            decoded = mapbox_vector_tile.decode(content)
            content = repr(decoded).encode()
        answers[url] = content
    return answers


@pytest.mark.parametrize(
    "state", [PublicationState.BOZZA, PublicationState.IN_REVISIONE, PublicationState.RINVIATO]
)
def test_unpublished_intervento_reaches_no_public_endpoint(client, rho, state):
    record = make_intervento(rho, RHO_POINT, state=state, title=SECRET)
    for url, content in public_answers(client, record).items():
        assert SECRET.encode() not in content, url


def test_withdrawn_record_reaches_no_public_endpoint(client, rho):
    record = make_intervento(
        rho,
        RHO_POINT,
        state=PublicationState.PUBBLICATO,
        title=SECRET,
        withdrawn_on=datetime.date(2026, 1, 1),
    )
    for url, content in public_answers(client, record).items():
        assert SECRET.encode() not in content, url


def test_unpublished_opportunita_reaches_no_public_endpoint(client, opportunita_rho):
    opportunita_rho.title = SECRET
    opportunita_rho.save()
    for url, content in public_answers(client, opportunita_rho).items():
        assert SECRET.encode() not in content, url


def test_the_probe_sees_a_published_record(client, rho):
    """The probe above would catch a leak: once published, the record is in the feeds."""
    record = make_intervento(rho, RHO_POINT, state=PublicationState.PUBBLICATO, title=SECRET)
    answers = public_answers(client, record)
    assert SECRET.encode() in answers["/api/layers/interventi/download.geojson"]
    assert SECRET.encode() in answers[f"/ogc/collections/interventi-aree/items/{record.pk}"]


def test_draft_to_published_end_to_end(client, operator_rho, reviewer, draft_rho):
    client.force_login(operator_rho)
    client.post(f"/contributi/interventi/{draft_rho.pk}/invia/")
    draft_rho.refresh_from_db()
    assert draft_rho.publication_state == PublicationState.IN_REVISIONE
    # Under review the operator cannot change it any more.
    assert (
        client.post(f"/contributi/interventi/{draft_rho.pk}/modifica/", {"title": "x"}).status_code
        == 403
    )
    client.force_login(reviewer)
    assert "Bozza di Rho" in client.get("/contributi/").content.decode()
    client.post(f"/contributi/interventi/{draft_rho.pk}/pubblica/")
    draft_rho.refresh_from_db()
    assert draft_rho.publication_state == PublicationState.PUBBLICATO
    assert b"Bozza di Rho" in body(client.get("/api/layers/interventi/download.geojson"))


def test_reviewer_sends_back_with_comment_and_operator_sees_it(
    client, operator_rho, reviewer, draft_rho
):
    services.record_submit(record=draft_rho, user=operator_rho)
    client.force_login(reviewer)
    client.post(
        f"/contributi/interventi/{draft_rho.pk}/rinvia/", {"review_comment": "Manca il CUP"}
    )
    draft_rho.refresh_from_db()
    assert (draft_rho.publication_state, draft_rho.review_comment) == (
        PublicationState.RINVIATO,
        "Manca il CUP",
    )
    client.force_login(operator_rho)
    page = client.get("/contributi/").content.decode()
    assert "Rinviato al Comune" in page and "Manca il CUP" in page


def test_send_back_without_comment_is_refused(reviewer, operator_rho, draft_rho):
    services.record_submit(record=draft_rho, user=operator_rho)
    before = snapshot()
    with pytest.raises(UserInputError) as error:
        services.record_send_back(record=draft_rho, user=reviewer, comment="  ")
    assert error.value.message == str(services.COMMENT_REQUIRED)
    assert snapshot() == before


def test_operator_cannot_publish(client, operator_rho, draft_rho):
    services.record_submit(record=draft_rho, user=operator_rho)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.record_publish(record=draft_rho, user=operator_rho)
    client.force_login(operator_rho)
    response = client.post(f"/api/contributi/interventi/{draft_rho.pk}/pubblica/")
    assert response.status_code == 403
    assert snapshot() == before


def test_publishing_a_draft_not_under_review_is_refused(reviewer, draft_rho):
    before = snapshot()
    with pytest.raises(UserInputError):
        services.record_publish(record=draft_rho, user=reviewer)
    assert snapshot() == before


def test_operator_edit_of_a_published_record_makes_it_a_draft_again(operator_rho, rho):
    record = make_intervento(rho, RHO_POINT, state=PublicationState.PUBBLICATO)
    services.record_update(record=record, user=operator_rho, values={"title": "Parco nuovo"})
    record.refresh_from_db()
    assert (record.title, record.publication_state) == ("Parco nuovo", PublicationState.BOZZA)


def test_withdraw_leaves_the_map_and_stays_in_history(client, reviewer, rho):
    record = make_intervento(rho, RHO_POINT, state=PublicationState.PUBBLICATO, title=SECRET)
    client.force_login(reviewer)
    client.post(f"/contributi/interventi/{record.pk}/ritira/")
    record.refresh_from_db()
    assert record.withdrawn_on is not None
    assert Intervento.objects.filter(pk=record.pk).exists()
    assert SECRET.encode() not in body(client.get("/api/layers/interventi/download.geojson"))
    reasons = list(record.history.values_list("history_change_reason", flat=True))
    assert reasons[0] == "Ritirato"


def test_history_page_shows_who_changed_what_and_restores(
    client, operator_rho, reviewer, draft_rho
):
    services.record_update(record=draft_rho, user=operator_rho, values={"title": "Secondo"})
    client.force_login(reviewer)
    page = client.get(f"/contributi/interventi/{draft_rho.pk}/storico/").content.decode()
    assert "<strong>Titolo</strong>: «Bozza di Rho» → «Secondo»" in page
    first = draft_rho.history.order_by("history_date").first()
    response = client.post(
        f"/contributi/interventi/{draft_rho.pk}/storico/", {"history_id": first.history_id}
    )
    assert response.status_code == 302
    draft_rho.refresh_from_db()
    assert draft_rho.title == "Bozza di Rho"
    assert draft_rho.history.count() == 3  # created, edited, restored


def test_operator_cannot_see_history(client, operator_rho, draft_rho):
    client.force_login(operator_rho)
    assert client.get(f"/contributi/interventi/{draft_rho.pk}/storico/").status_code == 403


def test_dashboard_query_count_does_not_grow_with_records(
    client, reviewer, rho, django_assert_max_num_queries
):
    for i in range(12):
        make_intervento(
            rho,
            RHO_POINT,
            title=f"Parco {i}",
            state=PublicationState.IN_REVISIONE if i % 2 else PublicationState.BOZZA,
        )
    client.force_login(reviewer)
    # session, user, permissions (2), two counts for the pagers, one page of interventi (the
    # opportunità have none), two review queues with the interventi's Comuni prefetched, the
    # portal's context, the filter's Comuni and authors: a fixed number whatever the count.
    with django_assert_max_num_queries(13):
        response = client.get("/contributi/")
    assert response.status_code == 200
    assert response.content.decode().count('data-record="interventi-') == 12 + 6


def test_operator_redraws_an_opportunita_and_its_surface_is_recomputed(
    operator_rho, opportunita_rho
):
    x, y = RHO_POINT
    square = {
        "type": "Polygon",
        "coordinates": [[[x, y], [x + 0.004, y], [x + 0.004, y + 0.002], [x, y + 0.002], [x, y]]],
    }
    import json

    services.record_update(
        record=opportunita_rho, user=operator_rho, values={}, geojson=json.dumps(square)
    )
    opportunita_rho.refresh_from_db()
    assert opportunita_rho.comune.name == "Rho"
    # 0.004° × 0.002° at 45.53°N ≈ 312 m × 222 m ≈ 69 400 m² (twice the first square).
    assert opportunita_rho.superficie_m2 == pytest.approx(69_400, rel=0.02)


def test_commit_is_all_or_nothing_when_a_write_fails_midway(client, operator_rho, monkeypatch):
    """The second feature fails in the domain service: the first is rolled back too."""
    from django.core.exceptions import ValidationError

    from tests.contributi.conftest import geojson_bytes, intervento_rows
    from tests.contributi.helpers import post_upload

    real_create = services.intervento_create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs["title"])
        if len(calls) == 2:
            raise ValidationError({"geom": "Regola violata"})
        return real_create(**kwargs)

    monkeypatch.setattr(services, "intervento_create", failing_create)
    client.force_login(operator_rho)
    before = snapshot()
    response = post_upload(client, "due.geojson", geojson_bytes(intervento_rows(2)))
    assert response.status_code == 400
    assert response.json()["detail"] == services.FEATURE_REFUSED.format(
        feature=2, reason="Regola violata"
    )
    assert len(calls) == 2
    assert snapshot() == before


def test_operator_cannot_withdraw(client, operator_rho, rho):
    record = make_intervento(rho, RHO_POINT, state=PublicationState.PUBBLICATO)
    client.force_login(operator_rho)
    before = snapshot()
    response = client.post(f"/api/contributi/interventi/{record.pk}/ritira/")
    assert response.status_code == 403
    assert snapshot() == before
