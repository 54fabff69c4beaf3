"""Who may reach the workforce-planning pages: every member reads, planners/managers/admins write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from aspa.core.roles import Role
from aspa.wfm import roster_services
from aspa.wfm.models import (
    Availability,
    CalendarFeed,
    ContactInterval,
    FairnessPriority,
    Forecast,
    ForecastAdjustment,
    HistoryUpload,
    PlanningPeriod,
    Queue,
    Roster,
    Shift,
    ShiftType,
    ShiftWish,
    SwapRequest,
    WishKind,
)
from tests.access import INSIDE, Access, World
from tests.wfm.factories import QueueFactory, forecast_with_intervals
from tests.wfm.roster_factories import PeriodFactory, ShiftTypeFactory, published_roster

PLANNERS = frozenset({Role.PLANNER, Role.MANAGER, Role.ADMIN})
# Planning a team's roster: planners, and the team's leads.
ROSTER_PLANNERS = PLANNERS | {Role.LEAD}
OWNER = frozenset({Role.AGENT})  # the walk's agent owns the wish, the shift and the offer

ACCESS: dict[str, Access] = {
    "wfm:queues": Access(get=INSIDE),
    "wfm:queue_create": Access(get=PLANNERS, post=PLANNERS),
    "wfm:queue": Access(get=INSIDE, object_of_org=True),
    "wfm:queue_edit": Access(get=PLANNERS, post=PLANNERS, object_of_org=True),
    "wfm:history_upload": Access(get=PLANNERS, post=PLANNERS, object_of_org=True),
    "wfm:history_preview": Access(get=PLANNERS, post=PLANNERS, object_of_org=True),
    "wfm:history_cancel": Access(post=PLANNERS, get_allowed=False, object_of_org=True),
    "wfm:forecasts": Access(get=INSIDE, post=PLANNERS, object_of_org=True),
    "wfm:forecast": Access(get=INSIDE, object_of_org=True),
    "wfm:forecast_adjust": Access(get=PLANNERS, post=PLANNERS, object_of_org=True),
    "wfm:forecast_publish": Access(post=PLANNERS, get_allowed=False, object_of_org=True),
    "wfm:forecast_adjustment_remove": Access(post=PLANNERS, get_allowed=False, object_of_org=True),
    "wfm:forecast_csv": Access(get=INSIDE, object_of_org=True),
    "wfm:plotly_js": Access(public=True),
    "api:wfm_queue_list": Access(get=INSIDE, api=True),
    "api:wfm_history_import": Access(
        skip_reason="POST-only CSV upload; roles and isolation in tests/wfm/test_api.py",
        post=PLANNERS,
        api=True,
    ),
    "api:wfm_forecast_published": Access(get=INSIDE, api=True, object_of_org=True),
    "wfm:periods": Access(get=INSIDE, post=ROSTER_PLANNERS),
    "wfm:period": Access(get=INSIDE, object_of_org=True),
    "wfm:period_wishes": Access(get=INSIDE, post=INSIDE, object_of_org=True),
    "wfm:period_solve": Access(post=ROSTER_PLANNERS, get_allowed=False, object_of_org=True),
    "wfm:wish_delete": Access(post=OWNER, get_allowed=False, object_of_org=True),
    "wfm:unavailable_delete": Access(post=OWNER, get_allowed=False, object_of_org=True),
    "wfm:roster": Access(get=INSIDE, object_of_org=True),
    "wfm:roster_publish": Access(post=frozenset({Role.PLANNER}), get_allowed=False, object_of_org=True),
    "wfm:roster_csv": Access(get=INSIDE, object_of_org=True),
    "wfm:roster_xlsx": Access(get=INSIDE, object_of_org=True),
    "wfm:period_lock": Access(post=ROSTER_PLANNERS, get_allowed=False, object_of_org=True),
    "wfm:roster_setup": Access(get=ROSTER_PLANNERS, post=ROSTER_PLANNERS, object_of_org=True),
    "wfm:shift_type_edit": Access(get=ROSTER_PLANNERS, post=ROSTER_PLANNERS, object_of_org=True),
    "wfm:shift_type_delete": Access(post=ROSTER_PLANNERS, get_allowed=False, object_of_org=True),
    "wfm:contract_edit": Access(get=ROSTER_PLANNERS, post=ROSTER_PLANNERS, object_of_org=True),
    # The decision matrix's default for "priority.grant": the team's lead decides (after consulting).
    "wfm:priority_end": Access(post=frozenset({Role.LEAD}), get_allowed=False, object_of_org=True),
    "wfm:my_shifts": Access(get=INSIDE, post=INSIDE),
    "wfm:shift_pin": Access(post=ROSTER_PLANNERS, get_allowed=False, object_of_org=True),
    "wfm:swap_offer": Access(get=OWNER, post=OWNER, object_of_org=True),
    "wfm:calendar_feed": Access(public=True, object_of_org=True),
    "wfm:swaps": Access(get=INSIDE),
    "wfm:swap": Access(get=INSIDE, post=INSIDE, object_of_org=True),
    "wfm:swap_decide": Access(
        post=frozenset({Role.LEAD, Role.PLANNER}), get_allowed=False, object_of_org=True
    ),
    "wfm:swap_cancel": Access(post=OWNER, get_allowed=False, object_of_org=True),
}


def setup(world: World) -> None:
    queue = QueueFactory(organisation=world.org_a, name="Salainen Alfajono")
    forecast = forecast_with_intervals(queue)
    adjustment = ForecastAdjustment.objects.create(
        forecast=forecast,
        starts_at=forecast.starts_at,
        ends_at=forecast.ends_at,
        percent=10,
        reason="Salainen kampanja",
    )
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
            "wfm:history_cancel": lambda: {"upload_id": upload.pk},
            "wfm:forecast": lambda: {"forecast_id": forecast.pk},
            "wfm:forecast_adjust": lambda: {"forecast_id": forecast.pk},
            "wfm:forecast_publish": lambda: {"forecast_id": forecast.pk},
            "wfm:forecast_adjustment_remove": lambda: {
                "forecast_id": forecast.pk,
                "adjustment_id": adjustment.pk,
            },
            "wfm:forecast_csv": lambda: {"forecast_id": forecast.pk},
            "api:wfm_history_import": lambda: {"queue_id": queue.pk},
            "api:wfm_forecast_published": lambda: {"queue_id": queue.pk},
        }
    )
    world.secrets += ["Salainen Alfajono", "salainen-alfa.csv", "Salainen kampanja"]
    world.objects.update(wfm_queue=queue, wfm_forecast=forecast)
    _roster_setup(world)


def _roster_setup(world: World) -> None:
    team = world.objects["team"]
    agent = world.members[Role.AGENT]
    shift_type = ShiftTypeFactory(organisation=world.org_a, team=team, code="SA", name="Salainen Aamuvuoro")
    start = timezone.localdate() + dt.timedelta(days=7)
    period = PeriodFactory(
        team=team, name="Salainen Alfajakso", starts_on=start, ends_on=start + dt.timedelta(days=6)
    )
    wish = ShiftWish.objects.create(period=period, membership=agent, kind=WishKind.DAY_OFF, day=start)
    unavailable = Availability.objects.create(
        period=period, membership=agent, day=start + dt.timedelta(days=1)
    )
    roster = published_roster(period, [(agent, start + dt.timedelta(days=2), shift_type)])
    shift = roster.shifts.get()
    swap = SwapRequest.objects.create(organisation=world.org_a, shift=shift, offered_by=agent)
    token = roster_services.calendar_feed_create(actor=agent)
    priority = FairnessPriority.objects.create(
        organisation=world.org_a, team=team, membership=agent, reason="Salainen syy"
    )
    world.kwargs.update(
        {
            "wfm:period": lambda: {"period_id": period.pk},
            "wfm:period_wishes": lambda: {"period_id": period.pk},
            "wfm:period_solve": lambda: {"period_id": period.pk},
            "wfm:wish_delete": lambda: {"wish_id": wish.pk},
            "wfm:unavailable_delete": lambda: {"availability_id": unavailable.pk},
            "wfm:roster": lambda: {"roster_id": roster.pk},
            "wfm:roster_publish": lambda: {"roster_id": roster.pk},
            "wfm:roster_csv": lambda: {"roster_id": roster.pk},
            "wfm:roster_xlsx": lambda: {"roster_id": roster.pk},
            "wfm:period_lock": lambda: {"period_id": period.pk},
            "wfm:roster_setup": lambda: {"team_id": team.pk},
            "wfm:shift_type_edit": lambda: {"team_id": team.pk, "shift_type_id": shift_type.pk},
            "wfm:shift_type_delete": lambda: {"team_id": team.pk, "shift_type_id": shift_type.pk},
            "wfm:contract_edit": lambda: {"team_id": team.pk, "membership_id": agent.pk},
            "wfm:priority_end": lambda: {"priority_id": priority.pk},
            "wfm:shift_pin": lambda: {"shift_id": shift.pk},
            "wfm:swap_offer": lambda: {"shift_id": shift.pk},
            "wfm:calendar_feed": lambda: {"token": token},
            "wfm:swap": lambda: {"swap_id": swap.pk},
            "wfm:swap_decide": lambda: {"swap_id": swap.pk},
            "wfm:swap_cancel": lambda: {"swap_id": swap.pk},
        }
    )
    world.secrets += ["Salainen Alfajakso", "Salainen Aamuvuoro", "Salainen syy"]
    world.objects.update(wfm_period=period, wfm_roster=roster, wfm_shift=shift, wfm_swap=swap)


def snapshot(world: World) -> Any:
    return (
        sorted(Queue.objects.filter(organisation=world.org_a).values_list("pk", "name", "aht_seconds")),
        ContactInterval.objects.filter(queue__organisation=world.org_a).count(),
        sorted(Forecast.objects.filter(organisation=world.org_a).values_list("pk", "status")),
        ForecastAdjustment.objects.filter(forecast__organisation=world.org_a).count(),
        HistoryUpload.objects.filter(organisation=world.org_a).count(),
        sorted(PlanningPeriod.objects.filter(organisation=world.org_a).values_list("pk", "status")),
        ShiftWish.objects.filter(period__organisation=world.org_a).count(),
        Availability.objects.filter(period__organisation=world.org_a).count(),
        sorted(Roster.objects.filter(organisation=world.org_a).values_list("pk", "status")),
        sorted(
            Shift.objects.filter(roster__organisation=world.org_a).values_list(
                "pk", "membership_id", "pinned"
            )
        ),
        sorted(SwapRequest.objects.filter(organisation=world.org_a).values_list("pk", "status", "taker_id")),
        sorted(CalendarFeed.objects.filter(organisation=world.org_a).values_list("token_hash", flat=True)),
        sorted(FairnessPriority.objects.filter(organisation=world.org_a).values_list("pk", "reason")),
        sorted(ShiftType.objects.filter(organisation=world.org_a).values_list("pk", "code")),
    )
