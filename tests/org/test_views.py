from __future__ import annotations

import json

from django.core import mail
from django.test import Client
from django.urls import reverse

from aspa.core.roles import Role
from aspa.org.models import Invitation, Membership, TeamMembership, User
from tests.factories import PASSWORD, MembershipFactory, UserFactory


def test_people_list_paginates_and_searches(member_of, client_for, org):
    viewer = member_of(Role.AGENT)
    for i in range(30):
        MembershipFactory(organisation=org, user__full_name=f"Henkilö {i:02d}")
    client = client_for(viewer)
    page1 = client.get(reverse("org:people"))
    assert page1.status_code == 200
    assert len(page1.context["page"].object_list) == 25
    page2 = client.get(reverse("org:people"), {"page": 2})
    assert len(page2.context["page"].object_list) == 6
    found = client.get(reverse("org:people"), {"q": "Henkilö 07"})
    assert [m.user.full_name for m in found.context["page"].object_list] == ["Henkilö 07"]
    empty = client.get(reverse("org:people"), {"q": "ei ketään"})
    assert "Haulla ei löytynyt ketään." in empty.content.decode()  # Finnish by default


def test_people_search_htmx_returns_fragment(member_of, client_for):
    client = client_for(member_of(Role.AGENT))
    response = client.get(reverse("org:people"), {"q": "x"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert b"<html" not in response.content


def test_people_list_query_count_is_bounded(member_of, client_for, org, team, django_assert_max_num_queries):
    viewer = member_of(Role.AGENT)
    for _ in range(20):
        m = MembershipFactory(organisation=org)
        TeamMembership.objects.create(team=team, membership=m)
    client = client_for(viewer)
    with django_assert_max_num_queries(12):
        client.get(reverse("org:people"))


def test_role_change_form_rerenders_with_error(member_of, client_for):
    admin = member_of(Role.ADMIN)
    client = client_for(admin)
    agent = member_of(Role.AGENT)
    response = client.post(reverse("org:person", args=[agent.pk]), {"role": "emperor"})
    assert response.status_code == 400
    assert response.context["role_form"].errors
    agent.refresh_from_db()
    assert agent.role == Role.AGENT
    response = client.post(reverse("org:person", args=[agent.pk]), {"role": Role.LEAD})
    assert response.status_code == 302
    agent.refresh_from_db()
    assert agent.role == Role.LEAD


def test_invitation_journey_through_views(member_of, client_for, team, django_capture_on_commit_callbacks):
    lead = member_of(Role.LEAD)
    client = client_for(lead)
    bad = client.post(reverse("org:invitations"), {"email": "not-an-email", "role": Role.AGENT})
    assert bad.status_code == 400 and not Invitation.objects.exists()
    assert bad.context["form"]["email"].value() == "not-an-email"  # the user's input is kept
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("org:invitations"), {"email": "uusi@example.fi", "role": Role.AGENT, "team": team.pk}
        )
    assert response.status_code == 200
    link = response.context["new_link"]
    assert link and len(mail.outbox) == 1
    path = link.replace("http://testserver", "")
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    mismatch = anonymous.post(
        path, {"full_name": "Uusi", "password1": "eka-salasana-1", "password2": "toka-salasana-2"}
    )
    assert mismatch.status_code == 400 and not User.objects.filter(email="uusi@example.fi").exists()
    done = anonymous.post(
        path, {"full_name": "Uusi Henkilö", "password1": "eka-salasana-1", "password2": "eka-salasana-1"}
    )
    assert done.status_code == 302
    membership = Membership.objects.get(user__email="uusi@example.fi")
    assert membership.role == Role.AGENT and membership.team_memberships.get().team == team
    assert anonymous.get(reverse("home")).status_code == 200
    assert Client().get(path).status_code == 410  # used once


def test_revoke_invitation(member_of, client_for):
    manager = member_of(Role.MANAGER)
    client = client_for(manager)
    client.post(reverse("org:invitations"), {"email": "a@example.fi", "role": Role.AGENT})
    invitation = Invitation.objects.get()
    assert client.post(reverse("org:invitation_revoke", args=[invitation.pk])).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None and not invitation.is_open


def test_team_create_and_membership(member_of, client_for, org):
    manager = member_of(Role.MANAGER)
    client = client_for(manager)
    duplicate = client.post(reverse("org:teams"), {"name": "Puhelin"})
    assert duplicate.status_code == 400
    response = client.post(reverse("org:teams"), {"name": "Chat", "description": "Chat ja viestit"})
    assert response.status_code == 302
    team_url = response["Location"]
    person = MembershipFactory(organisation=org)
    client.post(team_url, {"membership": person.pk, "is_lead": "on"})
    assert TeamMembership.objects.filter(membership=person, is_lead=True, team__name="Chat").exists()
    client.post(team_url, {"remove": person.pk})
    assert not TeamMembership.objects.filter(membership=person, team__name="Chat").exists()


def test_profile_language_and_my_data(member_of, client_for):
    agent = member_of(Role.AGENT)
    client = client_for(agent)
    bad = client.post(reverse("org:profile"), {"language": "xx"})
    assert bad.status_code == 200 and bad.context["form"].errors
    client.post(reverse("org:profile"), {"language": "en"})
    agent.user.refresh_from_db()
    assert agent.user.language == "en"
    home = client.get(reverse("home"))
    assert home["Content-Language"] == "en" and "My teams" in home.content.decode()
    client.post(reverse("org:profile"), {"language": "fi"})
    assert "Omat tiimini" in client.get(reverse("home")).content.decode()
    response = client.get(reverse("org:my_data"))
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["data"]["org.profile"]["email"] == agent.user.email


def test_erase_needs_typed_confirmation(member_of, client_for):
    admin = member_of(Role.ADMIN)
    agent = member_of(Role.AGENT)
    client = client_for(admin)
    wrong = client.post(reverse("org:person_erase", args=[agent.pk]), {"confirm": "someone@else.fi"})
    assert wrong.status_code == 400
    agent.user.refresh_from_db()
    assert agent.user.erased_at is None
    ok = client.post(reverse("org:person_erase", args=[agent.pk]), {"confirm": agent.user.email})
    assert ok.status_code == 302
    agent.user.refresh_from_db()
    assert agent.user.erased_at is not None


def test_coach_switches_organisation(org, other_org, client_for):
    coach = MembershipFactory(organisation=org, role=Role.COACH)
    MembershipFactory(organisation=other_org, user=coach.user, role=Role.COACH)
    client = client_for(coach)
    assert client.get(reverse("home")).context["actor"].organisation == org
    client.post(reverse("org:organisation_switch"), {"organisation": other_org.pk})
    assert client.get(reverse("home")).context["actor"].organisation == other_org
    stranger = MembershipFactory(role=Role.ADMIN).organisation
    assert client.post(reverse("org:organisation_switch"), {"organisation": stranger.pk}).status_code == 403
    assert client.post(reverse("org:organisation_switch"), {"organisation": "abc"}).status_code == 403
    assert client.get(reverse("home")).context["actor"].organisation == other_org


def test_user_without_organisation_sees_notice(db):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "core/no_organisation.html" in [t.name for t in response.templates]


def test_home_differs_by_role(member_of, client_for):
    agent_home = client_for(member_of(Role.AGENT)).get(reverse("home"))
    admin_home = client_for(member_of(Role.ADMIN)).get(reverse("home"))
    assert "open_invitations" not in agent_home.context["summary"]
    assert "recent_audit" in admin_home.context["summary"]
    agent_nav = [i.url for i in agent_home.context["nav_items"]]
    admin_nav = [i.url for i in admin_home.context["nav_items"]]
    assert reverse("org:invitations") not in agent_nav and reverse("org:invitations") in admin_nav
    assert reverse("audit") in admin_nav


def test_password_login_logout_and_reset(member_of):
    agent = member_of(Role.AGENT)
    client = Client()
    response = client.post(reverse("login"), {"username": agent.user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302
    client.post(reverse("password_reset"), {"email": agent.user.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "uusi-salasana-77", "new_password2": "uusi-salasana-77"},
    )
    agent.user.refresh_from_db()
    assert agent.user.check_password("uusi-salasana-77")


def test_login_rate_limited(member_of, settings):
    settings.ASPA_LOGIN_MAX_ATTEMPTS = 3
    agent = member_of(Role.AGENT)
    client = Client()
    for _ in range(3):
        assert (
            client.post(reverse("login"), {"username": agent.user.email, "password": "wrong"}).status_code
            == 200
        )
    blocked = client.post(reverse("login"), {"username": agent.user.email, "password": PASSWORD})
    assert blocked.status_code == 200  # even the right password is refused while blocked
    assert "rate_limited" in [e.code for e in blocked.context["form"].non_field_errors().as_data()]
    assert client.get(reverse("home")).status_code == 302


def test_session_expires(settings):
    from django.conf import settings as conf

    assert conf.SESSION_COOKIE_AGE <= 12 * 3600 and conf.SESSION_SAVE_EVERY_REQUEST
