"""Reading contact-history files: CSV (any delimiter, Finnish formats) or Excel, to interval totals.

No database here: `read_table` opens a file, `guess_mapping` proposes which column is which, and
`parse_history` validates every row and aggregates it to the queue's interval, returning the totals
per interval start (UTC) and every bad row with its line number. The service decides what to write.

Two shapes are understood:
- *intervals*: one row per interval (start, offered, and optionally handled, abandoned, AHT and the
  count answered within the service-level target); rows at a finer interval than the queue's are
  summed into it;
- *contacts*: one row per contact (arrival time, and optionally answer time, handle duration and an
  abandoned flag), counted into intervals. With an answer time and the queue's target (T seconds),
  a contact answered at most T seconds after arrival counts as answered within the target; an
  abandoned one never does.

"Answered within target" is known for an interval only when every row behind it had it; otherwise
the interval's value is None (unknown), never a guess.

Finnish exports are the norm: semicolon delimiter, decimal comma, `31.1.2025 8.15` dates with a dot
between hours and minutes, `1 234` with a (non-breaking) space between thousands. Times without an
offset are local wall-clock time in the queue's time zone; in the repeated hour of the autumn DST
change, the second row with the same interval start is taken as the second occurrence of that hour.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo


def gettext_noop(message: str) -> str:
    """Marks a msgid for extraction (makemessages knows the name) without needing Django settings."""
    return message


KIND_INTERVALS = "intervals"
KIND_CONTACTS = "contacts"
KINDS = (KIND_INTERVALS, KIND_CONTACTS)

# Target fields of each kind; the first one of each is required.
INTERVAL_FIELDS = ("start", "time", "offered", "handled", "abandoned", "aht", "answered_in_sl")
CONTACT_FIELDS = ("start", "time", "answered", "duration", "abandoned")
REQUIRED = {KIND_INTERVALS: ("start", "offered"), KIND_CONTACTS: ("start",)}

MAX_REPORTED_ERRORS = 200
SNIFF_BYTES = 64 * 1024

# Row errors (English msgids; translated where they are shown).
ERR_EMPTY_FILE = gettext_noop("The file is empty.")
ERR_NO_ROWS = gettext_noop("The file has a header but no data rows.")
ERR_NOT_A_TABLE = gettext_noop("The file could not be read as a CSV or Excel table.")
ERR_EXCEL_MISSING = gettext_noop(
    "Excel files need the openpyxl package, which is not installed. Save the sheet as CSV instead."
)
ERR_MISSING_COLUMN = gettext_noop("Choose a column for “%(field)s”.")
ERR_BAD_DATETIME = gettext_noop(
    "“%(value)s” is not a date and time (e.g. 31.1.2025 8.15 or 2025-01-31 08:15)."
)
ERR_BAD_TIME = gettext_noop("“%(value)s” is not a time of day (e.g. 8.15 or 08:15).")
ERR_NONEXISTENT_TIME = gettext_noop("%(value)s does not exist in local time (clocks moved forward).")
ERR_BAD_COUNT = gettext_noop("%(field)s: “%(value)s” is not a whole number of zero or more.")
ERR_BAD_SECONDS = gettext_noop("%(field)s: “%(value)s” is not a duration (seconds, or m:ss).")
ERR_HANDLED_ABOVE_OFFERED = gettext_noop(
    "Handled and abandoned (%(sum)s) are more than offered (%(offered)s)."
)
ERR_IN_SL_ABOVE_OFFERED = gettext_noop(
    "Answered within target (%(value)s) is more than offered (%(offered)s)."
)
ERR_DUPLICATE = gettext_noop("The interval starting %(value)s is already on line %(first)s.")
ERR_TOO_FEW_COLUMNS = gettext_noop("The row has %(found)s columns; the header has %(expected)s.")
ERR_ANSWER_BEFORE_ARRIVAL = gettext_noop("The answer time is before the arrival time.")

_TRUE = frozenset({"1", "x", "y", "yes", "true", "k", "kyllä", "kylla", "abandoned", "luopunut", "hylätty"})

# Header words (lower case, without spaces, dashes or underscores) that suggest each field.
# "answered_in_sl" comes first: its headers ("Vastattu tavoiteajassa") start like "handled" ones.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "answered_in_sl": (
        "answeredinsl",
        "answeredwithin",
        "answeredwithintarget",
        "insl",
        "withinsl",
        "slanswered",
        "vastattutavoiteajassa",
        "tavoiteajassa",
        "tavoiteajassavastatut",
        "palvelutasossa",
    ),
    "start": (
        "start",
        "intervalstart",
        "interval",
        "datetime",
        "timestamp",
        "arrival",
        "arrivedat",
        "createdat",
        "received",
        "alku",
        "alkuaika",
        "aikaleima",
        "saapunut",
        "saapumisaika",
        "date",
        "day",
        "päivämäärä",
        "pvm",
        "päivä",
        "ajankohta",
    ),
    "time": ("time", "timeofday", "klo", "kellonaika", "aika", "kello"),
    "offered": (
        "offered",
        "contacts",
        "calls",
        "volume",
        "count",
        "incoming",
        "tarjotut",
        "tarjottu",
        "saapuneet",
        "kontaktit",
        "puhelut",
        "määrä",
        "lkm",
    ),
    "handled": ("handled", "answered", "vastatut", "käsitellyt", "vastattu"),
    "abandoned": ("abandoned", "lost", "luopuneet", "hylätyt", "menetetyt", "luopunut", "keskeytyneet"),
    "aht": (
        "aht",
        "averagehandletime",
        "avghandletime",
        "handletime",
        "käsittelyaika",
        "kka",
        "keskikäsittelyaika",
    ),
    "answered": ("answered", "answeredat", "answertime", "vastattu", "vastausaika", "vastattuklo"),
    "duration": ("duration", "handleseconds", "handletime", "talktime", "kesto", "käsittelyaika", "puheaika"),
}

_DATETIME = re.compile(
    r"^\s*(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})-(?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})[./](?P<m2>\d{1,2})[./](?P<y2>\d{4}))"
    r"(?:[ T]+(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?\s*$"
)
_TIME = re.compile(r"^\s*(?P<H>\d{1,2})[:.](?P<M>\d{2})(?:[:.](?P<S>\d{2})(?:[.,]\d+)?)?\s*$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")


@dataclass(frozen=True)
class RowError:
    """One problem: the line of the file (1 = header) and an English message with its parameters."""

    line: int
    message: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Table:
    """A file opened as rows of strings: the header, and an iterator over (line number, cells)."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    delimiter: str = ";"


