"""`aspa staffing --forecast FILE --sl 80/20 --aht 180 --shrinkage 0.3 --output FILE`: agents per interval.

Reads a forecast CSV (such as `aspa forecast` writes: a start column and a forecast column; the
adjusted forecast is used when there is one) and applies Erlang C to every interval at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aspa.wfm import planning
from aspa.wfm.management.commands._csvio import num, output, parse_sl, writer

FORECAST_COLUMNS = ("adjusted", "adjustedforecast", "forecast", "point", "ennuste", "contacts", "offered")


class Command(BaseCommand):
    help = "Required and scheduled agents per interval from a forecast CSV (no database needed)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--forecast", required=True, help="forecast CSV with start and forecast columns")
        parser.add_argument("--sl", default="80/20", help="service-level target, percent/seconds")
        parser.add_argument("--aht", type=float, required=True, help="average handle time in seconds")
        parser.add_argument(
            "--shrinkage", type=float, default=0.0, help="share of paid time off contacts, 0–1"
        )
        parser.add_argument("--interval", type=int, default=0, help="minutes; default: from the start column")
        parser.add_argument("--output", default="-", help="output CSV (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        percent, seconds = parse_sl(options["sl"])
        if not 0 <= options["shrinkage"] < 1:
            raise CommandError("--shrinkage must be at least 0 and less than 1 (e.g. 0.3).")
        if options["aht"] <= 0:
            raise CommandError("--aht must be more than 0 seconds.")
        starts, values = self._read(Path(options["forecast"]))
        interval = options["interval"] or self._interval(starts)
        targets = planning.Targets(
            interval_minutes=interval,
            aht_seconds=options["aht"],
            service_level_percent=percent,
            service_level_seconds=seconds,
            shrinkage=options["shrinkage"],
        )
        required, scheduled = planning.staffing_need(np.array(values), targets)
        with output(options["output"]) as fh:
            out = writer(fh)
            out.writerow(["start", "contacts", "required_agents", "scheduled_agents"])
            for start, value, need, sched in zip(starts, values, required, scheduled, strict=True):
                out.writerow([start, num(value), int(need), int(sched)])
        self.stderr.write(f"{len(values)} intervals, peak {int(required.max(initial=0))} agents required")

    @staticmethod
    def _read(path: Path) -> tuple[list[str], list[float]]:
        if not path.exists():
            raise CommandError(f"{path}: no such file.")
        with path.open(encoding="utf-8-sig", newline="") as fh:
            sample = fh.read(4096)
            fh.seek(0)
            delimiter = ";" if sample.count(";") >= sample.count(",") else ","
            rows = list(csv.reader(fh, delimiter=delimiter))
        if len(rows) < 2:
            raise CommandError(f"{path}: no data rows.")
        header = [h.strip().lower().replace("_", "").replace(" ", "") for h in rows[0]]
        column = next((header.index(c) for c in FORECAST_COLUMNS if c in header), None)
        if column is None:
            raise CommandError(f"{path}: no forecast column (one of {', '.join(FORECAST_COLUMNS)}).")
        starts, values = [], []
        for line, cells in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in cells):
                continue
            try:
                value = float(cells[column].replace(" ", "").replace(",", "."))
            except (ValueError, IndexError) as exc:
                raise CommandError(
                    f"{path}: line {line}: '{cells[column] if column < len(cells) else ''}' is not a number."
                ) from exc
            if value < 0:
                raise CommandError(f"{path}: line {line}: a forecast cannot be negative.")
            starts.append(cells[0])
            values.append(value)
        return starts, values

    @staticmethod
    def _interval(starts: list[str]) -> int:
        parsed = []
        for text in starts[:50]:
            try:
                parsed.append(dt.datetime.fromisoformat(text.strip()))
            except ValueError:
                continue
        gaps = sorted(int((b - a).total_seconds() // 60) for a, b in itertools.pairwise(parsed) if b > a)
        if not gaps:
            raise CommandError("Cannot tell the interval length from the start column: give --interval.")
        return gaps[0]
