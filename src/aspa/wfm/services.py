"""Writes of workforce planning: queues, contact-history imports, forecasts, adjustments, publishing."""

from __future__ import annotations

import datetime as dt
import itertools
import secrets
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from aspa.core.audit import audit_record
from aspa.core.jobs import JobContext, JobError, job_enqueue, job_kind
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, require
from aspa.core.uploads import upload_too_large, upload_too_large_message
from aspa.engine.forecasting import ForecastInputError, ForecastResult
from aspa.engine.forecasting.forecaster import MIN_HISTORY_DAYS
from aspa.wfm import importing, planning
from aspa.wfm.models import (
    ContactInterval,
    Forecast,
    ForecastAdjustment,
    ForecastInterval,
    ForecastStatus,
    HistoryUpload,
    Queue,
    forecast_model_label,
)

FORECAST_JOB = "wfm.forecast"
IMPORT_JOB = "wfm.history_import"
# Above either limit a web import runs as a background job (settings may lower them, e.g. in tests).
ASYNC_IMPORT_BYTES = 2 * 1024 * 1024
ASYNC_IMPORT_ROWS = 20_000
# Uploads never confirmed are removed after this long (`manage.py wfm_cleanup_uploads`).
UPLOAD_KEEP_HOURS = 24
ROW_ERRORS_IN_JOB = 20
MIN_HORIZON_DAYS = 1
MAX_HORIZON_DAYS = 90
HISTORY_BATCH = 5000

ERR_QUEUE_NAME_TAKEN = gettext_noop("A queue with this name already exists.")
ERR_TEAM_OTHER_ORG = gettext_noop("Unknown team.")
ERR_SHRINKAGE = gettext_noop("Shrinkage must be at least 0 % and less than 100 %.")
ERR_SERVICE_LEVEL = gettext_noop("The service-level target must be between 1 and 99 %.")
ERR_UPLOAD_USED = gettext_noop("This file has already been imported. Upload it again to import it again.")
ERR_UPLOAD_GONE = gettext_noop("The uploaded file is no longer available. Upload it again.")
ERR_IMPORT_RUNNING = gettext_noop("This file is being imported right now.")
ERR_ROW = gettext_noop("Line %(line)s: %(message)s")
ERR_HORIZON = gettext_noop("The horizon must be from %(min)s to %(max)s days.")
ERR_TOO_LITTLE_HISTORY = gettext_noop("The forecast needs more history: %(detail)s")
ERR_QUEUE_GONE = gettext_noop("The queue no longer exists.")
ERR_INTERVAL_FIXED = gettext_noop(
    "This queue's contact history is in %(old)s-minute intervals, so its interval length cannot change "
    "(its counts would be read as %(new)s-minute ones). For %(new)s-minute intervals create a new queue."
)
ERR_SUPERSEDED = gettext_noop("A superseded forecast can no longer be changed.")
ERR_ALREADY_PUBLISHED = gettext_noop("This forecast is already published.")
ERR_ADJUST_RANGE = gettext_noop("The end must come after the start.")
ERR_ADJUST_OUTSIDE = gettext_noop("The range does not cover any interval of this forecast.")
ERR_ADJUST_PERCENT = gettext_noop("The change must be from -100 % to +500 %.")
ERR_REASON_REQUIRED = gettext_noop("Write down why the forecast is adjusted.")

# Field names in row errors, as people read them.
FIELD_LABELS = {
    "start": gettext_lazy("Start"),
    "time": gettext_lazy("Time"),
    "offered": gettext_lazy("Offered"),
    "handled": gettext_lazy("Handled"),
    "abandoned": gettext_lazy("Abandoned"),
    "aht": gettext_lazy("Average handle time"),
    "answered": gettext_lazy("Answered at"),
    "duration": gettext_lazy("Handle duration"),
    "answered_in_sl": gettext_lazy("Answered within target"),
}


# --- Queues ------------------------------------------------------------------------------------------


def _queue_checks(
    *, actor: Actor, name: str, shrinkage: float, service_level_percent: float, teams: Any
) -> None:
    errors: dict[str, str] = {}
    if not 0 <= shrinkage < 1:
        errors["shrinkage"] = _(ERR_SHRINKAGE)
    if not 1 <= service_level_percent <= 99:
        errors["service_level_percent"] = _(ERR_SERVICE_LEVEL)
    if any(t.organisation_id != actor.organisation_id for t in teams):
        errors["teams"] = _(ERR_TEAM_OTHER_ORG)
    if errors:
        raise ValidationError(errors)


QUEUE_FIELDS = (
    "name",
    "channel",
    "interval_minutes",
    "opening_hours",
    "service_level_percent",
    "service_level_seconds",
    "aht_seconds",
    "shrinkage",
    "skill",
)


