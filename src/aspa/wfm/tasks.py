"""Scheduled work of workforce planning as Celery tasks; Celery beat runs them (CELERY_BEAT_SCHEDULE).

Without Celery the same work runs from cron through the management command, e.g.
``15 3 * * *  cd /srv/aspa && uv run python manage.py wfm_cleanup_uploads --hours 24`` (README).
"""

from __future__ import annotations

import datetime as dt

from aspa.wfm import services
from aspa.wfm.roster_lifecycle import wish_reminders_send
from celery import shared_task

CLEANUP_UPLOADS_TASK = "aspa.wfm.cleanup_uploads"
REMIND_WISHES_TASK = "aspa.wfm.remind_wishes"


@shared_task(name=CLEANUP_UPLOADS_TASK, ignore_result=True)
def cleanup_uploads(hours: float = services.UPLOAD_KEEP_HOURS) -> int:
    """Remove history uploads never imported within `hours`, with their stored files (all organisations)."""
    return services.uploads_cleanup(older_than=dt.timedelta(hours=hours))


@shared_task(name=REMIND_WISHES_TASK, ignore_result=True)
def remind_wishes() -> int:
    """Hourly: remind members with no wishes in open periods whose deadline is within 48 hours (once per period)."""
    return wish_reminders_send()
