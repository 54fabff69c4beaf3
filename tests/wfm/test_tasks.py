"""Scheduled work of wfm: the Celery beat entry names a registered task, and the task does the clean-up."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from aspa.core.roles import Role
from aspa.wfm import services
from aspa.wfm.models import HistoryUpload
from aspa.wfm.tasks import CLEANUP_UPLOADS_TASK
from tests.wfm.factories import QueueFactory

SCHEDULE_ENTRY = "wfm-cleanup-uploads"


@pytest.fixture
def celery_app():
    from config.celery import app

    # What a worker or beat does at start: import every installed app's `tasks` module.
    app.loader.import_default_modules()
    return app


def test_beat_schedule_names_a_registered_task(celery_app):
    entry = settings.CELERY_BEAT_SCHEDULE[SCHEDULE_ENTRY]
    assert entry["task"] == CLEANUP_UPLOADS_TASK
    assert entry["task"] in celery_app.tasks
    assert isinstance(entry["schedule"], crontab)
    # Beat reads its schedule from the app's configuration (namespace CELERY_).
    assert celery_app.conf.beat_schedule[SCHEDULE_ENTRY]["task"] == CLEANUP_UPLOADS_TASK


def test_scheduled_task_removes_stale_uploads(celery_app, org, member_of, settings, tmp_path):
    settings.ASPA_WFM_UPLOAD_DIR = tmp_path / "uploads"
    planner = member_of(Role.PLANNER)
    queue = QueueFactory(organisation=org)

    def store() -> HistoryUpload:
        file = SimpleUploadedFile("historia.csv", b"Alkuaika;Tarjotut\n3.2.2025 8.00;4\n")
        return services.history_upload_store(actor=planner, queue=queue, file=file)

    old, fresh = store(), store()
    HistoryUpload.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    task = celery_app.tasks[settings.CELERY_BEAT_SCHEDULE[SCHEDULE_ENTRY]["task"]]
    # Run in this process, as a worker would run the message beat sends (no broker needed).
    result = task.apply()
    assert result.successful() and result.result == 1
    assert list(HistoryUpload.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not services.upload_path(old).exists() and services.upload_path(fresh).exists()


@pytest.mark.parametrize(
    ("entry", "task"),
    [("teamwork-overdue", "aspa.teamwork.remind_overdue"), ("wfm-remind-wishes", "aspa.wfm.remind_wishes")],
)
def test_reminders_are_scheduled_as_registered_tasks(celery_app, entry, task):
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] == task
    assert task in celery_app.tasks


def test_wish_reminder_task_runs_without_open_periods(celery_app, db):
    result = celery_app.tasks["aspa.wfm.remind_wishes"].apply()
    assert result.successful() and result.result == 0
