"""Scheduled work of the teamwork app: the daily overdue-action reminder.

Scheduling (documented decision): run once a day, early on weekdays, by either
- cron:        ``0 7 * * 1-5  cd /srv/aspa && uv run python manage.py teamwork_remind_overdue``
- Celery beat: the entry ``teamwork-overdue`` of ``CELERY_BEAT_SCHEDULE`` (config/settings/base.py)
A lead may also start it for their organisation from the Jobs page (job kind "teamwork.overdue_reminders").
Each owner gets at most one mail a day (ActionItem.reminded_on), so running it twice is harmless.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy, ngettext

from aspa.core.jobs import JobContext, job_kind
from aspa.teamwork import services
from celery import shared_task

REMIND_KIND = "teamwork.overdue_reminders"


def _summarise(result: Any) -> str:
    sent = int((result or {}).get("sent", 0))
    return ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent) % {"count": sent}


@job_kind(
    REMIND_KIND, label=gettext_lazy("Remind owners of overdue actions"), summarise=_summarise, startable=True
)
def remind_overdue_job(ctx: JobContext) -> dict[str, int]:
    ctx.progress(0, 1)
    sent = services.actions_remind_overdue(organisation_id=ctx.organisation_id)
    ctx.progress(1, 1)
    return {"sent": sent}


@shared_task(name="aspa.teamwork.remind_overdue", ignore_result=True)
def remind_overdue() -> int:
    """The Celery beat entry: every organisation at once."""
    return services.actions_remind_overdue()
