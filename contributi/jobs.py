"""Uploads as background jobs: a file is checked (dry run) and then committed by the worker of
the job queue (procrastinate, on PostgreSQL), with progress the page polls and a cancel.

- :func:`upload_job_start` keeps the file and queues its check; :func:`upload_job_recheck`
  checks it again with another column mapping; :func:`upload_job_confirm` queues the commit;
  :func:`upload_job_cancel` stops either.
- :func:`upload_job_run` is what the worker runs (``contributi.tasks``). The commit is one
  transaction: a job stopped half-way — cancelled, failed, or its worker killed — stores
  nothing. :func:`stalled_jobs_retry` queues again the jobs of a dead worker; a commit run
  twice stores once (the job is marked done in the same transaction as its records).

Progress is written through a second database connection, so that it is seen while the
commit's transaction is still open; the same statement tells the job whether it was cancelled.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from procrastinate.contrib.django import app

from contributi import services
from contributi.importers import UploadReport, check_size, upload_report
from contributi.models import UploadJob
from contributi.permissions import can_contribute
from remix.errors import UserInputError

__all__ = [
    "UPLOAD_TASK",
    "JOB_NOT_YOURS",
    "JOB_NOT_READY",
    "UploadCancelled",
    "upload_job_start",
    "upload_job_recheck",
    "upload_job_confirm",
    "upload_job_cancel",
    "upload_job_run",
    "upload_job_status",
    "stalled_jobs_retry",
    "stale_jobs_forget",
]

logger = logging.getLogger(__name__)

UPLOAD_TASK = "contributi.upload_job"
JOB_NOT_YOURS = gettext_lazy("Questo caricamento non è tuo.")
JOB_NOT_READY = gettext_lazy("Il caricamento «{file}» non è pronto per essere salvato: {reason}.")
PROGRESS_EVERY_S = 0.2
# A file checked but never confirmed is dropped after this long (the job's report stays).
STALE_AFTER = datetime.timedelta(days=1)
Status, Phase = UploadJob.Status, UploadJob.Phase


class UploadCancelled(Exception):
    """The person cancelled the job while it ran."""


def _own(job: UploadJob, user) -> None:
    if job.user_id != user.pk or not can_contribute(user):
        raise PermissionDenied(JOB_NOT_YOURS)


def _queue(job: UploadJob) -> None:
    """Queue the job's current phase once the surrounding transaction commits (the queue
    lives in the same database, so the job and its queue entry are written together)."""
    job.queue_job_id = app.configure_task(name=UPLOAD_TASK).defer(job_id=str(job.pk))
    job.save(update_fields=["queue_job_id", "updated_at"])


@transaction.atomic
def upload_job_start(
    *, user, filename: str, data: bytes, target_key: str, options: dict
) -> UploadJob:
    """Keep an uploaded file and queue its check; nothing of it is stored as a record yet.

    ``options`` are :func:`contributi.importers.upload_report`'s reading options
    (``stated_srid``, ``stated_encoding``, ``mapping``, ``make_valid``)."""
    if not can_contribute(user):
        raise PermissionDenied(JOB_NOT_YOURS)
    check_size(filename, len(data))
    job = UploadJob.objects.create(
        user=user, filename=filename[:255], target_key=target_key, options=options, data=data
    )
    _queue(job)
    return job


def _reset(job: UploadJob, phase: str) -> None:
    job.phase, job.status = phase, Status.QUEUED
    job.read = job.checked = job.stored = 0
    job.cancel_requested = False
    job.error = ""


@transaction.atomic
def upload_job_recheck(
    *, job: UploadJob, user, mapping: dict[str, str], make_valid: bool
) -> UploadJob:
    """Check the kept file again with another column mapping or with ``make_valid``."""
    _own(job, user)
    job = UploadJob.objects.select_for_update().get(pk=job.pk)
    # Only a job at rest: a check that ended, or a commit that failed or was cancelled.
    at_rest = job.finished and (job.phase == Phase.CHECK or job.status != Status.DONE)
    if job.data is None or not at_rest:
        raise UserInputError(
            JOB_NOT_READY.format(file=job.filename, reason=job.get_status_display()), field="job"
        )
    job.options = {**job.options, "mapping": mapping, "make_valid": make_valid}
    _reset(job, Phase.CHECK)
    job.report = None
    job.save()
    _queue(job)
    return job


@transaction.atomic
def upload_job_confirm(*, job: UploadJob, user) -> UploadJob:
    """Queue the commit of a checked file whose report has no errors."""
    _own(job, user)
    job = UploadJob.objects.select_for_update().get(pk=job.pk)
    ready = job.phase == Phase.CHECK and job.status == Status.DONE and job.data is not None
    if not ready:
        raise UserInputError(
            JOB_NOT_READY.format(file=job.filename, reason=job.get_status_display()), field="job"
        )
    if not (job.report or {}).get("ok"):
        raise UserInputError(
            JOB_NOT_READY.format(file=job.filename, reason=_("il rapporto ha errori")),
            field="job",
        )
    _reset(job, Phase.COMMIT)
    job.save()
    _queue(job)
    return job


@transaction.atomic
def upload_job_cancel(*, job: UploadJob, user) -> UploadJob:
    """Stop a queued or running job; a running commit is rolled back whole."""
    _own(job, user)
    job = UploadJob.objects.select_for_update().get(pk=job.pk)
    if job.finished:
        return job
    if job.status == Status.QUEUED:
        job.status = Status.CANCELLED
        if job.queue_job_id:
            app.job_manager.cancel_job_by_id(job.queue_job_id)
    job.cancel_requested = True
    job.save(update_fields=["status", "cancel_requested", "updated_at"])
    return job


def upload_job_status(job: UploadJob) -> dict:
    """What the page polls: phase, status, the three counters and where to go next."""
    return {
        "id": str(job.pk),
        "file": job.filename,
        "phase": job.phase,
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.finished,
        "total": job.total,
        "read": job.read,
        "checked": job.checked,
        "stored": job.stored,
        "error": job.error,
        "created": job.created_ids,
        "report_ok": (job.report or {}).get("ok") if job.report is not None else None,
    }


class _ProgressWriter:
    """Write the counters through a connection of its own (visible outside the commit's
    transaction), at most every :data:`PROGRESS_EVERY_S`, and raise :class:`UploadCancelled`
    when the job was cancelled meanwhile."""

    def __init__(self, job: UploadJob):
        self.job = job
        self.last = 0.0
        self.connection = connections.create_connection("default")

    def __call__(self, step: str, done: int, total: int) -> None:
        if step == "read":
            self.job.read = self.job.total = total
        else:
            setattr(self.job, step, done)
        now = time.monotonic()
        if step == "read" or done == total or now - self.last >= PROGRESS_EVERY_S:
            self.last = now
            self.flush()

    def flush(self) -> None:
        job = self.job
        table = UploadJob._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" SET total = %s, read = %s, checked = %s, stored = %s,'  # noqa: S608 (table name from the model)
                " updated_at = now() WHERE id = %s RETURNING cancel_requested",
                [job.total, job.read, job.checked, job.stored, job.pk],
            )
            row = cursor.fetchone()
        if row and row[0]:
            raise UploadCancelled

    def close(self) -> None:
        self.connection.close()


def _report_document(report: UploadReport) -> dict:
    """The report as kept with the job: :meth:`UploadReport.as_dict`, plus for the page the
    Comuni by name, each feature's geometry (GeoJSON, for the map) and its values."""
    document = report.as_dict()
    document["error_count"] = report.error_count
    document["fields"] = [
        {"name": f.name, "label": str(f.label), "required": f.required}
        for f in report.target.fields
    ]
    document["target_label"] = str(report.target.label)
    for row, feature in zip(document["features"], report.features, strict=True):
        row["comuni_names"] = feature.comuni_names
        row["geometry"] = json.loads(feature.geom.json) if feature.geom is not None else None
        row["values"] = {k: str(v) for k, v in feature.values.items()}
    return document


