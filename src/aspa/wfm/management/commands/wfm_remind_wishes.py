"""`manage.py wfm_remind_wishes`: e-mail team members who have entered no wishes before the deadline.

Meant for cron (e.g. hourly). Each open period whose wish deadline is within 48 hours is reminded once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aspa.wfm.roster_lifecycle import wish_reminders_send


class Command(BaseCommand):
    help = "Send wish-deadline reminders for open roster periods (once per period)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = wish_reminders_send()
        self.stdout.write(f"wish reminders: {count}")
