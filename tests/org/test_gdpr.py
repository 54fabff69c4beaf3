from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.org import services
from aspa.org.models import Membership, TeamMembership
from tests.factories import MembershipFactory


def test_export_contains_profile_and_memberships(member_of, team):
    agent = member_of(Role.AGENT)
    data = services.person_export(user=agent.user)
    profile = data["data"]["org.profile"]
    assert profile["email"] == agent.user.email
    assert profile["memberships"][0]["teams"] == [team.name]
    json.dumps(data, default=str)  # serialisable


def test_erase_pseudonymises_and_keeps_aggregates(member_of):
    admin = member_of(Role.ADMIN)
    agent = member_of(Role.AGENT)
    name, email = agent.user.full_name, agent.user.email
    services.membership_role_change(actor=admin, membership=agent, role=Role.LEAD)
    services.person_erase(actor=admin, membership=agent)
    agent.user.refresh_from_db()
    assert agent.user.erased_at is not None
    assert agent.user.email.endswith("@erased.invalid") and name not in agent.user.full_name
    assert not agent.user.has_usable_password() and not agent.user.is_active
    # The membership row stays (counts) but is inactive and out of teams.
    assert Membership.objects.filter(pk=agent.pk, is_active=False).exists()
    assert not TeamMembership.objects.filter(membership=agent).exists()
    assert not AuditEntry.objects.filter(object_repr__contains=name).exists()
    assert not AuditEntry.objects.filter(object_repr__contains=email).exists()


def test_erase_only_ends_membership_when_person_belongs_elsewhere(member_of, other_org):
    admin = member_of(Role.ADMIN)
    coach = member_of(Role.COACH)
    MembershipFactory(organisation=other_org, user=coach.user, role=Role.COACH)
    services.person_erase(actor=admin, membership=coach)
    coach.user.refresh_from_db()
    assert coach.user.erased_at is None
    assert Membership.objects.get(pk=coach.pk).is_active is False
    assert Membership.objects.get(user=coach.user, organisation=other_org).is_active


def test_admin_cannot_erase_self(member_of):
    admin = member_of(Role.ADMIN)
    with pytest.raises(ValidationError):
        services.person_erase(actor=admin, membership=admin)
