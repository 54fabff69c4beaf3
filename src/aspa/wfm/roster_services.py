"""Writes of rostering: planning periods, wishes, solving, pinning, publishing, calendar feeds, swaps.

Who may do what: every member states their own wishes; planners (MANAGE_WFM) and the team's leads plan
(periods, solves, pins); publishing and swap approval follow the team's decision matrix
("roster.publish", "swap.approve"), which is the permission itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from aspa.core.audit import audit_record
from aspa.core.jobs import JobCancelled, JobContext, JobError, job_enqueue, job_kind
from aspa.core.models import Job
from aspa.core.roles import Capability, Role
from aspa.core.tenancy import ERR_FORBIDDEN, Actor, actor_can, require
from aspa.engine import rostering as engine
from aspa.org.models import Membership, Team, TeamMembership
from aspa.teamwork.decisions import ROSTER_PUBLISH, SWAP_APPROVE
from aspa.teamwork.selectors import require_decision
from aspa.wfm import roster_build, roster_rules
from aspa.wfm.models import (
    Availability,
    CalendarFeed,
    PeriodStatus,
    PlanningPeriod,
    Roster,
    RosterStatus,
    Shift,
    ShiftType,
    ShiftWish,
    SwapKind,
    SwapRequest,
    SwapStatus,
    WishKind,
)

ROSTER_SOLVE_JOB = "wfm.roster_solve"
MAX_PERIOD_DAYS = 42
MIN_TIME_LIMIT_S = 1
MAX_TIME_LIMIT_S = 600
# Explaining a denied wish costs a small what-if solve each; more than this many are left undiagnosed.
EXPLAIN_DIAGNOSES = 12
EXPLAIN_PARAMS = engine.SolveParams(time_limit_s=0.5, num_workers=1)
# A re-solve after pins prices each changed person-day like this (minimal change).
CHANGE_WEIGHT = 20
PROGRESS_POLL_S = 0.5

ERR_PERIOD_RANGE = gettext_noop("The last day must be on or after the first day, at most %(max)s days later.")
ERR_TIME_LIMIT = gettext_noop("The time limit must be from %(min)s to %(max)s seconds.")
ERR_NOT_PLANNER = gettext_noop("Only planners and the team's leads plan this team's rosters.")
ERR_PERIOD_CLOSED = gettext_noop("This period no longer takes wishes.")
ERR_DEADLINE_PASSED = gettext_noop("The deadline for wishes has passed.")
ERR_DAY_OUTSIDE = gettext_noop("The day is outside the period.")
ERR_WISH_NEEDS_DAY = gettext_noop("Choose a day for this wish.")
ERR_WISH_NEEDS_SHIFT = gettext_noop("Choose a shift for this wish.")
ERR_WISH_NEEDS_TIME = gettext_noop("Give a time for this wish.")
ERR_WEIGHT = gettext_noop("Importance must be from 1 to 3.")
ERR_NOT_IN_TEAM = gettext_noop("Only the team's members state wishes for its periods.")
ERR_NOT_YOURS = gettext_noop("You can only change your own wishes and shifts.")
ERR_ALREADY_SOLVING = gettext_noop("A solve of this period is already running.")
ERR_NO_SHIFT_TYPES = gettext_noop("The team has no shift types: add them first.")
ERR_NO_PEOPLE = gettext_noop("The team has nobody to roster.")
ERR_PERIOD_GONE = gettext_noop("The planning period no longer exists.")
ERR_NO_ROSTER_FOUND = gettext_noop("The solver found no roster within the time limit (%(status)s).")
ERR_NOT_DRAFT = gettext_noop("Only a roster in review can be changed or published.")
ERR_NOT_PUBLISHED = gettext_noop("Only shifts of a published roster can be offered.")
ERR_SHIFT_PAST = gettext_noop("This shift has already started.")
ERR_SWAP_EXISTS = gettext_noop("This shift is already offered.")
ERR_SWAP_NOT_OPEN = gettext_noop("This offer has already been taken or closed.")
ERR_SWAP_NOT_PENDING = gettext_noop("This swap is not waiting for approval.")
ERR_SWAP_OWN = gettext_noop("You cannot take your own shift.")
ERR_SWAP_NEEDS_SHIFT = gettext_noop("Choose the shift you give in exchange.")
ERR_SWAP_SHIFT_MOVED = gettext_noop("The shift no longer belongs to the person who offered it.")
ERR_TAKER_BUSY = gettext_noop("The colleague already works that day.")
ERR_TAKER_RULES = gettext_noop("Taking this shift would break a work rule: %(rules)s.")
ERR_TAKER_SKILLS = gettext_noop("The colleague lacks a skill this shift needs.")
ERR_PERIOD_LOCKED = gettext_noop("This period is locked: its roster no longer changes.")

RULE_LABELS = {
    "coverage": gettext_lazy("the staffing need"),
    "successions": gettext_lazy("daily rest"),
    "weekly_rest": gettext_lazy("weekly rest"),
    "hours": gettext_lazy("working-time limits"),
    "consecutive": gettext_lazy("consecutive working days"),
    "weekends": gettext_lazy("weekends off"),
    "wishes": gettext_lazy("colleagues' wishes"),
    "fairness": gettext_lazy("fairness between colleagues"),
    "burdens": gettext_lazy("sharing nights, weekends and holidays"),
    "stability": gettext_lazy("keeping the roster stable"),
    "availability": gettext_lazy("not available that day"),
    "fixed_assignment": gettext_lazy("a pinned shift"),
    "unknown": gettext_lazy("several rules together"),
}


def rule_label(name: str) -> str:
    return str(RULE_LABELS.get(name, name))


# --- Permissions ---------------------------------------------------------------------------------------


def is_team_member(actor: Actor, team: Team) -> bool:
    return TeamMembership.objects.filter(team=team, membership=actor).exists()


def can_plan(actor: Actor | None, team: Team) -> bool:
    """Planners (MANAGE_WFM) of the organisation, and leads who are members of the team."""
    if actor is None or team.organisation_id != actor.organisation_id:
        return False
    if actor_can(actor, Capability.MANAGE_WFM):
        return True
    return actor.role == Role.LEAD and is_team_member(actor, team)


def require_plan(actor: Actor, team: Team) -> None:
    require(actor, Capability.VIEW_WFM)
    if not can_plan(actor, team):
        raise PermissionDenied(_(ERR_NOT_PLANNER))


def _same_org(actor: Actor, obj: Any) -> None:
    if obj.organisation_id != actor.organisation_id:
        raise PermissionDenied(_(ERR_FORBIDDEN))


# --- Periods -------------------------------------------------------------------------------------------


def period_create(
    *,
    actor: Actor,
    team: Team,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    wish_deadline: dt.datetime | None = None,
    time_limit_s: int = 20,
) -> PlanningPeriod:
    """Open a planning period of the team for wishes."""
    _same_org(actor, team)
    require_plan(actor, team)
    errors = {}
    if ends_on < starts_on or (ends_on - starts_on).days + 1 > MAX_PERIOD_DAYS:
        errors["ends_on"] = _(ERR_PERIOD_RANGE) % {"max": MAX_PERIOD_DAYS}
    if not MIN_TIME_LIMIT_S <= time_limit_s <= MAX_TIME_LIMIT_S:
        errors["time_limit_s"] = _(ERR_TIME_LIMIT) % {"min": MIN_TIME_LIMIT_S, "max": MAX_TIME_LIMIT_S}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        period = PlanningPeriod.objects.create(
            organisation_id=actor.organisation_id,
            team=team,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            wish_deadline=wish_deadline,
            time_limit_s=time_limit_s,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.period.create",
            target=period,
            changes={"starts_on": [None, str(starts_on)], "ends_on": [None, str(ends_on)]},
        )
    return period


# --- Wishes and availability ---------------------------------------------------------------------------


def _wishes_open(actor: Actor, period: PlanningPeriod) -> None:
    _same_org(actor, period)
    require(actor, Capability.VIEW_WFM)
    if not is_team_member(actor, period.team):
        raise PermissionDenied(_(ERR_NOT_IN_TEAM))
    if period.status != PeriodStatus.OPEN:
        raise ValidationError(_(ERR_PERIOD_CLOSED))
    if period.wish_deadline is not None and timezone.now() > period.wish_deadline:
        raise ValidationError(_(ERR_DEADLINE_PASSED))


def _in_period(period: PlanningPeriod, day: dt.date | None) -> None:
    if day is not None and not period.starts_on <= day <= period.ends_on:
        raise ValidationError({"day": _(ERR_DAY_OUTSIDE)})


def wish_add(
    *,
    actor: Actor,
    period: PlanningPeriod,
    kind: str,
    day: dt.date | None = None,
    shift_type: ShiftType | None = None,
    time: dt.time | None = None,
    weight: int = 1,
) -> ShiftWish:
    """Add the actor's own wish to an open period."""
    _wishes_open(actor, period)
    _in_period(period, day)
    errors: dict[str, str] = {}
    if kind in (WishKind.SHIFT_ON, WishKind.SHIFT_OFF, WishKind.DAY_OFF) and day is None:
        errors["day"] = _(ERR_WISH_NEEDS_DAY)
    if kind == WishKind.SHIFT_OFF and shift_type is None:
        errors["shift_type"] = _(ERR_WISH_NEEDS_SHIFT)
    if kind in (WishKind.PREFERRED_START, WishKind.LATEST_END) and time is None:
        errors["time"] = _(ERR_WISH_NEEDS_TIME)
    if not 1 <= weight <= 3:
        errors["weight"] = _(ERR_WEIGHT)
    if shift_type is not None and shift_type.organisation_id != actor.organisation_id:
        errors["shift_type"] = _(ERR_WISH_NEEDS_SHIFT)
    if errors:
        raise ValidationError(errors)
    keep_shift = kind in (WishKind.SHIFT_ON, WishKind.SHIFT_OFF)
    return ShiftWish.objects.create(
        period=period,
        membership=actor,
        kind=kind,
        day=day,
        shift_type=shift_type if keep_shift else None,
        time=time if kind in (WishKind.PREFERRED_START, WishKind.LATEST_END) else None,
        weight=weight,
    )


