"""`aspa forecast --history FILE --interval 15 --horizon 14d --output FILE`: a forecast from a CSV, no database.

The history file is read like an import (interval counts or one row per contact, Finnish formats
accepted); the engine chooses the model by backtesting. The output has one row per interval:
local start (with its UTC offset), forecast, and the 80 % prediction interval.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aspa.engine.forecasting import ForecastInputError
from aspa.wfm import planning
from aspa.wfm.management.commands._csvio import num, output, parse_horizon, read_intervals, writer


class Command(BaseCommand):
    help = "Forecast contacts per interval from a history CSV (no database needed)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--history", required=True, help="history CSV/Excel (interval counts or contacts)"
        )
        parser.add_argument("--interval", type=int, default=15, choices=[5, 6, 10, 15, 20, 30, 60])
        parser.add_argument("--horizon", default="14d", help="days to forecast, e.g. 14d or 2w")
        parser.add_argument("--output", default="-", help="output CSV (default: standard output)")
        parser.add_argument("--tz", default="Europe/Helsinki")

    def handle(self, *args: Any, **options: Any) -> None:
        interval: int = options["interval"]
        horizon = parse_horizon(options["horizon"])
        totals = read_intervals(Path(options["history"]), interval)
        starts = sorted(totals)
        aware = [s.replace(tzinfo=dt.UTC) for s in starts]
        counts = np.array([totals[s][0] for s in starts], dtype=float)
        try:
            result = planning.forecast(
                aware, counts, interval_minutes=interval, horizon_days=horizon, tz=options["tz"]
            )
        except ForecastInputError as exc:
            raise CommandError(str(exc)) from exc
        zone = ZoneInfo(options["tz"])
        level = round(result.level * 100)
        with output(options["output"]) as fh:
            out = writer(fh)
            out.writerow(["start", "forecast", f"lower_{level}", f"upper_{level}"])
            for utc, point, lower, upper in zip(
                result.start_utc, result.point, result.lower, result.upper, strict=True
            ):
                start = dt.datetime.fromtimestamp(
                    int(utc.astype("datetime64[s]").astype(np.int64)), tz=dt.UTC
                )
                out.writerow([start.astimezone(zone).isoformat(), num(point), num(lower), num(upper)])
        wape = result.backtest.wape
        self.stderr.write(
            f"model {result.model}, backtest WAPE {wape:.3f}, {result.point.size} intervals"
            if np.isfinite(wape)
            else f"model {result.model} (history too short to backtest), {result.point.size} intervals"
        )
