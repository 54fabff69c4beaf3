"""The organisation endpoints: what they return, pagination, tenancy, roles and query counts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from aspa.core.api import MAX_PAGE_SIZE
from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.org import services
from aspa.org.models import Invitation
from tests.factories import MembershipFactory, TeamFactory, TeamMembershipFactory


def api_client(membership) -> Client:
    _, raw = services.api_token_create(actor=membership, name="testi")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def agent(member_of):
    return member_of(Role.AGENT)


def test_people_list_returns_members_with_teams(agent, team):
    body = api_client(agent).get("/api/v1/people").json()
    assert body["count"] == 1
    person = body["items"][0]
    assert person["id"] == agent.pk
    assert person["email"] == agent.user.email
    assert person["teams"] == [{"id": team.pk, "name": team.name, "is_lead": False}]


def test_people_list_paginates_with_links(agent, org):
    for _ in range(4):
        MembershipFactory(organisation=org)
    client = api_client(agent)
    first = client.get("/api/v1/people", {"page_size": 2}).json()
    assert first["count"] == 5 and first["page"] == 1 and first["page_size"] == 2
    assert len(first["items"]) == 2
    assert first["previous"] is None
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    last = client.get(first["next"].replace("page=2", "page=3")).json()
    assert len(last["items"]) == 1
    assert last["next"] is None and "page=2" in last["previous"]
    seen = {
        p["id"]
        for page in (1, 2, 3)
        for p in client.get(f"/api/v1/people?page_size=2&page={page}").json()["items"]
    }
    assert len(seen) == 5


def test_default_page_size_comes_from_settings(agent, settings):
    assert api_client(agent).get("/api/v1/people").json()["page_size"] == settings.NINJA_PAGINATION_PER_PAGE


def test_page_size_is_capped(agent):
    body = api_client(agent).get("/api/v1/people", {"page_size": 10_000}).json()
    assert body["page_size"] == MAX_PAGE_SIZE


def test_invalid_page_gives_422_with_field_errors(agent):
    response = api_client(agent).get("/api/v1/people", {"page": 0})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and "page" in response.json()["errors"]


def test_people_search(agent, org):
    # A surname the factory's random Finnish names never contain ("Virtanen" made this test flaky).
    MembershipFactory(organisation=org, user__full_name="Aino Zyskowski")
    body = api_client(agent).get("/api/v1/people", {"q": "zyskow"}).json()
    assert [p["name"] for p in body["items"]] == ["Aino Zyskowski"]


def test_people_list_query_count_does_not_grow_with_people(agent, org, team, django_assert_max_num_queries):
    client = api_client(agent)
    for _ in range(30):
        TeamMembershipFactory(team=team, membership=MembershipFactory(organisation=org))
    # token, membership, last-used touch, count, page, prefetched teams: the same for 3 or 300 people.
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/people").json()
    assert body["count"] == 31 and all(p["teams"] for p in body["items"])


def test_teams_list_query_count_does_not_grow_with_teams(agent, org, django_assert_max_num_queries):
    client = api_client(agent)
    for _ in range(10):
        team = TeamFactory(organisation=org)
        TeamMembershipFactory(team=team, membership=MembershipFactory(organisation=org))
    with django_assert_max_num_queries(6):
        body = client.get("/api/v1/teams").json()
    assert body["count"] == 11 and all(t["members"] for t in body["items"])


def test_person_detail(agent):
    response = api_client(agent).get(f"/api/v1/people/{agent.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == agent.user.full_name


def test_teams_list_and_detail(agent, team):
    client = api_client(agent)
    body = client.get("/api/v1/teams").json()
    assert body["count"] == 1
    assert body["items"][0]["members"] == [
        {"membership_id": agent.pk, "name": agent.user.full_name, "is_lead": False}
    ]
    assert client.get(f"/api/v1/teams/{team.pk}").json()["name"] == team.name


def test_missing_id_gives_json_404(agent):
    response = api_client(agent).get("/api/v1/people/999999")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- tenancy: a token of one organisation never sees another's rows ---------------------------------


@pytest.fixture
def outsider(other_org):
    """An admin of the other organisation (the broadest role there) with a token of that organisation."""
    return MembershipFactory(organisation=other_org, role=Role.ADMIN)


def test_other_org_token_cannot_read_people_or_teams_by_id(agent, team, outsider):
    client = api_client(outsider)
    assert client.get(f"/api/v1/people/{agent.pk}").status_code == 404
    assert client.get(f"/api/v1/teams/{team.pk}").status_code == 404


def test_other_org_token_lists_only_its_own_organisation(agent, team, outsider):
    client = api_client(outsider)
    people = client.get("/api/v1/people", {"q": agent.user.email}).json()
    assert people["count"] == 0
    assert [p["id"] for p in client.get("/api/v1/people").json()["items"]] == [outsider.pk]
    assert client.get("/api/v1/teams").json()["count"] == 0
    assert client.get("/api/v1/invitations").json()["count"] == 0


def test_token_acts_only_in_its_own_organisation_for_a_person_in_two(agent, other_org, team):
    """The same person in two organisations: each token is pinned to the organisation it was made in."""
    second = MembershipFactory(organisation=other_org, user=agent.user, role=Role.AGENT)
    TeamFactory(organisation=other_org, name="Chat")
    client = api_client(second)
    assert client.get("/api/v1/me").json()["organisation"]["id"] == other_org.pk
    assert [t["name"] for t in client.get("/api/v1/teams").json()["items"]] == ["Chat"]
    assert client.get(f"/api/v1/teams/{team.pk}").status_code == 404


def test_invitation_team_of_other_org_is_rejected(member_of, other_org):
    manager = member_of(Role.MANAGER)
    foreign = TeamFactory(organisation=other_org)
    response = api_client(manager).post(
        "/api/v1/invitations",
        {"email": "uusi@example.fi", "role": "agent", "team_id": foreign.pk},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "team_id" in response.json()["errors"]
    assert not Invitation.objects.exists()


# --- invitations ---------------------------------------------------------------------------------------


def test_manager_creates_invitation_and_gets_the_link_once(
    member_of, team, django_capture_on_commit_callbacks
):
    manager = member_of(Role.MANAGER)
    client = api_client(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/invitations",
            {"email": "Uusi@Example.fi", "role": "lead", "team_id": team.pk},
            content_type="application/json",
        )
    assert response.status_code == 201
    body = response.json()
    invitation = Invitation.objects.get()
    assert body["invitation"]["id"] == invitation.pk and body["invitation"]["status"] == "open"
    assert body["invitation"]["team"] == {"id": team.pk, "name": team.name}
    assert "/invite/" in body["link"]
    assert invitation.email == "uusi@example.fi" and invitation.role == Role.LEAD
    assert AuditEntry.objects.filter(action="invitation.create").exists()
    assert len(mail.outbox) == 1
    listed = client.get("/api/v1/invitations").json()
    assert listed["count"] == 1 and "link" not in listed["items"][0]


def test_agent_cannot_post_invitations(agent):
    response = api_client(agent).post(
        "/api/v1/invitations", {"email": "uusi@example.fi", "role": "agent"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action="invitation.create").exists()


def test_agent_cannot_list_invitations(agent):
    assert api_client(agent).get("/api/v1/invitations").status_code == 403


def test_lead_cannot_invite_above_own_role(member_of):
    lead = member_of(Role.LEAD)
    response = api_client(lead).post(
        "/api/v1/invitations", {"email": "uusi@example.fi", "role": "admin"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"email": "not-an-address", "role": "agent"}, "email"),
        ({"email": "a@example.fi", "role": "boss"}, "role"),
    ],
)
def test_invalid_invitation_payload_gives_422(member_of, payload, field):
    manager = member_of(Role.MANAGER)
    response = api_client(manager).post("/api/v1/invitations", payload, content_type="application/json")
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not Invitation.objects.exists()


def test_inviting_an_existing_member_gives_422_with_message(member_of, agent):
    manager = member_of(Role.MANAGER)
    response = api_client(manager).post(
        "/api/v1/invitations", {"email": agent.user.email, "role": "agent"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert agent.user.email in response.json()["detail"]
    assert not Invitation.objects.exists()
