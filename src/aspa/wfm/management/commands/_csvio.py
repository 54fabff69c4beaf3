"""Shared file handling of the `aspa forecast` and `aspa staffing` commands (no database)."""

from __future__ import annotations

import csv
import datetime as dt
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from django.core.management.base import CommandError

from aspa.wfm import importing

HORIZON = re.compile(r"^\s*(\d+)\s*([dw]?)\s*$", re.IGNORECASE)


def parse_horizon(text: str) -> int:
    """'14d', '14' or '2w' → days."""
    match = HORIZON.match(text)
    if match is None or int(match[1]) < 1:
        raise CommandError(f"--horizon: '{text}' is not a number of days such as 14d or 2w.")
    return int(match[1]) * (7 if match[2].lower() == "w" else 1)


def parse_sl(text: str) -> tuple[float, float]:
    """'80/20' → (80.0, 20.0)."""
    match = re.match(r"^\s*(\d+(?:[.,]\d+)?)\s*/\s*(\d+(?:[.,]\d+)?)\s*$", text)
    if match is None:
        raise CommandError(f"--sl: '{text}' is not a target such as 80/20 (percent / seconds).")
    percent, seconds = float(match[1].replace(",", ".")), float(match[2].replace(",", "."))
    if not 0 < percent < 100:
        raise CommandError("--sl: the percentage must be between 0 and 100.")
    return percent, seconds


def read_intervals(path: Path, interval: int) -> dict[dt.datetime, list[float]]:
    """Interval totals (naive UTC keys) from a history file, with every bad row reported."""
    if not path.exists():
        raise CommandError(f"{path}: no such file.")
    try:
        table = importing.read_table(path)
    except importing.TableError as exc:
        raise CommandError(f"{path}: {exc}") from exc
    mapping = importing.guess_mapping(table.header)
    missing = importing.missing_fields(mapping)
    if missing:
        raise CommandError(f"{path}: no column found for {', '.join(missing)} (header: {table.header}).")
    parsed = importing.parse_history(table, mapping, interval_minutes=interval)
    if parsed.error_count:
        lines = [
            f"line {e.line}: {e.message % e.params if e.params else e.message}" for e in parsed.errors[:20]
        ]
        raise CommandError(f"{path}: {parsed.error_count} bad rows, nothing done.\n" + "\n".join(lines))
    return parsed.totals


@contextmanager
def output(path: str | None) -> Iterator[IO[str]]:
    if not path or path == "-":
        yield sys.stdout
        return
    with Path(path).open("w", encoding="utf-8", newline="") as fh:
        yield fh


def writer(fh: IO[str]) -> csv._writer:  # type: ignore[name-defined]
    return csv.writer(fh, delimiter=";", lineterminator="\n")


def num(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".").replace(".", ",") if value else "0"
