"""Reads of rostering, scoped to the acting membership's organisation and role.

Open to every member (transparency): periods, the staffing need, how many wish each slot (counts, not
names), published rosters with their fairness ledger. Drafts in review, other people's wishes and
explanations: planners and the team's leads. Everyone sees their own wishes, shifts and explanations.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, actor_can, require
from aspa.org.models import Membership, Team
from aspa.wfm import roster_build
from aspa.wfm.models import (
    Availability,
    CalendarFeed,
    PlanningPeriod,
    Roster,
    RosterStatus,
    Shift,
    ShiftType,
    ShiftWish,
    SwapRequest,
    SwapStatus,
    WishKind,
)
from aspa.wfm.roster_services import can_plan, is_team_member, rule_label


def period_list(*, actor: Actor) -> QuerySet[PlanningPeriod]:
    require(actor, Capability.VIEW_WFM)
    return PlanningPeriod.objects.filter(organisation_id=actor.organisation_id).select_related("team")


def period_get(*, actor: Actor, period_id: int) -> PlanningPeriod:
    try:
        return period_list(actor=actor).get(pk=period_id)
    except PlanningPeriod.DoesNotExist as exc:
        raise Http404 from exc


def teams_to_plan(*, actor: Actor) -> list[Team]:
    require(actor, Capability.VIEW_WFM)
    return [
        t
        for t in Team.objects.filter(organisation_id=actor.organisation_id).order_by("name")
        if can_plan(actor, t)
    ]


def shift_types(*, actor: Actor, team: Team) -> list[ShiftType]:
    require(actor, Capability.VIEW_WFM)
    if team.organisation_id != actor.organisation_id:
        raise Http404
    return roster_build.shift_types_of(team)


def wishes_visible(*, actor: Actor, period: PlanningPeriod) -> QuerySet[ShiftWish]:
    """Own wishes; planners and the team's leads see the whole team's."""
    require(actor, Capability.VIEW_WFM)
    qs = ShiftWish.objects.filter(
        period=period, period__organisation_id=actor.organisation_id
    ).select_related("shift_type", "membership__user")
    if not can_plan(actor, period.team):
        qs = qs.filter(membership=actor)
    return qs.order_by("membership__user__full_name", "day", "id")


def unavailable_visible(*, actor: Actor, period: PlanningPeriod) -> QuerySet[Availability]:
    require(actor, Capability.VIEW_WFM)
    qs = Availability.objects.filter(
        period=period, period__organisation_id=actor.organisation_id
    ).select_related("membership__user")
    if not can_plan(actor, period.team):
        qs = qs.filter(membership=actor)
    return qs.order_by("membership__user__full_name", "day")


def wish_get(*, actor: Actor, wish_id: int) -> ShiftWish:
    require(actor, Capability.VIEW_WFM)
    try:
        return ShiftWish.objects.select_related("period__team").get(
            pk=wish_id, period__organisation_id=actor.organisation_id, membership=actor
        )
    except ShiftWish.DoesNotExist as exc:
        raise Http404 from exc


def availability_get(*, actor: Actor, availability_id: int) -> Availability:
    require(actor, Capability.VIEW_WFM)
    try:
        return Availability.objects.select_related("period__team").get(
            pk=availability_id, period__organisation_id=actor.organisation_id, membership=actor
        )
    except Availability.DoesNotExist as exc:
        raise Http404 from exc


@dataclass
class SlotRow:
    """One day × shift type of a period: the peak need in its hours and how many wish it on or off."""

    day: dt.date
    shift_type: ShiftType
    need: int
    wish_on: int
    wish_off: int
    mine: list[str] = field(default_factory=list)


def wish_slots(*, actor: Actor, period: PlanningPeriod) -> list[SlotRow]:
    """Transparency while wishing: per day and shift, the need there and how many others wish the same."""
    require(actor, Capability.VIEW_WFM)
    if period.organisation_id != actor.organisation_id:
        raise Http404
    types = roster_build.shift_types_of(period.team)
    need: dict[tuple[int, int], int] = defaultdict(int)
    for line in roster_build.demand_lines(period):
        need[(line["day"], line["start_minute"])] += line["required"]
    counts: dict[tuple[dt.date | None, int | None, str], int] = defaultdict(int)
    mine: dict[tuple[dt.date | None, int | None], list[str]] = defaultdict(list)
    for wish in ShiftWish.objects.filter(period=period).only("day", "shift_type_id", "kind", "membership_id"):
        counts[(wish.day, wish.shift_type_id, wish.kind)] += 1
        if wish.membership_id == actor.pk:
            mine[(wish.day, wish.shift_type_id)].append(wish.get_kind_display())
    rows = []
    for index in range(period.days):
        day = period.starts_on + dt.timedelta(days=index)
        for t in types:
            first = t.start_time.hour * 60
            hours = range(first, first + t.length_minutes, 60)
            peak = max((need.get((index, m), 0) for m in hours), default=0)
            rows.append(
                SlotRow(
                    day=day,
                    shift_type=t,
                    need=peak,
                    wish_on=counts[(day, t.pk, WishKind.SHIFT_ON)] + counts[(day, None, WishKind.SHIFT_ON)],
                    wish_off=counts[(day, t.pk, WishKind.SHIFT_OFF)] + counts[(day, None, WishKind.DAY_OFF)],
                    mine=mine[(day, t.pk)] + mine[(day, None)],
                )
            )
    return rows


# --- Rosters ---------------------------------------------------------------------------------------------


def roster_list(*, actor: Actor, period: PlanningPeriod) -> QuerySet[Roster]:
    """A period's rosters: published ones for everyone, drafts for planners and the team's leads."""
    require(actor, Capability.VIEW_WFM)
    qs = Roster.objects.filter(organisation_id=actor.organisation_id, period=period)
    if not can_plan(actor, period.team):
        qs = qs.filter(status=RosterStatus.PUBLISHED)
    return qs.order_by("-created_at", "-id")


def roster_get(*, actor: Actor, roster_id: int) -> Roster:
    require(actor, Capability.VIEW_WFM)
    roster = (
        Roster.objects.select_related("period__team", "job")
        .filter(pk=roster_id, organisation_id=actor.organisation_id)
        .first()
    )
    if roster is None:
        raise Http404
    if roster.status != RosterStatus.PUBLISHED and not can_plan(actor, roster.period.team):
        raise Http404
    return roster


def roster_current(*, actor: Actor, period: PlanningPeriod) -> Roster | None:
    return roster_list(actor=actor, period=period).exclude(status=RosterStatus.SUPERSEDED).first()


@dataclass
class GridRow:
    membership: Membership
    cells: list[Shift | None]
    minutes: int


@dataclass
class CoverageCell:
    required: int
    scheduled: int

    @property
    def gap(self) -> int:
        return self.scheduled - self.required


# The burdens the review page's fairness table shows, in the ledger's keys and in this order.
BURDEN_COLUMNS = ("nights", "weekends", "holidays", "unpopular")


@dataclass
class RosterView:
    days: list[dt.date]
    grid: list[GridRow]
    hours: list[int]
    coverage: list[tuple[dt.date, list[CoverageCell | None]]]
    fairness: list[dict[str, Any]]
    explanations: dict[int, list[dict[str, Any]]]
    breakdown: list[tuple[str, int]]
    under: int
    over: int


def roster_view(*, actor: Actor, roster: Roster) -> RosterView:
    """Everything the roster page shows; explanations of others only for planners and leads."""
    require(actor, Capability.VIEW_WFM)
    if roster.organisation_id != actor.organisation_id:
        raise Http404
    period = roster.period
    days = [period.starts_on + dt.timedelta(days=i) for i in range(period.days)]
    shifts = list(
        Shift.objects.filter(roster=roster).select_related("shift_type", "membership__user").order_by("day")
    )
    members = {m.pk: m for m in roster_build.rostered_members(period.team)}
    for s in shifts:
        members.setdefault(s.membership_id, s.membership)
    by_person: dict[int, dict[dt.date, Shift]] = defaultdict(dict)
    for s in shifts:
        by_person[s.membership_id][s.day] = s
    grid = [
        GridRow(
            membership=m,
            cells=[by_person[m.pk].get(d) for d in days],
            minutes=sum(s.shift_type.length_minutes for s in by_person[m.pk].values()),
        )
        for m in sorted(members.values(), key=lambda m: (m.user.full_name, m.pk))
    ]
    cells: dict[tuple[str, int], CoverageCell] = {}
    for line in roster.coverage:
        key = (line["day"], line["start_minute"])
        cell = cells.setdefault(key, CoverageCell(0, 0))
        cell.required += int(line["required"])
        cell.scheduled += int(line["scheduled"])
    hours = sorted({minute for _day, minute in cells})
    coverage = [(d, [cells.get((d.isoformat(), h)) for h in hours]) for d in days]
    under = sum(max(0, -c.gap) for c in cells.values())
    over = sum(max(0, c.gap) for c in cells.values())
    fairness = []
    for m in grid:
        after = roster.ledger.get(str(m.membership.pk), {})
        before = roster.ledger_before.get(str(m.membership.pk), {})
        granted = int(after.get("wishes_granted", 0)) - int(before.get("wishes_granted", 0))
        denied = int(after.get("wishes_denied", 0)) - int(before.get("wishes_denied", 0))
        total = granted + denied
        fairness.append(
            {
                "membership": m.membership,
                "granted": granted,
                "denied": denied,
                "share": round(100 * granted / total) if total else None,
                "share_history": _share(after),
                "nights": int(after.get("nights", 0)),
                "weekends": int(after.get("weekends", 0)),
                "holidays": int(after.get("holidays", 0)),
                # Per burden: (before this roster, after it) from the ledger the roster was stored with.
                "burdens": [(int(before.get(b, 0)), int(after.get(b, 0))) for b in BURDEN_COLUMNS],
                "minutes": m.minutes,
            }
        )
    see_all = can_plan(actor, period.team)
    wishes = {w.pk: w for w in ShiftWish.objects.filter(period=period).select_related("shift_type")}
    explanations: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for item in roster.explanations:
        agent = int(item["agent"])
        if not see_all and agent != actor.pk:
            continue
        wish = wishes.get(item["wish_id"])
        explanations[agent].append(
            {
                "wish": wish,
                "day": dt.date.fromisoformat(item["day"]),
                "granted": item["granted"],
                "blocked_by": [rule_label(r) for r in item["blocked_by"]],
                "cost": [(rule_label(r), v) for r, v in item["cost"].items()],
            }
        )
    breakdown = sorted(
        ((rule_label(k), int(v)) for k, v in roster.breakdown.items() if v), key=lambda kv: -kv[1]
    )
    return RosterView(days, grid, hours, coverage, fairness, dict(explanations), breakdown, under, over)


def _share(entry: dict[str, Any]) -> int | None:
    granted, denied = int(entry.get("wishes_granted", 0)), int(entry.get("wishes_denied", 0))
    return round(100 * granted / (granted + denied)) if granted + denied else None


def roster_csv_rows(*, actor: Actor, roster: Roster) -> list[list[str]]:
    view = roster_view(actor=actor, roster=roster)
    rows = [["name", *[d.isoformat() for d in view.days]]]
    for row in view.grid:
        rows.append(
            [
                row.membership.user.full_name,
                *[
                    f"{c.shift_type.code} {timezone.localtime(c.starts_at):%H:%M}-{timezone.localtime(c.ends_at):%H:%M}"
                    if c
                    else ""
                    for c in row.cells
                ],
            ]
        )
    return rows


def my_shifts(*, actor: Actor, since: dt.date | None = None) -> QuerySet[Shift]:
    """The actor's own shifts in published rosters, from ``since`` on."""
    require(actor, Capability.VIEW_WFM)
    qs = Shift.objects.filter(
        roster__organisation_id=actor.organisation_id, roster__status=RosterStatus.PUBLISHED, membership=actor
    ).select_related("shift_type", "roster__period__team")
    if since is not None:
        qs = qs.filter(day__gte=since)
    return qs.order_by("day", "starts_at")