def wish_delete(*, actor: Actor, wish: ShiftWish) -> None:
    if wish.membership_id != actor.pk:
        raise PermissionDenied(_(ERR_NOT_YOURS))
    _wishes_open(actor, wish.period)
    wish.delete()


def availability_add(*, actor: Actor, period: PlanningPeriod, day: dt.date, note: str = "") -> Availability:
    """Mark a day on which the actor cannot work at all (a hard rule for the solver)."""
    _wishes_open(actor, period)
    if day is None:
        raise ValidationError({"day": _(ERR_WISH_NEEDS_DAY)})
    _in_period(period, day)
    availability, _created = Availability.objects.update_or_create(
        period=period, membership=actor, day=day, defaults={"note": note}
    )
    return availability


def availability_delete(*, actor: Actor, availability: Availability) -> None:
    if availability.membership_id != actor.pk:
        raise PermissionDenied(_(ERR_NOT_YOURS))
    _wishes_open(actor, availability.period)
    availability.delete()


# --- Solving -------------------------------------------------------------------------------------------


def roster_solve_request(
    *, actor: Actor, period: PlanningPeriod, base: Roster | None = None, minimal_change: bool = False
) -> Job:
    """Start the solve as a background job; with ``base``, its pinned shifts stay and (optionally) little else moves.

    A published period is solved again from its published roster with minimal change; publishing the
    result tells the people whose shifts changed. A locked period is not solved again.
    """
    _same_org(actor, period)
    require_plan(actor, period.team)
    with transaction.atomic():
        locked = PlanningPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status == PeriodStatus.LOCKED:
            raise ValidationError(_(ERR_PERIOD_LOCKED))
        if locked.status == PeriodStatus.SOLVING:
            raise ValidationError(_(ERR_ALREADY_SOLVING))
        if not roster_build.shift_types_of(locked.team):
            raise ValidationError(_(ERR_NO_SHIFT_TYPES))
        if locked.status == PeriodStatus.PUBLISHED:
            # A late change after publishing: start from the published roster and move as little as possible.
            base = base or locked.rosters.filter(status=RosterStatus.PUBLISHED).first()
            minimal_change = True
        locked.status = PeriodStatus.SOLVING
        locked.save(update_fields=["status"])
        period.status = locked.status
        job = job_enqueue(
            actor=actor,
            kind=ROSTER_SOLVE_JOB,
            params={
                "period_id": period.pk,
                "base_roster_id": base.pk if base is not None and base.period_id == period.pk else None,
                "minimal_change": bool(minimal_change),
            },
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.roster.solve",
            target=period,
            changes={},
        )
    return job


