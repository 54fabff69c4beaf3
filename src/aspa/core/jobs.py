"""Background jobs: one API, two backends.

A module registers a *job kind* with `@job_kind(...)`; a service calls `job_enqueue(...)`; after the
transaction commits, the backend named by `settings.ASPA_JOB_BACKEND` runs it:

- ``"inprocess"`` (embedded default): a thread pool inside the web process. No other service is needed;
  jobs queued when the process stops are lost (the stale sweep below marks them failed).
- ``"celery"``: the Celery task `aspa.core.tasks.run_job` on a Redis broker, for any number of workers.

The job function gets a `JobContext` and reports progress through it; each report is a short write of
its own (throttled), and is also where a cancel request is noticed: `progress()` raises `JobCancelled`,
so cancelling is cooperative. A job that wants to fail with a message for people raises `JobError`;
any other exception is logged with its traceback and the job shows a generic, readable message.

Who sees which jobs: roles with RUN_JOBS (lead, planner, manager, admin) see every job of their
organisation and may cancel it; anybody else sees and may cancel only the jobs they started (a kind may
be open to other roles, e.g. a personal export).

Jobs whose process died: the runner touches `heartbeat_at` on every progress write. `job_fail_stale`
marks RUNNING jobs silent for `ASPA_JOB_STALE_SECONDS` (default 30 min), and QUEUED jobs never picked up
within `ASPA_JOB_QUEUE_TIMEOUT_SECONDS` (default 24 h), as failed; the job pages call it when viewed.
A job function must therefore report progress (or call `ctx.heartbeat()`) more often than that.
The runner only claims QUEUED jobs, so a Celery message redelivered after a worker died (acks_late)
does not run the job twice: the job stays RUNNING until the sweep fails it, and a person restarts it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import close_old_connections, connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aspa.core.models import Job, JobStatus
from aspa.core.roles import Capability
from aspa.core.tenancy import ERR_FORBIDDEN, Actor, actor_can, require

if TYPE_CHECKING:
    from aspa.org.models import Membership

logger = logging.getLogger(__name__)

ERR_UNKNOWN_KIND = "Unknown kind of job: %(kind)s."
ERR_ALREADY_FINISHED = "This job has already finished."
ERR_UNEXPECTED = (
    "The job stopped because of an unexpected error. It has been logged; try again or contact support."
)
ERR_KIND_GONE = "This kind of job is no longer available."
ERR_RESULT_NOT_STORABLE = "The job finished but its result could not be stored."
ERR_STALE_RUNNING = "The job stopped responding (the process running it ended). Start it again."
ERR_STALE_QUEUED = "The job was never started (the process that should have run it ended). Start it again."
ERR_UNKNOWN_BACKEND = "Unknown ASPA_JOB_BACKEND %r: use 'inprocess' or 'celery'."

# Progress is written at most this often (seconds); the first and the final report are always written.
PROGRESS_MIN_INTERVAL = 0.5
DEFAULT_STALE_SECONDS = 30 * 60
DEFAULT_QUEUE_TIMEOUT_SECONDS = 24 * 3600
DEFAULT_INPROCESS_THREADS = 2


# --- Errors the job function raises or meets ---------------------------------------------------------


class JobCancelled(Exception):
    """Raised by `JobContext.progress()` once someone asked to cancel; the runner marks the job CANCELLED."""


class JobError(Exception):
    """A failure the job explains to people: its message (already translated) is shown on the job page.

    `details` (JSON-able, optional) is kept as the failed job's `result`, for programs reading the job
    through the API (e.g. an import's problems line by line).
    """

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.details = details


# --- Registry ----------------------------------------------------------------------------------------

JobFunction = Callable[["JobContext"], Any]


@dataclass(frozen=True)
class JobKind:
    """A registered kind of job.

    `clean_params` validates and normalises the parameters at enqueue time (raise ValidationError);
    `summarise` turns a stored result into one translated sentence for the job page;
    `startable` kinds get a start button on the generic Jobs page (real engines start from their pages).
    """

    name: str
    func: JobFunction
    label: str | Promise
    capability: Capability | None
    clean_params: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    summarise: Callable[[Any], str] | None = None
    startable: bool = False


_REGISTRY: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    label: str | Promise,
    capability: Capability | None = Capability.RUN_JOBS,
    clean_params: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    summarise: Callable[[Any], str] | None = None,
    startable: bool = False,
) -> Callable[[JobFunction], JobFunction]:
    """Register the decorated function as the job kind `name` (e.g. "wfm.forecast")."""

    def decorator(func: JobFunction) -> JobFunction:
        _REGISTRY[name] = JobKind(
            name=name,
            func=func,
            label=label,
            capability=capability,
            clean_params=clean_params,
            summarise=summarise,
            startable=startable,
        )
        return func

    return decorator


def job_kind_get(name: str) -> JobKind | None:
    return _REGISTRY.get(name)


def job_kinds_startable(*, actor: Actor) -> list[JobKind]:
    """The kinds the actor may start from the generic Jobs page."""
    return [
        kind
        for kind in sorted(_REGISTRY.values(), key=lambda k: k.name)
        if kind.startable and (kind.capability is None or actor_can(actor, kind.capability))
    ]


def job_kind_label(name: str) -> str:
    kind = _REGISTRY.get(name)
    return str(kind.label) if kind else name


def job_result_summary(job: Job) -> str:
    kind = _REGISTRY.get(job.kind)
    if job.status != JobStatus.SUCCEEDED or kind is None or kind.summarise is None:
        return ""
    return kind.summarise(job.result)


# --- The context a job function receives ------------------------------------------------------------


class JobContext:
    """What a running job sees: its parameters, its organisation, and a way to report progress."""

    def __init__(self, job: Job, *, min_interval: float = PROGRESS_MIN_INTERVAL) -> None:
        self.job_id: int = job.pk
        self.organisation_id: int = job.organisation_id
        self.created_by_id: int | None = job.created_by_id
        self.params: dict[str, Any] = dict(job.params or {})
        self.done = job.progress_done
        self.total = job.progress_total
        self.message = job.message
        self._min_interval = min_interval
        self._last_write: float | None = None

    def progress(self, done: int, total: int | None = None, message: str | Promise = "") -> None:
        """Report `done` of `total` steps; raises JobCancelled when a cancel was requested.

        Writes are throttled to one per PROGRESS_MIN_INTERVAL, except the first and the last step.
        """
        self.done = max(0, int(done))
        if total is not None:
            self.total = max(0, int(total))
        if message:
            self.message = str(message)[:300]
        now = time.monotonic()
        finished = self.total > 0 and self.done >= self.total
        if not finished and self._last_write is not None and now - self._last_write < self._min_interval:
            return
        self._write(now)

    def heartbeat(self) -> None:
        """Say "still alive" (and notice a cancel) without changing the progress."""
        self._write(time.monotonic())

    def check_cancelled(self) -> None:
        """Raise JobCancelled if a cancel was requested; a read only, for loops that report no progress."""
        if Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, cancel_requested=False).exists():
            return
        raise JobCancelled

    @property
    def actor(self) -> Membership | None:
        """The membership that started the job, if it is still active (for tenant-scoped selectors)."""
        from aspa.org.models import Membership

        if self.created_by_id is None:
            return None
        return (
            Membership.objects.select_related("organisation", "user")
            .filter(organisation_id=self.organisation_id, user_id=self.created_by_id, is_active=True)
            .first()
        )

    def _write(self, now: float) -> None:
        # One UPDATE both stores progress and checks for a cancel: no row matches once a cancel was
        # requested (or the stale sweep gave up on the job).
        self._last_write = now
        updated = Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, cancel_requested=False).update(
            progress_done=min(self.done, self.total) if self.total else self.done,
            progress_total=self.total,
            message=self.message,
            heartbeat_at=timezone.now(),
        )
        if not updated:
            raise JobCancelled


# --- Services ---------------------------------------------------------------------------------------


def job_enqueue(*, actor: Actor, kind: str, params: dict[str, Any] | None = None) -> Job:
    """Create a QUEUED job and hand it to the backend once the surrounding transaction commits."""
    job_kind_obj = _REGISTRY.get(kind)
    if job_kind_obj is None:
        raise ValidationError(_(ERR_UNKNOWN_KIND) % {"kind": kind}, code="unknown_kind")
    if job_kind_obj.capability is not None:
        require(actor, job_kind_obj.capability)
    elif actor is None or not actor.is_active:
        raise PermissionDenied
    cleaned = dict(params or {})
    if job_kind_obj.clean_params is not None:
        cleaned = job_kind_obj.clean_params(cleaned)
    with transaction.atomic():
        job = Job.objects.create(
            organisation_id=actor.organisation_id,
            created_by=actor.user,
            kind=kind,
            params=cleaned,
        )
        job_id = job.pk
        transaction.on_commit(lambda: _dispatch(job_id))
    return job


def job_cancel(*, actor: Actor, job: Job) -> Job:
    """Cancel a job: a queued one at once, a running one cooperatively (at its next progress report)."""
    if job.organisation_id != actor.organisation_id or not _may_see(actor, job):
        raise PermissionDenied(_(ERR_FORBIDDEN))
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status == JobStatus.QUEUED:
            locked.status = JobStatus.CANCELLED
            locked.cancel_requested = True
            locked.finished_at = timezone.now()
            locked.save(update_fields=["status", "cancel_requested", "finished_at"])
        elif locked.status == JobStatus.RUNNING:
            locked.cancel_requested = True
            locked.save(update_fields=["cancel_requested"])
        else:
            raise ValidationError(_(ERR_ALREADY_FINISHED), code="finished")
    return locked


def job_fail_stale(*, organisation_id: int | None = None) -> int:
    """Mark jobs whose process died as FAILED; returns how many. Safe to call often (two UPDATEs)."""
    now = timezone.now()
    stale_seconds = getattr(settings, "ASPA_JOB_STALE_SECONDS", DEFAULT_STALE_SECONDS)
    queue_seconds = getattr(settings, "ASPA_JOB_QUEUE_TIMEOUT_SECONDS", DEFAULT_QUEUE_TIMEOUT_SECONDS)
    base = Job.objects.all()
    if organisation_id is not None:
        base = base.filter(organisation_id=organisation_id)
    running = base.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - timedelta(seconds=stale_seconds))
    queued = base.filter(status=JobStatus.QUEUED, created_at__lt=now - timedelta(seconds=queue_seconds))
    # Stored in the site language: nobody's request is at hand, and the sweep may touch many jobs.
    with translation.override(settings.LANGUAGE_CODE):
        count = running.update(status=JobStatus.FAILED, error=_(ERR_STALE_RUNNING), finished_at=now)
        count += queued.update(status=JobStatus.FAILED, error=_(ERR_STALE_QUEUED), finished_at=now)
    if count:
        logger.warning("Marked %d stale job(s) as failed", count)
    return count


def job_is_stale(job: Job) -> bool:
    now = timezone.now()
    if job.status == JobStatus.RUNNING:
        seconds = getattr(settings, "ASPA_JOB_STALE_SECONDS", DEFAULT_STALE_SECONDS)
        beat = job.heartbeat_at or job.started_at or job.created_at
        return beat < now - timedelta(seconds=seconds)
    if job.status == JobStatus.QUEUED:
        seconds = getattr(settings, "ASPA_JOB_QUEUE_TIMEOUT_SECONDS", DEFAULT_QUEUE_TIMEOUT_SECONDS)
        return job.created_at < now - timedelta(seconds=seconds)
    return False


# --- Selectors --------------------------------------------------------------------------------------


def _may_see(actor: Actor, job: Job) -> bool:
    return actor_can(actor, Capability.RUN_JOBS) or job.created_by_id == actor.user_id


def job_list(*, actor: Actor) -> QuerySet[Job]:
    """The organisation's jobs for RUN_JOBS roles; otherwise only the jobs the actor started."""
    qs = Job.objects.filter(organisation_id=actor.organisation_id).select_related("created_by")
    if not actor.is_active:
        return qs.none()
    if not actor_can(actor, Capability.RUN_JOBS):
        qs = qs.filter(created_by_id=actor.user_id)
    return qs


def job_get(*, actor: Actor, job_id: int) -> Job:
    """One job the actor may see; 404 for anyone else's (no existence leak across organisations)."""
    try:
        return job_list(actor=actor).get(pk=job_id)
    except Job.DoesNotExist as exc:
        raise Http404 from exc


# --- Running ----------------------------------------------------------------------------------------


def job_run(job_id: int) -> None:
    """Run one job to its end state. Called by a backend; never raises for the job's own failures."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED, cancel_requested=False).update(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        # Cancelled before it started, already run (a redelivered Celery message), or deleted.
        logger.info("Job %s not claimed: no longer queued", job_id)
        return
    job = Job.objects.select_related("created_by").get(pk=job_id)
    language = getattr(job.created_by, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        _run_claimed(job)


def _run_claimed(job: Job) -> None:
    kind = _REGISTRY.get(job.kind)
    if kind is None:
        logger.error("Job %s: kind %r is not registered", job.pk, job.kind)
        _finish(job.pk, JobStatus.FAILED, error=_(ERR_KIND_GONE))
        return
    ctx = JobContext(job)
    try:
        result = kind.func(ctx)
    except JobCancelled:
        logger.info("Job %s (%s) cancelled", job.pk, job.kind)
        _finish(job.pk, JobStatus.CANCELLED, ctx=ctx)
    except JobError as exc:
        logger.info("Job %s (%s) failed: %s", job.pk, job.kind, exc)
        _finish(job.pk, JobStatus.FAILED, ctx=ctx, error=str(exc), result=exc.details)
    except Exception:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job.pk, JobStatus.FAILED, ctx=ctx, error=_(ERR_UNEXPECTED))
    else:
        try:
            _finish(job.pk, JobStatus.SUCCEEDED, ctx=ctx, result=result)
        except (TypeError, ValueError):
            logger.exception("Job %s (%s): result not storable", job.pk, job.kind)
            _finish(job.pk, JobStatus.FAILED, ctx=ctx, error=_(ERR_RESULT_NOT_STORABLE))


def _finish(
    job_id: int,
    status: JobStatus,
    *,
    ctx: JobContext | None = None,
    error: str = "",
    result: Any = None,
) -> None:
    fields: dict[str, Any] = {"status": status, "finished_at": timezone.now(), "error": error}
    if ctx is not None:
        done = ctx.total if status == JobStatus.SUCCEEDED and ctx.total else ctx.done
        fields.update(progress_done=done, progress_total=ctx.total, message=ctx.message)
    if status == JobStatus.SUCCEEDED or (status == JobStatus.FAILED and result is not None):
        fields["result"] = result
    # Only a RUNNING job is finished here: the stale sweep may already have given up on it.
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(**fields)


# --- Backends ---------------------------------------------------------------------------------------

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()
_futures: set[Future[None]] = set()


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        job_run(job_id)
    except Exception:
        # job_run handles the job's own failures; this is the database being away, and the like.
        logger.exception("In-process runner failed for job %s", job_id)
    finally:
        # The thread is reused for other jobs; never keep a connection across them.
        connection.close()


def _inprocess_executor() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            threads = getattr(settings, "ASPA_JOB_THREADS", DEFAULT_INPROCESS_THREADS)
            _executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="aspa-job")
        return _executor


def _dispatch(job_id: int) -> None:
    backend = getattr(settings, "ASPA_JOB_BACKEND", "inprocess")
    if backend == "inprocess":
        future = _inprocess_executor().submit(_run_in_thread, job_id)
        with _executor_lock:
            _futures.add(future)
        future.add_done_callback(_forget_future)
    elif backend == "celery":
        import config.celery  # noqa: F401  (configures the Celery app before the task is sent)

        from aspa.core.tasks import run_job

        run_job.delay(job_id)
    else:
        raise ImproperlyConfigured(ERR_UNKNOWN_BACKEND % backend)


def _forget_future(future: Future[None]) -> None:
    with _executor_lock:
        _futures.discard(future)


def inprocess_wait(timeout: float = 30.0) -> bool:
    """Wait until the in-process jobs submitted so far have ended; True when all did (tests, shutdown)."""
    with _executor_lock:
        pending = set(_futures)
    if not pending:
        return True
    _done, not_done = futures_wait(pending, timeout=timeout)
    return not not_done


# --- The demo kind ----------------------------------------------------------------------------------

SELFCHECK = "core.selfcheck"
SELFCHECK_MAX_STEPS = 1000
ERR_SELFCHECK_STEPS = "Steps must be a whole number from 1 to %(max)s."
ERR_SELFCHECK_DELAY = "The delay must be between 0 and 5 seconds."
ERR_SELFCHECK_FAILED = "The self-check was told to fail at step %(step)s."


def _selfcheck_params(params: dict[str, Any]) -> dict[str, Any]:
    try:
        steps = int(params.get("steps", 40))
    except (TypeError, ValueError):
        steps = 0
    if not 1 <= steps <= SELFCHECK_MAX_STEPS:
        raise ValidationError({"steps": _(ERR_SELFCHECK_STEPS) % {"max": SELFCHECK_MAX_STEPS}}, code="steps")
    try:
        delay = float(params.get("delay", 0.25))
    except (TypeError, ValueError):
        delay = -1.0
    if not 0 <= delay <= 5:
        raise ValidationError({"delay": _(ERR_SELFCHECK_DELAY)}, code="delay")
    cleaned: dict[str, Any] = {"steps": steps, "delay": delay}
    if params.get("fail_at") is not None:
        # For tests and demos of the failure path: raise a JobError at that step.
        try:
            cleaned["fail_at"] = int(params["fail_at"])
        except (TypeError, ValueError) as exc:
            raise ValidationError({"fail_at": _(ERR_SELFCHECK_STEPS) % {"max": SELFCHECK_MAX_STEPS}}) from exc
    return cleaned


def _selfcheck_summary(result: Any) -> str:
    if not isinstance(result, dict):
        return ""
    steps = int(result.get("steps", 0))
    return translation.ngettext(
        "Counted %(steps)s step in %(seconds)s seconds.",
        "Counted %(steps)s steps in %(seconds)s seconds.",
        steps,
    ) % {"steps": steps, "seconds": result.get("seconds", 0)}


@job_kind(
    SELFCHECK,
    label=gettext_lazy("Self-check"),
    clean_params=_selfcheck_params,
    summarise=_selfcheck_summary,
    startable=True,
)
def selfcheck(ctx: JobContext) -> dict[str, Any]:
    """Count through N steps, pausing between them: exercises progress, cancel and failure end to end."""
    steps: int = ctx.params["steps"]
    delay: float = ctx.params["delay"]
    fail_at: int | None = ctx.params.get("fail_at")
    started = time.monotonic()
    ctx.progress(0, steps, _("Starting"))
    for step in range(1, steps + 1):
        if delay:
            time.sleep(delay)
        if fail_at is not None and step == fail_at:
            raise JobError(_(ERR_SELFCHECK_FAILED) % {"step": step})
        ctx.progress(
            step,
            steps,
            translation.ngettext("Counted %(n)s step", "Counted %(n)s steps", step) % {"n": step},
        )
    return {"steps": steps, "seconds": round(time.monotonic() - started, 1)}
