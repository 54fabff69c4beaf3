"""Wishes and unavailable days: own only, open periods only, transparency counts for everyone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aspa.core.roles import Role
from aspa.wfm import roster_selectors, roster_services
from aspa.wfm.models import Availability, PeriodStatus, ShiftWish, WishKind
from tests.factories import MembershipFactory
from tests.wfm.roster_factories import PERIOD_START, roster_world


@pytest.fixture
def world(team):
    return roster_world(team, agents=3, need=2)


def test_agent_adds_own_wish(world):
    agent = world.agents[0]
    wish = roster_services.wish_add(
        actor=agent,
        period=world.period,
        kind=WishKind.SHIFT_ON,
        day=PERIOD_START,
        shift_type=world.early,
        weight=2,
    )
    assert wish.membership == agent and wish.shift_type == world.early


def test_wish_outside_period_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        roster_services.wish_add(
            actor=world.agents[0],
            period=world.period,
            kind=WishKind.DAY_OFF,
            day=PERIOD_START - dt.timedelta(days=1),
        )
    assert roster_services.ERR_DAY_OUTSIDE in exc.value.messages
    assert not ShiftWish.objects.exists()


def test_wish_after_deadline_or_closed_is_refused(world):
    world.period.wish_deadline = timezone.now() - dt.timedelta(hours=1)
    world.period.save()
    with pytest.raises(ValidationError) as exc:
        roster_services.wish_add(
            actor=world.agents[0], period=world.period, kind=WishKind.DAY_OFF, day=PERIOD_START
        )
    assert roster_services.ERR_DEADLINE_PASSED in exc.value.messages
    world.period.wish_deadline = None
    world.period.status = PeriodStatus.REVIEW
    world.period.save()
    with pytest.raises(ValidationError) as exc:
        roster_services.availability_add(actor=world.agents[0], period=world.period, day=PERIOD_START)
    assert roster_services.ERR_PERIOD_CLOSED in exc.value.messages
    assert not ShiftWish.objects.exists() and not Availability.objects.exists()


def test_only_team_members_wish(world, org):
    stranger = MembershipFactory(organisation=org, role=Role.AGENT)
    with pytest.raises(PermissionDenied):
        roster_services.wish_add(actor=stranger, period=world.period, kind=WishKind.DAY_OFF, day=PERIOD_START)
    assert not ShiftWish.objects.exists()


def test_cannot_delete_someone_elses_wish(world):
    wish = roster_services.wish_add(
        actor=world.agents[0], period=world.period, kind=WishKind.DAY_OFF, day=PERIOD_START
    )
    with pytest.raises(PermissionDenied):
        roster_services.wish_delete(actor=world.agents[1], wish=wish)
    assert ShiftWish.objects.filter(pk=wish.pk).exists()


def test_other_org_cannot_wish(world, other_org):
    outsider = MembershipFactory(organisation=other_org, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        roster_services.wish_add(actor=outsider, period=world.period, kind=WishKind.DAY_OFF, day=PERIOD_START)
    assert not ShiftWish.objects.exists()


def test_agents_see_own_wishes_leads_see_all_and_counts_are_open(world, team):
    a, b = world.agents[0], world.agents[1]
    roster_services.wish_add(
        actor=a, period=world.period, kind=WishKind.SHIFT_ON, day=PERIOD_START, shift_type=world.early
    )
    roster_services.wish_add(
        actor=b, period=world.period, kind=WishKind.SHIFT_ON, day=PERIOD_START, shift_type=world.early
    )
    assert list(
        roster_selectors.wishes_visible(actor=a, period=world.period).values_list("membership", flat=True)
    ) == [a.pk]
    lead = MembershipFactory(organisation=team.organisation, role=Role.LEAD)
    from tests.factories import TeamMembershipFactory

    TeamMembershipFactory(team=team, membership=lead, is_lead=True)
    assert roster_selectors.wishes_visible(actor=lead, period=world.period).count() == 2
    slots = roster_selectors.wish_slots(actor=a, period=world.period)
    first = next(s for s in slots if s.day == PERIOD_START and s.shift_type == world.early)
    assert first.wish_on == 2 and first.need == 2 and first.mine


def test_personal_data_export_and_erase(world):
    from aspa.wfm import personal_data

    agent = world.agents[0]
    roster_services.wish_add(actor=agent, period=world.period, kind=WishKind.DAY_OFF, day=PERIOD_START)
    roster_services.availability_add(
        actor=agent, period=world.period, day=PERIOD_START + dt.timedelta(days=1)
    )
    data = personal_data.export(agent.user)
    assert len(data["wishes"]) == 1 and len(data["unavailable_days"]) == 1
    personal_data.erase(agent.user)
    assert not ShiftWish.objects.filter(membership=agent).exists()
    assert not Availability.objects.filter(membership=agent).exists()
