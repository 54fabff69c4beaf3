"""JSON endpoint of background jobs (mounted under /api/v1/): poll one job's progress and outcome.

An endpoint that starts a job answers 202 with the job's id and this URL; the client polls it until
`status` is final. The same selector as the job pages decides who sees what: RUN_JOBS roles see every
job of their organisation, anyone else only the jobs they started; another organisation's job is 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema

from aspa.core import jobs as job_api
from aspa.core.api import ERROR_RESPONSES
from aspa.core.models import Job, JobStatus
from aspa.core.tenancy import Actor

router = Router(tags=["background jobs"])

FINAL_STATUSES = (JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)


class JobProgressOut(Schema):
    done: int
    total: int
    message: str


class JobOut(Schema):
    """A job as a program polls it. `result` is the kind's result when it succeeded, and its details
    (e.g. an import's problems by line) when it failed with any; `error` is the readable message."""

    id: int
    kind: str
    label: str
    status: str
    finished: bool
    progress: JobProgressOut
    error: str
    result: Any | None
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    url: str

    @staticmethod
    def resolve_label(obj: Job) -> str:
        return job_api.job_kind_label(obj.kind)

    @staticmethod
    def resolve_finished(obj: Job) -> bool:
        return obj.status in FINAL_STATUSES

    @staticmethod
    def resolve_progress(obj: Job) -> dict[str, Any]:
        return {"done": obj.progress_done, "total": obj.progress_total, "message": obj.message}

    @staticmethod
    def resolve_url(obj: Job) -> str:
        return job_api_url(obj)


def job_api_url(job: Job) -> str:
    """Where a client polls the job (a path; callers make it absolute for a Location header)."""
    return reverse("api:job_detail", kwargs={"job_id": job.pk})


@router.get("/jobs/{job_id}", response={200: JobOut, **ERROR_RESPONSES}, summary="One background job")
def job_detail(request: HttpRequest, job_id: int) -> Job:
    """Progress and outcome of a job: poll until `finished` is true, then read `result` or `error`."""
    actor: Actor = request.auth  # type: ignore[attr-defined]
    job = job_api.job_get(actor=actor, job_id=job_id)
    if job_api.job_is_stale(job):
        # As on the job page: a job whose process died is reported failed rather than running forever.
        job_api.job_fail_stale(organisation_id=job.organisation_id)
        job.refresh_from_db()
    return job