def shift_get(*, actor: Actor, shift_id: int) -> Shift:
    require(actor, Capability.VIEW_WFM)
    shift = (
        Shift.objects.select_related("roster__period__team", "shift_type", "membership__user")
        .filter(pk=shift_id, roster__organisation_id=actor.organisation_id)
        .first()
    )
    if shift is None:
        raise Http404
    if shift.roster.status != RosterStatus.PUBLISHED and not can_plan(actor, shift.roster.period.team):
        raise Http404
    return shift


def calendar_feed_exists(*, actor: Actor) -> bool:
    return CalendarFeed.objects.filter(membership=actor).exists()


def calendar_shifts(*, token_hash: str) -> tuple[Membership, list[Shift]] | None:
    """The person and their published shifts for a calendar token hash (no login: the token is the key)."""
    feed = CalendarFeed.objects.select_related("membership__user").filter(token_hash=token_hash).first()
    if feed is None or not feed.membership.is_active:
        return None
    since = timezone.localdate() - dt.timedelta(days=60)
    shifts = list(
        Shift.objects.filter(
            membership=feed.membership,
            roster__organisation_id=feed.organisation_id,
            roster__status=RosterStatus.PUBLISHED,
            day__gte=since,
        )
        .select_related("shift_type", "roster__period__team")
        .order_by("day")
    )
    return feed.membership, shifts


