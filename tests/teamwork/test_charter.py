"""Charter versions and who agreed to which."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from aspa.core.roles import Role
from aspa.teamwork import selectors, services
from aspa.teamwork.models import CharterConsent, CharterVersion
from tests.factories import MembershipFactory


def _write(actor, team, promise="Vastaamme nopeasti."):
    return services.charter_version_create(
        actor=actor, team=team, purpose="Ilman meitä asiakas jäisi yksin.", customer_promise=promise
    )


def test_versions_and_consents(member_of, team):
    lead, agent, late = member_of(Role.LEAD), member_of(Role.AGENT), member_of(Role.AGENT)
    first = _write(lead, team)
    services.charter_agree(actor=agent, version=first)
    services.charter_agree(actor=agent, version=first)  # twice is once
    second = _write(lead, team, promise="Soitamme takaisin.")
    services.charter_agree(actor=late, version=second)
    assert (first.number, second.number) == (1, 2)
    assert CharterConsent.objects.filter(version=first).count() == 1
    standing = {s.membership_name: s for s in selectors.charter_standing(actor=agent, team=team)}
    assert standing[agent.user.full_name].agreed_number == 1
    assert not standing[agent.user.full_name].agrees_to_current
    assert standing[late.user.full_name].agrees_to_current
    assert standing[lead.user.full_name].agreed_number is None


def test_agent_cannot_write_the_charter_by_default(member_of, team):
    with pytest.raises(PermissionDenied):
        _write(member_of(Role.AGENT), team)
    assert not CharterVersion.objects.exists()


def test_only_members_agree(member_of, team, other_org):
    version = _write(member_of(Role.LEAD), team)
    with pytest.raises(PermissionDenied):
        services.charter_agree(actor=member_of(Role.AGENT, in_team=False), version=version)
    with pytest.raises(PermissionDenied):
        services.charter_agree(actor=MembershipFactory(organisation=other_org), version=version)
    assert not CharterConsent.objects.exists()
