"""The API's history import: small files at once (200), large ones as a background job (202 + polling).

The real in-process job backend runs the jobs (test settings); the thresholds are lowered in settings
so a three-row file counts as large.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aspa.core.jobs import inprocess_wait
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Role
from aspa.org import services as org_services
from aspa.wfm import services
from aspa.wfm.models import ContactInterval, HistoryUpload
from tests.wfm.factories import QueueFactory

GOOD = "Alkuaika;Tarjotut;Vastatut\n3.2.2025 8.00;10;9\n3.2.2025 9.00;12;12\n3.2.2025 10.00;7;6\n"
# Line 3 has no such date, line 4 a negative count; line 2 is fine but must not be written either.
BAD = "Alkuaika;Tarjotut;Vastatut\n3.2.2025 8.00;10;9\n32.2.2025 9.00;12;12\n3.2.2025 10.00;-7;0\n"


@pytest.fixture(autouse=True)
def upload_folder(settings, tmp_path):
    settings.ASPA_WFM_UPLOAD_DIR = tmp_path / "uploads"
    return settings.ASPA_WFM_UPLOAD_DIR


@pytest.fixture
def queue(org):
    return QueueFactory(organisation=org, interval_minutes=60)


@pytest.fixture
def large(settings):
    """Three data rows are "large": the API must hand the file to a job."""
    settings.ASPA_WFM_ASYNC_IMPORT_ROWS = 2


def _bearer(membership) -> Client:
    _, raw = org_services.api_token_create(actor=membership, name="Tuonti")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _url(queue) -> str:
    return reverse("api:wfm_history_import", kwargs={"queue_id": queue.pk})


def _post_csv(client: Client, queue, text: str):
    return client.post(_url(queue), text, content_type="text/csv")


def _poll_finished(client: Client, url: str) -> dict:
    assert inprocess_wait(30), "the import job did not end"
    response = client.get(url)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["finished"] is True, body
    return body


def test_small_file_is_imported_at_once(queue, member_of):
    response = _post_csv(_bearer(member_of(Role.PLANNER)), queue, GOOD)
    assert response.status_code == 200, response.content
    assert response.json()["rows"] == 3 and response.json()["intervals"] == 3
    assert ContactInterval.objects.filter(queue=queue).count() == 3
    assert not Job.objects.exists() and not HistoryUpload.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("large")
def test_large_file_answers_202_and_the_job_writes_the_intervals(queue, member_of, upload_folder):
    client = _bearer(member_of(Role.PLANNER))
    response = _post_csv(client, queue, GOOD)
    assert response.status_code == 202, response.content
    job = Job.objects.get(kind=services.IMPORT_JOB)
    body = response.json()
    job_url = reverse("api:job_detail", kwargs={"job_id": job.pk})
    assert body == {"job_id": job.pk, "status": JobStatus.QUEUED, "url": job_url}
    assert response["Location"] == f"http://testserver{job_url}"
    done = _poll_finished(client, response["Location"])
    assert done["status"] == JobStatus.SUCCEEDED, done["error"]
    assert done["result"]["rows"] == 3 and done["result"]["intervals"] == 3
    assert done["progress"]["done"] == done["progress"]["total"] == services.IMPORT_STEPS
    assert sorted(ContactInterval.objects.filter(queue=queue).values_list("offered", flat=True)) == [
        7,
        10,
        12,
    ]
    assert HistoryUpload.objects.get().imported_at is not None
    # The stored copy is removed once imported.
    assert not any(upload_folder.iterdir())


@pytest.mark.django_db(transaction=True)
def test_file_over_the_size_threshold_sent_as_a_form_field_runs_as_a_job(queue, member_of, settings):
    settings.ASPA_WFM_ASYNC_IMPORT_BYTES = 50
    client = _bearer(member_of(Role.PLANNER))
    file = SimpleUploadedFile("historia.csv", GOOD.encode(), content_type="text/csv")
    response = client.post(_url(queue), {"file": file})
    assert response.status_code == 202, response.content
    done = _poll_finished(client, response["Location"])
    assert done["status"] == JobStatus.SUCCEEDED, done["error"]
    assert HistoryUpload.objects.get().filename == "historia.csv"
    assert ContactInterval.objects.filter(queue=queue).count() == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("large")
def test_bad_large_file_fails_with_lines_and_writes_nothing(queue, member_of):
    client = _bearer(member_of(Role.PLANNER))
    response = _post_csv(client, queue, BAD)
    assert response.status_code == 202, response.content
    done = _poll_finished(client, response["Location"])
    assert done["status"] == JobStatus.FAILED
    assert done["result"]["error_count"] == 2
    assert [e["line"] for e in done["result"]["errors"]] == [3, 4]
    assert all(str(e["line"]) in e["message"] for e in done["result"]["errors"])
    assert "Line 3" in done["error"] or "Rivi 3" in done["error"]
    assert ContactInterval.objects.count() == 0
    assert HistoryUpload.objects.get().imported_at is None


def test_large_file_that_cannot_be_read_is_refused_at_once(queue, member_of, settings):
    settings.ASPA_WFM_ASYNC_IMPORT_BYTES = 10
    broken = SimpleUploadedFile("historia.xlsx", b"PK\x03\x04" + b"not a workbook" * 10)
    response = _bearer(member_of(Role.PLANNER)).post(_url(queue), {"file": broken})
    assert response.status_code == 422, response.content
    assert not Job.objects.exists() and not HistoryUpload.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("large")
def test_another_organisation_cannot_poll_the_job(queue, member_of, other_org):
    client = _bearer(member_of(Role.PLANNER))
    response = _post_csv(client, queue, GOOD)
    assert response.status_code == 202
    job_url = response["Location"]
    _poll_finished(client, job_url)
    outsider = _bearer(member_of(Role.ADMIN, organisation=other_org))
    refused = outsider.get(job_url)
    assert refused.status_code == 404
    assert services.IMPORT_JOB not in refused.content.decode()
    assert Client().get(job_url).status_code == 401


@pytest.mark.usefixtures("large")
def test_agent_may_not_import_and_nothing_is_kept(queue, member_of, upload_folder):
    for text in (GOOD, "x" * 100):
        response = _post_csv(_bearer(member_of(Role.AGENT)), queue, text)
        assert response.status_code == 403, response.content
    assert not Job.objects.exists() and not HistoryUpload.objects.exists()
    assert ContactInterval.objects.count() == 0
    assert not upload_folder.exists() or not any(upload_folder.iterdir())


def test_file_over_the_upload_limit_is_413(queue, member_of, settings):
    settings.ASPA_MAX_UPLOAD_BYTES = 1024 * 1024
    client = _bearer(member_of(Role.PLANNER))
    too_big = GOOD + "3.2.2025 11.00;1;1\n" * 60_000
    for response in (
        _post_csv(client, queue, too_big),
        client.post(_url(queue), {"file": SimpleUploadedFile("iso.csv", too_big.encode())}),
    ):
        assert response.status_code == 413, response.content
        assert "1 M" in response.json()["detail"]  # "1 MB", in Finnish "1 Mt"
    assert not Job.objects.exists() and not HistoryUpload.objects.exists()
    assert ContactInterval.objects.count() == 0


def test_empty_request_is_400(queue, member_of):
    response = _post_csv(_bearer(member_of(Role.PLANNER)), queue, "")
    assert response.status_code == 400
    assert "text/csv" in response.json()["detail"]


def test_openapi_describes_both_answers_and_the_job(db):
    paths = Client().get("/api/openapi.json").json()["paths"]
    responses = paths["/api/v1/wfm/queues/{queue_id}/history"]["post"]["responses"]
    assert {"200", "202", "413"} <= {str(code) for code in responses}
    assert "job" in str(responses.get("202", responses.get(202)))
    content = paths["/api/v1/wfm/queues/{queue_id}/history"]["post"]["requestBody"]["content"]
    assert {"text/csv", "multipart/form-data"} <= set(content)
    assert "get" in paths["/api/v1/jobs/{job_id}"]
