"""Celery tasks of core: the runner of the scale-out job backend (ASPA_JOB_BACKEND=celery)."""

from __future__ import annotations

from aspa.core.jobs import job_run
from celery import shared_task


@shared_task(name="aspa.core.run_job", ignore_result=True)
def run_job(job_id: int) -> None:
    """Run one Job row. Idempotent: a redelivered message finds the job no longer QUEUED and stops.

    The job's own failures end in its row (FAILED with a readable message), so the task never retries.
    """
    job_run(job_id)
