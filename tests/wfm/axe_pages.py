"""URL arguments of the wfm pages for the axe walk (tests/e2e/test_axe.py): demo objects of the admin's org."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aspa.wfm.models import (
    Availability,
    Forecast,
    ForecastAdjustment,
    ForecastStatus,
    HistoryUpload,
    PeriodStatus,
    PlanningPeriod,
    Queue,
    Roster,
    RosterStatus,
    Shift,
    ShiftWish,
    SwapRequest,
)


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


def _period(scene: Any, status: str) -> PlanningPeriod:
    return PlanningPeriod.objects.filter(organisation=scene.admin.organisation, status=status).first()  # type: ignore[return-value]


def _roster(scene: Any) -> Roster:
    return Roster.objects.filter(  # type: ignore[return-value]
        organisation=scene.admin.organisation, status=RosterStatus.PUBLISHED
    ).first()


def _agent_shift(scene: Any) -> Shift:
    """A published shift of the demo agent (the offer page is the owner's)."""
    shifts = Shift.objects.filter(roster=_roster(scene)).order_by("day", "pk")
    return shifts.filter(membership=scene.agent).first() or shifts.first()  # type: ignore[return-value]


def _swap(scene: Any) -> SwapRequest:
    return SwapRequest.objects.filter(organisation=scene.admin.organisation).first()  # type: ignore[return-value]


def _wish(scene: Any) -> ShiftWish:
    return ShiftWish.objects.filter(period=_period(scene, PeriodStatus.OPEN)).first()  # type: ignore[return-value]


def _unavailable(scene: Any) -> Availability:
    availability, _ = Availability.objects.get_or_create(
        period=_period(scene, PeriodStatus.OPEN),
        membership=scene.agent,
        day=_period(scene, PeriodStatus.OPEN).starts_on,
    )
    return availability


def _calendar_token(scene: Any) -> str:
    from aspa.wfm import roster_services

    return roster_services.calendar_feed_create(actor=scene.agent)


def _team_id(scene: Any) -> int:
    return _period(scene, PeriodStatus.OPEN).team_id


def _team_shift_type(scene: Any) -> Any:
    from aspa.wfm.models import ShiftType

    return ShiftType.objects.filter(team_id=_team_id(scene)).order_by("code").first()


def _team_member(scene: Any) -> Any:
    from aspa.org.models import Membership

    return Membership.objects.filter(team_memberships__team_id=_team_id(scene)).order_by("pk").first()


def _priority(scene: Any) -> Any:
    from aspa.wfm.models import FairnessPriority

    return FairnessPriority.objects.filter(team_id=_team_id(scene)).first()


def _adjustment(scene: Any) -> ForecastAdjustment:
    # Also puts an adjustment row (with its remove button) on the forecast page that the walk scans.
    forecast = _forecast(scene)
    assert forecast.starts_at is not None and forecast.ends_at is not None
    adjustment, _ = ForecastAdjustment.objects.get_or_create(
        forecast=forecast,
        reason="Kampanja",
        defaults={"starts_at": forecast.starts_at, "ends_at": forecast.ends_at, "percent": 10},
    )
    return adjustment


def page_kwargs() -> dict[str, Callable[[Any], dict[str, Any]]]:
    return {
        "wfm:queue": lambda s: {"queue_id": _queue(s).pk},
        "wfm:queue_edit": lambda s: {"queue_id": _queue(s).pk},
        "wfm:history_upload": lambda s: {"queue_id": _queue(s).pk},
        "wfm:forecasts": lambda s: {"queue_id": _queue(s).pk},
        "wfm:history_preview": lambda s: {"upload_id": _upload(s).pk},
        "wfm:history_cancel": lambda s: {"upload_id": _upload(s).pk},
        "wfm:forecast": lambda s: {"forecast_id": _forecast(s).pk},
        "wfm:forecast_adjust": lambda s: {"forecast_id": _forecast(s).pk},
        "wfm:forecast_publish": lambda s: {"forecast_id": _forecast(s).pk},
        "wfm:forecast_adjustment_remove": lambda s: {
            "forecast_id": _forecast(s).pk,
            "adjustment_id": _adjustment(s).pk,
        },
        "wfm:forecast_csv": lambda s: {"forecast_id": _forecast(s).pk},
        "wfm:period": lambda s: {"period_id": _period(s, PeriodStatus.OPEN).pk},
        "wfm:period_wishes": lambda s: {"period_id": _period(s, PeriodStatus.OPEN).pk},
        "wfm:period_solve": lambda s: {"period_id": _period(s, PeriodStatus.OPEN).pk},
        "wfm:wish_delete": lambda s: {"wish_id": _wish(s).pk},
        "wfm:unavailable_delete": lambda s: {"availability_id": _unavailable(s).pk},
        "wfm:roster": lambda s: {"roster_id": _roster(s).pk},
        "wfm:roster_publish": lambda s: {"roster_id": _roster(s).pk},
        "wfm:roster_csv": lambda s: {"roster_id": _roster(s).pk},
        "wfm:shift_pin": lambda s: {"shift_id": _agent_shift(s).pk},
        "wfm:swap_offer": lambda s: {"shift_id": _agent_shift(s).pk},
        "wfm:calendar_feed": lambda s: {"token": _calendar_token(s)},
        "wfm:swap": lambda s: {"swap_id": _swap(s).pk},
        "wfm:swap_decide": lambda s: {"swap_id": _swap(s).pk},
        "wfm:swap_cancel": lambda s: {"swap_id": _swap(s).pk},
        "wfm:roster_xlsx": lambda s: {"roster_id": _roster(s).pk},
        "wfm:period_lock": lambda s: {"period_id": _period(s, PeriodStatus.PUBLISHED).pk},
        "wfm:roster_setup": lambda s: {"team_id": _team_id(s)},
        "wfm:shift_type_edit": lambda s: {"team_id": _team_id(s), "shift_type_id": _team_shift_type(s).pk},
        "wfm:shift_type_delete": lambda s: {"team_id": _team_id(s), "shift_type_id": _team_shift_type(s).pk},
        "wfm:contract_edit": lambda s: {"team_id": _team_id(s), "membership_id": _team_member(s).pk},
        "wfm:priority_end": lambda s: {"priority_id": _priority(s).pk},
    }
