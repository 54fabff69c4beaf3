"""Polling a background job through the JSON API: progress and outcome, roles, other organisations."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from aspa.core.jobs import SELFCHECK, inprocess_wait, job_enqueue
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Role
from aspa.org import services as org_services


def _bearer(membership) -> Client:
    _, raw = org_services.api_token_create(actor=membership, name="Seuranta")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _url(job: Job) -> str:
    return reverse("api:job_detail", kwargs={"job_id": job.pk})


@pytest.mark.django_db(transaction=True)
def test_finished_job_shows_progress_and_result(member_of):
    lead = member_of(Role.LEAD)
    job = job_enqueue(actor=lead, kind=SELFCHECK, params={"steps": 3, "delay": 0})
    assert inprocess_wait(30)
    body = _bearer(lead).get(_url(job)).json()
    assert body["status"] == JobStatus.SUCCEEDED and body["finished"] is True
    assert body["progress"]["done"] == body["progress"]["total"] == 3
    assert body["result"]["steps"] == 3 and body["error"] == ""
    assert body["url"] == _url(job) and body["kind"] == SELFCHECK


@pytest.mark.django_db(transaction=True)
def test_failed_job_shows_its_error(member_of):
    lead = member_of(Role.LEAD)
    job = job_enqueue(actor=lead, kind=SELFCHECK, params={"steps": 3, "delay": 0, "fail_at": 2})
    assert inprocess_wait(30)
    body = _bearer(lead).get(_url(job)).json()
    assert body["status"] == JobStatus.FAILED and body["finished"] is True
    assert "2" in body["error"] and body["result"] is None


def test_queued_job_is_not_finished(member_of):
    lead = member_of(Role.LEAD)
    # Not committed (the test's transaction), so no thread picks it up: it stays queued.
    job = job_enqueue(actor=lead, kind=SELFCHECK, params={"steps": 3, "delay": 0})
    body = _bearer(lead).get(_url(job)).json()
    assert body["status"] == JobStatus.QUEUED and body["finished"] is False


def test_other_organisation_and_other_people_get_404(member_of, other_org):
    lead = member_of(Role.LEAD)
    job = Job.objects.create(organisation=lead.organisation, created_by=lead.user, kind=SELFCHECK)
    outsider = member_of(Role.ADMIN, organisation=other_org)
    response = _bearer(outsider).get(_url(job))
    assert response.status_code == 404 and SELFCHECK not in response.content.decode()
    # An agent sees only the jobs they started.
    assert _bearer(member_of(Role.AGENT)).get(_url(job)).status_code == 404
    assert _bearer(member_of(Role.PLANNER)).get(_url(job)).status_code == 200
    assert Client().get(_url(job)).status_code == 401
