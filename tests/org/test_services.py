from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.org import services
from aspa.org.models import Invitation, Membership, User
from tests.factories import MembershipFactory

TEMPLATE = "http://testserver/invite/{token}/"


def test_invitation_create_sends_mail_after_commit(member_of, django_capture_on_commit_callbacks):
    lead = member_of(Role.LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        invitation, url = services.invitation_create(
            actor=lead, email="Uusi.Henkilo@Example.fi", role=Role.AGENT, accept_url_template=TEMPLATE
        )
    assert invitation.email == "uusi.henkilo@example.fi"
    assert url.startswith("http://testserver/invite/")
    assert len(mail.outbox) == 1 and url in mail.outbox[0].body
    # Only the hash of the token is stored.
    assert url.rsplit("/", 2)[-2] not in invitation.token_hash
    assert AuditEntry.objects.filter(action="invitation.create").count() == 1


def test_agent_cannot_invite(member_of):
    agent = member_of(Role.AGENT)
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=agent, email="x@example.fi", role=Role.AGENT, accept_url_template=TEMPLATE
        )
    assert not Invitation.objects.exists()


def test_lead_cannot_invite_an_admin(member_of):
    lead = member_of(Role.LEAD)
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=lead, email="x@example.fi", role=Role.ADMIN, accept_url_template=TEMPLATE
        )
    assert not Invitation.objects.exists()


def test_invitation_accept_creates_account_membership_and_team(member_of, team):
    manager = member_of(Role.MANAGER)
    _, url = services.invitation_create(
        actor=manager, email="new@example.fi", role=Role.PLANNER, team=team, accept_url_template=TEMPLATE
    )
    token = url.rstrip("/").rsplit("/", 1)[-1]
    membership = services.invitation_accept(
        token=token, full_name="Uusi Henkilö", password="hyvä-salasana-42"
    )
    assert membership.role == Role.PLANNER
    assert membership.user.check_password("hyvä-salasana-42")
    assert membership.team_memberships.get().team == team
    with pytest.raises(ValidationError) as exc:
        services.invitation_accept(token=token, full_name="Toinen", password="hyvä-salasana-42")
    assert exc.value.messages == [services.ERR_INVITATION_CLOSED]
    assert User.objects.filter(email="new@example.fi").count() == 1


def test_existing_account_joins_second_organisation(member_of, other_org):
    admin_b = MembershipFactory(organisation=other_org, role=Role.ADMIN)
    coach_user = member_of(Role.AGENT).user
    _, url = services.invitation_create(
        actor=admin_b, email=coach_user.email, role=Role.COACH, accept_url_template=TEMPLATE
    )
    token = url.rstrip("/").rsplit("/", 1)[-1]
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, full_name="x", password="whatever-123")  # must log in first
    membership = services.invitation_accept(
        token=token, full_name="", password=None, existing_user=coach_user
    )
    assert membership.organisation == other_org
    assert Membership.objects.filter(user=coach_user).count() == 2


def test_role_change_audited_and_last_admin_kept(member_of):
    admin = member_of(Role.ADMIN)
    agent = member_of(Role.AGENT)
    services.membership_role_change(actor=admin, membership=agent, role=Role.LEAD)
    agent.refresh_from_db()
    assert agent.role == Role.LEAD
    entry = AuditEntry.objects.get(action="role.change")
    assert entry.changes == {"role": ["agent", "lead"]} and entry.actor == admin.user
    with pytest.raises(ValidationError):
        services.membership_role_change(actor=admin, membership=admin, role=Role.AGENT)


def test_last_admin_cannot_be_demoted(member_of):
    admin = member_of(Role.ADMIN)
    other_admin = member_of(Role.ADMIN)
    services.membership_role_change(actor=admin, membership=other_admin, role=Role.AGENT)
    third = member_of(Role.ADMIN)
    services.membership_role_change(actor=third, membership=admin, role=Role.AGENT)
    with pytest.raises(ValidationError) as exc:
        services.membership_role_change(actor=third, membership=third, role=Role.AGENT)
    assert exc.value.code == "self"


def test_agent_cannot_change_roles(member_of):
    agent = member_of(Role.AGENT)
    other = member_of(Role.AGENT)
    with pytest.raises(PermissionDenied):
        services.membership_role_change(actor=agent, membership=other, role=Role.ADMIN)
    other.refresh_from_db()
    assert other.role == Role.AGENT


def test_admin_cannot_touch_other_organisation(member_of, other_org):
    admin = member_of(Role.ADMIN)
    foreign = MembershipFactory(organisation=other_org, role=Role.AGENT)
    with pytest.raises(PermissionDenied):
        services.membership_role_change(actor=admin, membership=foreign, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.person_erase(actor=admin, membership=foreign)
    foreign.refresh_from_db()
    assert foreign.role == Role.AGENT and foreign.user.erased_at is None


def test_team_create_rejects_duplicates(member_of):
    manager = member_of(Role.MANAGER)
    services.team_create(actor=manager, name="Chat")
    with pytest.raises(ValidationError):
        services.team_create(actor=manager, name="chat")