@dataclass(frozen=True)
class ColumnMapping:
    """Which column (index into the header) holds which field; `kind` is intervals or contacts."""

    kind: str
    columns: dict[str, int]


@dataclass
class ParsedHistory:
    """Totals per interval start (naive UTC) and the rows that failed validation."""

    # start -> [offered, handled, abandoned, aht_sum, aht_weight, answered_in_sl, rows_without_sl]
    totals: dict[dt.datetime, list[float]]
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    def add_error(self, line: int, message: str, **params: Any) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(line, message, params))


class TableError(Exception):
    """The file as a whole cannot be read; the message is one of the ERR_ constants above."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


# --- Opening files -----------------------------------------------------------------------------------


def read_table(path: Path | str, *, filename: str = "") -> Table:
    """Open a CSV (encoding and delimiter detected) or an .xlsx workbook's first sheet."""
    path = Path(path)
    name = (filename or path.name).lower()
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    if not head.strip():
        raise TableError(ERR_EMPTY_FILE)
    if name.endswith((".xlsx", ".xlsm")) or head[:4] == b"PK\x03\x04":
        return _read_excel(path)
    return _read_csv(path, head)


def _encoding(head: bytes) -> str:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start < len(head) - 4:
            return "cp1252"
    return "utf-8-sig"


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:20] if line.strip()]
    best, best_score = ";", -1
    for candidate in (";", "\t", ",", "|"):
        counts = [line.count(candidate) for line in lines]
        # The delimiter appears the same (non-zero) number of times on every line.
        score = counts[0] * 10 + (5 if len(set(counts)) == 1 else 0) if counts and counts[0] else 0
        if score > best_score:
            best, best_score = candidate, score
    return best