def queue_create(*, actor: Actor, teams: Any = (), **fields: Any) -> Queue:
    """Create a queue of the actor's organisation (planner, manager, admin)."""
    require(actor, Capability.MANAGE_WFM)
    teams = list(teams)
    _queue_checks(
        actor=actor,
        name=fields["name"],
        shrinkage=fields.get("shrinkage", 0.3),
        service_level_percent=fields.get("service_level_percent", 80.0),
        teams=teams,
    )
    with transaction.atomic():
        if Queue.objects.filter(organisation_id=actor.organisation_id, name__iexact=fields["name"]).exists():
            raise ValidationError({"name": _(ERR_QUEUE_NAME_TAKEN)})
        queue = Queue.objects.create(
            organisation_id=actor.organisation_id, **{k: v for k, v in fields.items() if k in QUEUE_FIELDS}
        )
        queue.teams.set(teams)
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.queue.create",
            target=queue,
            changes={k: [None, _jsonable(getattr(queue, k))] for k in QUEUE_FIELDS},
        )
    return queue


def queue_update(*, actor: Actor, queue: Queue, teams: Any = None, **fields: Any) -> Queue:
    """Change a queue's settings; the change is audited field by field."""
    require(actor, Capability.MANAGE_WFM)
    if queue.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_QUEUE_GONE))
    new_teams = list(teams) if teams is not None else list(queue.teams.all())
    _queue_checks(
        actor=actor,
        name=fields.get("name", queue.name),
        shrinkage=fields.get("shrinkage", queue.shrinkage),
        service_level_percent=fields.get("service_level_percent", queue.service_level_percent),
        teams=new_teams,
    )
    with transaction.atomic():
        name = fields.get("name", queue.name)
        clash = Queue.objects.filter(organisation_id=actor.organisation_id, name__iexact=name).exclude(
            pk=queue.pk
        )
        if clash.exists():
            raise ValidationError({"name": _(ERR_QUEUE_NAME_TAKEN)})
        new_interval = int(fields.get("interval_minutes", queue.interval_minutes))
        if new_interval != queue.interval_minutes and ContactInterval.objects.filter(queue=queue).exists():
            raise ValidationError(
                {
                    "interval_minutes": _(ERR_INTERVAL_FIXED)
                    % {"old": queue.interval_minutes, "new": new_interval}
                }
            )
        before = {k: _jsonable(getattr(queue, k)) for k in QUEUE_FIELDS}
        before["teams"] = sorted(queue.teams.values_list("pk", flat=True))
        for key, value in fields.items():
            if key in QUEUE_FIELDS:
                setattr(queue, key, value)
        queue.save()
        queue.teams.set(new_teams)
        after = {k: _jsonable(getattr(queue, k)) for k in QUEUE_FIELDS}
        after["teams"] = sorted(t.pk for t in new_teams)
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changes:
            audit_record(
                organisation=actor.organisation,
                actor=actor.user,
                action="wfm.queue.update",
                target=queue,
                changes=changes,
            )
    return queue


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | dict | list) or value is None else str(value)


# --- Contact history ---------------------------------------------------------------------------------


class HistoryImportError(ValidationError):
    """A file was refused; `row_errors` lists the (translated) problems, nothing was written.

    `lines` holds each problem's line of the file, in the same order (None: the file as a whole).
    """

    def __init__(
        self, messages: list[str], *, error_count: int = 0, lines: list[int | None] | None = None
    ) -> None:
        super().__init__(messages)
        self.row_errors = messages
        self.error_count = error_count or len(messages)
        self.lines = lines if lines is not None else [None] * len(messages)

    def by_line(self) -> list[dict[str, Any]]:
        """The problems as data, for programs (the API): [{"line": 3, "message": "Line 3: …"}, …]."""
        return [
            {"line": line, "message": message}
            for line, message in zip(self.lines, self.row_errors, strict=True)
        ]


@dataclass(frozen=True)
class ImportSummary:
    rows: int
    intervals: int
    created: int
    updated: int
    seconds: float
    first: dt.datetime | None
    last: dt.datetime | None
    # Intervals whose "answered within the service-level target" count is known (measured service level).
    intervals_with_service_level: int = 0


Progress = Callable[[int, int, str], None]
IMPORT_STEPS = 3


def _no_progress(done: int, total: int, message: str) -> None:
    return None


