from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.utils import translation

from aspa.core.roles import Role
from tests.factories import MembershipFactory, OrganisationFactory, TeamFactory, TeamMembershipFactory


@pytest.fixture
def org(db):
    return OrganisationFactory(name="Alfa Palvelu Oy")


@pytest.fixture
def other_org(db):
    return OrganisationFactory(name="Beta Palvelu Oy")


@pytest.fixture
def team(org):
    return TeamFactory(organisation=org, name="Puhelin")


@pytest.fixture
def member_of(org, team):
    """member_of(role) -> a Membership of `org` with that role, in `team`."""

    def make(role: str = Role.AGENT, organisation=None, in_team: bool = True):
        membership = MembershipFactory(organisation=organisation or org, role=role)
        if in_team and (organisation is None or organisation == org):
            TeamMembershipFactory(team=team, membership=membership, is_lead=role == Role.LEAD)
        return membership

    return make


@pytest.fixture
def client_for():
    """client_for(membership) -> a logged-in test client acting in that membership's organisation."""

    def make(membership) -> Client:
        client = Client()
        client.force_login(membership.user)
        session = client.session
        session["aspa_organisation_id"] = membership.organisation_id
        session.save()
        return client

    return make


@pytest.fixture(autouse=True)
def _english_outside_requests() -> Iterator[None]:
    """Service errors are compared with their English message constants, so code called directly runs in
    English. Requests still get Finnish by default: the locale middleware activates it per request."""
    with translation.override("en"):
        yield
