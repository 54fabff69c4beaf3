"""Remove contact-history uploads that were never confirmed (run daily, e.g. from cron)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aspa.wfm import services


class Command(BaseCommand):
    help = "Delete history uploads never imported within --hours, with their stored files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=float,
            default=services.UPLOAD_KEEP_HOURS,
            help="Keep uploads younger than this (default %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = services.uploads_cleanup(older_than=dt.timedelta(hours=options["hours"]))
        self.stdout.write(f"wfm_cleanup_uploads: removed {removed}")
