"""Goals: SMART fields, metrics with check-ins, and the privacy of personal goals (list, detail, API, search)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.teamwork import metrics, selectors, services
from aspa.teamwork.models import Goal, GoalCheckIn, GoalLevel
from tests.factories import MembershipFactory, TeamFactory, TeamMembershipFactory

SECRET = "Salainen henkilökohtainen tavoite"


@pytest.fixture
def people(org, team, member_of):
    """Agent A and agent B in the team led by L; another team led by L2; a manager M; an administrator."""
    lead = member_of(Role.LEAD)
    agent_a, agent_b = member_of(Role.AGENT), member_of(Role.AGENT)
    other_team = TeamFactory(organisation=org, name="Chat")
    other_lead = MembershipFactory(organisation=org, role=Role.LEAD)
    TeamMembershipFactory(team=other_team, membership=other_lead, is_lead=True)
    other_agent = MembershipFactory(organisation=org, role=Role.AGENT)
    TeamMembershipFactory(team=other_team, membership=other_agent)
    manager = MembershipFactory(organisation=org, role=Role.MANAGER)
    admin = MembershipFactory(organisation=org, role=Role.ADMIN)
    planner = member_of(Role.PLANNER)
    goal = services.goal_create(
        actor=agent_a,
        level=GoalLevel.PERSON,
        person=agent_a,
        title=SECRET,
        metric="fcr",
        baseline=Decimal("60"),
        target_value=Decimal("80"),
        due_on=timezone.localdate() + timedelta(days=60),
    )
    return {
        "lead": lead,
        "a": agent_a,
        "b": agent_b,
        "other_lead": other_lead,
        "other_agent": other_agent,
        "manager": manager,
        "admin": admin,
        "planner": planner,
        "goal": goal,
    }


SEES = ("a", "lead", "manager")
DOES_NOT_SEE = ("b", "other_lead", "other_agent", "admin", "planner")


@pytest.mark.parametrize("who", SEES)
def test_personal_goal_seen_by_person_lead_and_leads_lead(people, who):
    assert people["goal"] in selectors.goal_list(actor=people[who])
    assert selectors.goal_get(actor=people[who], goal_id=people["goal"].pk) == people["goal"]


@pytest.mark.parametrize("who", DOES_NOT_SEE)
def test_personal_goal_hidden_from_everyone_else_in_selectors(people, who):
    actor = people[who]
    assert people["goal"] not in selectors.goal_list(actor=actor)
    assert not selectors.goal_list(actor=actor, query="henkilökohtainen").exists()
    with pytest.raises(Http404):
        selectors.goal_get(actor=actor, goal_id=people["goal"].pk)


@pytest.mark.parametrize("who", DOES_NOT_SEE)
def test_agent_b_cannot_see_it_via_list_detail_search_or_api(people, who, client_for):
    client = client_for(people[who])
    goal = people["goal"]
    assert SECRET not in client.get(reverse("teamwork:goals")).content.decode()
    assert SECRET not in client.get(reverse("teamwork:goals"), {"q": "Salainen"}).content.decode()
    assert client.get(reverse("teamwork:goal", kwargs={"goal_id": goal.pk})).status_code == 404
    api = client.get(reverse("api:goal_list"), {"q": "Salainen"}).json()
    assert api["count"] == 0
    assert SECRET not in client.get(reverse("api:goal_list")).content.decode()
    assert client.get(reverse("api:goal_detail", kwargs={"goal_id": goal.pk})).status_code == 404
    response = client.post(
        reverse("teamwork:goal", kwargs={"goal_id": goal.pk}),
        {"action": "check_in", "value": "99", "confidence": "5"},
    )
    assert response.status_code == 404
    assert not GoalCheckIn.objects.exists()


def test_agent_a_and_lead_see_it_in_pages_and_api(people, client_for):
    for who in SEES:
        client = client_for(people[who])
        assert SECRET in client.get(reverse("teamwork:goals"), {"q": "Salainen"}).content.decode()
        assert (
            client.get(reverse("api:goal_detail", kwargs={"goal_id": people["goal"].pk})).json()["title"]
            == SECRET
        )


def test_shared_personal_goal_is_open_to_the_organisation(people):
    with pytest.raises(PermissionDenied):
        services.goal_share_set(actor=people["lead"], goal=people["goal"], shared=True)
    services.goal_share_set(actor=people["a"], goal=people["goal"], shared=True)
    assert people["goal"] in selectors.goal_list(actor=people["b"])


def test_leadership_team_replaces_the_manager_fallback(org, people):
    """With a leadership team, the lead's lead is its lead — not every manager."""
    leaders = TeamFactory(organisation=org, name="Esihenkilöt")
    head = MembershipFactory(organisation=org, role=Role.MANAGER)
    TeamMembershipFactory(team=leaders, membership=head, is_lead=True)
    TeamMembershipFactory(team=leaders, membership=people["lead"])
    assert people["goal"] in selectors.goal_list(actor=head)
    assert people["goal"] not in selectors.goal_list(actor=people["manager"])


