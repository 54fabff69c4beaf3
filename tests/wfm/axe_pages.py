"""URL arguments of the wfm pages for the axe walk (tests/e2e/test_axe.py): demo objects of the admin's org."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aspa.wfm.models import Forecast, ForecastStatus, HistoryUpload, Queue


def _queue(scene: Any) -> Queue:
    return Queue.objects.filter(organisation=scene.admin.organisation).order_by("name").first()  # type: ignore[return-value]


def _forecast(scene: Any) -> Forecast:
    return Forecast.objects.filter(queue=_queue(scene), status=ForecastStatus.PUBLISHED).first()  # type: ignore[return-value]


def _upload(scene: Any) -> HistoryUpload:
    # No file behind it: the preview page shows its "upload again" message, which is scanned too.
    upload, _ = HistoryUpload.objects.get_or_create(
        organisation=scene.admin.organisation,
        queue=_queue(scene),
        filename="historia.csv",
        stored_name="none.csv",
    )
    return upload


def page_kwargs() -> dict[str, Callable[[Any], dict[str, Any]]]:
    return {
        "wfm:queue": lambda s: {"queue_id": _queue(s).pk},
        "wfm:queue_edit": lambda s: {"queue_id": _queue(s).pk},
        "wfm:history_upload": lambda s: {"queue_id": _queue(s).pk},
        "wfm:forecasts": lambda s: {"queue_id": _queue(s).pk},
        "wfm:history_preview": lambda s: {"upload_id": _upload(s).pk},
        "wfm:forecast": lambda s: {"forecast_id": _forecast(s).pk},
        "wfm:forecast_adjust": lambda s: {"forecast_id": _forecast(s).pk},
        "wfm:forecast_publish": lambda s: {"forecast_id": _forecast(s).pk},
        "wfm:forecast_csv": lambda s: {"forecast_id": _forecast(s).pk},
    }