def upload_dir() -> Path:
    path = Path(getattr(settings, "ASPA_WFM_UPLOAD_DIR", Path(settings.VAR_DIR) / "uploads" / "wfm"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check_size(size: int) -> None:
    if upload_too_large(size):
        raise ValidationError({"file": upload_too_large_message()}, code="too_large")


def history_upload_store(*, actor: Actor, queue: Queue, file: UploadedFile) -> HistoryUpload:
    """Keep an uploaded file until its column mapping is confirmed; refuse files over the size limit."""
    require(actor, Capability.MANAGE_WFM)
    _check_size(file.size or 0)
    stored = _stored_name(actor=actor, filename=file.name or "")
    target = upload_dir() / stored
    with target.open("wb") as out:
        for chunk in file.chunks():
            out.write(chunk)
    with transaction.atomic():
        upload = HistoryUpload.objects.create(
            organisation_id=actor.organisation_id,
            queue=queue,
            uploaded_by=actor.user,
            filename=Path(file.name or "history.csv").name[:200],
            stored_name=stored,
            size_bytes=file.size or 0,
        )
    return upload


def _stored_name(*, actor: Actor, filename: str) -> str:
    """A name nobody can guess, keeping the suffix (CSV or Excel is told apart by it too)."""
    return f"{actor.organisation_id}-{secrets.token_hex(12)}{Path(filename).suffix[:8].lower()}"


def upload_path(upload: HistoryUpload) -> Path:
    return upload_dir() / upload.stored_name


def row_error_messages(errors: list[importing.RowError]) -> list[str]:
    out = []
    for error in errors:
        params = dict(error.params)
        if "field" in params:
            params["field"] = str(FIELD_LABELS.get(params["field"], params["field"]))
        message = _(error.message) % params if params else _(error.message)
        out.append(_(ERR_ROW) % {"line": error.line, "message": message})
    return out


def _read(path: Path, filename: str) -> importing.Table:
    try:
        return importing.read_table(path, filename=filename)
    except importing.TableError as exc:
        raise HistoryImportError([_(exc.message) % exc.params if exc.params else _(exc.message)]) from exc
    except (OSError, csv_error()) as exc:
        raise HistoryImportError([_(importing.ERR_NOT_A_TABLE)]) from exc


def csv_error() -> type[Exception]:
    import csv

    return csv.Error


def history_import_file(
    *,
    actor: Actor,
    queue: Queue,
    path: Path,
    filename: str = "",
    mapping: importing.ColumnMapping | None = None,
    progress: Progress | None = None,
    upload: HistoryUpload | None = None,
) -> ImportSummary:
    """Import one history file into a queue: every row valid, or nothing written.

    Rows are summed into the queue's intervals and upserted on (queue, start): importing the same
    file twice leaves the same totals, a corrected file replaces the intervals it covers. `progress`
    (done, total, message) hears of each stage; a background job passes its JobContext.progress.
    Only the writing runs in a transaction (with marking `upload` imported), so progress stays visible.
    """
    require(actor, Capability.MANAGE_WFM)
    if queue.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_QUEUE_GONE))
    _check_size(path.stat().st_size)
    report = progress or _no_progress
    started = time.perf_counter()
    report(0, IMPORT_STEPS, _("Reading the file"))
    table = _read(path, filename)
    mapping = mapping or importing.guess_mapping(table.header)
    missing = importing.missing_fields(mapping)
    if missing:
        raise HistoryImportError(
            [_(importing.ERR_MISSING_COLUMN) % {"field": str(FIELD_LABELS.get(f, f))} for f in missing]
        )
    report(1, IMPORT_STEPS, _("Checking every row"))
    try:
        parsed = importing.parse_history(
            table,
            mapping,
            interval_minutes=queue.interval_minutes,
            service_level_seconds=queue.service_level_seconds,
        )
    except csv_error() as exc:
        raise HistoryImportError([_(importing.ERR_NOT_A_TABLE)]) from exc
    if parsed.error_count:
        raise HistoryImportError(
            row_error_messages(parsed.errors),
            error_count=parsed.error_count,
            lines=[error.line for error in parsed.errors],
        )
    report(2, IMPORT_STEPS, _("Writing the intervals"))
    with transaction.atomic():
        created, updated = _history_upsert(queue=queue, totals=parsed.totals)
        starts = sorted(parsed.totals)
        summary = ImportSummary(
            rows=parsed.rows,
            intervals=len(parsed.totals),
            created=created,
            updated=updated,
            seconds=round(time.perf_counter() - started, 2),
            first=starts[0].replace(tzinfo=dt.UTC) if starts else None,
            last=starts[-1].replace(tzinfo=dt.UTC) if starts else None,
            intervals_with_service_level=sum(1 for c in parsed.totals.values() if not c[6]),
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.history.import",
            target=queue,
            changes={
                "file": filename,
                "rows": summary.rows,
                "intervals": summary.intervals,
                "intervals_with_service_level": summary.intervals_with_service_level,
            },
        )
        if upload is not None:
            upload.imported_at = timezone.now()
            upload.rows_read = summary.rows
            upload.intervals_written = summary.intervals
            upload.save(update_fields=["imported_at", "rows_read", "intervals_written"])
            transaction.on_commit(lambda: path.unlink(missing_ok=True))
    return summary


def _history_upsert(*, queue: Queue, totals: dict[dt.datetime, list[float]]) -> tuple[int, int]:
    """Insert or update the intervals in batches, in one transaction; returns (created, updated)."""
    if not totals:
        return 0, 0
    starts = sorted(totals)
    first = starts[0].replace(tzinfo=dt.UTC)
    last = starts[-1].replace(tzinfo=dt.UTC)
    with transaction.atomic():
        span = ContactInterval.objects.filter(queue=queue, start__gte=first, start__lte=last)
        before = span.count()
        if connection.vendor in ("sqlite", "postgresql"):
            _upsert_sql(queue_id=queue.pk, starts=starts, totals=totals)
        else:
            _upsert_orm(queue_id=queue.pk, starts=starts, totals=totals)
        after = span.count()
    created = after - before
    return created, len(starts) - created