def test_other_organisation_never_sees_it(people, other_org):
    outsider = MembershipFactory(organisation=other_org, role=Role.ADMIN)
    assert not selectors.goal_list(actor=outsider).exists()
    with pytest.raises(Http404):
        selectors.goal_get(actor=outsider, goal_id=people["goal"].pk)


def test_only_the_person_or_their_lead_sets_a_personal_goal(people):
    due = timezone.localdate() + timedelta(days=30)
    with pytest.raises(PermissionDenied) as exc:
        services.goal_create(
            actor=people["b"],
            level=GoalLevel.PERSON,
            person=people["a"],
            title="X",
            target_value=1,
            due_on=due,
        )
    assert str(exc.value) == services.ERR_PERSONAL_GOAL_FORBIDDEN
    assert Goal.objects.count() == 1
    goal = services.goal_create(
        actor=people["lead"],
        level=GoalLevel.PERSON,
        person=people["a"],
        title="Y",
        target_value=1,
        due_on=due,
    )
    assert goal.person == people["a"]


def test_team_goal_needs_the_charter_right_and_org_goal_a_manager(people, team):
    due = timezone.localdate() + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        services.goal_create(
            actor=people["a"], level=GoalLevel.TEAM, team=team, title="T", target_value=1, due_on=due
        )
    with pytest.raises(PermissionDenied) as exc:
        services.goal_create(
            actor=people["lead"], level=GoalLevel.ORGANISATION, title="O", target_value=1, due_on=due
        )
    assert str(exc.value) == services.ERR_GOAL_FORBIDDEN
    org_goal = services.goal_create(
        actor=people["manager"],
        level=GoalLevel.ORGANISATION,
        title="NPS 50",
        metric="nps",
        target_value=50,
        due_on=due,
    )
    team_goal = services.goal_create(
        actor=people["lead"],
        level=GoalLevel.TEAM,
        team=team,
        title="NPS 45",
        metric="nps",
        target_value=45,
        due_on=due,
        parent=org_goal,
    )
    assert team_goal.parent == org_goal and team_goal.unit == ""
    with pytest.raises(ValidationError):
        services.goal_create(
            actor=people["a"],
            level=GoalLevel.PERSON,
            person=people["a"],
            title="P",
            target_value=1,
            due_on=due,
            parent=people["goal"],
        )


def test_unknown_metric_is_refused(people):
    with pytest.raises(ValidationError) as exc:
        services.goal_create(
            actor=people["a"],
            level=GoalLevel.PERSON,
            person=people["a"],
            title="P",
            metric="nope",
            target_value=1,
            due_on=timezone.localdate(),
        )
    assert exc.value.message_dict["metric"] == [services.ERR_UNKNOWN_METRIC]


def test_check_in_updates_progress_and_checks_confidence(people):
    goal = people["goal"]
    assert selectors.goal_progress(goal).value is None
    with pytest.raises(ValidationError) as exc:
        services.goal_check_in(actor=people["a"], goal=goal, value=Decimal("70"), confidence=6)
    assert exc.value.messages == [services.ERR_CONFIDENCE]
    assert not GoalCheckIn.objects.exists()
    with pytest.raises(PermissionDenied):
        services.goal_check_in(actor=people["b"], goal=goal, value=Decimal("70"), confidence=3)
    services.goal_check_in(
        actor=people["a"], goal=goal, value=Decimal("70"), confidence=4, comment="Hyvä viikko"
    )
    progress = selectors.goal_progress(goal)
    assert (progress.value, progress.percent, progress.source) == (Decimal("70"), 50, "check-in")


def test_metric_provider_updates_progress_by_itself(people):
    goal = people["goal"]
    services.goal_check_in(actor=people["a"], goal=goal, value=Decimal("65"), confidence=3)
    metrics.metric_provider_register("fcr", lambda **kwargs: Decimal("75"))
    try:
        progress = selectors.goal_progress(goal)
    finally:
        metrics.metric_provider_unregister("fcr")
    assert (progress.value, progress.percent, progress.source) == (Decimal("75"), 75, "provider")


def test_goal_page_creates_a_goal_and_rerenders_errors(people, client_for):
    client = client_for(people["a"])
    response = client.post(
        reverse("teamwork:goals"), {"level": "person", "person": people["a"].pk, "title": ""}
    )
    assert response.status_code == 400
    assert Goal.objects.count() == 1
    response = client.post(
        reverse("teamwork:goals"),
        {
            "level": "person",
            "person": people["a"].pk,
            "title": "Kerralla kuntoon",
            "metric": "fcr",
            "target_value": "80",
            "due_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(title="Kerralla kuntoon")
    assert goal.unit == "%" and goal.person == people["a"]
    page = client.get(reverse("teamwork:goal", kwargs={"goal_id": goal.pk}))
    assert page.status_code == 200


def test_goal_list_page_queries_do_not_grow_with_goals(people, client_for, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.teamwork.factories import GoalFactory

    client = client_for(people["lead"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("teamwork:goals")).status_code == 200
        return len(queries)

    GoalFactory.create_batch(3, organisation=team.organisation, level=GoalLevel.TEAM, team=team, metric="nps")
    few = count()
    GoalFactory.create_batch(
        10, organisation=team.organisation, level=GoalLevel.TEAM, team=team, metric="nps"
    )
    assert count() == few
