"""Who may reach the workforce-planning pages: every member reads, planners/managers/admins write."""

from __future__ import annotations

from typing import Any

from aspa.core.roles import Role
from aspa.wfm.models import ContactInterval, Forecast, ForecastAdjustment, HistoryUpload, Queue
from tests.access import INSIDE, Access, World
from tests.wfm.factories import QueueFactory, forecast_with_intervals

PLANNERS = frozenset({Role.PLANNER, Role.MANAGER, Role.ADMIN})

ACCESS: dict[str, Access] = {
    "wfm:queues": Access(get=INSIDE),
    "wfm:queue_create": Access(get=PLANNERS, post=PLANNERS),
    "wfm:queue": Access(get=INSIDE, object_of_org=True),
    "wfm:queue_edit": Access(get=PLANNERS, post=PLANNERS, object_of_org=True),
    "wfm:history_upload": Access(get=PLANNERS, post=PLANNERS, object_of_org=True),
    "wfm:history_preview": Access(get=PLANNERS, post=PLANNERS, object_of_org=True),
    "wfm:forecasts": Access(get=INSIDE, post=PLANNERS, object_of_org=True),
    "wfm:forecast": Access(get=INSIDE, object_of_org=True),
    "wfm:forecast_adjust": Access(get=PLANNERS, post=PLANNERS, object_of_org=True),
    "wfm:forecast_publish": Access(post=PLANNERS, get_allowed=False, object_of_org=True),
    "wfm:forecast_csv": Access(get=INSIDE, object_of_org=True),
    "wfm:plotly_js": Access(public=True),
    "api:wfm_queue_list": Access(get=INSIDE, api=True),
    "api:wfm_history_import": Access(
        skip_reason="POST-only CSV upload; roles and isolation in tests/wfm/test_api.py",
        post=PLANNERS,
        api=True,
    ),
    "api:wfm_forecast_published": Access(get=INSIDE, api=True, object_of_org=True),
}


def setup(world: World) -> None:
    queue = QueueFactory(organisation=world.org_a, name="Salainen Alfajono")
    forecast = forecast_with_intervals(queue)
    upload = HistoryUpload.objects.create(
        organisation=world.org_a, queue=queue, filename="salainen-alfa.csv", stored_name="missing.csv"
    )
    world.kwargs.update(
        {
            "wfm:queue": lambda: {"queue_id": queue.pk},
            "wfm:queue_edit": lambda: {"queue_id": queue.pk},
            "wfm:history_upload": lambda: {"queue_id": queue.pk},
            "wfm:forecasts": lambda: {"queue_id": queue.pk},
            "wfm:history_preview": lambda: {"upload_id": upload.pk},
            "wfm:forecast": lambda: {"forecast_id": forecast.pk},
            "wfm:forecast_adjust": lambda: {"forecast_id": forecast.pk},
            "wfm:forecast_publish": lambda: {"forecast_id": forecast.pk},
            "wfm:forecast_csv": lambda: {"forecast_id": forecast.pk},
            "api:wfm_history_import": lambda: {"queue_id": queue.pk},
            "api:wfm_forecast_published": lambda: {"queue_id": queue.pk},
        }
    )
    world.secrets += ["Salainen Alfajono", "salainen-alfa.csv"]
    world.objects.update(wfm_queue=queue, wfm_forecast=forecast)


def snapshot(world: World) -> Any:
    return (
        sorted(Queue.objects.filter(organisation=world.org_a).values_list("pk", "name", "aht_seconds")),
        ContactInterval.objects.filter(queue__organisation=world.org_a).count(),
        sorted(Forecast.objects.filter(organisation=world.org_a).values_list("pk", "status")),
        ForecastAdjustment.objects.filter(forecast__organisation=world.org_a).count(),
        HistoryUpload.objects.filter(organisation=world.org_a).count(),
    )
