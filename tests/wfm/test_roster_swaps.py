"""Shift offers and swaps: eligibility by the engine's rules, approval by the decision matrix, one winner."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from aspa.core.roles import Role
from aspa.wfm import roster_selectors, roster_services
from aspa.wfm.models import Shift, SwapKind, SwapStatus
from tests.factories import MembershipFactory, TeamMembershipFactory
from tests.wfm.roster_factories import PERIOD_START, published_roster, roster_world

MON, TUE = PERIOD_START, PERIOD_START + dt.timedelta(days=1)


@pytest.fixture
def setup(team):
    world = roster_world(team, agents=3)
    a, b, c = world.agents
    # b works a late shift Monday (ends 20:00): an early Tuesday shift (08:00) would leave only 12 h rest — fine;
    # c works late on Monday too; the offered shift is a's early Tuesday.
    roster = published_roster(
        world.period,
        [(a, TUE, world.early), (b, MON, world.late), (c, TUE, world.late)],
    )
    lead = MembershipFactory(organisation=team.organisation, role=Role.LEAD)
    TeamMembershipFactory(team=team, membership=lead, is_lead=True)
    return world, roster, lead


def _shift(roster, membership, day):
    return Shift.objects.get(roster=roster, membership=membership, day=day)


def test_offer_accept_approve_moves_the_shift(setup):
    world, roster, lead = setup
    a, b, _c = world.agents
    swap = roster_services.swap_offer(actor=a, shift=_shift(roster, a, TUE))
    roster_services.swap_accept(actor=b, swap=swap)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.PENDING and swap.taker == b
    roster_services.swap_decide(actor=lead, swap=swap, approve=True)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED
    assert _shift(roster, b, TUE).shift_type == world.early
    assert not Shift.objects.filter(roster=roster, membership=a).exists()


def test_someone_working_that_day_is_not_eligible(setup):
    world, roster, _lead = setup
    a, _b, c = world.agents
    swap = roster_services.swap_offer(actor=a, shift=_shift(roster, a, TUE))
    candidates = {
        cand.membership.pk: cand.problems for cand in roster_selectors.swap_candidates(actor=a, swap=swap)
    }
    assert candidates[c.pk] == [roster_services.ERR_TAKER_BUSY]
    with pytest.raises(ValidationError):
        roster_services.swap_accept(actor=c, swap=swap)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.OPEN and swap.taker is None


def test_daily_rest_is_checked_by_the_engine(team):
    world = roster_world(team, agents=2)
    a, b = world.agents
    from tests.wfm.roster_factories import ShiftTypeFactory

    night = ShiftTypeFactory(
        organisation=team.organisation, team=team, code="Y", name="Yö", start_time=dt.time(22)
    )
    roster = published_roster(world.period, [(a, TUE, world.early), (b, MON, night)])
    swap = roster_services.swap_offer(actor=a, shift=_shift(roster, a, TUE))
    # b's night shift ends Tuesday 06:00; an 08:00 start leaves 2 h rest, not 11.
    problems = roster_services.taker_problems(swap=swap, taker=b)
    assert problems and roster_services.rule_label("successions") in problems[0]


def test_agent_cannot_approve_by_default(setup):
    world, roster, _lead = setup
    a, b, _c = world.agents
    swap = roster_services.swap_offer(actor=a, shift=_shift(roster, a, TUE))
    roster_services.swap_accept(actor=b, swap=swap)
    with pytest.raises(PermissionDenied):
        roster_services.swap_decide(actor=b, swap=swap, approve=True)
    swap.refresh_from_db()
    assert swap.status == SwapStatus.PENDING
    assert _shift(roster, a, TUE)


def test_cannot_offer_someone_elses_shift(setup):
    world, roster, _lead = setup
    a, b, _c = world.agents
    with pytest.raises(PermissionDenied):
        roster_services.swap_offer(actor=b, shift=_shift(roster, a, TUE))


def test_two_competing_approvals_leave_one_winner(setup, team):
    """Two offers of the same shift, taken by two colleagues, approved one after the other."""
    world, roster, lead = setup
    a, b, _c = world.agents
    d = MembershipFactory(organisation=team.organisation, role=Role.AGENT)
    TeamMembershipFactory(team=team, membership=d)
    shift = _shift(roster, a, TUE)
    first = roster_services.swap_offer(actor=a, shift=shift)
    roster_services.swap_accept(actor=b, swap=first)
    # A second request for the same shift, e.g. created before the first was taken (bypassing the offer check).
    from aspa.wfm.models import SwapRequest

    second = SwapRequest.objects.create(
        organisation=team.organisation, shift=shift, offered_by=a, taker=d, status=SwapStatus.PENDING
    )
    roster_services.swap_decide(actor=lead, swap=first, approve=True)
    with pytest.raises(ValidationError):
        roster_services.swap_decide(actor=lead, swap=second, approve=True)
    second.refresh_from_db()
    assert second.status == SwapStatus.CANCELLED
    assert Shift.objects.filter(roster=roster, day=TUE, shift_type=world.early).count() == 1
    assert _shift(roster, b, TUE)


@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_of_the_same_request_one_winner(org):
    from tests.factories import TeamFactory

    team = TeamFactory(organisation=org)
    world = roster_world(team, agents=2)
    a, b = world.agents
    roster = published_roster(world.period, [(a, TUE, world.early)])
    lead = MembershipFactory(organisation=org, role=Role.LEAD)
    TeamMembershipFactory(team=team, membership=lead, is_lead=True)
    swap = roster_services.swap_offer(actor=a, shift=_shift(roster, a, TUE))
    roster_services.swap_accept(actor=b, swap=swap)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def approve() -> None:
        try:
            barrier.wait()
            roster_services.swap_decide(actor=lead, swap=swap, approve=True)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        except Exception as exc:  # SQLite may refuse the second writer outright
            results.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert Shift.objects.filter(roster=roster, day=TUE).count() == 1
    assert _shift(roster, b, TUE)


def test_swap_kind_exchanges_shifts(setup):
    world, roster, lead = setup
    a, b, _c = world.agents
    swap = roster_services.swap_offer(actor=a, shift=_shift(roster, a, TUE), kind=SwapKind.SWAP)
    with pytest.raises(ValidationError):
        roster_services.swap_accept(actor=b, swap=swap)
    roster_services.swap_accept(actor=b, swap=swap, give=_shift(roster, b, MON))
    roster_services.swap_decide(actor=lead, swap=swap, approve=True)
    assert _shift(roster, b, TUE).shift_type == world.early
    assert _shift(roster, a, MON).shift_type == world.late