def _report(job: UploadJob, progress: _ProgressWriter) -> UploadReport:
    return upload_report(
        filename=job.filename,
        data=bytes(job.data),
        target_key=job.target_key,
        user=job.user,
        progress=progress,
        **job.options,
    )


def _check(job: UploadJob, progress: _ProgressWriter) -> None:
    report = _report(job, progress)
    job.report = _report_document(report)
    job.status = Status.DONE
    job.save(update_fields=["report", "status", "updated_at"])


def _commit(job: UploadJob, progress: _ProgressWriter) -> None:
    with transaction.atomic():
        report = _report(job, progress)
        created = services.upload_commit(report=report, user=job.user, progress=progress)
        job.created_ids = [record.pk for record in created]
        job.status, job.data = Status.DONE, None
        job.stored = len(created)
        job.save()


def upload_job_run(job_id: str | uuid.UUID) -> None:
    """Run the job's phase to its end; every outcome is written on the job (done, failed
    with the reason in Italian, or cancelled)."""
    job = UploadJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.finished:
        return  # cancelled before it started, or already done (a retry after a crash)
    if job.status == Status.RUNNING:
        # Its worker died: the commit's transaction was rolled back, so start again.
        logger.warning("Upload job %s interrupted: running it again from the start", job.pk)
    counters = {"read": 0, "checked": 0, "stored": 0}
    UploadJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, **counters)
    job.status = Status.RUNNING
    progress = _ProgressWriter(job)
    try:
        # The messages kept with the job are in the site's language (Italian first).
        with translation.override(settings.LANGUAGE_CODE):
            (_commit if job.phase == Phase.COMMIT else _check)(job, progress)
    except UploadCancelled:
        UploadJob.objects.filter(pk=job.pk).update(status=Status.CANCELLED)
    except (UserInputError, PermissionDenied) as exc:
        message = getattr(exc, "message", None) or " ".join(map(str, exc.args))
        UploadJob.objects.filter(pk=job.pk).update(status=Status.FAILED, error=str(message))
    except Exception:
        logger.exception("Upload job %s failed", job.pk)
        UploadJob.objects.filter(pk=job.pk).update(
            status=Status.FAILED, error=_("Errore imprevisto: il file non è stato salvato.")
        )
        raise
    finally:
        progress.close()