def _aht(cell: list[float]) -> float | None:
    return round(cell[3] / cell[4], 2) if cell[4] else None


def _in_sl(cell: list[float]) -> int | None:
    """Answered within target, or None when any row behind the interval lacked it."""
    return None if cell[6] else int(cell[5])


def _upsert_sql(*, queue_id: int, starts: list[dt.datetime], totals: dict[dt.datetime, list[float]]) -> None:
    """INSERT … ON CONFLICT DO UPDATE with executemany: about 10× faster than bulk_create for 1M rows."""
    qn = connection.ops.quote_name
    columns = ", ".join(
        qn(c)
        for c in ("queue_id", "start", "offered", "handled", "abandoned", "aht_seconds", "answered_in_sl")
    )
    updates = ", ".join(
        f"{qn(c)} = EXCLUDED.{qn(c)}"
        for c in ("offered", "handled", "abandoned", "aht_seconds", "answered_in_sl")
    )
    # Only the quoted names of our own table and columns are interpolated.
    table = qn(ContactInterval._meta.db_table)
    conflict = f"{qn('queue_id')}, {qn('start')}"
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s) "  # noqa: S608
    sql += f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    if connection.vendor == "sqlite":
        # What Django's SQLite backend stores for an aware datetime: naive UTC text (keys are naive UTC).
        def adapt(start: dt.datetime) -> Any:
            return start.isoformat(" ")
    else:

        def adapt(start: dt.datetime) -> Any:
            return start.replace(tzinfo=dt.UTC)

    with connection.cursor() as cursor:
        for i in range(0, len(starts), HISTORY_BATCH):
            cursor.executemany(
                sql,
                [
                    (queue_id, adapt(start), int(c[0]), int(c[1]), int(c[2]), _aht(c), _in_sl(c))
                    for start in starts[i : i + HISTORY_BATCH]
                    for c in (totals[start],)
                ],
            )


def _upsert_orm(*, queue_id: int, starts: list[dt.datetime], totals: dict[dt.datetime, list[float]]) -> None:
    for i in range(0, len(starts), HISTORY_BATCH):
        ContactInterval.objects.bulk_create(
            [
                ContactInterval(
                    queue_id=queue_id,
                    start=start.replace(tzinfo=dt.UTC),
                    offered=int(c[0]),
                    handled=int(c[1]),
                    abandoned=int(c[2]),
                    aht_seconds=_aht(c),
                    answered_in_sl=_in_sl(c),
                )
                for start in starts[i : i + HISTORY_BATCH]
                for c in (totals[start],)
            ],
            update_conflicts=True,
            unique_fields=["queue", "start"],
            update_fields=["offered", "handled", "abandoned", "aht_seconds", "answered_in_sl"],
        )


def _upload_checks(*, actor: Actor, upload: HistoryUpload) -> Path:
    require(actor, Capability.MANAGE_WFM)
    if upload.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_UPLOAD_GONE))
    if upload.imported_at is not None:
        raise ValidationError(_(ERR_UPLOAD_USED))
    path = upload_path(upload)
    if not path.exists():
        raise ValidationError(_(ERR_UPLOAD_GONE))
    return path


