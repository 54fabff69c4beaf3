"""`manage.py teamwork_remind_overdue`: e-mail each owner their overdue actions (cron, daily).

See aspa.teamwork.tasks for the schedule.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aspa.teamwork.services import actions_remind_overdue


class Command(BaseCommand):
    help = "E-mail owners of overdue action items (at most once a day each)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = actions_remind_overdue()
        self.stdout.write(f"{sent} reminder(s) sent")
