"""The Celery backend against a real Redis broker and a real (in-thread) Celery worker.

Redis is found at $ASPA_TEST_REDIS_URL (default redis://127.0.0.1:6379/15); without it these tests
are skipped with a notice, never failed. Start one with: redis-server --daemonize yes --save ''

As in test_jobs.py, the test never reads the shared-cache SQLite database while the worker writes it:
it waits for Celery's task_postrun signal (or the job's gate) and reads afterwards.
"""

from __future__ import annotations

import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from aspa.core import jobs
from aspa.core.jobs import ERR_SELFCHECK_FAILED, SELFCHECK, job_cancel, job_enqueue
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Role
from tests.core.test_jobs import GATED, Gate

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("ASPA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

WaitForTask = Callable[[int], Job]


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.fixture
def celery_worker(settings) -> Iterator[WaitForTask]:
    """A real worker on Redis; yields wait(job_id) -> the job row once the worker's task ended."""
    if not _redis_answers(REDIS_URL):
        pytest.skip(
            f"Celery job backend not tested: no Redis answers at {REDIS_URL} (set ASPA_TEST_REDIS_URL)"
        )
    from celery.contrib.testing.worker import start_worker
    from celery.signals import task_postrun
    from config.celery import app

    finished: defaultdict[int, threading.Event] = defaultdict(threading.Event)
    lock = threading.Lock()

    def on_postrun(sender: Any = None, args: Any = None, **kwargs: Any) -> None:
        if getattr(sender, "name", "") == "aspa.core.run_job" and args:
            with lock:
                finished[int(args[0])].set()

    def wait(job_id: int) -> Job:
        with lock:
            event = finished[job_id]
        assert event.wait(timeout=30), f"the worker did not finish job {job_id} in 30 s"
        return Job.objects.get(pk=job_id)

    settings.ASPA_JOB_BACKEND = "celery"
    previous = app.conf.broker_url
    app.conf.broker_url = REDIS_URL
    task_postrun.connect(on_postrun, weak=False)
    # A clean queue: nothing left over from an earlier, interrupted run.
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=20):
            yield wait
    finally:
        task_postrun.disconnect(on_postrun)
        # The producer pool stays open on purpose: Celery cannot reopen a force-closed pool in-process.
        app.conf.broker_url = previous


def test_job_runs_on_a_celery_worker_to_success(member_of, celery_worker):
    planner = member_of(Role.PLANNER)

    job = job_enqueue(actor=planner, kind=SELFCHECK, params={"steps": 6, "delay": 0.01})

    done = celery_worker(job.pk)
    assert done.status == JobStatus.SUCCEEDED, done.error
    assert (done.progress_done, done.progress_total, done.percent) == (6, 6, 100)
    assert done.result["steps"] == 6
    assert jobs.inprocess_wait(timeout=0)  # nothing went to the in-process pool


def test_failure_on_a_celery_worker_is_readable(member_of, celery_worker):
    planner = member_of(Role.PLANNER)

    job = job_enqueue(actor=planner, kind=SELFCHECK, params={"steps": 4, "delay": 0, "fail_at": 2})

    done = celery_worker(job.pk)
    assert done.status == JobStatus.FAILED
    with translation.override(planner.user.language):
        assert done.error == _(ERR_SELFCHECK_FAILED) % {"step": 2}


def test_cancel_reaches_a_job_on_a_celery_worker(member_of, celery_worker):
    planner = member_of(Role.PLANNER)
    gate = Gate()
    job = job_enqueue(actor=planner, kind=GATED, params={"gate": gate.name})
    gate.wait_reached()

    job_cancel(actor=planner, job=job)
    gate.proceed.set()

    done = celery_worker(job.pk)
    assert done.status == JobStatus.CANCELLED
    assert done.progress_done == 1
