"""Reads of workforce planning, always scoped to the acting membership's organisation and role.

Queues, history, published forecasts and the staffing need are open to every member (transparency);
drafts and uploads only to the roles that manage them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db.models import Count, Max, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy

from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, actor_can, require
from aspa.engine.staffing import erlang_c_metrics, offered_load
from aspa.org.models import Team
from aspa.wfm import planning
from aspa.wfm.models import ContactInterval, Forecast, ForecastInterval, ForecastStatus, HistoryUpload, Queue


def queue_list(*, actor: Actor) -> QuerySet[Queue]:
    require(actor, Capability.VIEW_WFM)
    return (
        Queue.objects.filter(organisation_id=actor.organisation_id)
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .order_by("name")
    )


def queue_get(*, actor: Actor, queue_id: int) -> Queue:
    try:
        return queue_list(actor=actor).get(pk=queue_id)
    except Queue.DoesNotExist as exc:
        raise Http404 from exc


def history_between(
    *, actor: Actor, queue: Queue, since: dt.datetime, until: dt.datetime
) -> QuerySet[ContactInterval]:
    require(actor, Capability.VIEW_WFM)
    return ContactInterval.objects.filter(
        queue__organisation_id=actor.organisation_id, queue=queue, start__gte=since, start__lt=until
    ).order_by("start")


def history_stats(*, actor: Actor, queue: Queue) -> dict[str, Any]:
    """How much history the queue has: intervals, first and last start."""
    require(actor, Capability.VIEW_WFM)
    totals = ContactInterval.objects.filter(
        queue__organisation_id=actor.organisation_id, queue=queue
    ).aggregate(count=Count("pk"), first=Min("start"), last=Max("start"))
    return {"count": totals["count"], "first": totals["first"], "last": totals["last"]}


OUTSIDE_HOURS_WEEKS = 8
# Below this share of contacts outside the opening hours the notice would be noise (stray after-hours calls).
OUTSIDE_HOURS_NOTICE = 0.01


@dataclass(frozen=True)
class OutsideHours:
    """Contacts of the recent history that arrived while the queue's opening hours say it was closed."""

    contacts: int
    total: int
    weeks: int

    @property
    def percent(self) -> float:
        return 100.0 * self.contacts / self.total if self.total else 0.0


def history_outside_hours(
    *, actor: Actor, queue: Queue, weeks: int = OUTSIDE_HOURS_WEEKS
) -> OutsideHours | None:
    """The last `weeks` of history checked against the opening hours, or None when (nearly) all of it fits.

    Forecasts give closed intervals no volume, so contacts that do arrive then are left out of the plan:
    usually a sign that the opening hours are set wrong (or that the history holds another queue's calls).
    """
    require(actor, Capability.VIEW_WFM)
    history = ContactInterval.objects.filter(queue__organisation_id=actor.organisation_id, queue=queue)
    last = history.aggregate(last=Max("start"))["last"]
    if last is None or not queue.opening_hours:
        return None
    rows = list(history.filter(start__gt=last - dt.timedelta(weeks=weeks)).values_list("start", "offered"))
    local = np.array(
        [timezone.localtime(start).replace(tzinfo=None) for start, _ in rows], dtype="datetime64[m]"
    )
    offered = np.array([n for _, n in rows], dtype=np.int64)
    outside = int(offered[~planning.is_open(queue.opening_hours, local)].sum())
    total = int(offered.sum())
    if total == 0 or outside < OUTSIDE_HOURS_NOTICE * total:
        return None
    return OutsideHours(contacts=outside, total=total, weeks=weeks)


def forecast_list(*, actor: Actor, queue: Queue | None = None) -> QuerySet[Forecast]:
    """Forecasts of the organisation; drafts only for those who manage forecasts."""
    require(actor, Capability.VIEW_WFM)
    qs = (
        Forecast.objects.filter(organisation_id=actor.organisation_id)
        .select_related("queue", "created_by", "published_by")
        .annotate(adjustment_count=Count("adjustments"))
        .order_by("-created_at", "-id")
    )
    if queue is not None:
        qs = qs.filter(queue=queue)
    if not actor_can(actor, Capability.MANAGE_WFM):
        qs = qs.exclude(status=ForecastStatus.DRAFT)
    return qs


