"""The one action stream: writing, closing, "my actions", team actions, overdue reminders."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.teamwork import selectors, services
from aspa.teamwork.models import ActionItem, ActionSource, ActionStatus
from tests.factories import MembershipFactory
from tests.teamwork.factories import ActionItemFactory, CoachingSessionFactory


def _due(days: int = 7):
    return timezone.localdate() + timedelta(days=days)


def test_member_writes_an_action_for_a_teammate(member_of, team):
    agent, other = member_of(Role.AGENT), member_of(Role.AGENT)
    action = services.action_create(
        actor=agent, team=team, title="  Päivitä ohje  ", owner=other, due_on=_due()
    )
    assert (action.title, action.owner, action.status) == ("Päivitä ohje", other, ActionStatus.OPEN)
    assert list(selectors.action_list_mine(actor=other)) == [action]
    assert not selectors.action_list_mine(actor=agent).exists()


def test_owner_must_be_in_the_team_and_due_date_not_past(member_of, team, org):
    agent = member_of(Role.AGENT)
    stranger = MembershipFactory(organisation=org)
    with pytest.raises(ValidationError) as exc:
        services.action_create(actor=agent, team=team, title="X", owner=stranger, due_on=_due())
    assert exc.value.message_dict["owner"] == [services.ERR_OWNER_NOT_MEMBER]
    with pytest.raises(ValidationError) as exc:
        services.action_create(actor=agent, team=team, title="X", owner=agent, due_on=_due(-1))
    assert exc.value.message_dict["due_on"] == [services.ERR_DUE_IN_PAST]
    assert not ActionItem.objects.exists()


def test_non_member_cannot_write_into_a_team(member_of, team, org, other_org):
    agent = member_of(Role.AGENT)
    outside = MembershipFactory(organisation=org, role=Role.MANAGER)
    with pytest.raises(PermissionDenied):
        services.action_create(actor=outside, team=team, title="X", owner=agent, due_on=_due())
    foreign = MembershipFactory(organisation=other_org, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.action_create(actor=foreign, team=team, title="X", owner=agent, due_on=_due())
    assert not ActionItem.objects.exists()


def test_only_owner_writer_or_lead_closes_an_action(member_of, team):
    lead, owner, other = member_of(Role.LEAD), member_of(Role.AGENT), member_of(Role.AGENT)
    action = ActionItemFactory(team=team, owner=owner)
    with pytest.raises(PermissionDenied) as exc:
        services.action_status_set(actor=other, action=action, status=ActionStatus.DONE)
    assert str(exc.value) == services.ERR_NOT_ACTION_HOLDER
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    services.action_status_set(actor=owner, action=action, status=ActionStatus.DONE)
    services.action_status_set(actor=lead, action=action, status=ActionStatus.OPEN)
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN and action.closed_at is None


def test_private_coaching_actions_stay_with_the_session(member_of, team):
    lead, agent, other = member_of(Role.LEAD), member_of(Role.AGENT), member_of(Role.AGENT)
    session = CoachingSessionFactory(team=team, lead=lead, coachee=agent)
    private = services.coaching_action_add(
        actor=lead, session=session, title="Harjoittele rauhoittamista", owner=agent, due_on=_due()
    )
    assert private.is_private and private.source_type == ActionSource.COACHING
    assert private in selectors.action_list(actor=agent)
    assert private in selectors.action_list(actor=lead)
    assert private not in selectors.action_list(actor=other)


def test_my_actions_page_shows_overdue(member_of, team, client_for):
    agent = member_of(Role.AGENT)
    ActionItemFactory(team=team, owner=agent, title="Myöhässä", due_on=_due(-2))
    ActionItemFactory(team=team, owner=agent, title="Ajallaan", due_on=_due(2))
    body = client_for(agent).get(reverse("teamwork:my_actions")).content.decode()
    assert "Myöhässä" in body and "Ajallaan" in body and "tw-overdue" in body


def test_team_actions_page_creates_and_rerenders(member_of, team, client_for):
    agent = member_of(Role.AGENT)
    client = client_for(agent)
    url = reverse("teamwork:team_actions", kwargs={"team_id": team.pk})
    response = client.post(url, {"title": "", "owner": agent.pk, "due_on": _due().isoformat()})
    assert response.status_code == 400 and not ActionItem.objects.exists()
    response = client.post(url, {"title": "Soita takaisin", "owner": agent.pk, "due_on": _due().isoformat()})
    assert response.status_code == 302
    action = ActionItem.objects.get()
    response = client.post(
        reverse("teamwork:action_status", kwargs={"action_id": action.pk}), {"status": "done", "next": url}
    )
    assert response.status_code == 302 and response["Location"] == url
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_overdue_reminder_mails_each_owner_once_a_day(member_of, team, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    agent, other = member_of(Role.AGENT), member_of(Role.AGENT)
    ActionItemFactory(team=team, owner=agent, due_on=_due(-3), title="Vanha 1")
    ActionItemFactory(team=team, owner=agent, due_on=_due(-1), title="Vanha 2")
    ActionItemFactory(team=team, owner=other, due_on=_due(1))
    ActionItemFactory(team=team, owner=other, due_on=_due(-1), status=ActionStatus.DONE)
    assert services.actions_remind_overdue() == 1
    # The mark on the actions is what makes it once a day (the mail itself goes after the commit):
    assert ActionItem.objects.filter(reminded_on=timezone.localdate()).count() == 2
    assert services.actions_remind_overdue() == 0


def test_reminder_mail_is_sent_after_commit(member_of, team, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    agent = member_of(Role.AGENT)
    ActionItemFactory(team=team, owner=agent, due_on=_due(-1), title="Unohtunut")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("teamwork_remind_overdue", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [agent.user.email] and "Unohtunut" in mail.outbox[0].body


def test_api_lists_my_and_team_actions_without_others_private_ones(member_of, team, client_for):
    lead, agent, other = member_of(Role.LEAD), member_of(Role.AGENT), member_of(Role.AGENT)
    ActionItemFactory(team=team, owner=agent, title="Yhteinen", due_on=_due(-1))
    session = CoachingSessionFactory(team=team, lead=lead, coachee=agent)
    services.coaching_action_add(
        actor=lead, session=session, title="Valmennuksesta", owner=agent, due_on=_due()
    )
    mine = client_for(agent).get(reverse("api:action_list_mine")).json()
    assert {a["title"] for a in mine["items"]} == {"Yhteinen", "Valmennuksesta"}
    assert next(a for a in mine["items"] if a["title"] == "Yhteinen")["overdue"] is True
    seen_by_other = client_for(other).get(reverse("api:team_action_list", kwargs={"team_id": team.pk})).json()
    assert [a["title"] for a in seen_by_other["items"]] == ["Yhteinen"]
