"""The issue's journeys at the HTTP level (the browser versions belong in tests/e2e):
a lead and an agent run a 1:1 from the pre-filled agenda to agreed actions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.teamwork import services
from aspa.teamwork.models import ActionItem, CoachingSession, GoalLevel


def test_one_on_one_from_prefilled_agenda_to_agreed_actions(member_of, team, client_for):
    lead, agent = member_of(Role.LEAD), member_of(Role.AGENT)
    goal = services.goal_create(
        actor=agent,
        level=GoalLevel.PERSON,
        person=agent,
        title="Laskut kerralla kuntoon",
        metric="fcr",
        baseline=Decimal("60"),
        target_value=Decimal("80"),
        due_on=timezone.localdate() + timedelta(days=60),
    )
    services.goal_check_in(actor=agent, goal=goal, value=Decimal("70"), confidence=4, comment="Hyvä suunta")
    lead_client, agent_client = client_for(lead), client_for(agent)

    # The lead plans a repeating 1:1 on the coaching page.
    planning = lead_client.get(reverse("teamwork:coaching")).content.decode()
    assert "Plan a session" in planning or "Suunnittele" in planning
    when = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = lead_client.post(
        reverse("teamwork:coaching"),
        {"coachee": agent.pk, "kind": "1:1", "scheduled_for": when, "repeat_every_weeks": "4"},
    )
    session = CoachingSession.objects.get()
    url = reverse("teamwork:coaching_session", kwargs={"session_id": session.pk})
    assert response["Location"] == url

    # Both see the agenda pre-filled with the goal, its latest check-in and the coaching questions.
    for client in (lead_client, agent_client):
        page = client.get(url).content.decode()
        assert "Laskut kerralla kuntoon" in page and "Hyvä suunta" in page
    # They agree, and turn the agreement into actions for each of them.
    agent_client.post(
        url, {"action": "agreements", "agreements": "Kokeilen takaisinsoittoa kahden viikon ajan."}
    )
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    agent_client.post(
        url,
        {
            "action": "follow_up",
            "follow-title": "Kokeile takaisinsoittoa",
            "follow-owner": agent.pk,
            "follow-due_on": due,
        },
    )
    lead_client.post(
        url,
        {
            "action": "follow_up",
            "follow-title": "Järjestä takaisinsoittojono",
            "follow-owner": lead.pk,
            "follow-due_on": due,
        },
    )
    lead_client.post(url, {"action": "hold"})

    assert "Kokeilen takaisinsoittoa" in lead_client.get(url).content.decode()
    assert set(ActionItem.objects.values_list("title", flat=True)) == {
        "Kokeile takaisinsoittoa",
        "Järjestä takaisinsoittojono",
    }
    assert "Kokeile takaisinsoittoa" in agent_client.get(reverse("teamwork:my_actions")).content.decode()
    assert "Järjestä takaisinsoittojono" in lead_client.get(reverse("teamwork:my_actions")).content.decode()
    assert CoachingSession.objects.filter(previous=session, status="planned").exists()