def forecast_get(*, actor: Actor, forecast_id: int) -> Forecast:
    try:
        return forecast_list(actor=actor).get(pk=forecast_id)
    except Forecast.DoesNotExist as exc:
        raise Http404 from exc


def forecast_published(*, actor: Actor, queue: Queue) -> Forecast | None:
    return forecast_list(actor=actor, queue=queue).filter(status=ForecastStatus.PUBLISHED).first()


def forecast_intervals(
    *, actor: Actor, forecast: Forecast, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[ForecastInterval]:
    require(actor, Capability.VIEW_WFM)
    qs = ForecastInterval.objects.filter(forecast__organisation_id=actor.organisation_id, forecast=forecast)
    if since is not None:
        qs = qs.filter(start__gte=since)
    if until is not None:
        qs = qs.filter(start__lt=until)
    return qs.order_by("start")


def forecast_adjustments(*, actor: Actor, forecast: Forecast) -> QuerySet[Any]:
    require(actor, Capability.VIEW_WFM)
    return forecast.adjustments.filter(forecast__organisation_id=actor.organisation_id).select_related(
        "created_by"
    )


def upload_get(*, actor: Actor, upload_id: int) -> HistoryUpload:
    require(actor, Capability.MANAGE_WFM)
    try:
        return HistoryUpload.objects.select_related("queue").get(
            pk=upload_id, organisation_id=actor.organisation_id
        )
    except HistoryUpload.DoesNotExist as exc:
        raise Http404 from exc


def teams_for_queues(*, actor: Actor) -> QuerySet[Team]:
    require(actor, Capability.VIEW_WFM)
    return Team.objects.filter(organisation_id=actor.organisation_id).order_by("name")


# --- Figures for other apps (teamwork goals and the huddle board) ---------------------------------------


@dataclass(frozen=True)
class QueueFigure:
    """A figure over days start..end (both included); n is what it rests on (intervals or contacts)."""

    value: float
    n: int
    start: dt.date
    end: dt.date


def _day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def _planned_and_actual(
    *, organisation_id: int, team_id: int | None, start: dt.date, end: dt.date
) -> list[tuple[float, int, float, float, float, int]]:
    """(forecast contacts, answering agents planned, aht s, target s, interval s, actual offered) for every
    interval of the queues (a team's, else all) that has both history and a published forecast; where
    forecasts overlap the one published last counts."""
    since, until = _day_bounds(start, end)
    queues = Queue.objects.filter(organisation_id=organisation_id)
    if team_id is not None:
        queues = queues.filter(teams__id=team_id)
    planned: dict[tuple[int, dt.datetime], tuple[float, int, float, float, float]] = {}
    for queue_id, at, adjusted, agents, aht, target, minutes in (
        ForecastInterval.objects.filter(
            forecast__organisation_id=organisation_id,
            forecast__queue__in=queues,
            forecast__published_at__isnull=False,
            start__gte=since,
            start__lt=until,
        )
        .order_by("forecast__published_at", "forecast_id")
        .values_list(
            "forecast__queue_id",
            "start",
            "adjusted",
            "required_agents",
            "forecast__aht_seconds",
            "forecast__service_level_seconds",
            "forecast__interval_minutes",
        )
    ):
        planned[(queue_id, at)] = (adjusted, agents, float(aht), float(target), float(minutes * 60))
    rows: list[tuple[float, int, float, float, float, int]] = []
    for queue_id, at, offered, aht_actual in ContactInterval.objects.filter(
        queue__organisation_id=organisation_id, queue__in=queues, start__gte=since, start__lt=until
    ).values_list("queue_id", "start", "offered", "aht_seconds"):
        plan = planned.get((queue_id, at))
        if plan is not None:
            contacts, planned_agents, planned_aht, target_s, seconds = plan
            aht_s = float(aht_actual or planned_aht)
            rows.append((contacts, planned_agents, aht_s, target_s, seconds, offered))
    return rows


def forecast_accuracy(
    *, organisation_id: int, start: dt.date, end: dt.date, team_id: int | None = None
) -> QueueFigure | None:
    """100 % − WAPE of the published forecasts against the contacts actually offered (the history), over
    the intervals that have both; n = those intervals. None when nothing overlaps or nothing was offered."""
    rows = _planned_and_actual(organisation_id=organisation_id, team_id=team_id, start=start, end=end)
    actual = sum(r[5] for r in rows)
    if not rows or actual <= 0:
        return None
    wape = sum(abs(r[0] - r[5]) for r in rows) / actual
    return QueueFigure(value=max(0.0, 100.0 * (1.0 - wape)), n=len(rows), start=start, end=end)


def service_level_expected(
    *, organisation_id: int, start: dt.date, end: dt.date, team_id: int | None = None
) -> QueueFigure | None:
    """Share of contacts answered within the target time, expected by Erlang C for the contacts actually
    offered (history) when answered by the agents the published forecast planned for each interval,
    weighted by contacts; n = contacts. This is the service level the plan gave the real traffic, not a
    measured one: `service_level` prefers the measured figure where the history has waiting times
    (answered within target) and falls back to this. None without overlapping intervals or contacts."""
    planned = _planned_and_actual(organisation_id=organisation_id, team_id=team_id, start=start, end=end)
    rows = [r for r in planned if r[5] > 0]
    if not rows:
        return None
    offered = np.array([r[5] for r in rows], dtype=float)
    aht = np.array([r[2] for r in rows], dtype=float)
    load = offered_load(offered, aht, np.array([r[4] for r in rows], dtype=float))
    metrics = erlang_c_metrics(
        agents=np.array([r[1] for r in rows]),
        load=load,
        aht_seconds=aht,
        target_seconds=np.array([r[3] for r in rows], dtype=float),
    )
    value = float(np.sum(np.asarray(metrics.service_level) * offered) / offered.sum())
    return QueueFigure(value=100.0 * value, n=int(offered.sum()), start=start, end=end)


# Measured service level: contacts answered within the queue's target time / contacts offered, over
# the intervals whose history says how many were answered within target (ContactInterval.answered_in_sl
# is not null). Abandoned contacts count as offered and not answered within target. Intervals without
# waiting times are left out of both sums, never guessed.
SERVICE_LEVEL_DEFINITION = gettext_lazy(
    "Measured service level = contacts answered within the queue's target time ÷ contacts offered; "
    "abandoned contacts count as not answered in time. Only intervals whose history includes waiting "
    "times count."
)


@dataclass(frozen=True)
class ServiceLevelFigure(QueueFigure):
    """Service level in percent over days start..end; n = contacts it rests on.

    `measured` is True when it comes from the history's answered-within-target counts (then
    `answered_in_sl` / `offered` over `intervals` intervals), False for the Erlang C estimate."""

    measured: bool = True
    answered_in_sl: int = 0
    offered: int = 0
    intervals: int = 0


@dataclass(frozen=True)
class ServiceLevelDay:
    """One local day's measured counts (intervals with answered within target known)."""

    day: dt.date
    answered_in_sl: int
    offered: int


def _service_level_queues(
    *, organisation_id: int, team_ids: Any = None, queue_names: Any = ()
) -> QuerySet[Queue]:
    """The organisation's queues of these teams or with these names (all of them when neither is given)."""
    queues = Queue.objects.filter(organisation_id=organisation_id)
    team_ids, queue_names = list(team_ids or ()), [n for n in queue_names if n]
    if team_ids or queue_names:
        queues = queues.filter(Q(teams__id__in=team_ids) | Q(name__in=queue_names))
    return queues


def _measured_rows(
    *, organisation_id: int, queue_ids: Any, start: dt.date, end: dt.date
) -> QuerySet[ContactInterval]:
    since, until = _day_bounds(start, end)
    return ContactInterval.objects.filter(
        queue__organisation_id=organisation_id,
        queue_id__in=queue_ids,
        start__gte=since,
        start__lt=until,
        answered_in_sl__isnull=False,
    )


def service_level_measured(
    *, organisation_id: int, start: dt.date, end: dt.date, team_id: int | None = None
) -> ServiceLevelFigure | None:
    """Measured service level (see SERVICE_LEVEL_DEFINITION) of a team's queues (else all queues) over
    days start..end in local time: 100 x sum(answered_in_sl) / sum(offered) over the intervals where
    answered_in_sl is known. None when no such interval had contacts."""
    queue_ids = _service_level_queues(
        organisation_id=organisation_id, team_ids=[team_id] if team_id is not None else None
    ).values("pk")
    totals = _measured_rows(
        organisation_id=organisation_id, queue_ids=queue_ids, start=start, end=end
    ).aggregate(hits=Sum("answered_in_sl"), offered=Sum("offered"), intervals=Count("pk"))
    offered = int(totals["offered"] or 0)
    if offered <= 0:
        return None
    hits = int(totals["hits"] or 0)
    return ServiceLevelFigure(
        value=100.0 * hits / offered,
        n=offered,
        start=start,
        end=end,
        measured=True,
        answered_in_sl=hits,
        offered=offered,
        intervals=int(totals["intervals"]),
    )


def service_level(
    *, organisation_id: int, start: dt.date, end: dt.date, team_id: int | None = None
) -> ServiceLevelFigure | None:
    """The measured service level where the history has waiting times, else the Erlang C estimate
    (`service_level_expected`) labelled `measured=False`; None when there is neither."""
    measured = service_level_measured(organisation_id=organisation_id, start=start, end=end, team_id=team_id)
    if measured is not None:
        return measured
    expected = service_level_expected(organisation_id=organisation_id, start=start, end=end, team_id=team_id)
    if expected is None:
        return None
    return ServiceLevelFigure(
        value=expected.value, n=expected.n, start=start, end=end, measured=False, offered=expected.n
    )


def service_level_days(
    *,
    actor: Actor,
    start: dt.date,
    end: dt.date,
    team_ids: Any = None,
    queue_names: Any = (),
    exclude_queue_ids: Any = (),
) -> tuple[list[ServiceLevelDay], set[int]]:
    """Per local day, the measured counts (answered within target, offered) of the actor's organisation's
    queues of `team_ids` or named in `queue_names` (all queues when neither), without `exclude_queue_ids`;
    with the ids of the queues counted. Days with no measured interval are absent. For effect estimates
    (aspa.roadmap experiments), where days are the clusters."""
    require(actor, Capability.VIEW_WFM)
    queue_ids = set(
        _service_level_queues(
            organisation_id=actor.organisation_id, team_ids=team_ids, queue_names=queue_names
        )
        .exclude(pk__in=list(exclude_queue_ids))
        .values_list("pk", flat=True)
    )
    rows = (
        _measured_rows(organisation_id=actor.organisation_id, queue_ids=queue_ids, start=start, end=end)
        .annotate(day=TruncDate("start", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(hits=Sum("answered_in_sl"), offered=Sum("offered"))
        .order_by("day")
    )
    days = [ServiceLevelDay(r["day"], int(r["hits"]), int(r["offered"])) for r in rows if r["offered"]]
    return days, queue_ids


@dataclass(frozen=True)
class DayForecast:
    queue: Queue
    contacts: float
    peak_start: dt.datetime | None
    peak_contacts: float
    peak_agents: int


def forecast_day(*, actor: Actor, team: Team, day: dt.date) -> list[DayForecast]:
    """The published forecast of each of the team's queues for one day: contacts, the busiest interval and
    the agents to schedule for it."""
    require(actor, Capability.VIEW_WFM)
    since, until = _day_bounds(day, day)
    out = []
    for queue in queue_list(actor=actor).filter(teams=team):
        forecast = forecast_published(actor=actor, queue=queue)
        if forecast is None:
            continue
        rows = list(forecast_intervals(actor=actor, forecast=forecast, since=since, until=until))
        if not rows:
            continue
        peak = max(rows, key=lambda r: (r.adjusted, -r.start.timestamp()))
        out.append(
            DayForecast(
                queue=queue,
                contacts=sum(r.adjusted for r in rows),
                peak_start=peak.start,
                peak_contacts=peak.adjusted,
                peak_agents=peak.scheduled_agents,
            )
        )
    return out
