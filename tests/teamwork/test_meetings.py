"""Meetings: the daily huddle, agenda items anyone adds, votes, triage, decisions, actions, one-click rating."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.teamwork import selectors, services
from aspa.teamwork.models import AgendaItem, AgendaVote, Meeting, MeetingKind, MeetingRating, Triage
from tests.factories import MembershipFactory


def test_huddle_is_one_a_day_and_the_board_shows_open_actions(member_of, team):
    agent = member_of(Role.AGENT)
    first = services.huddle_start(actor=agent, team=team)
    assert services.huddle_start(actor=agent, team=team) == first
    assert (first.kind, first.minutes) == (MeetingKind.HUDDLE, 10)
    services.action_create(
        actor=agent, team=team, title="Tarkista jono", owner=agent, due_on=timezone.localdate()
    )
    board = selectors.huddle_board(actor=agent, team=team)
    assert board.meeting == first and board.today == timezone.localdate()
    assert [a.title for a in board.open_actions] == ["Tarkista jono"]
    assert {p.key for p in board.panels} >= {"wfm.forecast", "wfm.service_level", "voice.yesterday"}


def test_votes_order_the_agenda_and_toggle(member_of, team):
    a, b = member_of(Role.AGENT), member_of(Role.AGENT)
    meeting = services.meeting_create(actor=a, team=team, kind=MeetingKind.WEEKLY, starts_at=timezone.now())
    first = services.agenda_item_add(actor=a, meeting=meeting, title="Tauot")
    second = services.agenda_item_add(actor=b, meeting=meeting, title="Uusi jono", timebox_minutes=10)
    assert services.agenda_vote_toggle(actor=a, item=second) is True
    services.agenda_vote_toggle(actor=b, item=second)
    assert [i.title for i in selectors.agenda_items(actor=a, meeting=meeting)] == ["Uusi jono", "Tauot"]
    assert services.agenda_vote_toggle(actor=a, item=second) is False
    assert AgendaVote.objects.filter(item=second).count() == 1
    services.agenda_item_update(
        actor=a, item=first, triage=Triage.JUST_DO_IT, decision="Sovittu", is_handled=True
    )
    first.refresh_from_db()
    assert (first.triage, first.decision, first.is_handled) == (Triage.JUST_DO_IT, "Sovittu", True)
    with pytest.raises(ValidationError) as exc:
        services.agenda_vote_toggle(actor=a, item=first)
    assert exc.value.messages == [services.ERR_VOTE_CLOSED]


def test_timebox_and_rating_are_checked(member_of, team):
    agent = member_of(Role.AGENT)
    meeting = services.huddle_start(actor=agent, team=team)
    with pytest.raises(ValidationError):
        services.agenda_item_add(actor=agent, meeting=meeting, title="X", timebox_minutes=0)
    with pytest.raises(ValidationError) as exc:
        services.meeting_rate(actor=agent, meeting=meeting, score=6)
    assert exc.value.messages == [services.ERR_SCORE]
    assert not AgendaItem.objects.exists() and not MeetingRating.objects.exists()
    services.meeting_rate(actor=agent, meeting=meeting, score=3)
    services.meeting_rate(actor=agent, meeting=meeting, score=5)
    assert list(MeetingRating.objects.values_list("score", flat=True)) == [5]


def test_outsiders_cannot_add_vote_or_rate(member_of, team, org, other_org):
    agent = member_of(Role.AGENT)
    meeting = services.huddle_start(actor=agent, team=team)
    item = services.agenda_item_add(actor=agent, meeting=meeting, title="Tauot")
    for outsider in (
        MembershipFactory(organisation=org, role=Role.MANAGER),
        MembershipFactory(organisation=other_org, role=Role.ADMIN),
    ):
        with pytest.raises(PermissionDenied):
            services.agenda_item_add(actor=outsider, meeting=meeting, title="X")
        with pytest.raises(PermissionDenied):
            services.agenda_vote_toggle(actor=outsider, item=item)
        with pytest.raises(PermissionDenied):
            services.meeting_rate(actor=outsider, meeting=meeting, score=1)
    assert AgendaItem.objects.count() == 1 and not AgendaVote.objects.exists()


def test_meeting_page_flow(member_of, team, client_for):
    agent = member_of(Role.AGENT)
    client = client_for(agent)
    response = client.post(reverse("teamwork:huddle", kwargs={"team_id": team.pk}))
    meeting = Meeting.objects.get()
    url = reverse("teamwork:meeting", kwargs={"team_id": team.pk, "meeting_id": meeting.pk})
    assert response["Location"] == url
    assert (
        client.post(url, {"action": "add", "item-title": "", "item-timebox_minutes": "5"}).status_code == 400
    )
    client.post(url, {"action": "add", "item-title": "Jonon tilanne", "item-timebox_minutes": "3"})
    item = AgendaItem.objects.get()
    client.post(url, {"action": "vote", "item": item.pk})
    client.post(
        url,
        {
            "action": "update",
            "item": item.pk,
            f"u{item.pk}-triage": "prepare",
            f"u{item.pk}-decision": "Valmistellaan",
        },
    )
    client.post(
        url,
        {
            "action": "action",
            "action-title": "Valmistele ehdotus",
            "action-owner": agent.pk,
            "action-due_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        },
    )
    client.post(url, {"action": "rate", "score": "4"})
    item.refresh_from_db()
    assert (item.triage, item.decision, item.votes.count()) == (Triage.PREPARE, "Valmistellaan", 1)
    assert [a.title for a in selectors.meeting_actions(actor=agent, meeting=meeting)] == [
        "Valmistele ehdotus"
    ]
    page = client.get(url).content.decode()
    assert "Jonon tilanne" in page and "Valmistele ehdotus" in page
    assert client.get(reverse("teamwork:meetings", kwargs={"team_id": team.pk})).status_code == 200
