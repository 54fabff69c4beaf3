"""Job pages: the organisation's job list with start buttons, one job's live progress, cancelling."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aspa.core import jobs as job_api
from aspa.core.http import AspaRequest
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Capability
from aspa.core.tenancy import actor_can
from aspa.core.views_base import member_required

PAGE_SIZE = 25


def _state(job: Job) -> str:
    """What the live region last announced; the poll sends it back so unchanged states stay quiet."""
    return f"{job.status}-cancelling" if job.cancel_requested and job.is_active else str(job.status)


def _job_loaded(request: AspaRequest, job_id: int) -> Job:
    job = job_api.job_get(actor=request.membership, job_id=job_id)
    if job_api.job_is_stale(job):
        job_api.job_fail_stale(organisation_id=job.organisation_id)
        job.refresh_from_db()
    return job


def _job_context(request: AspaRequest, job: Job) -> dict[str, Any]:
    return {
        "job": job,
        "kind_label": job_api.job_kind_label(job.kind),
        "summary": job_api.job_result_summary(job),
        "state": _state(job),
        "can_list": actor_can(request.membership, Capability.RUN_JOBS),
    }


@member_required(Capability.RUN_JOBS)
@require_http_methods(["GET", "POST"])
def jobs(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    if request.method == "POST":
        try:
            job = job_api.job_enqueue(actor=actor, kind=request.POST.get("kind", ""), params={})
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("jobs")
        return redirect("job", job_id=job.pk)
    job_api.job_fail_stale(organisation_id=actor.organisation_id)
    page = Paginator(job_api.job_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"job": job, "label": job_api.job_kind_label(job.kind)} for job in page.object_list]
    return render(
        request,
        "core/jobs.html",
        {"page": page, "rows": rows, "startable": job_api.job_kinds_startable(actor=actor)},
    )


@member_required()
@require_GET
def job_detail(request: AspaRequest, job_id: int) -> HttpResponse:
    job = _job_loaded(request, job_id)
    return render(request, "core/job_detail.html", _job_context(request, job))


@member_required()
@require_GET
def job_progress(request: AspaRequest, job_id: int) -> HttpResponse:
    """The polled fragment; when the state changed since `?seen=`, it also updates the live region."""
    job = _job_loaded(request, job_id)
    context = _job_context(request, job)
    context["announce"] = bool(request.htmx) and request.GET.get("seen") != context["state"]
    return render(request, "core/job_progress.html", context)


@require_POST
@member_required()
def job_cancel(request: AspaRequest, job_id: int) -> HttpResponse:
    job = job_api.job_get(actor=request.membership, job_id=job_id)
    try:
        job = job_api.job_cancel(actor=request.membership, job=job)
    except ValidationError as exc:
        for message in exc.messages:
            messages.info(request, message)
    else:
        if job.status == JobStatus.CANCELLED:
            messages.success(request, _("The job was cancelled."))
        else:
            messages.success(request, _("Cancelling: the job stops at its next step."))
    return redirect("job", job_id=job.pk)
