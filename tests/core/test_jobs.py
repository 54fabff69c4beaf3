"""The job API end to end on the in-process backend: enqueue, run, progress, failure, cancel, scoping.

Tests that let a worker thread run use `transactional_db`: the thread has its own database connection
and sees only committed rows. pytest-django's SQLite test database is an in-memory, shared-cache
database, which every thread's connection opens by name, so the worker sees the same tables; but
shared-cache SQLite answers "table is locked" at once (no busy timeout) when two connections touch a
table together. So these tests never poll the database while a job runs: they wait for the thread
(`inprocess_wait`) or for a `Gate` the job opens, and write only while the job stands at the gate.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta
from typing import Any, ClassVar

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aspa.core import jobs
from aspa.core.jobs import (
    ERR_ALREADY_FINISHED,
    ERR_SELFCHECK_FAILED,
    ERR_STALE_QUEUED,
    ERR_STALE_RUNNING,
    ERR_UNEXPECTED,
    ERR_UNKNOWN_KIND,
    SELFCHECK,
    JobCancelled,
    JobContext,
    job_cancel,
    job_enqueue,
    job_fail_stale,
    job_get,
    job_kind,
    job_list,
    job_run,
)
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Capability, Role
from aspa.core.tenancy import ERR_FORBIDDEN

BOOM = "tests.boom"
GATED = "tests.gated"
OPEN_KIND = "tests.open"


@job_kind(BOOM, label="Boom")
def _boom(ctx: JobContext) -> None:
    ctx.progress(1, 4, "about to fail")
    raise RuntimeError("internal detail the user must not see")


class Gate:
    """A job of kind GATED reports step 1, opens `reached`, and waits for `proceed` before going on."""

    _open: ClassVar[dict[str, Gate]] = {}

    def __init__(self) -> None:
        self.name = uuid.uuid4().hex
        self.reached = threading.Event()
        self.proceed = threading.Event()
        Gate._open[self.name] = self

    @classmethod
    def named(cls, name: str) -> Gate:
        return cls._open[name]

    def wait_reached(self, timeout: float = 20.0) -> None:
        assert self.reached.wait(timeout), "the job never reached its gate"


@job_kind(GATED, label="Gated")
def _gated(ctx: JobContext) -> dict[str, Any]:
    gate = Gate.named(ctx.params["gate"])
    ctx.progress(1, 3, "at the gate")
    gate.reached.set()
    gate.proceed.wait(timeout=20)  # bounded: a broken test ends instead of hanging
    ctx.heartbeat()  # unthrottled: notices a cancel now (progress() may skip a write within its interval)
    ctx.progress(2, 3, "past the gate")
    ctx.progress(3, 3, "done")
    return {"passed": True}


@job_kind(OPEN_KIND, label="Open to everyone", capability=None)
def _open(ctx: JobContext) -> dict[str, Any]:
    return {"ok": True}


@pytest.fixture
def inprocess(settings):
    settings.ASPA_JOB_BACKEND = "inprocess"
    yield
    assert jobs.inprocess_wait(timeout=30), "an in-process job was still running after the test"


def _in_language_of(membership, message: str, **params: Any) -> str:
    with translation.override(membership.user.language):
        return _(message) % params if params else _(message)


# --- End to end on the in-process backend ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_selfcheck_runs_to_success_with_full_progress(member_of, inprocess):
    planner = member_of(Role.PLANNER)

    job = job_enqueue(actor=planner, kind=SELFCHECK, params={"steps": 12, "delay": 0.01})

    assert jobs.inprocess_wait(timeout=20)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.progress_done, job.progress_total, job.percent) == (12, 12, 100)
    assert job.result["steps"] == 12
    assert job.error == ""
    assert job.started_at is not None and job.finished_at is not None
    assert job.created_by == planner.user
    assert job.organisation_id == planner.organisation_id


@pytest.mark.django_db(transaction=True)
def test_job_error_fails_with_its_readable_message(member_of, inprocess):
    lead = member_of(Role.LEAD)

    job = job_enqueue(actor=lead, kind=SELFCHECK, params={"steps": 5, "delay": 0, "fail_at": 3})

    assert jobs.inprocess_wait(timeout=20)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == _in_language_of(lead, ERR_SELFCHECK_FAILED, step=3)
    assert job.progress_done == 2  # the last step it reported before failing
    assert job.result is None


@pytest.mark.django_db(transaction=True)
def test_unexpected_exception_stores_readable_message_and_logs_traceback(member_of, inprocess, caplog):
    planner = member_of(Role.PLANNER)

    with caplog.at_level(logging.ERROR, logger="aspa.core.jobs"):
        job = job_enqueue(actor=planner, kind=BOOM, params={})
        assert jobs.inprocess_wait(timeout=20)

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == _in_language_of(planner, ERR_UNEXPECTED)
    assert "internal detail" not in job.error and "Traceback" not in job.error
    logged = [r for r in caplog.records if r.exc_info and f"Job {job.pk}" in r.getMessage()]
    assert logged and "internal detail" in str(logged[0].exc_info[1])


@pytest.mark.django_db(transaction=True)
def test_cancel_stops_a_running_job_cooperatively(member_of, inprocess):
    manager = member_of(Role.MANAGER)
    gate = Gate()
    job = job_enqueue(actor=manager, kind=GATED, params={"gate": gate.name})
    gate.wait_reached()

    returned = job_cancel(actor=manager, job=job)
    gate.proceed.set()

    assert returned.status == JobStatus.RUNNING and returned.cancel_requested
    assert jobs.inprocess_wait(timeout=20)
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.finished_at is not None
    assert (job.progress_done, job.message) == (1, "at the gate")
    assert job.result is None


@pytest.mark.django_db(transaction=True)
def test_gated_job_runs_through_when_nobody_cancels(member_of, inprocess):
    planner = member_of(Role.PLANNER)
    gate = Gate()
    job = job_enqueue(actor=planner, kind=GATED, params={"gate": gate.name})
    gate.wait_reached()

    gate.proceed.set()

    assert jobs.inprocess_wait(timeout=20)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"passed": True}


@pytest.mark.django_db(transaction=True)
def test_lead_may_cancel_a_job_a_planner_started(member_of, inprocess):
    planner, lead = member_of(Role.PLANNER), member_of(Role.LEAD)
    gate = Gate()
    job = job_enqueue(actor=planner, kind=GATED, params={"gate": gate.name})
    gate.wait_reached()

    job_cancel(actor=lead, job=job)
    gate.proceed.set()

    assert jobs.inprocess_wait(timeout=20)
    assert Job.objects.get(pk=job.pk).status == JobStatus.CANCELLED


# --- Enqueue: permissions, validation, dispatch after commit ----------------------------------------


@pytest.mark.django_db
def test_enqueue_dispatches_only_after_commit(member_of, django_capture_on_commit_callbacks, monkeypatch):
    dispatched: list[int] = []
    monkeypatch.setattr(jobs, "_dispatch", dispatched.append)
    planner = member_of(Role.PLANNER)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = job_enqueue(actor=planner, kind=SELFCHECK, params={"steps": "7"})
        assert dispatched == []

    assert job.status == JobStatus.QUEUED
    assert job.params == {"steps": 7, "delay": 0.25}
    assert len(callbacks) == 1
    callbacks[0]()
    assert dispatched == [job.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AGENT, Role.COACH, Role.ASSESSOR])
def test_roles_without_run_jobs_cannot_enqueue(member_of, role, django_capture_on_commit_callbacks):
    actor = member_of(role)

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied) as exc:
        job_enqueue(actor=actor, kind=SELFCHECK, params={})

    assert str(exc.value) == _(ERR_FORBIDDEN)
    assert not Job.objects.exists()
    assert callbacks == []


@pytest.mark.django_db
def test_inactive_membership_cannot_enqueue(member_of):
    admin = member_of(Role.ADMIN)
    admin.is_active = False
    admin.save()

    with pytest.raises(PermissionDenied):
        job_enqueue(actor=admin, kind=SELFCHECK, params={})
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_unknown_kind_is_refused(member_of):
    with pytest.raises(ValidationError) as exc:
        job_enqueue(actor=member_of(Role.ADMIN), kind="nope.missing", params={})

    assert exc.value.messages == [_(ERR_UNKNOWN_KIND) % {"kind": "nope.missing"}]
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"steps": 0}, {"steps": "many"}, {"steps": 5000}, {"delay": 9}])
def test_invalid_parameters_are_refused(member_of, params):
    with pytest.raises(ValidationError):
        job_enqueue(actor=member_of(Role.ADMIN), kind=SELFCHECK, params=params)
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_kind_without_capability_is_open_to_any_member(member_of, django_capture_on_commit_callbacks):
    agent = member_of(Role.AGENT)

    with django_capture_on_commit_callbacks(execute=False):
        job = job_enqueue(actor=agent, kind=OPEN_KIND, params={})

    job_run(job.pk)  # the runner itself, synchronously
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"ok": True}


# --- Cancel -----------------------------------------------------------------------------------------


def _queued_job(actor, kind: str = SELFCHECK) -> Job:
    return Job.objects.create(
        organisation_id=actor.organisation_id,
        created_by=actor.user,
        kind=kind,
        params={"steps": 3, "delay": 0},
    )


@pytest.mark.django_db
def test_cancelling_a_queued_job_ends_it_and_the_runner_skips_it(member_of):
    planner = member_of(Role.PLANNER)
    job = _queued_job(planner)

    cancelled = job_cancel(actor=planner, job=job)
    job_run(job.pk)

    job.refresh_from_db()
    assert cancelled.status == job.status == JobStatus.CANCELLED
    assert job.started_at is None and job.finished_at is not None


@pytest.mark.django_db
def test_cancelling_a_finished_job_is_refused(member_of):
    planner = member_of(Role.PLANNER)
    job = _queued_job(planner)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED

    with pytest.raises(ValidationError) as exc:
        job_cancel(actor=planner, job=job)

    assert exc.value.messages == [_(ERR_ALREADY_FINISHED)]
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and not job.cancel_requested


@pytest.mark.django_db
def test_another_organisation_cannot_cancel(member_of, other_org):
    job = _queued_job(member_of(Role.PLANNER))
    outsider = member_of(Role.ADMIN, organisation=other_org)

    with pytest.raises(PermissionDenied):
        job_cancel(actor=outsider, job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and not job.cancel_requested


@pytest.mark.django_db
def test_member_cannot_cancel_someone_elses_job(member_of, django_capture_on_commit_callbacks):
    planner, agent = member_of(Role.PLANNER), member_of(Role.AGENT)
    job = _queued_job(planner, kind=OPEN_KIND)

    with pytest.raises(PermissionDenied):
        job_cancel(actor=agent, job=job)

    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and not job.cancel_requested


# --- Selectors: who sees which jobs -----------------------------------------------------------------


@pytest.mark.django_db
def test_run_jobs_roles_see_all_of_the_organisation_others_only_their_own(member_of, other_org):
    planner, lead, agent = member_of(Role.PLANNER), member_of(Role.LEAD), member_of(Role.AGENT)
    planners = _queued_job(planner)
    agents = _queued_job(agent, kind=OPEN_KIND)
    foreign = _queued_job(member_of(Role.ADMIN, organisation=other_org))

    assert set(job_list(actor=lead)) == {planners, agents}
    assert list(job_list(actor=agent)) == [agents]
    assert job_get(actor=agent, job_id=agents.pk) == agents
    for actor, job_id in [(agent, planners.pk), (lead, foreign.pk), (planner, 999_999)]:
        with pytest.raises(Http404):
            job_get(actor=actor, job_id=job_id)


# --- Progress reporting -------------------------------------------------------------------------------


def _running_job(actor) -> Job:
    job = _queued_job(actor)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())
    job.refresh_from_db()
    return job


@pytest.mark.django_db
def test_progress_writes_are_throttled_but_the_last_step_always_lands(member_of, django_assert_num_queries):
    job = _running_job(member_of(Role.PLANNER))
    ctx = JobContext(job, min_interval=3600)

    with django_assert_num_queries(1):
        ctx.progress(1, 10, "first")
    with django_assert_num_queries(0):
        for step in range(2, 10):
            ctx.progress(step, 10, f"step {step}")
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.message) == (1, 10, "first")

    with django_assert_num_queries(1):
        ctx.progress(10, 10, "last")
    job.refresh_from_db()
    assert (job.progress_done, job.message) == (10, "last")
    assert job.heartbeat_at is not None


@pytest.mark.django_db
def test_progress_raises_cancelled_once_cancel_was_requested(member_of):
    planner = member_of(Role.PLANNER)
    job = _running_job(planner)
    ctx = JobContext(job, min_interval=0)
    ctx.progress(1, 5)

    job_cancel(actor=planner, job=job)

    with pytest.raises(JobCancelled):
        ctx.progress(2, 5)
    with pytest.raises(JobCancelled):
        ctx.check_cancelled()
    job.refresh_from_db()
    assert job.progress_done == 1  # the refused report wrote nothing


@pytest.mark.django_db
def test_context_actor_is_the_starting_membership(member_of):
    planner = member_of(Role.PLANNER)
    assert JobContext(_running_job(planner)).actor == planner


# --- Jobs whose process died -------------------------------------------------------------------------


@pytest.mark.django_db
def test_stale_jobs_are_marked_failed(member_of, other_org, settings):
    settings.ASPA_JOB_STALE_SECONDS = 60
    settings.ASPA_JOB_QUEUE_TIMEOUT_SECONDS = 600
    planner = member_of(Role.PLANNER)
    long_ago = timezone.now() - timedelta(hours=2)
    dead = _running_job(planner)
    Job.objects.filter(pk=dead.pk).update(heartbeat_at=long_ago)
    alive = _running_job(planner)
    Job.objects.filter(pk=alive.pk).update(heartbeat_at=timezone.now())
    never_started = _queued_job(planner)
    Job.objects.filter(pk=never_started.pk).update(created_at=long_ago)
    fresh_queued = _queued_job(planner)
    foreign = _running_job(member_of(Role.ADMIN, organisation=other_org))
    Job.objects.filter(pk=foreign.pk).update(heartbeat_at=long_ago)

    assert job_fail_stale(organisation_id=planner.organisation_id) == 2

    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == statuses[never_started.pk] == JobStatus.FAILED
    assert statuses[alive.pk] == statuses[foreign.pk] == JobStatus.RUNNING
    assert statuses[fresh_queued.pk] == JobStatus.QUEUED
    with translation.override(settings.LANGUAGE_CODE):
        assert Job.objects.get(pk=dead.pk).error == _(ERR_STALE_RUNNING)
        assert Job.objects.get(pk=never_started.pk).error == _(ERR_STALE_QUEUED)


@pytest.mark.django_db
def test_a_job_given_up_as_stale_is_not_revived_by_its_runner(member_of):
    planner = member_of(Role.PLANNER)
    job = _running_job(planner)
    ctx = JobContext(job, min_interval=0)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="gave up")

    with pytest.raises(JobCancelled):
        ctx.progress(1, 3)
    jobs._finish(job.pk, JobStatus.SUCCEEDED, ctx=ctx, result={"late": True})

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.result is None


@translation.override("en")
def test_selfcheck_summary_counts_in_plural():
    assert "3 steps" in jobs._selfcheck_summary({"steps": 3, "seconds": 1.0})
    assert "1 step " in jobs._selfcheck_summary({"steps": 1, "seconds": 0.1})


def test_demo_kind_is_registered_and_startable_by_run_jobs_roles():
    kind = jobs.job_kind_get(SELFCHECK)
    assert kind is not None and kind.startable and kind.capability == Capability.RUN_JOBS