def _solve_params(params: dict[str, Any]) -> dict[str, Any]:
    try:
        period_id = int(params["period_id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationError(_(ERR_PERIOD_GONE)) from exc
    base = params.get("base_roster_id")
    return {
        "period_id": period_id,
        "base_roster_id": int(base) if base else None,
        "minimal_change": bool(params.get("minimal_change")),
    }


def _solve_summary(result: Any) -> str:
    if not isinstance(result, dict) or "objective" not in result:
        return ""
    return _("Roster with objective %(objective)s (%(status)s).") % {
        "objective": result["objective"],
        "status": result.get("status", ""),
    }


@job_kind(
    ROSTER_SOLVE_JOB,
    label=gettext_lazy("Roster solve"),
    capability=Capability.VIEW_WFM,
    clean_params=_solve_params,
    summarise=_solve_summary,
)
def roster_solve_job(ctx: JobContext) -> dict[str, Any]:
    """Build the problem, solve it (live progress: best objective so far), explain it, store a draft."""
    period = PlanningPeriod.objects.filter(
        pk=ctx.params["period_id"], organisation_id=ctx.organisation_id
    ).first()
    if period is None:
        raise JobError(_(ERR_PERIOD_GONE))
    base = Roster.objects.filter(pk=ctx.params.get("base_roster_id") or 0, period=period).first()
    limit = period.time_limit_s

    def report(best: float | None, elapsed: float) -> None:
        if best is None:
            ctx.progress(int(elapsed), limit, _("Searching for a first roster"))
        else:
            ctx.progress(
                min(int(elapsed), limit),
                limit,
                _("Best objective so far: %(objective)s") % {"objective": int(best)},
            )

    try:
        roster = roster_compute(
            period=period,
            base=base,
            minimal_change=ctx.params.get("minimal_change", False),
            report=report,
            job_id=ctx.job_id,
        )
    except JobCancelled:
        PlanningPeriod.objects.filter(pk=period.pk, status=PeriodStatus.SOLVING).update(
            status=_status_without_new_roster(period)
        )
        raise
    except (ValidationError, engine.RosteringError) as exc:
        PlanningPeriod.objects.filter(pk=period.pk, status=PeriodStatus.SOLVING).update(
            status=_status_without_new_roster(period)
        )
        message = exc.messages[0] if isinstance(exc, ValidationError) else str(exc)
        raise JobError(message) from exc
    return {"roster_id": roster.pk, "objective": roster.objective, "status": roster.solver_status}


def _status_without_new_roster(period: PlanningPeriod) -> str:
    """Where a period goes back to when a solve ends without a roster (cancelled or failed)."""
    if period.rosters.filter(status=RosterStatus.PUBLISHED).exists():
        return PeriodStatus.PUBLISHED
    if period.rosters.filter(status=RosterStatus.DRAFT).exists():
        return PeriodStatus.REVIEW
    return PeriodStatus.OPEN


def roster_compute(
    *,
    period: PlanningPeriod,
    base: Roster | None = None,
    minimal_change: bool = False,
    report: Callable[[float | None, float], None] | None = None,
    job_id: int | None = None,
    time_limit_s: float | None = None,
    diagnoses: int = EXPLAIN_DIAGNOSES,
) -> Roster:
    """Solve the period and store a draft roster with explanations; the period goes to review.

    The solve runs in a worker thread while this thread reports progress (database writes stay in the
    caller's thread); warm start from ``base`` or else the period's latest roster.
    """
    built = roster_build.build(period, pinned_from=base)
    problem = built.problem
    if not problem.agents:
        raise ValidationError(_(ERR_NO_PEOPLE))
    if not problem.shift_types:
        raise ValidationError(_(ERR_NO_SHIFT_TYPES))
    member_ids = [a.id for a in problem.agents]
    warm = base or period.rosters.exclude(status__in=[RosterStatus.FAILED, RosterStatus.SOLVING]).first()
    hint = roster_build.roster_matrix(warm, member_ids, period.days, period.starts_on) if warm else None
    previous = hint if (minimal_change and warm is not None) else None
    params = engine.SolveParams(
        time_limit_s=float(time_limit_s or period.time_limit_s), num_workers=2, random_seed=period.pk or 0
    )
    best: dict[str, float] = {}
    lock = threading.Lock()
    cancel = threading.Event()

    def on_progress(progress: engine.Progress) -> None:
        with lock:
            best["objective"] = progress.objective
            best["elapsed"] = progress.elapsed_s

    with ThreadPoolExecutor(max_workers=1) as pool:
        if previous is None and engine.should_decompose(problem, above=settings.ASPA_ROSTER_DECOMPOSE_ABOVE):
            # Too large for one model (hundreds of people over months): rostered group by group.
            future = pool.submit(
                engine.solve_decomposed,
                problem,
                engine.DecomposeParams(solve=params),
                hint=hint,
                on_progress=on_progress,
                should_stop=cancel.is_set,
            )
        else:
            future = pool.submit(
                engine.solve,
                problem,
                params,
                hint=hint,
                previous=previous,
                change_weight=CHANGE_WEIGHT if previous is not None else 0,
                on_progress=on_progress,
                should_stop=cancel.is_set,
            )
        started = timezone.now()
        while True:
            try:
                solution = future.result(timeout=PROGRESS_POLL_S)
                break
            except FutureTimeout:
                if report is not None:
                    with lock:
                        objective = best.get("objective")
                    try:
                        report(objective, (timezone.now() - started).total_seconds())
                    except JobCancelled:
                        # Stop CP-SAT now; leaving the pool waits only for the search to wind down.
                        cancel.set()
                        raise
    if not solution.status.has_roster:
        PlanningPeriod.objects.filter(pk=period.pk).update(status=_status_without_new_roster(period))
        raise ValidationError(_(ERR_NO_ROSTER_FOUND) % {"status": solution.status.value})
    explanation = engine.explain(problem, solution, params=EXPLAIN_PARAMS, max_diagnoses=diagnoses)
    return _roster_store(
        period=period,
        built=built,
        solution=solution,
        explanation=explanation,
        job_id=job_id,
        pinned_from=base,
    )


def _ledger_json(ledger: Any) -> dict[str, dict[str, int]]:
    return {
        agent: {
            "wishes_granted": e.wishes_granted,
            "wishes_denied": e.wishes_denied,
            "nights": e.nights,
            "weekends": e.weekends,
            "holidays": e.holidays,
            "unpopular": e.unpopular,
        }
        for agent, e in ledger.items()
    }


def _roster_store(
    *,
    period: PlanningPeriod,
    built: roster_build.Built,
    solution: engine.RosterSolution,
    explanation: engine.Explanation,
    job_id: int | None,
    pinned_from: Roster | None,
) -> Roster:
    start = period.starts_on
    pinned = set()
    if pinned_from is not None:
        pinned = set(
            Shift.objects.filter(roster=pinned_from, pinned=True).values_list("membership_id", "day")
        )
    explanations = [
        {
            "wish_id": built.wish_ids[w.wish_index],
            "agent": w.agent_id,
            "day": (start + dt.timedelta(days=w.day)).isoformat(),
            "weight": w.weight,
            "granted": w.granted,
            "blocked_by": list(w.blocked_by),
            "cost": dict(w.cost_delta),
        }
        for w in explanation.wishes
    ]
    coverage = [
        {
            "day": (start + dt.timedelta(days=line["day"])).isoformat(),
            "start_minute": line["start_minute"],
            "skill": line["skill"],
            "required": c.required,
            "scheduled": c.scheduled,
        }
        for line, c in zip(built.demand_lines, explanation.coverage, strict=True)
    ]
    with transaction.atomic():
        roster = Roster.objects.create(
            organisation_id=period.organisation_id,
            period=period,
            job_id=job_id,
            status=RosterStatus.DRAFT,
            solver_status=solution.status.value,
            objective=solution.objective,
            breakdown=dict(solution.breakdown),
            ledger=_ledger_json(explanation.ledger_after),
            ledger_before=_ledger_json(explanation.ledger_before),
            explanations=explanations,
            coverage=coverage,
            wall_s=round(solution.wall_s, 2),
        )
        rows = []
        for agent_id, days in solution.roster.items():
            membership = built.members[agent_id]
            for index, code in enumerate(days):
                if code is None:
                    continue
                day = start + dt.timedelta(days=index)
                starts_at, ends_at = roster_build.shift_times(day, built.shift_types[code])
                rows.append(
                    Shift(
                        roster=roster,
                        membership=membership,
                        day=day,
                        shift_type=built.shift_types[code],
                        starts_at=starts_at,
                        ends_at=ends_at,
                        pinned=(membership.pk, day) in pinned,
                    )
                )
        Shift.objects.bulk_create(rows)
        period.rosters.filter(status=RosterStatus.DRAFT).exclude(pk=roster.pk).update(
            status=RosterStatus.SUPERSEDED
        )
        PlanningPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.REVIEW)
        period.status = PeriodStatus.REVIEW
    return roster


def shift_pin(*, actor: Actor, shift: Shift, pinned: bool) -> Shift:
    """Pin (or unpin) a shift of a roster in review so a re-solve keeps it."""
    roster = shift.roster
    _same_org(actor, roster)
    require_plan(actor, roster.period.team)
    if roster.status != RosterStatus.DRAFT:
        raise ValidationError(_(ERR_NOT_DRAFT))
    shift.pinned = pinned
    shift.save(update_fields=["pinned"])
    return shift


# --- Publishing ----------------------------------------------------------------------------------------


def roster_publish(*, actor: Actor, roster: Roster) -> Roster:
    """Publish a roster in review (the decision matrix's "roster.publish"); the team is told after commit."""
    _same_org(actor, roster)
    period = roster.period
    require_decision(actor=actor, team=period.team, decision=ROSTER_PUBLISH)
    with transaction.atomic():
        locked = Roster.objects.select_for_update().get(pk=roster.pk)
        if locked.status != RosterStatus.DRAFT:
            raise ValidationError(_(ERR_NOT_DRAFT))
        require_not_locked(period.pk)
        previous = period.rosters.filter(status=RosterStatus.PUBLISHED).values_list("pk", flat=True).first()
        period.rosters.filter(status=RosterStatus.PUBLISHED).update(status=RosterStatus.SUPERSEDED)
        locked.status = RosterStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.published_by = actor.user
        locked.save(update_fields=["status", "published_at", "published_by"])
        PlanningPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.roster.publish",
            target=locked,
            changes={"period": [None, period.pk]},
        )
        if previous is None:
            transaction.on_commit(lambda: notify_published(roster_id=locked.pk))
        else:
            transaction.on_commit(lambda: notify_changed(roster_id=locked.pk, previous_id=previous))
    roster.refresh_from_db()
    return roster