def history_import_upload(
    *,
    actor: Actor,
    upload: HistoryUpload,
    mapping: importing.ColumnMapping,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a stored upload with the confirmed mapping, then forget the file."""
    path = _upload_checks(actor=actor, upload=upload)
    return history_import_file(
        actor=actor,
        queue=upload.queue,
        path=path,
        filename=upload.filename,
        mapping=mapping,
        progress=progress,
        upload=upload,
    )


def upload_needs_job(upload: HistoryUpload) -> bool:
    """Whether the upload is large enough to import in the background (by size, then by rows)."""
    return history_file_needs_job(path=upload_path(upload), filename=upload.filename, size=upload.size_bytes)


def history_file_needs_job(*, path: Path, filename: str = "", size: int | None = None) -> bool:
    """Whether a history file is large enough to import in the background, on the web and in the API.

    Above ASPA_WFM_ASYNC_IMPORT_BYTES (default ASYNC_IMPORT_BYTES) or ASPA_WFM_ASYNC_IMPORT_ROWS data
    rows (default ASYNC_IMPORT_ROWS); a file that cannot be read is left to the synchronous import,
    which reports why at once.
    """
    max_bytes = getattr(settings, "ASPA_WFM_ASYNC_IMPORT_BYTES", ASYNC_IMPORT_BYTES)
    max_rows = getattr(settings, "ASPA_WFM_ASYNC_IMPORT_ROWS", ASYNC_IMPORT_ROWS)
    try:
        if (size if size is not None else path.stat().st_size) > max_bytes:
            return True
        table = importing.read_table(path, filename=filename)
        # Only counts up to the limit: a small file is read once more, a large one stops early.
        return sum(1 for _row in itertools.islice(table.rows, max_rows + 1)) > max_rows
    except (importing.TableError, OSError, csv_error()):
        return False


def _import_running(upload: HistoryUpload) -> bool:
    return Job.objects.filter(
        organisation_id=upload.organisation_id,
        kind=IMPORT_JOB,
        params__upload_id=upload.pk,
        status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
    ).exists()


def history_import_request(*, actor: Actor, upload: HistoryUpload, mapping: importing.ColumnMapping) -> Job:
    """Import a large upload as a background job (progress on its page); still all or nothing."""
    _upload_checks(actor=actor, upload=upload)
    if _import_running(upload):
        raise ValidationError(_(ERR_IMPORT_RUNNING), code="running")
    return job_enqueue(
        actor=actor,
        kind=IMPORT_JOB,
        params={"upload_id": upload.pk, "kind": mapping.kind, "columns": mapping.columns},
    )


def history_import_enqueue(*, actor: Actor, queue: Queue, path: Path, filename: str = "") -> Job:
    """Keep a received file as an upload and import it in a background job (the API's large files).

    The columns are guessed from the header as in the synchronous import, and checked now: a file that
    cannot be read or lacks a needed column is refused at once (HistoryImportError), no job starts. The
    rows are checked by the job, still all or nothing. The file is copied into the upload folder; an
    upload whose job never imported it goes with `uploads_cleanup`.
    """
    require(actor, Capability.MANAGE_WFM)
    if queue.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_QUEUE_GONE))
    size = path.stat().st_size
    _check_size(size)
    table = _read(path, filename)
    mapping = importing.guess_mapping(table.header)
    missing = importing.missing_fields(mapping)
    if missing:
        raise HistoryImportError(
            [_(importing.ERR_MISSING_COLUMN) % {"field": str(FIELD_LABELS.get(f, f))} for f in missing]
        )
    stored = _stored_name(actor=actor, filename=filename)
    shutil.copyfile(path, upload_dir() / stored)
    with transaction.atomic():
        upload = HistoryUpload.objects.create(
            organisation_id=actor.organisation_id,
            queue=queue,
            uploaded_by=actor.user,
            filename=Path(filename or "history.csv").name[:200],
            stored_name=stored,
            size_bytes=size,
        )
        return history_import_request(actor=actor, upload=upload, mapping=mapping)


def _import_params(params: dict[str, Any]) -> dict[str, Any]:
    try:
        upload_id = int(params["upload_id"])
        kind = str(params["kind"])
        columns = {str(name): int(index) for name, index in dict(params["columns"]).items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_(ERR_UPLOAD_GONE)) from exc
    if kind not in (importing.KIND_INTERVALS, importing.KIND_CONTACTS):
        raise ValidationError(_(ERR_UPLOAD_GONE))
    return {"upload_id": upload_id, "kind": kind, "columns": columns}


def _import_summary(result: Any) -> str:
    if not isinstance(result, dict) or "rows" not in result:
        return ""
    return ngettext(
        "Imported %(rows)s row into %(intervals)s intervals (%(created)s new, %(updated)s updated).",
        "Imported %(rows)s rows into %(intervals)s intervals (%(created)s new, %(updated)s updated).",
        int(result["rows"]),
    ) % {key: result.get(key, 0) for key in ("rows", "intervals", "created", "updated")}


def _import_failure(exc: HistoryImportError) -> str:
    """The job page shows one text: the count and the first row errors, one per line."""
    shown = exc.row_errors[:ROW_ERRORS_IN_JOB]
    head = ngettext(
        "Nothing was imported: %(count)s problem in the file.",
        "Nothing was imported: %(count)s problems in the file.",
        exc.error_count,
    ) % {"count": exc.error_count}
    return "\n".join([head, *shown])


@job_kind(
    IMPORT_JOB,
    label=gettext_lazy("Contact history import"),
    capability=Capability.MANAGE_WFM,
    clean_params=_import_params,
    summarise=_import_summary,
)
def history_import_job(ctx: JobContext) -> dict[str, Any]:
    """Import a confirmed upload; a cancel or any bad row rolls the whole file back."""
    upload = (
        HistoryUpload.objects.select_related("queue")
        .filter(pk=ctx.params["upload_id"], organisation_id=ctx.organisation_id)
        .first()
    )
    actor = ctx.actor
    if upload is None or actor is None:
        raise JobError(_(ERR_UPLOAD_GONE))
    mapping = importing.ColumnMapping(kind=ctx.params["kind"], columns=dict(ctx.params["columns"]))
    try:
        summary = history_import_upload(actor=actor, upload=upload, mapping=mapping, progress=ctx.progress)
    except HistoryImportError as exc:
        # The job page shows the text; a program polling the job through the API gets the lines.
        details = {"error_count": exc.error_count, "errors": exc.by_line()}
        raise JobError(_import_failure(exc), details=details) from exc
    except ValidationError as exc:
        raise JobError(" ".join(exc.messages)) from exc
    ctx.progress(IMPORT_STEPS, IMPORT_STEPS, _("Imported"))
    return {
        "queue_id": upload.queue_id,
        "upload_id": upload.pk,
        "rows": summary.rows,
        "intervals": summary.intervals,
        "created": summary.created,
        "updated": summary.updated,
        "seconds": summary.seconds,
    }


def upload_discard(*, actor: Actor, upload: HistoryUpload) -> None:
    """Cancel an upload that was never imported: the row and the stored file go."""
    require(actor, Capability.MANAGE_WFM)
    if upload.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_UPLOAD_GONE))
    if upload.imported_at is not None:
        raise ValidationError(_(ERR_UPLOAD_USED))
    if _import_running(upload):
        raise ValidationError(_(ERR_IMPORT_RUNNING), code="running")
    path = upload_path(upload)
    with transaction.atomic():
        upload.delete()
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def uploads_cleanup(*, older_than: dt.timedelta | None = None, now: dt.datetime | None = None) -> int:
    """Remove uploads never confirmed within `older_than` (default UPLOAD_KEEP_HOURS), with their files,
    and stray files in the upload folder that no pending upload refers to. Returns how many went."""
    now = now or timezone.now()
    cutoff = now - (older_than if older_than is not None else dt.timedelta(hours=UPLOAD_KEEP_HOURS))
    stale = HistoryUpload.objects.filter(imported_at__isnull=True, created_at__lt=cutoff)
    running = set(
        Job.objects.filter(kind=IMPORT_JOB, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).values_list(
            "params__upload_id", flat=True
        )
    )
    stale = stale.exclude(pk__in=[pk for pk in running if pk is not None])
    with transaction.atomic():
        names = list(stale.values_list("stored_name", flat=True))
        stale.delete()
    folder = upload_dir()
    for name in names:
        (folder / name).unlink(missing_ok=True)
    removed = len(names)
    pending = set(
        HistoryUpload.objects.filter(imported_at__isnull=True).values_list("stored_name", flat=True)
    )
    for target in folder.iterdir():
        modified = dt.datetime.fromtimestamp(target.stat().st_mtime, tz=dt.UTC)
        if target.is_file() and target.name not in pending and modified < cutoff:
            target.unlink(missing_ok=True)
            removed += 1
    return removed


# --- Forecasts ---------------------------------------------------------------------------------------


def _targets(forecast: Forecast) -> planning.Targets:
    return planning.Targets(
        interval_minutes=forecast.interval_minutes,
        aht_seconds=forecast.aht_seconds,
        service_level_percent=forecast.service_level_percent,
        service_level_seconds=forecast.service_level_seconds,
        shrinkage=forecast.shrinkage,
    )


def forecast_request(*, actor: Actor, queue: Queue, horizon_days: int) -> Job:
    """Start a forecast run of the queue as a background job (its page shows the progress)."""
    require(actor, Capability.MANAGE_WFM)
    if queue.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_QUEUE_GONE))
    if not MIN_HORIZON_DAYS <= horizon_days <= MAX_HORIZON_DAYS:
        raise ValidationError(
            {"horizon_days": _(ERR_HORIZON) % {"min": MIN_HORIZON_DAYS, "max": MAX_HORIZON_DAYS}}
        )
    return job_enqueue(
        actor=actor, kind=FORECAST_JOB, params={"queue_id": queue.pk, "horizon_days": horizon_days}
    )


def _forecast_params(params: dict[str, Any]) -> dict[str, Any]:
    try:
        horizon = int(params.get("horizon_days", 14))
        queue_id = int(params["queue_id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_(ERR_QUEUE_GONE)) from exc
    if not MIN_HORIZON_DAYS <= horizon <= MAX_HORIZON_DAYS:
        raise ValidationError(
            {"horizon_days": _(ERR_HORIZON) % {"min": MIN_HORIZON_DAYS, "max": MAX_HORIZON_DAYS}}
        )
    return {"queue_id": queue_id, "horizon_days": horizon}


def _forecast_summary(result: Any) -> str:
    if not isinstance(result, dict) or "intervals" not in result:
        return ""
    return ngettext(
        "Forecast of %(n)s interval with the model %(model)s.",
        "Forecast of %(n)s intervals with the model %(model)s.",
        int(result["intervals"]),
    ) % {"n": result["intervals"], "model": forecast_model_label(str(result.get("model", "")))}


@job_kind(
    FORECAST_JOB,
    label=gettext_lazy("Contact forecast"),
    capability=Capability.MANAGE_WFM,
    clean_params=_forecast_params,
    summarise=_forecast_summary,
)
def forecast_job(ctx: JobContext) -> dict[str, Any]:
    """Fit the forecaster on the queue's whole history, predict, compute the staffing need, save a draft."""
    queue = Queue.objects.filter(pk=ctx.params["queue_id"], organisation_id=ctx.organisation_id).first()
    if queue is None:
        raise JobError(_(ERR_QUEUE_GONE))
    ctx.progress(0, 4, _("Reading the contact history"))
    history = list(
        ContactInterval.objects.filter(queue=queue).order_by("start").values_list("start", "offered")
    )
    # Checked here as well as in the engine so that the planner reads it whole in their language (the
    # engine's own message is English and ended up inside a Finnish sentence).
    days = len({timezone.localtime(start).date() for start, _offered in history})
    if days < MIN_HISTORY_DAYS:
        raise JobError(
            ngettext(
                "The forecast needs contact history on at least %(needed)s days; this queue has it on "
                "%(days)s day.",
                "The forecast needs contact history on at least %(needed)s days; this queue has it on "
                "%(days)s days.",
                days,
            )
            % {"needed": MIN_HISTORY_DAYS, "days": days}
        )
    ctx.progress(1, 4, _("Choosing a model by backtesting"))
    try:
        result = forecast_compute(queue=queue, history=history, horizon_days=ctx.params["horizon_days"])
    except ForecastInputError as exc:
        raise JobError(_(ERR_TOO_LITTLE_HISTORY) % {"detail": str(exc)}) from exc
    ctx.progress(3, 4, _("Computing the staffing need"))
    job = Job.objects.filter(pk=ctx.job_id).first()
    forecast = forecast_save(
        queue=queue,
        result=result,
        created_by_id=ctx.created_by_id,
        job=job,
        horizon_days=ctx.params["horizon_days"],
    )
    ctx.progress(4, 4, _("Forecast saved"))
    return {
        "forecast_id": forecast.pk,
        "queue_id": queue.pk,
        "model": forecast.model_name,
        "wape": forecast.backtest_wape,
        "intervals": forecast.intervals.count(),
    }


def forecast_compute(
    *, queue: Queue, history: list[tuple[dt.datetime, int]], horizon_days: int, quick: bool = False
) -> ForecastResult:
    """The engine's forecast of the queue from (start, offered) pairs; raises ForecastInputError."""
    starts = [start for start, _offered in history]
    counts = np.array([offered for _start, offered in history], dtype=float)
    return planning.forecast(
        starts,
        counts,
        interval_minutes=queue.interval_minutes,
        horizon_days=horizon_days,
        opening_hours=queue.opening_hours,
        quick=quick,
    )


def forecast_save(
    *,
    queue: Queue,
    result: ForecastResult,
    created_by_id: int | None,
    horizon_days: int,
    job: Job | None = None,
) -> Forecast:
    """Store an engine result as a draft forecast with its staffing need (open intervals only)."""
    keep = planning.is_open(queue.opening_hours, result.start_local) | (result.point > 0)
    starts = result.start_utc[keep]
    point, lower, upper = result.point[keep], result.lower[keep], result.upper[keep]
    with transaction.atomic():
        forecast = Forecast.objects.create(
            organisation_id=queue.organisation_id,
            queue=queue,
            created_by_id=created_by_id,
            job=job,
            model_name=result.model,
            backtest_wape=_finite(result.backtest.wape),
            backtest_mase=_finite(result.backtest.mase),
            horizon_days=horizon_days,
            interval_minutes=queue.interval_minutes,
            level=result.level,
            starts_at=_aware(result.start_utc[0]) if result.start_utc.size else None,
            ends_at=_aware(result.start_utc[-1] + np.timedelta64(queue.interval_minutes, "m"))
            if result.start_utc.size
            else None,
            service_level_percent=queue.service_level_percent,
            service_level_seconds=queue.service_level_seconds,
            aht_seconds=queue.aht_seconds,
            shrinkage=queue.shrinkage,
        )
        required, scheduled = planning.staffing_need(point, _targets(forecast))
        ForecastInterval.objects.bulk_create(
            [
                ForecastInterval(
                    forecast=forecast,
                    start=_aware(starts[i]),
                    point=round(float(point[i]), 3),
                    lower=round(float(lower[i]), 3),
                    upper=round(float(upper[i]), 3),
                    adjusted=round(float(point[i]), 3),
                    required_agents=int(required[i]),
                    scheduled_agents=int(scheduled[i]),
                )
                for i in range(starts.size)
            ],
            batch_size=2000,
        )
    return forecast


def _finite(value: float) -> float | None:
    return round(float(value), 4) if np.isfinite(value) else None


def _aware(value: np.datetime64) -> dt.datetime:
    seconds = int(value.astype("datetime64[s]").astype(np.int64))
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _changeable(forecast: Forecast) -> None:
    if forecast.status == ForecastStatus.SUPERSEDED:
        raise ValidationError(_(ERR_SUPERSEDED), code="superseded")


def forecast_adjust(
    *,
    actor: Actor,
    forecast: Forecast,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    percent: float,
    reason: str,
) -> ForecastAdjustment:
    """Scale the intervals in [starts_at, ends_at) by `percent`, with a reason; staffing is recomputed."""
    require(actor, Capability.MANAGE_WFM)
    if forecast.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_QUEUE_GONE))
    _changeable(forecast)
    errors: dict[str, str] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = _(ERR_ADJUST_RANGE)
    if not -100 <= percent <= 500:
        errors["percent"] = _(ERR_ADJUST_PERCENT)
    if not reason.strip():
        errors["reason"] = _(ERR_REASON_REQUIRED)
    if errors:
        raise ValidationError(errors)
    if not forecast.intervals.filter(start__gte=starts_at, start__lt=ends_at).exists():
        raise ValidationError({"starts_at": _(ERR_ADJUST_OUTSIDE)})
    with transaction.atomic():
        adjustment = ForecastAdjustment.objects.create(
            forecast=forecast,
            starts_at=starts_at,
            ends_at=ends_at,
            percent=percent,
            reason=reason.strip(),
            created_by=actor.user,
        )
        _recompute(forecast)
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.forecast.adjust",
            target=forecast,
            changes={
                "from": starts_at.isoformat(),
                "until": ends_at.isoformat(),
                "percent": percent,
                "reason": adjustment.reason,
            },
        )
    return adjustment


