"""Coaching sessions: planning 1:1 and 1+1+1, the pre-filled agenda, shared agreements vs private notes,
follow-up actions, repetition — and who can read what."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.teamwork import hooks, selectors, services
from aspa.teamwork.models import (
    ActionItem,
    CoachingKind,
    CoachingNote,
    CoachingSession,
    CoachingStatus,
    GoalLevel,
)
from tests.factories import MembershipFactory, TeamFactory, TeamMembershipFactory

NOTE = "Yksityinen muistiinpano valmentajalta"
SHARED = "Sovittu: kokeilee takaisinsoittoa"


@pytest.fixture
def cast(org, team, member_of):
    lead, agent, other_agent = member_of(Role.LEAD), member_of(Role.AGENT), member_of(Role.AGENT)
    manager = MembershipFactory(organisation=org, role=Role.MANAGER)
    other_team = TeamFactory(organisation=org, name="Yritys")
    other_lead = MembershipFactory(organisation=org, role=Role.LEAD)
    TeamMembershipFactory(team=other_team, membership=other_lead, is_lead=True)
    admin = MembershipFactory(organisation=org, role=Role.ADMIN)
    session = services.coaching_session_create(
        actor=lead,
        team=team,
        coachee=agent,
        scheduled_for=timezone.now() + timedelta(days=1),
        kind=CoachingKind.ONE_PLUS,
        manager=manager,
        repeat_every_weeks=4,
    )
    services.coaching_agreements_save(actor=lead, session=session, agreements=SHARED)
    services.coaching_note_add(actor=lead, session=session, text=NOTE)
    return {
        "lead": lead,
        "agent": agent,
        "other_agent": other_agent,
        "manager": manager,
        "other_lead": other_lead,
        "admin": admin,
        "session": session,
    }


@pytest.mark.parametrize("who", ["other_agent", "other_lead", "admin"])
def test_others_cannot_read_the_session(cast, who, client_for):
    actor, session = cast[who], cast["session"]
    assert session not in selectors.coaching_list(actor=actor)
    with pytest.raises(Http404):
        selectors.coaching_get(actor=actor, session_id=session.pk)
    client = client_for(actor)
    response = client.get(reverse("teamwork:coaching_session", kwargs={"session_id": session.pk}))
    assert response.status_code == 404
    listing = client.get(reverse("teamwork:coaching")).content.decode()
    assert SHARED not in listing and NOTE not in listing
    response = client.post(
        reverse("teamwork:coaching_session", kwargs={"session_id": session.pk}),
        {"action": "agreements", "agreements": "Kaapattu"},
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.coaching_agreements_save(actor=actor, session=session, agreements="Kaapattu")
    session.refresh_from_db()
    assert session.agreements == SHARED


@pytest.mark.parametrize("who", ["agent", "manager"])
def test_participants_read_shared_agreements_not_the_leads_private_notes(cast, who, client_for):
    session = cast["session"]
    body = client_for(cast[who]).get(reverse("teamwork:coaching_session", kwargs={"session_id": session.pk}))
    assert body.status_code == 200
    text = body.content.decode()
    assert SHARED in text and NOTE not in text
    assert not selectors.coaching_notes_mine(actor=cast[who], session=session).exists()


def test_the_author_reads_their_own_private_note(cast, client_for):
    session = cast["session"]
    text = client_for(cast["lead"]).get(
        reverse("teamwork:coaching_session", kwargs={"session_id": session.pk})
    )
    assert NOTE in text.content.decode()
    assert [n.text for n in selectors.coaching_notes_mine(actor=cast["lead"], session=session)] == [NOTE]


def test_only_a_flagged_lead_of_the_team_plans(cast, team, member_of):
    when = timezone.now()
    with pytest.raises(PermissionDenied) as exc:
        services.coaching_session_create(
            actor=cast["other_lead"], team=team, coachee=cast["agent"], scheduled_for=when
        )
    assert str(exc.value) == services.ERR_NOT_TEAM_LEAD
    with pytest.raises(PermissionDenied):
        services.coaching_session_create(
            actor=cast["agent"], team=team, coachee=cast["other_agent"], scheduled_for=when
        )
    assert CoachingSession.objects.count() == 1


def test_one_plus_one_plus_one_needs_the_leads_own_lead(cast, team, org):
    stranger = MembershipFactory(organisation=org, role=Role.PLANNER)
    with pytest.raises(ValidationError) as exc:
        services.coaching_session_create(
            actor=cast["lead"],
            team=team,
            coachee=cast["agent"],
            scheduled_for=timezone.now(),
            kind=CoachingKind.ONE_PLUS,
            manager=stranger,
        )
    assert exc.value.message_dict["manager"] == [services.ERR_MANAGER_NOT_LEADS_LEAD]
    with pytest.raises(ValidationError):
        services.coaching_session_create(
            actor=cast["lead"],
            team=team,
            coachee=cast["agent"],
            scheduled_for=timezone.now(),
            kind=CoachingKind.ONE_PLUS,
        )
    assert CoachingSession.objects.count() == 1


def test_agenda_is_prefilled_with_goals_check_ins_actions_and_hooks(cast):
    agent, lead, session = cast["agent"], cast["lead"], cast["session"]
    goal = services.goal_create(
        actor=agent,
        level=GoalLevel.PERSON,
        person=agent,
        title="FCR 80",
        metric="fcr",
        target_value=Decimal("80"),
        due_on=timezone.localdate() + timedelta(days=30),
    )
    services.goal_check_in(actor=agent, goal=goal, value=Decimal("72"), confidence=4, comment="Nousussa")
    ActionItem.objects.create(
        organisation_id=agent.organisation_id,
        team=session.team,
        title="Lue uusi ohje",
        owner=agent,
        due_on=timezone.localdate(),
    )
    agenda = selectors.coaching_agenda(actor=lead, session=session)
    assert [(g.title, p.value, p.latest.comment) for g, p in agenda.goals] == [
        ("FCR 80", Decimal("72"), "Nousussa")
    ]
    assert [a.title for a in agenda.actions] == ["Lue uusi ohje"]
    keys = [p.key for p in agenda.panels]
    assert "voice.comments" in keys and "wfm.fairness" in keys
    assert all(p.placeholder for p in agenda.panels)
    assert any("?" in str(prompt) for prompt in agenda.prompts)


def test_an_app_fills_an_agenda_part(cast):
    hooks.agenda_part_register(
        key="voice.comments", title="Kommentit", order=30, provide=lambda *, actor, person: ["Kiitos avusta!"]
    )
    try:
        agenda = selectors.coaching_agenda(actor=cast["lead"], session=cast["session"])
    finally:
        hooks.agenda_part_register(
            key="voice.comments", title="Kommentit", order=30, provide=None, placeholder="-"
        )
    panel = next(p for p in agenda.panels if p.key == "voice.comments")
    assert panel.lines == ["Kiitos avusta!"]


def test_follow_up_goes_to_the_action_stream_and_holding_plans_the_next(cast, client_for):
    session, agent = cast["session"], cast["agent"]
    client = client_for(agent)
    url = reverse("teamwork:coaching_session", kwargs={"session_id": session.pk})
    response = client.post(
        url,
        {
            "action": "follow_up",
            "follow-title": "Kokeile takaisinsoittoa",
            "follow-owner": agent.pk,
            "follow-due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    action = ActionItem.objects.get(title="Kokeile takaisinsoittoa")
    assert action in selectors.action_list_mine(actor=agent)
    response = client.post(url, {"action": "hold"})
    session.refresh_from_db()
    assert session.status == CoachingStatus.HELD
    following = CoachingSession.objects.get(previous=session)
    assert following.scheduled_for == session.scheduled_for + timedelta(weeks=4)
    assert response["Location"] == reverse("teamwork:coaching_session", kwargs={"session_id": following.pk})
    with pytest.raises(ValidationError):
        services.coaching_session_hold(actor=agent, session=session)


def test_private_note_is_never_in_anyone_elses_export(cast):
    from aspa.org.services import person_export

    assert NOTE not in str(person_export(user=cast["agent"].user))
    assert NOTE in str(person_export(user=cast["lead"].user))
    assert CoachingNote.objects.count() == 1
