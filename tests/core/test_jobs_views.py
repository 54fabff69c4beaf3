"""Job pages: list and start, the job page, the polled progress fragment, cancelling, tenant isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from aspa.core.jobs import SELFCHECK
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Role

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english():
    # Assert on English msgids whatever the Finnish catalogue holds.
    with translation.override("en"):
        yield


def _job(actor, **fields) -> Job:
    values = {
        "organisation_id": actor.organisation_id,
        "created_by": actor.user,
        "kind": SELFCHECK,
        "params": {"steps": 20, "delay": 0},
    }
    values.update(fields)
    return Job.objects.create(**values)


def _client(client_for, membership):
    client = client_for(membership)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def english_member(member_of):
    def make(role, **kwargs):
        membership = member_of(role, **kwargs)
        membership.user.language = "en"
        membership.user.save(update_fields=["language"])
        return membership

    return make


# --- The Jobs page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_jobs_page_lists_the_organisations_jobs_only(english_member, other_org, client_for):
    planner = english_member(Role.PLANNER)
    mine = _job(planner, status=JobStatus.RUNNING, progress_done=5, progress_total=20)
    foreign = _job(english_member(Role.ADMIN, organisation=other_org))

    response = _client(client_for, planner).get(reverse("jobs"))

    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("job", args=[mine.pk]) in body
    assert reverse("job", args=[foreign.pk]) not in body
    assert "25 %" in body
    assert 'name="kind" value="core.selfcheck"' in body


@pytest.mark.django_db
def test_jobs_page_paginates(english_member, client_for):
    planner = english_member(Role.PLANNER)
    for _ in range(30):
        _job(planner, status=JobStatus.SUCCEEDED)
    client = _client(client_for, planner)

    first = client.get(reverse("jobs"))
    second = client.get(reverse("jobs"), {"page": 2})

    assert len(first.context["rows"]) == 25
    assert 'rel="next"' in first.content.decode()
    assert len(second.context["rows"]) == 5


@pytest.mark.django_db
def test_start_button_enqueues_and_redirects_to_the_job(
    english_member, client_for, django_capture_on_commit_callbacks
):
    lead = english_member(Role.LEAD)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _client(client_for, lead).post(reverse("jobs"), {"kind": SELFCHECK})

    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.kind == SELFCHECK and job.created_by == lead.user and job.status == JobStatus.QUEUED
    assert len(callbacks) == 1


@pytest.mark.django_db
def test_start_with_unknown_kind_shows_the_error_and_writes_nothing(english_member, client_for):
    client = _client(client_for, english_member(Role.ADMIN))

    response = client.post(reverse("jobs"), {"kind": "nope"}, follow=True)

    assert "Unknown kind of job: nope." in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.AGENT, Role.COACH, Role.ASSESSOR])
def test_roles_without_run_jobs_get_403_and_nothing_is_written(english_member, client_for, role):
    client = _client(client_for, english_member(role))

    assert client.get(reverse("jobs")).status_code == 403
    assert client.post(reverse("jobs"), {"kind": SELFCHECK}).status_code == 403
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("jobs"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_nav_shows_jobs_only_to_run_jobs_roles(english_member, client_for):
    jobs_link = f'href="{reverse("jobs")}"'
    assert (
        jobs_link in _client(client_for, english_member(Role.PLANNER)).get(reverse("home")).content.decode()
    )
    assert (
        jobs_link not in _client(client_for, english_member(Role.AGENT)).get(reverse("home")).content.decode()
    )


# --- One job's page and its progress fragment ------------------------------------------------------


@pytest.mark.django_db
def test_running_job_page_polls_and_offers_cancel(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(
        planner, status=JobStatus.RUNNING, progress_done=5, progress_total=20, message="Counted 5 steps"
    )

    body = _client(client_for, planner).get(reverse("job", args=[job.pk])).content.decode()

    assert 'hx-trigger="every 1s"' in body
    assert f'hx-get="{reverse("job_progress", args=[job.pk])}?seen=running"' in body
    assert 'value="25"' in body and "5 of 20 steps done (25 %)" in body
    assert 'role="status" aria-live="polite"' in body and "Running." in body
    assert f'action="{reverse("job_cancel", args=[job.pk])}"' in body
    assert "Counted 5 steps" in body


@pytest.mark.django_db
def test_failed_job_page_shows_readable_error_and_no_polling(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(
        planner, status=JobStatus.FAILED, error="The queue file had no rows.", finished_at=timezone.now()
    )

    body = _client(client_for, planner).get(reverse("job", args=[job.pk])).content.decode()

    assert "Failed. The queue file had no rows." in body
    assert "hx-trigger" not in body
    assert reverse("job_cancel", args=[job.pk]) not in body


@pytest.mark.django_db
def test_succeeded_job_page_shows_result_summary(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(
        planner,
        status=JobStatus.SUCCEEDED,
        progress_done=20,
        progress_total=20,
        result={"steps": 20, "seconds": 5.1},
        finished_at=timezone.now(),
    )

    body = _client(client_for, planner).get(reverse("job", args=[job.pk])).content.decode()

    assert "Finished. Counted 20 steps in 5.1 seconds." in body
    assert 'value="100"' in body and "hx-trigger" not in body


@pytest.mark.django_db
def test_progress_fragment_keeps_polling_and_announces_only_changes(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(planner, status=JobStatus.RUNNING, progress_done=3, progress_total=4)
    client = _client(client_for, planner)
    url = reverse("job_progress", args=[job.pk])

    unchanged = client.get(url, {"seen": "running"}, **HTMX)
    changed = client.get(url, {"seen": "queued"}, **HTMX)

    assert unchanged.status_code == changed.status_code == 200
    assert unchanged.templates[0].name == "core/job_progress.html"
    for response in (unchanged, changed):
        assert 'hx-trigger="every 1s"' in response.content.decode()
        assert "3 of 4 steps done (75 %)" in response.content.decode()
        assert "<html" not in response.content.decode()
    assert "hx-swap-oob" not in unchanged.content.decode()
    assert 'id="job-live" hx-swap-oob="innerHTML"' in changed.content.decode()


@pytest.mark.django_db
def test_progress_fragment_of_a_finished_job_stops_polling(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(planner, status=JobStatus.CANCELLED, progress_done=7, progress_total=20)

    response = _client(client_for, planner).get(
        reverse("job_progress", args=[job.pk]), {"seen": "running-cancelling"}, **HTMX
    )

    body = response.content.decode()
    assert "hx-trigger" not in body
    assert "Cancelled." in body  # the live region learns the new state once
    assert reverse("job_cancel", args=[job.pk]) not in body


@pytest.mark.django_db
def test_viewing_a_dead_job_marks_it_failed(english_member, client_for, settings):
    settings.ASPA_JOB_STALE_SECONDS = 60
    planner = english_member(Role.PLANNER)
    job = _job(planner, status=JobStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(hours=1))

    body = _client(client_for, planner).get(reverse("job_progress", args=[job.pk]), **HTMX).content.decode()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "hx-trigger" not in body


@pytest.mark.django_db
def test_agent_sees_own_job_page_but_not_a_planners(english_member, client_for):
    planner, agent = english_member(Role.PLANNER), english_member(Role.AGENT)
    own = _job(agent, kind="tests.open")
    planners = _job(planner)
    client = _client(client_for, agent)

    assert client.get(reverse("job", args=[own.pk])).status_code == 200
    assert client.get(reverse("job", args=[planners.pk])).status_code == 404
    assert client.post(reverse("job_cancel", args=[planners.pk])).status_code == 404
    planners.refresh_from_db()
    assert not planners.cancel_requested


# --- Cancel -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_cancel_button_requests_cancel_of_a_running_job(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(planner, status=JobStatus.RUNNING)

    response = _client(client_for, planner).post(reverse("job_cancel", args=[job.pk]), follow=True)

    job.refresh_from_db()
    assert job.cancel_requested and job.status == JobStatus.RUNNING
    assert "Cancelling: the job stops at its next step." in response.content.decode()
    assert "Cancelling…" in response.content.decode()


@pytest.mark.django_db
def test_cancel_of_a_queued_job_ends_it_at_once(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(planner)

    response = _client(client_for, planner).post(reverse("job_cancel", args=[job.pk]))

    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED


@pytest.mark.django_db
def test_cancel_needs_post(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(planner, status=JobStatus.RUNNING)

    assert _client(client_for, planner).get(reverse("job_cancel", args=[job.pk])).status_code == 405
    job.refresh_from_db()
    assert not job.cancel_requested


@pytest.mark.django_db
def test_cancel_of_finished_job_says_so(english_member, client_for):
    planner = english_member(Role.PLANNER)
    job = _job(planner, status=JobStatus.SUCCEEDED)

    response = _client(client_for, planner).post(reverse("job_cancel", args=[job.pk]), follow=True)

    assert "This job has already finished." in response.content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and not job.cancel_requested


# --- Tenant isolation -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_organisations_admin_gets_404_everywhere_and_changes_nothing(
    english_member, other_org, client_for
):
    job = _job(english_member(Role.PLANNER), status=JobStatus.RUNNING)
    outsider = _client(client_for, english_member(Role.ADMIN, organisation=other_org))

    assert outsider.get(reverse("job", args=[job.pk])).status_code == 404
    assert outsider.get(reverse("job_progress", args=[job.pk]), **HTMX).status_code == 404
    assert outsider.post(reverse("job_cancel", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not job.cancel_requested