def roster_publish_unchecked(*, roster: Roster) -> Roster:
    """Publish without an actor (the demo seeds one): same effect, no audit entry, nobody notified."""
    with transaction.atomic():
        roster.period.rosters.filter(status=RosterStatus.PUBLISHED).update(status=RosterStatus.SUPERSEDED)
        Roster.objects.filter(pk=roster.pk).update(status=RosterStatus.PUBLISHED, published_at=timezone.now())
        PlanningPeriod.objects.filter(pk=roster.period_id).update(status=PeriodStatus.PUBLISHED)
    roster.refresh_from_db()
    return roster


def _site_url(path: str) -> str:
    return getattr(settings, "ASPA_SITE_URL", "").rstrip("/") + path


def notify_published(*, roster_id: int) -> None:
    """E-mail every active team member that the roster is out (runs after commit)."""
    roster = Roster.objects.select_related("period__team").get(pk=roster_id)
    period = roster.period
    emails = Membership.objects.filter(
        team_memberships__team=period.team, is_active=True, user__erased_at__isnull=True
    ).values_list("user__email", flat=True)
    subject = _("The roster %(period)s is published") % {"period": period.name}
    body = _("Your shifts for %(period)s are ready: %(url)s") % {
        "period": period.name,
        "url": _site_url(reverse("wfm:my_shifts")),
    }
    messages = [
        (subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in sorted(set(emails)) if email
    ]
    if messages:
        send_mass_mail(messages, fail_silently=True)


def notify_swap(*, swap_id: int) -> None:
    """Tell both people the outcome of a swap (runs after commit)."""
    swap = SwapRequest.objects.select_related("shift__shift_type", "offered_by__user", "taker__user").get(
        pk=swap_id
    )
    subject = _("Shift swap %(status)s") % {"status": swap.get_status_display()}
    body = _("The shift on %(day)s (%(shift)s): %(status)s.") % {
        "day": swap.shift.day.isoformat(),
        "shift": swap.shift.shift_type.name,
        "status": swap.get_status_display(),
    }
    people = [swap.offered_by, *([swap.taker] if swap.taker else [])]
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [p.user.email]) for p in people if p.user.email]
    send_mass_mail(messages, fail_silently=True)


# --- Calendar feed -------------------------------------------------------------------------------------


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, actor: Actor) -> str:
    """(Re)create the actor's private calendar feed; returns the raw token once (only its hash is kept)."""
    require(actor, Capability.VIEW_WFM)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            membership=actor,
            defaults={
                "organisation_id": actor.organisation_id,
                "token_hash": calendar_token_hash(token),
                "created_at": timezone.now(),
            },
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.calendar.create",
            target=actor,
            changes={},
        )
    return token


# --- Swaps ---------------------------------------------------------------------------------------------


def _skills(membership: Membership, team: Team) -> set[str]:
    contract = getattr(membership, "wfm_contract", None)
    if contract is not None and contract.skills:
        return set(contract.skills)
    return set(roster_build.team_skills(team))


def taker_problems(*, swap: SwapRequest, taker: Membership, give: Shift | None = None) -> list[str]:
    """Why ``taker`` may not take the offered shift (translated sentences); [] when they may."""
    shift = swap.shift
    roster = shift.roster
    period = roster.period
    if taker.pk == swap.offered_by_id:
        return [_(ERR_SWAP_OWN)]
    if not _skills(swap.offered_by, period.team) <= _skills(taker, period.team):
        return [_(ERR_TAKER_SKILLS)]
    days: dict[dt.date, str | None] = dict(roster_rules.person_days(roster, taker))
    if give is not None:
        days.pop(give.day, None)
    if days.get(shift.day):
        return [_(ERR_TAKER_BUSY)]
    days[shift.day] = shift.shift_type.code
    broken = roster_rules.rule_violations(period=period, membership=taker, days=days)
    if broken:
        return [_(ERR_TAKER_RULES) % {"rules": ", ".join(rule_label(r) for r in broken)}]
    return []