# --- Swaps ---------------------------------------------------------------------------------------------


def swap_list(*, actor: Actor) -> QuerySet[SwapRequest]:
    """Open offers of the actor's teams, their own requests, and (for planners/leads) those to approve."""
    require(actor, Capability.VIEW_WFM)
    teams = Team.objects.filter(organisation_id=actor.organisation_id, team_memberships__membership=actor)
    qs = SwapRequest.objects.filter(organisation_id=actor.organisation_id).select_related(
        "shift__shift_type", "shift__roster__period__team", "offered_by__user", "taker__user"
    )
    if not actor_can(actor, Capability.MANAGE_WFM):
        qs = qs.filter(Q(shift__roster__period__team__in=teams) | Q(offered_by=actor) | Q(taker=actor))
    return qs.distinct().order_by("-created_at", "-id")


def swap_get(*, actor: Actor, swap_id: int) -> SwapRequest:
    try:
        return swap_list(actor=actor).get(pk=swap_id)
    except SwapRequest.DoesNotExist as exc:
        raise Http404 from exc


@dataclass
class Candidate:
    membership: Membership
    problems: list[str]


def swap_candidates(*, actor: Actor, swap: SwapRequest) -> list[Candidate]:
    """Colleagues in the team and whether each may take the shift (skills, rules and rest, by the engine)."""
    from aspa.wfm.roster_services import taker_problems

    require(actor, Capability.VIEW_WFM)
    if swap.organisation_id != actor.organisation_id:
        raise Http404
    team = swap.shift.roster.period.team
    people = [m for m in roster_build.rostered_members(team) if m.pk != swap.offered_by_id]
    return [Candidate(m, taker_problems(swap=swap, taker=m)) for m in people]


