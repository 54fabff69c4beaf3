"""Who the API lets in: bearer tokens, the browser session, and everything that must give 401/403."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from aspa.core.api import ERR_BAD_TOKEN, ERR_NOT_AUTHENTICATED
from aspa.core.roles import Role
from aspa.org import services
from aspa.org.models import ApiToken, Membership
from tests.i18n import fi

ME = "/api/v1/me"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def agent_token(member_of):
    agent = member_of(Role.AGENT)
    token, raw = services.api_token_create(actor=agent, name="Raportit")
    return agent, token, raw


def test_valid_token_acts_as_its_membership(agent_token, team):
    agent, token, raw = agent_token
    response = Client().get(ME, **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["membership_id"] == agent.pk
    assert body["organisation"]["id"] == agent.organisation_id
    assert body["role"] == Role.AGENT
    assert body["teams"] == [{"id": team.pk, "name": team.name}]
    assert "use_api" in body["capabilities"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_raw_token_is_prefixed_and_only_its_hash_is_stored(agent_token):
    _, token, raw = agent_token
    assert raw.startswith("aspa_")
    assert raw not in {token.token_hash, token.prefix}
    assert token.token_hash == services.api_token_hash(raw)


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, ERR_NOT_AUTHENTICATED),
        ({"HTTP_AUTHORIZATION": "Token aspa_x"}, ERR_NOT_AUTHENTICATED),
        (bearer(""), ERR_BAD_TOKEN),
        (bearer("aspa_wrong"), ERR_BAD_TOKEN),
    ],
    ids=["missing", "other-scheme", "empty", "wrong"],
)
def test_missing_or_wrong_token_gives_401(db, headers, detail):
    response = Client().get(ME, **headers)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {"detail": fi(detail), "code": "not_authenticated", "errors": {}}


def test_revoked_token_gives_401(agent_token):
    agent, token, raw = agent_token
    services.api_token_revoke(actor=agent, token=token)
    response = Client().get(ME, **bearer(raw))
    assert response.status_code == 401
    assert response.json()["detail"] == fi(ERR_BAD_TOKEN)


def test_expired_token_gives_401(agent_token):
    _, token, raw = agent_token
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get(ME, **bearer(raw)).status_code == 401


def test_token_of_inactive_membership_gives_401(agent_token):
    agent, _, raw = agent_token
    Membership.objects.filter(pk=agent.pk).update(is_active=False)
    assert Client().get(ME, **bearer(raw)).status_code == 401


def test_token_of_erased_person_gives_401_and_is_deleted(member_of, agent_token):
    admin = member_of(Role.ADMIN)
    agent, token, raw = agent_token
    services.person_erase(actor=admin, membership=agent)
    assert Client().get(ME, **bearer(raw)).status_code == 401
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_wrong_token_does_not_fall_back_to_the_session(agent_token, client_for):
    agent, _, _ = agent_token
    response = client_for(agent).get(ME, **bearer("aspa_wrong"))
    assert response.status_code == 401


def test_role_without_use_api_gets_403(member_of):
    coach = member_of(Role.COACH)
    # A coach cannot create a token; one made before a role change must not work either.
    agent = member_of(Role.AGENT)
    _, raw = services.api_token_create(actor=agent, name="vanha")
    Membership.objects.filter(pk=agent.pk).update(role=Role.COACH)
    response = Client().get(ME, **bearer(raw))
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert coach.role == Role.COACH


def test_session_auth_uses_the_active_membership(member_of, client_for):
    lead = member_of(Role.LEAD)
    response = client_for(lead).get(ME)
    assert response.status_code == 200
    assert response.json()["membership_id"] == lead.pk


def test_session_write_without_csrf_token_is_refused_and_writes_nothing(member_of):
    from aspa.org.models import Invitation

    manager = member_of(Role.MANAGER)
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager.user)
    response = client.post(
        "/api/v1/invitations", {"email": "uusi@example.fi", "role": "agent"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_anonymous_write_is_401_not_csrf_403(db):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/invitations", {"email": "uusi@example.fi"}, content_type="application/json"
    )
    assert response.status_code == 401
