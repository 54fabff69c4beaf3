"""CSV readers for survey answers, feedback and link requests: header-named columns, line-numbered errors.

Only parsing lives here; the services validate the content and store all rows or none. Line numbers
count the header as line 1, so "Line 3" is the second data row, as a spreadsheet shows it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aspa.voice.services import ERR_LINE, FeedbackIn, LinkSpec, ResponseIn

ERR_NOT_CSV = gettext_noop("The file is not a readable CSV file (UTF-8, comma or semicolon separated).")
ERR_MISSING_COLUMN = gettext_noop("The file has no column %(column)s.")
ERR_NOT_NUMBER = gettext_noop("%(column)s is not a whole number: %(value)s")
ERR_NOT_DATE = gettext_noop("%(column)s is not a date and time: %(value)s")
ERR_NOT_YES_NO = gettext_noop("%(column)s must be yes or no: %(value)s")
ERR_EMPTY_FILE = gettext_noop("The file has no data rows.")
MAX_ROWS = 50000

T = TypeVar("T")


def _reader(data: bytes | str) -> csv.DictReader[str]:
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise ValidationError(_(ERR_NOT_CSV)) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    if not reader.fieldnames:
        raise ValidationError(_(ERR_EMPTY_FILE))
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames]
    return reader


def _int(row: dict[str, str], column: str) -> int | None:
    value = (row.get(column) or "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise ValidationError(_(ERR_NOT_NUMBER) % {"column": column, "value": value}) from exc


def _when(row: dict[str, str], column: str) -> dt.datetime | None:
    value = (row.get(column) or "").strip()
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value)
        parsed = dt.datetime.combine(day, dt.time(12)) if day else None
    if parsed is None:
        raise ValidationError(_(ERR_NOT_DATE) % {"column": column, "value": value})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _bool(row: dict[str, str], column: str) -> bool | None:
    value = (row.get(column) or "").strip().lower()
    if not value:
        return None
    if value in {"1", "yes", "kyllä", "k", "true", "ja"}:
        return True
    if value in {"0", "no", "ei", "e", "false", "nej"}:
        return False
    raise ValidationError(_(ERR_NOT_YES_NO) % {"column": column, "value": value})


def _read(data: bytes | str, required: tuple[str, ...], build: Callable[[dict[str, str]], T]) -> list[T]:
    reader = _reader(data)
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError([_(ERR_MISSING_COLUMN) % {"column": c} for c in missing])
    out: list[T] = []
    errors: list[str] = []
    try:
        for row in reader:
            if len(out) + len(errors) >= MAX_ROWS:
                break
            try:
                out.append(build({k: v or "" for k, v in row.items() if k}))
            except ValidationError as exc:
                errors += [_(ERR_LINE) % {"line": reader.line_num, "message": m} for m in exc.messages]
    except csv.Error as exc:
        raise ValidationError(_(ERR_NOT_CSV)) from exc
    if errors:
        raise ValidationError(errors)
    if not out:
        raise ValidationError(_(ERR_EMPTY_FILE))
    return out


def responses_from_csv(data: bytes | str) -> list[ResponseIn]:
    """Columns: answered_at, channel, queue, team, agent, nps, csat, ces, fcr, comment, external_id (any subset)."""
    return _read(
        data,
        (),
        lambda r: ResponseIn(
            answered_at=_when(r, "answered_at"),
            channel=r.get("channel", "") or "phone",
            queue_ref=r.get("queue", ""),
            team=r.get("team", ""),
            agent=r.get("agent", ""),
            nps=_int(r, "nps"),
            csat=_int(r, "csat"),
            ces=_int(r, "ces"),
            fcr=_bool(r, "fcr"),
            comment=r.get("comment", ""),
            external_id=r.get("external_id", ""),
        ),
    )


def feedback_from_csv(data: bytes | str) -> list[FeedbackIn]:
    """Columns: text (required), received_at, channel, queue, team, external_id."""
    return _read(
        data,
        ("text",),
        lambda r: FeedbackIn(
            text=r.get("text", ""),
            channel=r.get("channel", "") or "web",
            queue_ref=r.get("queue", ""),
            team=r.get("team", ""),
            external_id=r.get("external_id", ""),
            received_at=_when(r, "received_at"),
        ),
    )


def links_from_csv(data: bytes | str) -> list[LinkSpec]:
    """Columns: contact, channel, queue, team, agent, language (any subset; one link per row)."""
    return _read(
        data,
        (),
        lambda r: LinkSpec(
            contact_ref=r.get("contact", ""),
            channel=r.get("channel", "") or "phone",
            queue_ref=r.get("queue", ""),
            team=r.get("team", ""),
            agent=r.get("agent", ""),
            language=(r.get("language", "") or "fi").strip().lower(),
        ),
    )
