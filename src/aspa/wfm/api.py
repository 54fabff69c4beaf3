"""JSON endpoints of workforce planning (mounted under /api/v1/): queues, history import, forecasts.

Thin like the views: the same selectors and services, with the authenticated Membership as actor.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import File, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from aspa.core.api import ERROR_RESPONSES
from aspa.core.tenancy import Actor
from aspa.wfm import selectors, services
from aspa.wfm.models import Forecast, Queue

router = Router(tags=["workforce planning"])

ERR_NO_FILE = gettext_noop(
    "Send the CSV as the request body (Content-Type: text/csv) or as a form field 'file'."
)
ERR_NO_PUBLISHED = gettext_noop("No forecast has been published for this queue.")


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
        return list(obj.intervals.order_by("start"))


@router.get("/wfm/queues", response={200: list[QueueOut], **ERROR_RESPONSES}, summary="Queues")
def wfm_queue_list(request: HttpRequest) -> Any:
    return list(selectors.queue_list(actor=_actor(request)))


@router.post(
    "/wfm/queues/{queue_id}/history",
    response={200: ImportOut, **ERROR_RESPONSES},
    summary="Import contact history (CSV)",
)
def wfm_history_import(request: HttpRequest, queue_id: int, file: File[UploadedFile] | None = None) -> Any:
    """Import interval counts or per-contact rows; all or nothing (422 lists each bad row by line)."""
    actor = _actor(request)
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    with tempfile.TemporaryDirectory(prefix="aspa-api-import-") as tmp:
        path = Path(tmp) / "history.csv"
        if file is not None:
            with path.open("wb") as out:
                for chunk in file.chunks():
                    out.write(chunk)
            name = file.name or "history.csv"
        elif request.body:
            path.write_bytes(request.body)
            name = "history.csv"
        else:
            raise HttpError(400, _(ERR_NO_FILE))
        summary = services.history_import_file(actor=actor, queue=queue, path=path, filename=name)
    return Status(200, summary.__dict__)


@router.get(
    "/wfm/queues/{queue_id}/forecast",
    response={200: ForecastOut, **ERROR_RESPONSES},
    summary="The published forecast of a queue, with the staffing need per interval",
)
def wfm_forecast_published(request: HttpRequest, queue_id: int) -> Any:
    actor = _actor(request)
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    forecast = selectors.forecast_published(actor=actor, queue=queue)
    if forecast is None:
        raise HttpError(404, _(ERR_NO_PUBLISHED))
    return forecast