def forecast_adjustment_remove(*, actor: Actor, adjustment: ForecastAdjustment) -> None:
    """Take one adjustment back (a mistyped +150 % instead of +15 %): the points and the staffing need are
    re-derived from the remaining adjustments, as if it had never been made."""
    require(actor, Capability.MANAGE_WFM)
    forecast = adjustment.forecast
    if forecast.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_QUEUE_GONE))
    _changeable(forecast)
    with transaction.atomic():
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.forecast.adjustment_remove",
            target=forecast,
            changes={
                "from": adjustment.starts_at.isoformat(),
                "until": adjustment.ends_at.isoformat(),
                "percent": adjustment.percent,
                "reason": adjustment.reason,
            },
        )
        adjustment.delete()
        _recompute(forecast)


def _recompute(forecast: Forecast) -> None:
    """Re-derive every adjusted point and the staffing need from the engine point and all adjustments."""
    rows = list(forecast.intervals.order_by("start"))
    if not rows:
        return
    starts = np.array([r.start.replace(tzinfo=None) for r in rows], dtype="datetime64[m]")
    points = np.array([r.point for r in rows], dtype=float)
    adjustments = [
        (
            np.datetime64(a.starts_at.astimezone(dt.UTC).replace(tzinfo=None), "m"),
            np.datetime64(a.ends_at.astimezone(dt.UTC).replace(tzinfo=None), "m"),
            a.percent,
        )
        for a in forecast.adjustments.all()
    ]
    adjusted = planning.adjusted_points(starts, points, adjustments)
    required, scheduled = planning.staffing_need(adjusted, _targets(forecast))
    for row, value, need, sched in zip(rows, adjusted, required, scheduled, strict=True):
        row.adjusted = round(float(value), 3)
        row.required_agents = int(need)
        row.scheduled_agents = int(sched)
    ForecastInterval.objects.bulk_update(
        rows, ["adjusted", "required_agents", "scheduled_agents"], batch_size=2000
    )


