"""Token services and the /me/tokens/ page: create (shown once), list own, revoke, audit, GDPR."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.org import selectors, services
from aspa.org.models import ApiToken
from tests.factories import MembershipFactory

URL = reverse("org:tokens")


def test_create_is_audited_and_listed_for_the_owner_only(member_of):
    agent = member_of(Role.AGENT)
    other = member_of(Role.AGENT)
    token, raw = services.api_token_create(actor=agent, name="  Raportit ")
    assert token.name == "Raportit" and raw.startswith(token.prefix)
    assert AuditEntry.objects.filter(action="api_token.create", object_id=str(token.pk)).exists()
    assert list(selectors.api_token_list(actor=agent)) == [token]
    assert not selectors.api_token_list(actor=other).exists()


def test_create_without_name_fails_and_writes_nothing(member_of):
    agent = member_of(Role.AGENT)
    with pytest.raises(ValidationError) as exc:
        services.api_token_create(actor=agent, name="   ")
    assert exc.value.message_dict == {"name": [services.ERR_TOKEN_NAME]}
    assert not ApiToken.objects.exists() and not AuditEntry.objects.exists()


def test_role_without_use_api_cannot_create(member_of):
    coach = member_of(Role.COACH)
    with pytest.raises(PermissionDenied):
        services.api_token_create(actor=coach, name="x")
    assert not ApiToken.objects.exists()


def test_cannot_revoke_someone_elses_token(member_of):
    agent, other = member_of(Role.AGENT), member_of(Role.ADMIN)
    token, _ = services.api_token_create(actor=agent, name="x")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=other, token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert not AuditEntry.objects.filter(action="api_token.revoke").exists()


def test_page_creates_token_and_shows_it_once(member_of, client_for):
    agent = member_of(Role.AGENT)
    client = client_for(agent)
    response = client.post(URL, {"name": "Raportit", "expires": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    raw = response.context["new_token"]
    assert raw.startswith("aspa_") and raw in response.content.decode()
    assert token.user_id == agent.user_id and token.organisation_id == agent.organisation_id
    assert token.expires_at is not None
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    again = client.get(URL)
    assert raw not in again.content.decode() and "Raportit" in again.content.decode()


def test_page_invalid_form_writes_nothing(member_of, client_for):
    response = client_for(member_of(Role.AGENT)).post(URL, {"name": "", "expires": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_page_revokes_own_token(member_of, client_for):
    agent = member_of(Role.AGENT)
    token, _ = services.api_token_create(actor=agent, name="x")
    response = client_for(agent).post(reverse("org:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="api_token.revoke").count() == 1


def test_page_cannot_revoke_another_persons_token(member_of, client_for):
    agent, admin = member_of(Role.AGENT), member_of(Role.ADMIN)
    token, _ = services.api_token_create(actor=agent, name="x")
    response = client_for(admin).post(reverse("org:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_page_for_role_without_api_shows_no_form_and_refuses_post(member_of, client_for):
    coach = member_of(Role.COACH)
    client = client_for(coach)
    page = client.get(URL)
    assert page.status_code == 200 and page.context["can_use_api"] is False
    assert client.post(URL, {"name": "x", "expires": "30"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_profile_links_to_tokens(member_of, client_for):
    response = client_for(member_of(Role.AGENT)).get(reverse("org:profile"))
    assert URL in response.content.decode()


def test_token_page_lists_only_the_active_organisations_tokens(member_of, other_org, client_for):
    agent = member_of(Role.AGENT)
    elsewhere = MembershipFactory(organisation=other_org, user=agent.user)
    services.api_token_create(actor=elsewhere, name="Toinen")
    services.api_token_create(actor=agent, name="Oma")
    body = client_for(agent).get(URL).content.decode()
    assert "Oma" in body and "Toinen" not in body


def test_export_lists_tokens_without_secrets(member_of):
    agent = member_of(Role.AGENT)
    token, raw = services.api_token_create(actor=agent, name="Raportit")
    data = services.person_export(user=agent.user)
    exported = data["data"]["org.profile"]["api_tokens"]
    assert [t["name"] for t in exported] == ["Raportit"]
    assert raw not in str(data) and token.token_hash not in str(data) and token.prefix not in str(data)


def test_removing_a_person_who_belongs_elsewhere_revokes_this_orgs_tokens(member_of, other_org):
    admin = member_of(Role.ADMIN)
    agent = member_of(Role.AGENT)
    MembershipFactory(organisation=other_org, user=agent.user)
    token, _ = services.api_token_create(actor=agent, name="x")
    services.person_erase(actor=admin, membership=agent)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_active_token_limit(member_of):
    agent = member_of(Role.AGENT)
    for n in range(services.API_TOKEN_MAX_ACTIVE):
        services.api_token_create(actor=agent, name=f"t{n}")
    with pytest.raises(ValidationError) as exc:
        services.api_token_create(actor=agent, name="one too many")
    assert exc.value.code == "limit"
    assert ApiToken.objects.count() == services.API_TOKEN_MAX_ACTIVE


def test_expiry_in_the_past_is_refused(member_of):
    from datetime import timedelta

    from django.utils import timezone

    agent = member_of(Role.AGENT)
    with pytest.raises(ValidationError) as exc:
        services.api_token_create(actor=agent, name="x", expires_at=timezone.now() - timedelta(days=1))
    assert exc.value.message_dict == {"expires_at": [services.ERR_TOKEN_EXPIRY]}
    assert not ApiToken.objects.exists()
