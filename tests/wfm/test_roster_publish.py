"""Publishing follows the team's decision matrix and tells the team after commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.wfm import roster_services
from aspa.wfm.models import PeriodStatus, RosterStatus
from tests.factories import MembershipFactory, TeamMembershipFactory
from tests.wfm.roster_factories import PERIOD_START, published_roster, roster_world


@pytest.fixture
def draft(team):
    world = roster_world(team, agents=2)
    roster = published_roster(
        world.period, [(world.agents[0], PERIOD_START, world.early)], status=RosterStatus.DRAFT
    )
    return world, roster


def test_planner_publishes_and_team_is_told(draft, team, django_capture_on_commit_callbacks):
    world, roster = draft
    planner = MembershipFactory(organisation=team.organisation, role=Role.PLANNER)
    with django_capture_on_commit_callbacks(execute=True):
        roster_services.roster_publish(actor=planner, roster=roster)
    roster.refresh_from_db()
    world.period.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED and world.period.status == PeriodStatus.PUBLISHED
    assert AuditEntry.objects.filter(action="wfm.roster.publish").exists()
    recipients = {r for m in mail.outbox for r in m.to}
    assert {a.user.email for a in world.agents} <= recipients


@pytest.mark.parametrize("role", [Role.AGENT, Role.LEAD, Role.MANAGER])
def test_others_cannot_publish_by_default(draft, team, role):
    _world, roster = draft
    actor = MembershipFactory(organisation=team.organisation, role=role)
    TeamMembershipFactory(team=team, membership=actor)
    with pytest.raises(PermissionDenied):
        roster_services.roster_publish(actor=actor, roster=roster)
    roster.refresh_from_db()
    assert roster.status == RosterStatus.DRAFT and not mail.outbox


def test_team_can_delegate_publishing_to_the_lead(draft, team):
    from aspa.teamwork.decisions import Level, Subject
    from aspa.teamwork.models import DecisionCell

    _world, roster = draft
    DecisionCell.objects.create(
        organisation=team.organisation,
        team=team,
        decision="roster.publish",
        subject=Subject.LEAD,
        level=Level.DECIDES,
    )
    lead = MembershipFactory(organisation=team.organisation, role=Role.LEAD)
    TeamMembershipFactory(team=team, membership=lead, is_lead=True)
    roster_services.roster_publish(actor=lead, roster=roster)
    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED
