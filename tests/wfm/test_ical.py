"""The hand-written RFC 5545 output: escaping, folding at 75 octets, UTC times, CRLF."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from aspa.wfm import ical

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_escape_text():
    assert ical.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_fold_keeps_lines_within_75_octets_and_utf8_whole():
    line = "SUMMARY:" + "ä" * 100
    folded = ical.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_calendar_times_are_utc_and_lines_end_with_crlf():
    start = dt.datetime(2030, 7, 1, 8, 0, tzinfo=HELSINKI)  # summer time: UTC+3
    body = ical.calendar(
        [ical.Event("x@aspa", start, start + dt.timedelta(hours=8), "Aamu, Puhelin")],
        name="Vuorot",
        now=dt.datetime(2030, 6, 1, tzinfo=dt.UTC),
    )
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20300701T050000Z\r\n" in body and "DTEND:20300701T130000Z\r\n" in body
    assert "SUMMARY:Aamu\\, Puhelin\r\n" in body
    assert "\n" not in body.replace("\r\n", "")


def test_naive_times_are_refused():
    with pytest.raises(ValueError):
        ical.utc_stamp(dt.datetime(2030, 1, 1))  # noqa: DTZ001
