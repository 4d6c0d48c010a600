"""Tasks of the job queue (procrastinate; found by its Django integration's autodiscovery).

The work itself is in :mod:`contributi.jobs`; here only its wiring to the queue.
"""

from __future__ import annotations

from procrastinate.contrib.django import app

from contributi import jobs

__all__ = ["upload_job", "stalled_upload_jobs_retry", "stale_upload_files_forget"]


@app.task(name=jobs.UPLOAD_TASK)
def upload_job(job_id: str) -> None:
    """Check or commit one upload (its phase says which)."""
    jobs.upload_job_run(job_id)


@app.periodic(cron="* * * * *")
@app.task(name="contributi.stalled_upload_jobs_retry", queueing_lock="stalled_upload_jobs")
def stalled_upload_jobs_retry(timestamp: int) -> None:
    """Every minute: queue again the upload jobs of a worker that died mid-job."""
    jobs.stalled_jobs_retry()


@app.periodic(cron="17 * * * *")
@app.task(name="contributi.stale_upload_files_forget", queueing_lock="stale_upload_files")
def stale_upload_files_forget(timestamp: int) -> None:
    """Every hour: drop the files of uploads left unconfirmed for a day."""
    jobs.stale_jobs_forget()