def forecast_publish(*, actor: Actor, forecast: Forecast) -> Forecast:
    """Publish a draft: the queue's previously published forecast becomes superseded."""
    require(actor, Capability.MANAGE_WFM)
    if forecast.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_QUEUE_GONE))
    _changeable(forecast)
    if forecast.status == ForecastStatus.PUBLISHED:
        raise ValidationError(_(ERR_ALREADY_PUBLISHED), code="published")
    with transaction.atomic():
        previous = list(
            Forecast.objects.select_for_update()
            .filter(queue_id=forecast.queue_id, status=ForecastStatus.PUBLISHED)
            .exclude(pk=forecast.pk)
        )
        Forecast.objects.filter(pk__in=[f.pk for f in previous]).update(status=ForecastStatus.SUPERSEDED)
        forecast.status = ForecastStatus.PUBLISHED
        forecast.published_at = timezone.now()
        forecast.published_by = actor.user
        forecast.save(update_fields=["status", "published_at", "published_by"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.forecast.publish",
            target=forecast,
            changes={"superseded": [f.pk for f in previous]},
        )
    return forecast


def forecast_publish_unchecked(*, forecast: Forecast) -> Forecast:
    """Publish without an actor (the demo seeds one): same effect as forecast_publish, no audit entry."""
    with transaction.atomic():
        Forecast.objects.filter(
            Q(queue_id=forecast.queue_id) & Q(status=ForecastStatus.PUBLISHED) & ~Q(pk=forecast.pk)
        ).update(status=ForecastStatus.SUPERSEDED)
        forecast.status = ForecastStatus.PUBLISHED
        forecast.published_at = timezone.now()
        forecast.save(update_fields=["status", "published_at"])
    return forecast
