"""Uploads as background jobs, run by a real worker of the queue (a subprocess on the test
database): progress, cancel, a worker killed mid-commit, and a commit that stores all or
nothing."""

from __future__ import annotations

import pytest
from django.utils import translation
from shapely.geometry import Point

from contributi import jobs
from contributi.importers import messages as m
from contributi.models import UploadJob
from rigenerazione.models import Intervento
from tests.contributi.conftest import RHO_POINT, geojson_bytes
from tests.contributi.worker import Worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

Status = UploadJob.Status


def rows_in_rho(n: int) -> list[dict]:
    """``n`` points in Rho, each with its own valid CUP."""
    return [
        {
            "titolo": f"Intervento {i + 1}",
            "stato": "in_corso",
            "cup": f"C47H21{i:09d}",
            "geometry": Point(RHO_POINT[0] + (i % 20) * 1e-4, RHO_POINT[1] + (i // 20) * 1e-4),
        }
        for i in range(n)
    ]


def start(user, n: int) -> UploadJob:
    return jobs.upload_job_start(
        user=user,
        filename="interventi.geojson",
        data=geojson_bytes(rows_in_rho(n)),
        target_key="interventi",
        options={},
    )


def fresh(job: UploadJob) -> UploadJob:
    return UploadJob.objects.get(pk=job.pk)


def finished(job: UploadJob) -> UploadJob | None:
    current = fresh(job)
    return current if current.finished else None


def checked_and_confirmed(user, n: int) -> UploadJob:
    job = start(user, n)
    assert wait_for(lambda: finished(job), what="the check").status == Status.DONE
    return jobs.upload_job_confirm(job=fresh(job), user=user)


def test_check_job_reads_and_checks_every_feature_and_stores_nothing(worker, operator_rho):
    job = start(operator_rho, 3)

    done = wait_for(lambda: finished(job), what="the check")

    assert (done.phase, done.status) == ("check", Status.DONE)
    assert (done.total, done.read, done.checked, done.stored) == (3, 3, 3, 0)
    assert done.report["ok"] is True
    assert [f["title"] for f in done.report["features"]] == [
        "Intervento 1",
        "Intervento 2",
        "Intervento 3",
    ]
    assert done.report["features"][0]["comuni_names"] == "Rho"
    assert done.report["features"][0]["geometry"] == {
        "type": "MultiPoint",
        "coordinates": [[pytest.approx(RHO_POINT[0]), pytest.approx(RHO_POINT[1])]],
    }
    assert Intervento.objects.count() == 0


def test_commit_job_stores_every_feature_as_a_draft(worker, operator_rho):
    job = checked_and_confirmed(operator_rho, 3)

    done = wait_for(lambda: finished(job), what="the commit")

    assert (done.phase, done.status, done.stored) == ("commit", Status.DONE, 3)
    stored = Intervento.objects.order_by("pk")
    assert list(stored.values_list("pk", flat=True)) == done.created_ids
    assert {r.publication_state for r in stored} == {"bozza"}
    assert done.data is None  # the file is not kept once stored


def test_progress_is_seen_while_the_commit_runs(worker, operator_rho):
    job = checked_and_confirmed(operator_rho, 150)

    midway = wait_for(
        lambda: (j := fresh(job)).status == Status.RUNNING and 0 < j.stored < 150 and j,
        what="a commit half-way",
    )

    assert (midway.total, midway.read, midway.checked) == (150, 150, 150)
    assert Intervento.objects.count() == 0  # not visible before the one transaction commits
    assert wait_for(lambda: finished(job)).stored == 150


def test_cancel_during_the_commit_stores_nothing(worker, operator_rho):
    job = checked_and_confirmed(operator_rho, 150)
    wait_for(lambda: fresh(job).stored > 0, what="the first stored record")

    jobs.upload_job_cancel(job=fresh(job), user=operator_rho)

    assert wait_for(lambda: finished(job)).status == Status.CANCELLED
    assert Intervento.objects.count() == 0


def test_cancel_of_a_queued_job_means_it_never_runs(transactional_db, operator_rho):
    job = start(operator_rho, 3)  # no worker yet

    jobs.upload_job_cancel(job=job, user=operator_rho)
    worker = Worker().start()
    try:
        current = fresh(job)
        assert (current.status, current.read) == (Status.CANCELLED, 0)
    finally:
        worker.stop()


def test_worker_killed_mid_commit_stores_nothing_then_the_retry_stores_once(worker, operator_rho):
    job = checked_and_confirmed(operator_rho, 150)
    wait_for(lambda: fresh(job).stored > 0, what="the first stored record")

    worker.kill()

    interrupted = fresh(job)
    assert interrupted.status == Status.RUNNING
    assert Intervento.objects.count() == 0  # the commit's transaction died with its worker
    retried = jobs.stalled_jobs_retry(seconds_since_heartbeat=0)
    assert retried == [interrupted.queue_job_id]
    restarted = Worker().start()
    try:
        done = wait_for(lambda: finished(job), what="the retried commit")
    finally:
        restarted.stop()
    assert (done.status, done.stored) == (Status.DONE, 150)
    assert Intervento.objects.count() == 150
    assert Intervento.objects.values("cup").distinct().count() == 150


def test_commit_refused_at_write_time_stores_nothing(worker, operator_rho, rho):
    """A CUP registered by someone else between the check and the commit: the commit fails,
    names the feature, and stores none of the file's records."""
    job = start(operator_rho, 5)
    wait_for(lambda: finished(job), what="the check")
    from tests.contributi.conftest import make_intervento

    make_intervento(rho, RHO_POINT, title="Già registrato", cup="C47H21000000004")
    jobs.upload_job_confirm(job=fresh(job), user=operator_rho)

    failed = wait_for(lambda: finished(job), what="the commit")

    assert failed.status == Status.FAILED
    with translation.override("it"):  # the job's messages are in the site's language
        expected = str(m.REPORT_HAS_ERRORS.format(file="interventi.geojson", count=1))
    assert failed.error == expected
    assert list(Intervento.objects.values_list("title", flat=True)) == ["Già registrato"]


def test_a_job_cannot_be_cancelled_by_another_user(transactional_db, operator_rho, operator_milano):
    from django.core.exceptions import PermissionDenied

    job = start(operator_rho, 1)

    with pytest.raises(PermissionDenied):
        jobs.upload_job_cancel(job=job, user=operator_milano)
    assert fresh(job).status == Status.QUEUED


def test_api_upload_in_the_background_then_confirm(client, worker, operator_rho):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(operator_rho)
    response = client.post(
        "/api/contributi/upload/",
        {
            "file": SimpleUploadedFile("piazze.geojson", geojson_bytes(rows_in_rho(2))),
            "target": "interventi",
            "background": "true",
        },
    )
    assert response.status_code == 202
    url = response["Location"]
    assert url.endswith(f"/api/contributi/jobs/{response.json()['id']}/")

    checked = wait_for(lambda: (b := client.get(url).json())["finished"] and b)
    assert (checked["status"], checked["report"]["ok"], checked["checked"]) == ("done", True, 2)
    assert client.post(url + "confirm/").status_code == 202
    done = wait_for(lambda: (b := client.get(url).json())["finished"] and b)

    assert (done["phase"], done["status"], done["stored"]) == ("commit", "done", 2)
    assert sorted(done["created"]) == sorted(Intervento.objects.values_list("pk", flat=True))


def test_job_page_survives_a_reload_and_polls_json(client, worker, operator_rho):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(operator_rho)
    response = client.post(
        "/contributi/carica/",
        {
            "target": "interventi",
            "file": SimpleUploadedFile("a.geojson", geojson_bytes(rows_in_rho(2))),
        },
    )
    job = UploadJob.objects.get()
    assert response.url == f"/contributi/carica/{job.pk}/"
    status_url = f"/contributi/carica/{job.pk}/stato/"
    assert f'data-status-url="{status_url}"' in client.get(response.url).content.decode()

    wait_for(lambda: client.get(status_url).json()["finished"])
    page = client.get(response.url).content.decode()  # a reload shows the report

    assert 'id="report-table"' in page and 'id="commit-form"' in page


def test_files_left_unconfirmed_for_a_day_are_dropped(transactional_db, operator_rho):
    import datetime

    from django.utils import timezone

    waiting, idle = start(operator_rho, 1), start(operator_rho, 1)
    UploadJob.objects.filter(pk=idle.pk).update(
        status=Status.DONE, updated_at=timezone.now() - datetime.timedelta(days=2)
    )
    UploadJob.objects.filter(pk=waiting.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=2)
    )

    assert jobs.stale_jobs_forget() == 1

    assert fresh(idle).data is None
    assert fresh(waiting).data is not None  # still queued: its worker will need it


def test_a_running_or_queued_job_cannot_be_checked_again(transactional_db, operator_rho):
    from remix.errors import UserInputError

    job = start(operator_rho, 1)  # queued: no worker

    with pytest.raises(UserInputError):
        jobs.upload_job_recheck(job=job, user=operator_rho, mapping={}, make_valid=True)
    assert fresh(job).options == {}
