from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from aspa.core.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Seed the demo organisations (deterministic for a given --seed; safe to run twice)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        context = demo_seed(seed=seed)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at http://127.0.0.1:8000/ with:"))
        for organisation, role, email in context.logins:
            self.stdout.write(f"  {role:<18} {email:<28} ({organisation})")
        self.stdout.write(f"  password for all: {DEMO_PASSWORD}")
