"""Self-direction: members assess, the team's average and target show the gap, the gap becomes a goal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from aspa.core.roles import Role
from aspa.teamwork import selectors, services
from aspa.teamwork.models import Goal, GoalLevel, SelfDirectionAssessment
from aspa.teamwork.selfdirection import AREA_KEYS


def test_members_assess_and_the_gap_becomes_a_team_goal(member_of, team):
    lead, a, b = member_of(Role.LEAD), member_of(Role.AGENT), member_of(Role.AGENT)
    services.self_direction_assess(actor=a, team=team, levels={"decisions": 2, "planning": 3})
    services.self_direction_assess(actor=b, team=team, levels={"decisions": 3})
    services.self_direction_assess(actor=b, team=team, levels={"decisions": 4})  # the newest answer counts
    services.self_direction_target_set(actor=lead, team=team, levels={"decisions": 4})
    row = next(r for r in selectors.self_direction(actor=a, team=team) if r.area.key == "decisions")
    assert (row.target, row.average, row.answers, row.mine, row.gap) == (
        4,
        Decimal("3.0"),
        2,
        2,
        Decimal("1.0"),
    )
    goal = services.self_direction_goal_from_gap(actor=lead, team=team, area="decisions")
    assert (goal.level, goal.team, goal.baseline, goal.target_value) == (
        GoalLevel.TEAM,
        team,
        Decimal("3.0"),
        4,
    )
    with pytest.raises(ValidationError) as exc:
        services.self_direction_goal_from_gap(actor=lead, team=team, area="planning")
    assert exc.value.messages == [services.ERR_NO_GAP]


def test_rubric_and_rights_are_checked(member_of, team, org):
    agent = member_of(Role.AGENT)
    with pytest.raises(ValidationError):
        services.self_direction_assess(actor=agent, team=team, levels={"decisions": 6})
    with pytest.raises(ValidationError):
        services.self_direction_assess(actor=agent, team=team, levels={"nope": 3})
    with pytest.raises(PermissionDenied):
        services.self_direction_target_set(actor=agent, team=team, levels={"decisions": 5})
    assert not SelfDirectionAssessment.objects.exists()
    assert len(AREA_KEYS) == 5


def test_page_assess_and_make_goal(member_of, team, client_for):
    lead = member_of(Role.LEAD)
    client = client_for(lead)
    url = reverse("teamwork:self_direction", kwargs={"team_id": team.pk})
    assert client.get(url).status_code == 200
    client.post(url, {"action": "assess", **{f"now-{k}": "2" for k in AREA_KEYS}})
    client.post(url, {"action": "target", **{f"target-{k}": "4" for k in AREA_KEYS}})
    response = client.post(url, {"action": "goal", "area": "feedback"})
    goal = Goal.objects.get()
    assert response["Location"] == reverse("teamwork:goal", kwargs={"goal_id": goal.pk})