def swap_offer(*, actor: Actor, shift: Shift, kind: str = SwapKind.OFFER, note: str = "") -> SwapRequest:
    """Offer one's own shift of a published roster to colleagues (or ask for a swap)."""
    _same_org(actor, shift.roster)
    require(actor, Capability.VIEW_WFM)
    if shift.membership_id != actor.pk:
        raise PermissionDenied(_(ERR_NOT_YOURS))
    with transaction.atomic():
        locked = Shift.objects.select_for_update().select_related("roster").get(pk=shift.pk)
        if locked.roster.status != RosterStatus.PUBLISHED:
            raise ValidationError(_(ERR_NOT_PUBLISHED))
        require_not_locked(locked.roster.period_id)
        if locked.starts_at <= timezone.now():
            raise ValidationError(_(ERR_SHIFT_PAST))
        if SwapRequest.objects.filter(
            shift=locked, status__in=[SwapStatus.OPEN, SwapStatus.PENDING]
        ).exists():
            raise ValidationError(_(ERR_SWAP_EXISTS))
        swap = SwapRequest.objects.create(
            organisation_id=actor.organisation_id, shift=locked, kind=kind, offered_by=actor, note=note[:300]
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.swap.offer",
            target=swap,
            changes={},
        )
    return swap


def swap_accept(*, actor: Actor, swap: SwapRequest, give: Shift | None = None) -> SwapRequest:
    """A colleague takes the offer (giving ``give`` in exchange for a swap); it then waits for approval."""
    _same_org(actor, swap)
    require(actor, Capability.VIEW_WFM)
    team = swap.shift.roster.period.team
    if not is_team_member(actor, team):
        raise PermissionDenied(_(ERR_NOT_IN_TEAM))
    if swap.kind == SwapKind.SWAP:
        if give is None or give.membership_id != actor.pk or give.roster_id != swap.shift.roster_id:
            raise ValidationError({"give": _(ERR_SWAP_NEEDS_SHIFT)})
    else:
        give = None
    problems = taker_problems(swap=swap, taker=actor, give=give)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        locked = SwapRequest.objects.select_for_update().get(pk=swap.pk)
        if locked.status != SwapStatus.OPEN:
            raise ValidationError(_(ERR_SWAP_NOT_OPEN))
        require_not_locked(swap.shift.roster.period_id)
        locked.taker = actor
        locked.taker_shift = give
        locked.status = SwapStatus.PENDING
        locked.save(update_fields=["taker", "taker_shift", "status"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.swap.accept",
            target=locked,
            changes={},
        )
    return locked


def swap_decide(*, actor: Actor, swap: SwapRequest, approve: bool) -> SwapRequest:
    """Approve or reject a taken offer ("swap.approve" in the team's decision matrix).

    Both shifts and the request are locked, and every condition is checked again inside the transaction,
    so two approvals racing for the same shift leave exactly one winner and nobody double-booked.
    """
    _same_org(actor, swap)
    require_decision(actor=actor, team=swap.shift.roster.period.team, decision=SWAP_APPROVE)
    try:
        with transaction.atomic():
            locked = SwapRequest.objects.select_for_update().get(pk=swap.pk)
            if locked.status != SwapStatus.PENDING or locked.taker_id is None:
                raise ValidationError(_(ERR_SWAP_NOT_PENDING))
            if approve:
                require_not_locked(swap.shift.roster.period_id)
            ids = [locked.shift_id, *([locked.taker_shift_id] if locked.taker_shift_id else [])]
            shifts = {s.pk: s for s in Shift.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
            shift = shifts[locked.shift_id]
            if approve:
                give = shifts.get(locked.taker_shift_id) if locked.taker_shift_id else None
                if shift.membership_id != locked.offered_by_id or (
                    give is not None and give.membership_id != locked.taker_id
                ):
                    raise ValidationError(_(ERR_SWAP_SHIFT_MOVED))
                taker = Membership.objects.get(pk=locked.taker_id)
                problems = taker_problems(swap=locked, taker=taker, give=give)
                if problems:
                    raise ValidationError(problems)
                shift.membership_id = locked.taker_id
                shift.pinned = False
                shift.save(update_fields=["membership", "pinned"])
                if give is not None:
                    give.membership_id = locked.offered_by_id
                    give.save(update_fields=["membership"])
            locked.status = SwapStatus.APPROVED if approve else SwapStatus.REJECTED
            locked.decided_by = actor.user
            locked.decided_at = timezone.now()
            locked.save(update_fields=["status", "decided_by", "decided_at"])
            # Other offers of the same shift close: it has moved.
            if approve:
                SwapRequest.objects.filter(
                    shift=shift, status__in=[SwapStatus.OPEN, SwapStatus.PENDING]
                ).exclude(pk=locked.pk).update(status=SwapStatus.CANCELLED)
            audit_record(
                organisation=actor.organisation,
                actor=actor.user,
                action="wfm.swap.approve" if approve else "wfm.swap.reject",
                target=locked,
                changes={"taker": [None, locked.taker_id]},
            )
            transaction.on_commit(lambda: notify_swap(swap_id=locked.pk))
    except IntegrityError as exc:
        # The unique (roster, person, day) constraint: someone booked the taker that day meanwhile.
        raise ValidationError(_(ERR_TAKER_BUSY)) from exc
    return locked


def swap_cancel(*, actor: Actor, swap: SwapRequest) -> SwapRequest:
    """The person who offered withdraws an offer that is not decided yet."""
    _same_org(actor, swap)
    if swap.offered_by_id != actor.pk:
        raise PermissionDenied(_(ERR_NOT_YOURS))
    with transaction.atomic():
        updated = SwapRequest.objects.filter(
            pk=swap.pk, status__in=[SwapStatus.OPEN, SwapStatus.PENDING]
        ).update(status=SwapStatus.CANCELLED)
        if not updated:
            raise ValidationError(_(ERR_SWAP_NOT_OPEN))
    swap.refresh_from_db()
    return swap


def require_not_locked(period_id: int) -> None:
    """Raise ValidationError when the period is locked (call inside the caller's transaction)."""
    if PlanningPeriod.objects.filter(pk=period_id, status=PeriodStatus.LOCKED).exists():
        raise ValidationError(_(ERR_PERIOD_LOCKED))


# --- Change notices ----------------------------------------------------------------------------------


def changed_members(*, old_roster_id: int, new_roster_id: int) -> set[int]:
    """Memberships whose shifts differ between two rosters of a period."""

    def shifts_of(roster_id: int) -> set[tuple[int, dt.date, int]]:
        return set(
            Shift.objects.filter(roster_id=roster_id).values_list("membership_id", "day", "shift_type_id")
        )

    return {m for m, _day, _type in shifts_of(old_roster_id) ^ shifts_of(new_roster_id)}


def notify_changed(*, roster_id: int, previous_id: int) -> None:
    """A published roster was replaced: tell the people whose shifts changed (runs after commit)."""
    roster = Roster.objects.select_related("period").get(pk=roster_id)
    changed = changed_members(old_roster_id=previous_id, new_roster_id=roster_id)
    emails = Membership.objects.filter(
        pk__in=changed, is_active=True, user__erased_at__isnull=True
    ).values_list("user__email", flat=True)
    subject = _("The roster %(period)s has changed") % {"period": roster.period.name}
    body = _("Your shifts for %(period)s have changed: %(url)s") % {
        "period": roster.period.name,
        "url": _site_url(reverse("wfm:my_shifts")),
    }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in sorted(set(emails)) if e]
    if messages:
        send_mass_mail(messages, fail_silently=True)
