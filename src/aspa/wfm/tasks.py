"""Scheduled work of workforce planning as Celery tasks; Celery beat runs them (CELERY_BEAT_SCHEDULE).

Without Celery the same work runs from cron through the management command, e.g.
``15 3 * * *  cd /srv/aspa && uv run python manage.py wfm_cleanup_uploads --hours 24`` (README).
"""

from __future__ import annotations

import datetime as dt

from aspa.wfm import services
from celery import shared_task

CLEANUP_UPLOADS_TASK = "aspa.wfm.cleanup_uploads"


@shared_task(name=CLEANUP_UPLOADS_TASK, ignore_result=True)
def cleanup_uploads(hours: float = services.UPLOAD_KEEP_HOURS) -> int:
    """Remove history uploads never imported within `hours`, with their stored files (all organisations)."""
    return services.uploads_cleanup(older_than=dt.timedelta(hours=hours))
