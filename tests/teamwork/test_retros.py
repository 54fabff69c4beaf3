"""Retrospectives: four fields, anonymous contributions without an author, dot voting, result → actions/ideas."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.teamwork import selectors, services
from aspa.teamwork.models import ActionSource, RetroCategory, RetroDot, RetroItem
from tests.factories import MembershipFactory


@pytest.fixture
def retro(member_of, team):
    return services.retro_create(
        actor=member_of(Role.AGENT),
        team=team,
        title="Syyskuu",
        held_on=timezone.localdate(),
        dots_per_person=2,
    )


def test_anonymous_contribution_stores_no_author_anywhere(member_of, retro):
    agent = member_of(Role.AGENT)
    before = AuditEntry.objects.count()
    item = services.retro_item_add(
        actor=agent, retro=retro, category=RetroCategory.GIVE_UP, text="Turhat raportit", anonymous=True
    )
    item.refresh_from_db()
    assert item.author_id is None
    assert AuditEntry.objects.count() == before  # not even the audit log knows who wrote it
    named = services.retro_item_add(actor=agent, retro=retro, category=RetroCategory.STRENGTHEN, text="Apu")
    assert named.author == agent.user


def test_dots_are_limited_per_person(member_of, retro):
    agent = member_of(Role.AGENT)
    item = services.retro_item_add(actor=agent, retro=retro, category=RetroCategory.CREATE, text="Chat-vuoro")
    services.retro_dot_add(actor=agent, item=item)
    services.retro_dot_add(actor=agent, item=item)
    with pytest.raises(ValidationError) as exc:
        services.retro_dot_add(actor=agent, item=item)
    assert exc.value.messages == [services.ERR_NO_DOTS_LEFT]
    assert RetroDot.objects.count() == 2
    services.retro_dot_remove(actor=agent, item=item)
    assert selectors.retro_dots_left(actor=agent, retro=retro) == 1


def test_result_becomes_an_action_once(member_of, retro):
    agent = member_of(Role.AGENT)
    item = services.retro_item_add(
        actor=agent, retro=retro, category=RetroCategory.REDUCE, text="Päällekkäiset palaverit"
    )
    due = timezone.localdate() + timedelta(days=14)
    action = services.retro_item_to_action(actor=agent, item=item, owner=agent, due_on=due)
    assert (action.title, action.source_type, action.source_id) == (
        "Päällekkäiset palaverit",
        ActionSource.RETRO,
        retro.pk,
    )
    with pytest.raises(ValidationError) as exc:
        services.retro_item_to_action(actor=agent, item=item, owner=agent, due_on=due)
    assert exc.value.messages == [services.ERR_ALREADY_ACTION]


def test_result_becomes_an_idea_through_the_ideas_app(member_of, retro, monkeypatch):
    agent = member_of(Role.AGENT)
    item = services.retro_item_add(
        actor=agent, retro=retro, category=RetroCategory.CREATE, text="Asiakasraati"
    )
    monkeypatch.setattr(services, "roadmap_idea_hook", lambda: None)
    with pytest.raises(ValidationError) as exc:
        services.retro_item_to_idea(actor=agent, item=item)
    assert exc.value.messages == [services.ERR_NO_IDEAS]
    created = []

    def idea_create(**kwargs):
        created.append(kwargs)
        return SimpleNamespace(pk=41)

    monkeypatch.setattr(services, "roadmap_idea_hook", lambda: idea_create)
    services.retro_item_to_idea(actor=agent, item=item)
    item.refresh_from_db()
    assert item.idea_id == 41 and created[0]["title"] == "Asiakasraati" and created[0]["team"] == retro.team
    with pytest.raises(ValidationError):
        services.retro_item_to_idea(actor=agent, item=item)


def test_closed_retro_and_outsiders_write_nothing(member_of, retro, org):
    agent = member_of(Role.AGENT)
    outsider = MembershipFactory(organisation=org, role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.retro_item_add(actor=outsider, retro=retro, category=RetroCategory.CREATE, text="X")
    services.retro_close(actor=agent, retro=retro)
    with pytest.raises(ValidationError) as exc:
        services.retro_item_add(actor=agent, retro=retro, category=RetroCategory.CREATE, text="X")
    assert exc.value.messages == [services.ERR_RETRO_CLOSED]
    assert not RetroItem.objects.exists()


def test_retro_page_flow(member_of, team, retro, client_for):
    agent = member_of(Role.AGENT)
    client = client_for(agent)
    url = reverse("teamwork:retro", kwargs={"team_id": team.pk, "retro_id": retro.pk})
    client.post(
        url,
        {
            "action": "add",
            "retro-category": "strengthen",
            "retro-text": "Hyvä yhteishenki",
            "retro-anonymous": "on",
        },
    )
    item = RetroItem.objects.get()
    assert item.author_id is None
    client.post(url, {"action": "dot", "item": item.pk})
    response = client.post(
        url,
        {
            "action": "to_action",
            "act-item": item.pk,
            "act-title": "",
            "act-owner": agent.pk,
            "act-due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.action is not None and item.action.title == "Hyvä yhteishenki"
    page = client.get(url).content.decode()
    assert "Hyvä yhteishenki" in page
    assert client.get(reverse("teamwork:retros", kwargs={"team_id": team.pk})).status_code == 200


def test_result_becomes_a_real_staff_idea(member_of, retro, client_for):
    """With the ideas app (aspa.voice) in place, the button makes an idea that the roadmap can take up."""
    agent = member_of(Role.AGENT)
    assert selectors.roadmap_idea_hook() is not None
    item = services.retro_item_add(
        actor=agent, retro=retro, category=RetroCategory.CREATE, text="Asiakasraati"
    )
    url = reverse("teamwork:retro", kwargs={"team_id": retro.team_id, "retro_id": retro.pk})
    response = client_for(agent).post(url, {"action": "to_idea", "item": item.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    from aspa.voice.selectors import idea_get

    idea = idea_get(actor=agent, idea_id=item.idea_id)
    assert idea.title == "Asiakasraati" and idea.team_id == retro.team_id