def stalled_jobs_retry(seconds_since_heartbeat: float | None = None) -> list[int]:
    """Queue again the upload jobs left running by a worker that stopped sending heartbeats
    (killed, or its machine restarted). Returns the ids of the queue's jobs retried."""
    seconds = (
        settings.PROCRASTINATE_STALLED_SECONDS
        if seconds_since_heartbeat is None
        else seconds_since_heartbeat
    )

    async def retry() -> list[int]:
        try:
            stalled = await app.job_manager.get_stalled_jobs(
                task_name=UPLOAD_TASK, seconds_since_heartbeat=seconds
            )
            for job in stalled:
                await app.job_manager.retry_job(job)
            return [job.id for job in stalled]
        finally:
            # The queries ran on Django's connection of asgiref's thread: close it.
            await sync_to_async(connections.close_all)()

    # The queue's manager is asynchronous: run it on an event loop of its own, in a thread of
    # its own (the caller's thread may already run a loop, e.g. a worker's or a browser's).
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, retry()).result()


def stale_jobs_forget() -> int:
    """Drop the files of jobs left unconfirmed (or failed, or cancelled) for a day: only a
    job waiting for its worker keeps its file. Returns how many files were dropped."""
    cutoff = timezone.now() - STALE_AFTER
    idle = UploadJob.objects.filter(updated_at__lt=cutoff, data__isnull=False).exclude(
        status__in=(Status.QUEUED, Status.RUNNING)
    )
    return idle.update(data=None)
