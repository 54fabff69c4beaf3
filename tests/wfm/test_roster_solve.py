"""Building the engine problem from the database, solving, storing, explaining, warm start and pins."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aspa.core.jobs import inprocess_wait
from aspa.core.models import JobStatus
from aspa.core.roles import Role
from aspa.wfm import roster_build, roster_services
from aspa.wfm.models import PeriodStatus, Roster, RosterStatus, Shift, ShiftWish, WishKind
from tests.wfm.roster_factories import PERIOD_START, roster_world


def test_problem_from_database(team):
    world = roster_world(team, agents=3, need=1)
    ShiftWish.objects.create(
        period=world.period, membership=world.agents[0], kind=WishKind.DAY_OFF, day=PERIOD_START
    )
    built = roster_build.build(world.period)
    problem = built.problem
    assert problem.horizon_days == 7 and problem.first_weekday == 0
    assert {s.id for s in problem.shift_types} == {"A", "I"}
    assert len(problem.agents) == 3
    assert {a.skills for a in problem.agents} == {frozenset({"puhelin"})}
    # 12 hourly lines a day, need 1, skill of the queue.
    assert len(problem.demands) == 7 * 12
    assert problem.demands[0].skill == "puhelin" and problem.demands[0].required == 1
    assert len(problem.wishes) == 1 and built.wish_ids


def test_compute_stores_a_draft_with_explanations(team):
    world = roster_world(team, agents=3, need=1)
    wish = ShiftWish.objects.create(
        period=world.period, membership=world.agents[0], kind=WishKind.DAY_OFF, day=PERIOD_START
    )
    roster = roster_services.roster_compute(period=world.period, time_limit_s=3)
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.REVIEW
    assert roster.status == RosterStatus.DRAFT and roster.objective is not None
    assert roster.shifts.exists()
    shift = roster.shifts.first()
    assert shift.starts_at.tzinfo is not None and shift.ends_at > shift.starts_at
    assert any(e["wish_id"] == wish.pk for e in roster.explanations)
    assert set(roster.ledger) == {str(a.pk) for a in world.agents}
    assert roster.coverage and {"required", "scheduled"} <= set(roster.coverage[0])
    # Three people, both shifts 8-16 / 12-20 cover 8-20 each day with need 1: no one-day-off wish needs denying.
    assert all(e["granted"] for e in roster.explanations)
    assert not roster.shifts.filter(membership=world.agents[0], day=PERIOD_START).exists()


def test_pinned_shift_survives_a_minimal_change_resolve(team):
    world = roster_world(team, agents=3, need=1)
    first = roster_services.roster_compute(period=world.period, time_limit_s=3)
    shift = first.shifts.order_by("day", "membership_id").first()
    lead = world.agents[0]
    planner = _planner(team)
    roster_services.shift_pin(actor=planner, shift=shift, pinned=True)
    second = roster_services.roster_compute(
        period=world.period, base=first, minimal_change=True, time_limit_s=3
    )
    kept = Shift.objects.get(roster=second, membership=shift.membership, day=shift.day)
    assert kept.shift_type_id == shift.shift_type_id and kept.pinned
    first.refresh_from_db()
    assert first.status == RosterStatus.SUPERSEDED
    assert lead is not None


def test_agent_cannot_pin_or_solve(team):
    world = roster_world(team, agents=2, need=1)
    roster = roster_services.roster_compute(period=world.period, time_limit_s=2)
    agent = world.agents[0]
    with pytest.raises(PermissionDenied):
        roster_services.shift_pin(actor=agent, shift=roster.shifts.first(), pinned=True)
    with pytest.raises(PermissionDenied):
        roster_services.roster_solve_request(actor=agent, period=world.period)
    assert not roster.shifts.filter(pinned=True).exists()


def test_solve_request_from_another_org_is_refused(team, other_org):
    from tests.factories import MembershipFactory

    world = roster_world(team, agents=2)
    outsider = MembershipFactory(organisation=other_org, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        roster_services.roster_solve_request(actor=outsider, period=world.period)
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.OPEN


@pytest.mark.django_db(transaction=True)
def test_solve_job_reports_progress_and_stores_the_roster(org):
    from tests.factories import TeamFactory

    team = TeamFactory(organisation=org)
    world = roster_world(team, agents=3, need=1)
    planner = _planner(team)
    job = roster_services.roster_solve_request(actor=planner, period=world.period)
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.SOLVING
    with pytest.raises(ValidationError) as exc:
        roster_services.roster_solve_request(actor=planner, period=world.period)
    assert roster_services.ERR_ALREADY_SOLVING in exc.value.messages
    assert inprocess_wait(60)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    roster = Roster.objects.get(pk=job.result["roster_id"])
    assert roster.job_id == job.pk and roster.status == RosterStatus.DRAFT
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.REVIEW


def _planner(team):
    from tests.factories import MembershipFactory

    return MembershipFactory(organisation=team.organisation, role=Role.PLANNER)


def test_period_create_validates_range(team):
    planner = _planner(team)
    with pytest.raises(ValidationError):
        roster_services.period_create(
            actor=planner,
            team=team,
            name="X",
            starts_on=PERIOD_START,
            ends_on=PERIOD_START - dt.timedelta(days=1),
        )
    period = roster_services.period_create(
        actor=planner,
        team=team,
        name="X",
        starts_on=PERIOD_START,
        ends_on=PERIOD_START + dt.timedelta(days=13),
    )
    assert period.status == PeriodStatus.OPEN and period.days == 14


def test_cancelling_the_solve_stops_the_solver(team, monkeypatch):
    """A cancel noticed while reporting progress asks the running search to stop (``should_stop``)."""
    import threading

    from aspa.core.jobs import JobCancelled
    from aspa.engine import rostering as engine

    world = roster_world(team, agents=3, days=7, need=1)
    real_solve = engine.solve
    asked: list[bool] = []
    tick = threading.Event()

    def long_search(problem, params, **kwargs):
        # Stands in for a search that would run its whole time limit: it ends only when told to stop.
        while not kwargs["should_stop"]():
            tick.wait(0.01)
        asked.append(True)
        return real_solve(problem, params, **kwargs)

    monkeypatch.setattr(engine, "solve", long_search)
    monkeypatch.setattr(roster_services, "PROGRESS_POLL_S", 0.01)
    calls = {"n": 0}

    def report(best, elapsed):
        calls["n"] += 1
        raise JobCancelled

    started = time.perf_counter()
    with pytest.raises(JobCancelled):
        roster_services.roster_compute(period=world.period, time_limit_s=120, report=report)
    assert time.perf_counter() - started < 30
    assert calls["n"] == 1 and asked == [True]
    assert not Roster.objects.filter(period=world.period).exists()


def test_a_problem_too_large_for_one_model_is_solved_group_by_group(team, settings):
    """Above the size limit the roster comes from decomposition; it is stored and explained the same way."""
    world = roster_world(team, agents=3, need=1)
    wish = ShiftWish.objects.create(
        period=world.period, membership=world.agents[0], kind=WishKind.DAY_OFF, day=PERIOD_START
    )
    settings.ASPA_ROSTER_DECOMPOSE_ABOVE = 0
    seen: list[float | None] = []
    roster = roster_services.roster_compute(
        period=world.period, time_limit_s=3, report=lambda best, elapsed: seen.append(best)
    )
    assert roster.status == RosterStatus.DRAFT and roster.objective is not None
    assert roster.solver_status == "feasible"
    assert roster.shifts.exists() and any(e["wish_id"] == wish.pk for e in roster.explanations)
    assert any(best is not None for best in seen)
    assert not roster.shifts.filter(membership=world.agents[0], day=PERIOD_START).exists()
