"""Large web imports run as a background job (still all or nothing); uploads never confirmed are removed."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from aspa.core.jobs import inprocess_wait
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Role
from aspa.wfm import importing, services
from aspa.wfm.models import ContactInterval, HistoryUpload
from tests.wfm.factories import QueueFactory

GOOD = "Alkuaika;Tarjotut;Vastatut\n3.2.2025 8.00;10;9\n3.2.2025 9.00;12;12\n3.2.2025 10.00;7;6\n"
BAD = "Alkuaika;Tarjotut;Vastatut\n3.2.2025 8.00;10;9\n32.2.2025 9.00;12;12\n3.2.2025 10.00;-7;0\n"
MAPPING = {"kind": "intervals", "col_start": "0", "col_offered": "1", "col_handled": "2"}


@pytest.fixture(autouse=True)
def upload_folder(settings, tmp_path):
    settings.ASPA_WFM_UPLOAD_DIR = tmp_path / "uploads"
    return settings.ASPA_WFM_UPLOAD_DIR


@pytest.fixture
def queue(org):
    return QueueFactory(organisation=org, interval_minutes=60)


def _store(actor, queue, text: str = GOOD) -> HistoryUpload:
    file = SimpleUploadedFile("historia.csv", text.encode(), content_type="text/csv")
    return services.history_upload_store(actor=actor, queue=queue, file=file)


def _mapping() -> importing.ColumnMapping:
    return importing.ColumnMapping(kind="intervals", columns={"start": 0, "offered": 1, "handled": 2})


def test_small_upload_imports_at_once(queue, member_of):
    upload = _store(member_of(Role.PLANNER), queue)
    assert not services.upload_needs_job(upload)


def test_upload_over_the_row_or_size_limit_needs_a_job(queue, member_of, settings):
    upload = _store(member_of(Role.PLANNER), queue)
    settings.ASPA_WFM_ASYNC_IMPORT_ROWS = 2
    assert services.upload_needs_job(upload)
    settings.ASPA_WFM_ASYNC_IMPORT_ROWS = 3
    assert not services.upload_needs_job(upload)
    settings.ASPA_WFM_ASYNC_IMPORT_BYTES = 10
    assert services.upload_needs_job(upload)


@pytest.mark.django_db(transaction=True)
def test_large_upload_confirmed_in_the_browser_runs_as_a_job(queue, member_of, client_for, settings):
    settings.ASPA_WFM_ASYNC_IMPORT_ROWS = 2
    planner = member_of(Role.PLANNER)
    upload = _store(planner, queue)
    url = reverse("wfm:history_preview", kwargs={"upload_id": upload.pk})
    client = client_for(planner)
    assert client.get(url).context["in_background"]
    response = client.post(url, MAPPING)
    job = Job.objects.get(kind=services.IMPORT_JOB)
    assert response.status_code == 302 and response["Location"] == reverse("job", kwargs={"job_id": job.pk})
    assert inprocess_wait(30)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.progress_done == job.progress_total == services.IMPORT_STEPS
    assert job.result["rows"] == 3 and job.result["queue_id"] == queue.pk
    assert ContactInterval.objects.filter(queue=queue).count() == 3
    upload.refresh_from_db()
    assert upload.imported_at is not None
    assert not services.upload_path(upload).exists()


@pytest.mark.django_db(transaction=True)
def test_import_job_with_bad_rows_fails_with_line_numbers_and_writes_nothing(queue, member_of):
    planner = member_of(Role.PLANNER)
    upload = _store(planner, queue, BAD)
    job = services.history_import_request(actor=planner, upload=upload, mapping=_mapping())
    assert inprocess_wait(30)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    # The job speaks its starter's language (Finnish here).
    with translation.override("fi"):
        lines = [gettext(services.ERR_ROW) % {"line": n, "message": ""} for n in (3, 4)]
    assert all(line.strip() in job.error for line in lines), job.error
    assert ContactInterval.objects.count() == 0
    upload.refresh_from_db()
    assert upload.imported_at is None
    assert services.upload_path(upload).exists()


def test_a_second_import_of_the_same_upload_is_refused_while_one_runs(queue, member_of):
    planner = member_of(Role.PLANNER)
    upload = _store(planner, queue)
    Job.objects.create(
        organisation=queue.organisation,
        kind=services.IMPORT_JOB,
        params={"upload_id": upload.pk, "kind": "intervals", "columns": {"start": 0}},
        status=JobStatus.RUNNING,
    )
    with pytest.raises(ValidationError) as error:
        services.history_import_request(actor=planner, upload=upload, mapping=_mapping())
    assert error.value.messages == [services.ERR_IMPORT_RUNNING]
    with pytest.raises(ValidationError):
        services.upload_discard(actor=planner, upload=upload)
    assert Job.objects.count() == 1 and HistoryUpload.objects.count() == 1


def test_an_agent_cannot_start_an_import_job(queue, member_of):
    upload = _store(member_of(Role.PLANNER), queue)
    with pytest.raises(PermissionDenied):
        services.history_import_request(actor=member_of(Role.AGENT), upload=upload, mapping=_mapping())
    assert not Job.objects.exists()


def test_cancel_button_deletes_the_upload_and_its_file(
    queue, member_of, client_for, other_org, django_capture_on_commit_callbacks
):
    planner = member_of(Role.PLANNER)
    upload = _store(planner, queue)
    path = services.upload_path(upload)
    client = client_for(planner)
    preview = client.get(reverse("wfm:history_preview", kwargs={"upload_id": upload.pk})).content.decode()
    cancel_url = reverse("wfm:history_cancel", kwargs={"upload_id": upload.pk})
    assert cancel_url in preview
    with pytest.raises(ValidationError):
        services.upload_discard(actor=member_of(Role.ADMIN, organisation=other_org), upload=upload)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url)
    assert response.status_code == 302
    assert not HistoryUpload.objects.filter(pk=upload.pk).exists()
    assert not path.exists()
    assert ContactInterval.objects.count() == 0


def test_an_imported_upload_cannot_be_cancelled(queue, member_of):
    planner = member_of(Role.PLANNER)
    upload = _store(planner, queue)
    services.history_import_upload(actor=planner, upload=upload, mapping=_mapping())
    with pytest.raises(ValidationError) as error:
        services.upload_discard(actor=planner, upload=upload)
    assert error.value.messages == [services.ERR_UPLOAD_USED]
    assert HistoryUpload.objects.filter(pk=upload.pk).exists()


def test_cleanup_removes_old_unconfirmed_uploads_and_stray_files(queue, member_of, upload_folder):
    planner = member_of(Role.PLANNER)
    old = _store(planner, queue)
    fresh = _store(planner, queue)
    imported = _store(planner, queue)
    services.history_import_upload(actor=planner, upload=imported, mapping=_mapping())
    HistoryUpload.objects.filter(pk__in=[old.pk, imported.pk]).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    stray = upload_folder / "1-orphan.csv"
    stray.write_text("x")
    two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
    os.utime(stray, (two_days_ago, two_days_ago))
    call_command("wfm_cleanup_uploads", "--hours", "24")
    assert set(HistoryUpload.objects.values_list("pk", flat=True)) == {fresh.pk, imported.pk}
    assert not services.upload_path(old).exists() and not stray.exists()
    assert services.upload_path(fresh).exists()