def _read_csv(path: Path, head: bytes) -> Table:
    encoding = _encoding(head)
    sample = head.decode(encoding, errors="replace")
    delimiter = _delimiter(sample)

    def rows() -> Iterator[tuple[int, list[str]]]:
        with path.open("r", encoding=encoding, newline="", errors="replace") as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            next(reader, None)
            for cells in reader:
                if cells and any(c.strip() for c in cells):
                    yield reader.line_num, cells

    with path.open("r", encoding=encoding, newline="", errors="replace") as fh:
        header = next(csv.reader(fh, delimiter=delimiter), [])
    if not header:
        raise TableError(ERR_EMPTY_FILE)
    return Table(header=[h.strip() for h in header], rows=rows(), delimiter=delimiter)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_excel(path: Path) -> Table:
    try:
        import openpyxl
    except ImportError as exc:
        raise TableError(ERR_EXCEL_MISSING) from exc
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(ERR_NOT_A_TABLE) from exc
    sheet = book.worksheets[0]
    it = sheet.iter_rows(values_only=True)
    header = [_cell(v).strip() for v in next(it, ())]
    if not any(header):
        raise TableError(ERR_EMPTY_FILE)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(it, start=2):
            cells = [_cell(v) for v in values]
            if any(c.strip() for c in cells):
                yield number, cells
        book.close()

    return Table(header=header, rows=rows(), delimiter="")


def preview(table: Table, n: int = 8) -> list[tuple[int, list[str]]]:
    """The first `n` data rows (consumes them from the table's iterator: reopen to import)."""
    out = []
    for item in table.rows:
        out.append(item)
        if len(out) >= n:
            break
    return out


# --- Mapping -----------------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-().%/]", "", name.lower())


def guess_mapping(header: list[str]) -> ColumnMapping:
    """Propose the kind and a column for each field from the header words (Finnish or English)."""
    normalised = [_norm(h) for h in header]
    found: dict[str, int] = {}
    for target, words in _SYNONYMS.items():
        for index, name in enumerate(normalised):
            if index in found.values():
                continue
            if name in words or any(name.startswith(w) for w in words if len(w) > 3):
                found[target] = index
                break
    kind = KIND_INTERVALS if "offered" in found else KIND_CONTACTS
    allowed = INTERVAL_FIELDS if kind == KIND_INTERVALS else CONTACT_FIELDS
    columns = {k: v for k, v in found.items() if k in allowed}
    if kind == KIND_CONTACTS and "answered" not in columns and "handled" in found:
        columns["answered"] = found["handled"]
    if "start" not in columns and header:
        columns["start"] = 0
    return ColumnMapping(kind=kind, columns=columns)


def missing_fields(mapping: ColumnMapping) -> list[str]:
    return [f for f in REQUIRED[mapping.kind] if f not in mapping.columns]


# --- Values ------------------------------------------------------------------------------------------


def _count(text: str) -> int | None:
    cleaned = _SPACES.sub("", text).replace(",", ".")
    if not cleaned:
        return 0
    try:
        value = float(cleaned)
    except ValueError:
        return None
    if value < 0 or not value.is_integer():
        return None
    return int(value)


def _seconds(text: str) -> float | None:
    """Seconds as a number (decimal comma allowed) or as m:ss / h:mm:ss."""
    cleaned = _SPACES.sub("", text)
    if not cleaned:
        return None
    if ":" in cleaned:
        parts = cleaned.split(":")
        try:
            numbers = [float(p.replace(",", ".")) for p in parts]
        except ValueError:
            return -1.0
        total = 0.0
        for n in numbers:
            total = total * 60 + n
        return total
    try:
        return float(cleaned.replace(",", "."))
    except ValueError:
        return -1.0