def swap_coverage(*, actor: Actor, swap: SwapRequest) -> list[dict[str, Any]]:
    """Scheduled vs required over the shift's hours now, and if the shift went untaken (coverage effect)."""
    require(actor, Capability.VIEW_WFM)
    shift = swap.shift
    roster = shift.roster
    start = shift.shift_type.start_time.hour * 60
    end = start + shift.shift_type.length_minutes
    rows = []
    for line in roster.coverage:
        if line["day"] == shift.day.isoformat() and start <= line["start_minute"] < end:
            rows.append(
                {
                    "hour": f"{line['start_minute'] // 60:02d}:00",
                    "required": line["required"],
                    "scheduled": line["scheduled"],
                    "without": line["scheduled"] - 1,
                }
            )
    return rows


def approvable(*, actor: Actor, swap: SwapRequest) -> bool:
    from aspa.teamwork.decisions import SWAP_APPROVE
    from aspa.teamwork.selectors import decision_allowed

    return swap.status == SwapStatus.PENDING and decision_allowed(
        actor=actor, team=swap.shift.roster.period.team, decision=SWAP_APPROVE
    )


def is_member(*, actor: Actor, team: Team) -> bool:
    return is_team_member(actor, team)


@dataclass(frozen=True)
class PersonFairness:
    """A person's line of the fairness ledger of the latest published roster, beside the team's average."""

    roster: Roster
    granted: int
    denied: int
    share_history: int | None
    nights: int
    weekends: int
    team_share_history: int | None
    team_nights: float
    team_weekends: float


def fairness_of(*, actor: Actor, person: Membership) -> PersonFairness | None:
    """Wishes granted and the burden (nights, weekends) of a person in the latest published roster that
    has them in its ledger; open to members like the roster page's fairness table. None without one."""
    require(actor, Capability.VIEW_WFM)
    if person.organisation_id != actor.organisation_id:
        raise Http404
    key = str(person.pk)
    roster = (
        Roster.objects.filter(organisation_id=actor.organisation_id, status=RosterStatus.PUBLISHED)
        .filter(ledger__has_key=key)
        .select_related("period")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")
        .first()
    )
    if roster is None:
        return None
    after, before = roster.ledger.get(key, {}), roster.ledger_before.get(key, {})
    entries = [e for e in roster.ledger.values() if isinstance(e, dict)] or [after]
    granted_all = sum(int(e.get("wishes_granted", 0)) for e in entries)
    denied_all = sum(int(e.get("wishes_denied", 0)) for e in entries)
    team_share = round(100 * granted_all / (granted_all + denied_all)) if granted_all + denied_all else None
    return PersonFairness(
        roster=roster,
        granted=int(after.get("wishes_granted", 0)) - int(before.get("wishes_granted", 0)),
        denied=int(after.get("wishes_denied", 0)) - int(before.get("wishes_denied", 0)),
        share_history=_share(after),
        nights=int(after.get("nights", 0)),
        weekends=int(after.get("weekends", 0)),
        team_share_history=team_share,
        team_nights=sum(int(e.get("nights", 0)) for e in entries) / len(entries),
        team_weekends=sum(int(e.get("weekends", 0)) for e in entries) / len(entries),
    )
