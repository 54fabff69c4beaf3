"""The role board: roles, holders, rotation by week."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aspa.core.roles import Role
from aspa.teamwork import selectors, services
from aspa.teamwork.models import RoleAssignment, TeamRole


def test_rotating_role_this_week_and_next(member_of, team):
    lead, a, b = member_of(Role.LEAD), member_of(Role.AGENT), member_of(Role.AGENT)
    role = services.team_role_create(
        actor=lead, team=team, name="Vetäjä", responsibilities="Vetää", is_rotating=True
    )
    monday = date(2026, 3, 2)
    services.role_assign(
        actor=lead, role=role, membership=a, starts_on=monday, ends_on=monday + timedelta(days=6)
    )
    services.role_assign(
        actor=lead,
        role=role,
        membership=b,
        starts_on=monday + timedelta(days=7),
        ends_on=monday + timedelta(days=13),
    )
    [entry] = selectors.role_board(actor=a, team=team, today=monday + timedelta(days=3))
    assert entry.this_week == [a.user.full_name]
    assert entry.next_week == [b.user.full_name]
    assert [x.membership for x in entry.upcoming] == [b]


def test_agent_cannot_change_the_board(member_of, team):
    agent = member_of(Role.AGENT)
    with pytest.raises(PermissionDenied):
        services.team_role_create(actor=agent, team=team, name="X", responsibilities="Y")
    assert not TeamRole.objects.exists()


def test_holder_must_be_in_the_team_and_dates_in_order(member_of, team):
    lead, outsider = member_of(Role.LEAD), member_of(Role.AGENT, in_team=False)
    role = services.team_role_create(actor=lead, team=team, name="Jonovahti", responsibilities="Seuraa jonoa")
    with pytest.raises(ValidationError) as exc:
        services.role_assign(actor=lead, role=role, membership=outsider, starts_on=date(2026, 1, 5))
    assert exc.value.message_dict == {"membership": [services.ERR_HOLDER_NOT_MEMBER]}
    with pytest.raises(ValidationError) as exc:
        services.role_assign(
            actor=lead, role=role, membership=lead, starts_on=date(2026, 1, 5), ends_on=date(2026, 1, 4)
        )
    assert exc.value.message_dict == {"ends_on": [services.ERR_ENDS_BEFORE_START]}
    with pytest.raises(ValidationError):
        services.team_role_create(actor=lead, team=team, name="jonovahti", responsibilities="x")
    assert not RoleAssignment.objects.exists() and TeamRole.objects.count() == 1
