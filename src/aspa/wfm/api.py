"""JSON endpoints of workforce planning (mounted under /api/v1/): queues, history import, forecasts.

Thin like the views: the same selectors and services, with the authenticated Membership as actor.
A history file above the web import's thresholds (ASPA_WFM_ASYNC_IMPORT_BYTES / _ROWS) is imported
by a background job, as in the browser: the answer is 202 with the job to poll (GET /api/v1/jobs/{id}).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import File, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import AwareDatetime

from aspa.core.api import ERROR_RESPONSES, ErrorOut, PagePagination
from aspa.core.api_jobs import job_api_url
from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, require
from aspa.core.uploads import upload_too_large_message
from aspa.wfm import selectors, services
from aspa.wfm.models import Forecast, Queue

router = Router(tags=["workforce planning"])

ERR_NO_FILE = gettext_noop(
    "Send the CSV as the request body (Content-Type: text/csv) or as a form field 'file'."
)
ERR_NO_PUBLISHED = gettext_noop("No forecast has been published for this queue.")
ERR_WINDOW = gettext_noop("The end of the window must be after its start.")
ERR_CONTENT_TYPE = gettext_noop(
    "A history file cannot be sent as %(type)s: send the CSV as the request body with Content-Type: "
    "text/csv, or the CSV or Excel file as the form field 'file' (multipart/form-data)."
)
# Bodies the history import reads as a file. The form-encoded type is here because `curl --data-binary`
# sends a file with it unless told otherwise; JSON, XML and the like are refused with 415.
HISTORY_CONTENT_TYPES = frozenset(
    {
        "",
        "text/csv",
        "text/plain",
        "application/csv",
        "application/octet-stream",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }
)
# Received in pieces of this size, so a large body is never held in memory whole.
RECEIVE_CHUNK_BYTES = 256 * 1024


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined]


class QueueOut(Schema):
    id: int
    name: str
    channel: str
    interval_minutes: int
    opening_hours: dict[str, list[list[str]]]
    service_level_percent: float
    service_level_seconds: int
    aht_seconds: int
    shrinkage: float
    skill: str
    teams: list[int]

    @staticmethod
    def resolve_teams(obj: Queue) -> list[int]:
        return [t.pk for t in obj.teams.all()]


class ImportOut(Schema):
    rows: int
    intervals: int
    created: int
    updated: int
    first: dt.datetime | None
    last: dt.datetime | None
    # Intervals that came with "answered within the service-level target" (measured service level).
    intervals_with_service_level: int = 0


class ImportQueuedOut(Schema):
    """A large file accepted for import in the background: poll `url` (also the Location header)."""

    job_id: int
    status: str
    url: str


class IntervalOut(Schema):
    start: dt.datetime
    point: float
    lower: float
    upper: float
    adjusted: float
    required_agents: int
    scheduled_agents: int


class ForecastOut(Schema):
    id: int
    queue_id: int
    status: str
    model_name: str
    backtest_wape: float | None
    backtest_mase: float | None
    level: float
    interval_minutes: int
    published_at: dt.datetime | None
    intervals: list[IntervalOut]

    @staticmethod
    def resolve_intervals(obj: Forecast) -> list[Any]:
        # The endpoint sets `window_intervals` (those in the asked window); otherwise all of them.
        window = getattr(obj, "window_intervals", None)
        return window if window is not None else list(obj.intervals.order_by("start"))


@router.get("/wfm/queues", response={200: list[QueueOut], **ERROR_RESPONSES}, summary="Queues")
@paginate(PagePagination)
def wfm_queue_list(request: HttpRequest) -> QuerySet[Queue]:
    """The queues of the organisation by name (names are unique), a page at a time like every list:
    `?page=N&page_size=M` (at most 100, default 50); `next` is null on the last page. Any member.

    `opening_hours` maps a weekday (0 Monday … 6 Sunday) to its opening periods as local "HH:MM" pairs.
    """
    return selectors.queue_list(actor=_actor(request))


HISTORY_IMPORT_DOC = {
    "requestBody": {
        "content": {
            "text/csv": {"schema": {"type": "string", "format": "binary"}},
        }
    },
    "responses": {
        200: {"description": "Imported at once (a small file): rows read, intervals written."},
        202: {
            "description": (
                "A large file (above the background-import thresholds) was accepted and is imported "
                "by a job: poll the job at `url` (also in the Location header) until it is finished. "
                "It then holds the rows read and intervals written, or, when the file was refused, the "
                "problems line by line; nothing is written then."
            ),
            "headers": {
                "Location": {"description": "The job to poll (absolute URL).", "schema": {"type": "string"}}
            },
        },
        413: {"description": "The file is larger than the upload limit."},
        415: {"description": "The body's Content-Type is not a file (e.g. application/json)."},
        422: {
            "description": (
                "The file was refused and nothing was written: `errors.file` lists the problems, "
                "each starting with its line of the file."
            )
        },
    },
}


@router.post(
    "/wfm/queues/{queue_id}/history",
    response={
        200: ImportOut,
        202: ImportQueuedOut,
        400: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        **ERROR_RESPONSES,
    },
    summary="Import contact history (CSV or Excel)",
    openapi_extra=HISTORY_IMPORT_DOC,
)
def wfm_history_import(
    request: HttpRequest, response: HttpResponse, queue_id: int, file: File[UploadedFile | None] = None
) -> Any:
    """Import interval counts or per-contact rows; all or nothing (422 lists each bad row by line).

    Send the file as the request body (Content-Type: text/csv) or as the form field `file`. A small
    file is imported at once (200). A large one answers 202 with a job to poll; the job checks every
    row the same way and writes nothing if any is wrong. Planners, managers and admins.

    Idempotent: an interval already stored is replaced, not added to, so sending the same file again
    (after a timeout, say) leaves the same history (`updated` counts those intervals).
    """
    actor = _actor(request)
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    # Refuse before receiving the file: roles that may not import never leave it on the server.
    require(actor, Capability.MANAGE_WFM)
    content_type = (request.content_type or "").lower()
    if content_type not in HISTORY_CONTENT_TYPES:
        raise HttpError(415, _(ERR_CONTENT_TYPE) % {"type": content_type})
    with tempfile.TemporaryDirectory(prefix="aspa-api-import-") as tmp:
        path = Path(tmp) / "history.csv"
        name = _receive(request, file, path)
        if services.history_file_needs_job(path=path, filename=name):
            job = services.history_import_enqueue(actor=actor, queue=queue, path=path, filename=name)
            url = job_api_url(job)
            response["Location"] = request.build_absolute_uri(url)
            return Status(202, {"job_id": job.pk, "status": job.status, "url": url})
        try:
            summary = services.history_import_file(actor=actor, queue=queue, path=path, filename=name)
        except services.HistoryImportError as exc:
            # As the job's result does: every problem with its line, for the program to show or log.
            raise ValidationError({"file": exc.row_errors}) from exc
    return Status(200, summary.__dict__)


def _too_large() -> HttpError:
    return HttpError(413, upload_too_large_message())


def _receive(request: HttpRequest, file: UploadedFile | None, path: Path) -> str:
    """Write the sent file to `path` and return its name; past ASPA_MAX_UPLOAD_BYTES answer 413 at once."""
    limit = settings.ASPA_MAX_UPLOAD_BYTES
    if file is not None:
        if (file.size or 0) > limit:
            raise _too_large()
        chunks = file.chunks()
        name = file.name or "history.csv"
    else:
        if (request.content_type or "").startswith("multipart/"):
            # A form without the field `file`: its raw body is no history file.
            raise HttpError(400, _(ERR_NO_FILE))
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            raise _too_large()
        # Read as a stream, not `request.body`: that would hold it all in memory (and stop at 10 MB).
        chunks = iter(lambda: request.read(RECEIVE_CHUNK_BYTES), b"")
        name = "history.csv"
    written = 0
    with path.open("wb") as out:
        for chunk in chunks:
            written += len(chunk)
            if written > limit:
                raise _too_large()
            out.write(chunk)
    if file is None and not written:
        raise HttpError(400, _(ERR_NO_FILE))
    return name


SINCE_QUERY = Query(
    None, description="Only intervals starting at or after this time (ISO 8601 with an offset)."
)
UNTIL_QUERY = Query(None, description="Only intervals starting before this time (ISO 8601 with an offset).")


@router.get(
    "/wfm/queues/{queue_id}/forecast",
    response={200: ForecastOut, **ERROR_RESPONSES},
    summary="The published forecast of a queue, with the staffing need per interval",
)
def wfm_forecast_published(
    request: HttpRequest,
    queue_id: int,
    since: AwareDatetime | None = SINCE_QUERY,
    until: AwareDatetime | None = UNTIL_QUERY,
) -> Any:
    """The queue's published forecast, its intervals in time order (`start` in UTC); any member.

    `point`, `lower`, `upper` are contacts per interval (the prediction interval at `level`),
    `adjusted` the point after the planners' adjustments; `required_agents` answer those contacts at
    the service-level target (Erlang C), `scheduled_agents` adds the shrinkage. 404 when nothing is
    published yet. `since`/`until` narrow the intervals; in a query string write a `+` offset as
    `%2B` (or use `Z`).
    """
    actor = _actor(request)
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    forecast = selectors.forecast_published(actor=actor, queue=queue)
    if forecast is None:
        raise HttpError(404, _(ERR_NO_PUBLISHED))
    if since is not None and until is not None and until <= since:
        raise ValidationError({"until": [_(ERR_WINDOW)]})
    forecast.window_intervals = list(  # type: ignore[attr-defined]
        selectors.forecast_intervals(actor=actor, forecast=forecast, since=since, until=until)
    )
    return forecast