class _Clock:
    """Local wall-clock → naive UTC, with the offset cached per local hour (the hot path of imports)."""

    def __init__(self, tz: str) -> None:
        self.zone = ZoneInfo(tz)
        self._cache: dict[tuple[int, int, int, int, int], dt.timedelta | None] = {}

    def offset(self, y: int, m: int, d: int, hour: int, fold: int) -> dt.timedelta | None:
        """UTC offset of that local hour, or None where the hour does not exist (spring forward)."""
        key = (y, m, d, hour, fold)
        cached = self._cache.get(key, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        local = dt.datetime(y, m, d, hour, 0, fold=fold, tzinfo=self.zone)
        utc = local.astimezone(dt.UTC)
        back = utc.astimezone(self.zone)
        value = None if back.replace(tzinfo=None) != local.replace(tzinfo=None) else local.utcoffset()
        self._cache[key] = value
        return value

    def ambiguous(self, y: int, m: int, d: int, hour: int) -> bool:
        return self.offset(y, m, d, hour, 0) != self.offset(y, m, d, hour, 1)


def _local_parts(text: str, time_text: str | None) -> tuple[int, int, int, int, int, int, str | None] | None:
    match = _DATETIME.match(text)
    if match is None:
        return None
    g = match.groupdict()
    if g["y1"]:
        y, m, d = int(g["y1"]), int(g["m1"]), int(g["d1"])
    else:
        y, m, d = int(g["y2"]), int(g["m2"]), int(g["d2"])
    hour, minute, second = int(g["H"] or 0), int(g["M"] or 0), int(g["S"] or 0)
    if time_text is not None and g["H"] is None:
        t = _TIME.match(time_text)
        if t is None:
            return None
        hour, minute, second = int(t["H"]), int(t["M"]), int(t["S"] or 0)
    if not (1 <= m <= 12 and 1 <= d <= 31 and hour <= 23 and minute <= 59 and second <= 59):
        return None
    try:
        dt.date(y, m, d)
    except ValueError:
        return None
    return y, m, d, hour, minute, second, g["tz"]


def _with_offset(parts: tuple[int, int, int, int, int, int, str | None], zone: ZoneInfo) -> dt.datetime:
    """An explicit offset: the local wall-clock time (with its fold) in the queue's zone."""
    y, m, d, hour, minute, second, tz = parts
    assert tz is not None
    if tz == "Z":
        offset = dt.timedelta(0)
    else:
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
    aware = dt.datetime(y, m, d, hour, minute, second, tzinfo=dt.timezone(offset))
    return aware.astimezone(zone)


# --- Parsing -----------------------------------------------------------------------------------------


def _utc(parts: tuple[int, int, int, int, int, int, str | None], clock: _Clock) -> dt.datetime:
    if parts[6] is not None:
        return _with_offset(parts, clock.zone).astimezone(dt.UTC)
    y, m, d, hour, minute, second, _tz = parts
    offset = clock.offset(y, m, d, hour, 0) or dt.timedelta(0)
    return dt.datetime(y, m, d, hour, minute, second, tzinfo=dt.UTC) - offset


def _wait_seconds(
    arrived: tuple[int, int, int, int, int, int, str | None],
    answered: tuple[int, int, int, int, int, int, str | None],
    clock: _Clock,
) -> float:
    """Seconds from arrival to answer; the common case (same local hour, no offsets) without datetimes."""
    if arrived[6] is None and answered[6] is None and arrived[:4] == answered[:4]:
        return (answered[4] - arrived[4]) * 60 + answered[5] - arrived[5]
    return (_utc(answered, clock) - _utc(arrived, clock)).total_seconds()


def parse_history(
    table: Table,
    mapping: ColumnMapping,
    *,
    interval_minutes: int,
    tz: str = "Europe/Helsinki",
    service_level_seconds: int | None = None,
) -> ParsedHistory:
    """Validate every row and sum it into the queue's intervals (keys are naive UTC starts).

    `service_level_seconds` is the queue's target T: per-contact rows answered within T seconds of
    arrival count as answered within target (without it, or without answer times, that is unknown)."""
    result = ParsedHistory(totals={})
    cols = mapping.columns
    width = max(cols.values()) + 1 if cols else 0
    clock = _Clock(tz)
    contacts = mapping.kind == KIND_CONTACTS
    c_start = cols["start"]
    c_time = cols.get("time")
    c_offered = cols.get("offered")
    c_handled = cols.get("handled")
    c_abandoned = cols.get("abandoned")
    c_aht = cols.get("aht")
    c_answered = cols.get("answered")
    c_duration = cols.get("duration")
    c_in_sl = cols.get("answered_in_sl") if not contacts else None
    target = service_level_seconds
    # Per contact, "within target" can only be known from an answer time and a target.
    contact_sl_known = c_answered is not None and target is not None
    seen_starts: dict[tuple[int, int, int, int, int, int, int], int] = {}
    totals = result.totals
    step = interval_minutes
    for line, cells in table.rows:
        result.rows += 1
        if len(cells) < width:
            result.add_error(line, ERR_TOO_FEW_COLUMNS, found=len(cells), expected=len(table.header))
            continue
        raw = cells[c_start]
        parts = _local_parts(raw, cells[c_time] if c_time is not None else None)
        if parts is None:
            if c_time is not None and _DATETIME.match(raw):
                result.add_error(line, ERR_BAD_TIME, value=cells[c_time][:40])
            else:
                result.add_error(line, ERR_BAD_DATETIME, value=raw[:40])
            continue
        y, m, d, hour, minute, _second, tz_text = parts
        fold = 0
        if tz_text is not None:
            local = _with_offset(parts, clock.zone)
            y, m, d, hour, minute, fold = (
                local.year,
                local.month,
                local.day,
                local.hour,
                local.minute,
                local.fold,
            )
        elif not contacts:
            first = seen_starts.get((y, m, d, hour, minute, _second, 0))
            if first is None:
                seen_starts[(y, m, d, hour, minute, _second, 0)] = line
            elif clock.ambiguous(y, m, d, hour) and (y, m, d, hour, minute, _second, 1) not in seen_starts:
                # The autumn's repeated hour: its second row is the second occurrence.
                fold = 1
                seen_starts[(y, m, d, hour, minute, _second, 1)] = line
            else:
                result.add_error(line, ERR_DUPLICATE, value=raw[:40], first=first)
                continue
        offset = clock.offset(y, m, d, hour, fold)
        if offset is None:
            result.add_error(line, ERR_NONEXISTENT_TIME, value=raw[:40])
            continue
        minute_of_day = hour * 60 + minute
        floored = minute_of_day - minute_of_day % step
        # Naive UTC on purpose: the hot loop's dictionary keys (tzinfo is added when written).
        start = dt.datetime(y, m, d, floored // 60, floored % 60) - offset  # noqa: DTZ001
        if contacts:
            handled = 1
            abandoned = 0
            answer = ""
            if c_abandoned is not None:
                flag = cells[c_abandoned].strip().lower()
                abandoned = 1 if flag in _TRUE else 0
                handled = 1 - abandoned
                if handled and c_answered is not None:
                    answer = cells[c_answered].strip()
            elif c_answered is not None:
                answer = cells[c_answered].strip()
                handled = 1 if answer else 0
                abandoned = 1 - handled
            in_sl = 0
            sl_unknown = 0 if contact_sl_known else 1
            if answer:
                answered_parts = _local_parts(answer, None)
                if answered_parts is None:
                    result.add_error(line, ERR_BAD_DATETIME, value=answer[:40])
                    continue
                if answered_parts[:6] < parts[:6]:
                    result.add_error(line, ERR_ANSWER_BEFORE_ARRIVAL)
                    continue
                if target is not None:
                    in_sl = 1 if _wait_seconds(parts, answered_parts, clock) <= target else 0
            elif handled:
                # Answered (by the abandoned flag) but no answer time: its wait is not known.
                sl_unknown = 1
            duration = None
            if c_duration is not None:
                duration = _seconds(cells[c_duration])
                if duration is not None and duration < 0:
                    result.add_error(line, ERR_BAD_SECONDS, field="duration", value=cells[c_duration][:40])
                    continue
            cell = totals.get(start)
            if cell is None:
                cell = totals[start] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
            cell[0] += 1
            cell[1] += handled
            cell[2] += abandoned
            if handled and duration is not None:
                cell[3] += duration
                cell[4] += 1
            cell[5] += in_sl
            cell[6] += sl_unknown
            continue
        offered = _count(cells[c_offered]) if c_offered is not None else 0
        if offered is None:
            result.add_error(line, ERR_BAD_COUNT, field="offered", value=cells[c_offered][:40])  # type: ignore[index]
            continue
        handled_n = _count(cells[c_handled]) if c_handled is not None else None
        if handled_n is None and c_handled is not None:
            result.add_error(line, ERR_BAD_COUNT, field="handled", value=cells[c_handled][:40])
            continue
        abandoned_n = _count(cells[c_abandoned]) if c_abandoned is not None else None
        if abandoned_n is None and c_abandoned is not None:
            result.add_error(line, ERR_BAD_COUNT, field="abandoned", value=cells[c_abandoned][:40])
            continue
        if handled_n is None:
            handled_n = max(offered - (abandoned_n or 0), 0)
        if abandoned_n is None:
            abandoned_n = max(offered - handled_n, 0)
        if handled_n + abandoned_n > offered:
            result.add_error(line, ERR_HANDLED_ABOVE_OFFERED, sum=handled_n + abandoned_n, offered=offered)
            continue
        aht = _seconds(cells[c_aht]) if c_aht is not None else None
        if aht is not None and aht < 0:
            result.add_error(line, ERR_BAD_SECONDS, field="aht", value=cells[c_aht][:40])  # type: ignore[index]
            continue
        in_sl_n: int | None = None
        if c_in_sl is not None and cells[c_in_sl].strip():
            in_sl_n = _count(cells[c_in_sl])
            if in_sl_n is None:
                result.add_error(line, ERR_BAD_COUNT, field="answered_in_sl", value=cells[c_in_sl][:40])
                continue
            if in_sl_n > offered:
                result.add_error(line, ERR_IN_SL_ABOVE_OFFERED, value=in_sl_n, offered=offered)
                continue
        cell = totals.get(start)
        if cell is None:
            cell = totals[start] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        if in_sl_n is None:
            cell[6] += 1
        else:
            cell[5] += in_sl_n
        cell[0] += offered
        cell[1] += handled_n
        cell[2] += abandoned_n
        if aht is not None and handled_n:
            cell[3] += aht * handled_n
            cell[4] += handled_n
    if result.rows == 0 and not result.error_count:
        result.add_error(1, ERR_NO_ROWS)
    return result


def write_interval_csv(
    rows: list[tuple[str, int, int, int, float | None]]
    | list[tuple[str, int, int, int, float | None, int | None]],
) -> str:
    """A Finnish-style interval CSV (for tests, the benchmark and exports); a sixth value per row adds
    the "Vastattu tavoiteajassa" (answered within target) column, empty where None."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    with_sl = bool(rows) and len(rows[0]) > 5
    header = ["Alkuaika", "Tarjotut", "Vastatut", "Luopuneet", "Käsittelyaika"]
    writer.writerow([*header, "Vastattu tavoiteajassa"] if with_sl else header)
    for start, offered, handled, abandoned, aht, *rest in rows:
        cells: list[Any] = [
            start,
            offered,
            handled,
            abandoned,
            "" if aht is None else f"{aht:.1f}".replace(".", ","),
        ]
        if with_sl:
            cells.append("" if rest[0] is None else rest[0])
        writer.writerow(cells)
    return out.getvalue()


def bom_utf8(text: str) -> bytes:
    return codecs.BOM_UTF8 + text.encode("utf-8")
