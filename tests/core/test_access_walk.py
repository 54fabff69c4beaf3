"""The isolation walk: every URL of the app, generated from the URL conf, as every kind of visitor.

For each URL the table below says which roles of the owning organisation may read it (GET) and which may
write (POST). The walk then requests it as: anonymous, each role, and an administrator of another
organisation, and asserts the status. Objects in the URL always belong to organisation A, so a
visitor from B must get 404 (or 403) and must never see A's data. A URL missing from the table fails
the test: a new page cannot ship without saying who may see it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from aspa.core.models import Job
from aspa.core.roles import Role
from aspa.org.models import Invitation
from tests.access import ALL, INSIDE, INVITERS, NO_ASSESSOR, RUNNERS, Access, World
from tests.factories import MembershipFactory, TeamFactory, TeamMembershipFactory

BASE_ACCESS: dict[str, Access] = {
    "home": Access(get=ALL),
    "audit": Access(get=frozenset({Role.MANAGER, Role.ADMIN})),
    "healthz": Access(public=True),
    "login": Access(public=True),
    "logout": Access(get_allowed=False, skip_reason="POST ends the session; covered by e2e"),
    "password_reset": Access(public=True),
    "password_reset_done": Access(public=True),
    "password_reset_confirm": Access(public=True),
    "password_reset_complete": Access(public=True),
    "set_language": Access(public=True, get_allowed=False, skip_reason="POST-only language switch, no data"),
    "org:people": Access(get=NO_ASSESSOR - {Role.COACH} | {Role.COACH}),
    "org:person": Access(get=NO_ASSESSOR, post=frozenset({Role.ADMIN}), object_of_org=True),
    "org:person_erase": Access(get=frozenset({Role.ADMIN}), post=frozenset({Role.ADMIN}), object_of_org=True),
    "org:teams": Access(get=NO_ASSESSOR, post=frozenset({Role.MANAGER, Role.ADMIN})),
    "org:team": Access(get=NO_ASSESSOR, post=frozenset({Role.MANAGER, Role.ADMIN}), object_of_org=True),
    "org:invitations": Access(
        get=frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
        post=frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}),
    ),
    "org:invitation_revoke": Access(
        post=frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN}), get_allowed=False, object_of_org=True
    ),
    "org:invitation_accept": Access(public=True, object_of_org=True),
    "org:organisation_switch": Access(post=ALL, get_allowed=False),
    "org:profile": Access(get=ALL, post=ALL),
    "org:my_data": Access(get=ALL),
    "org:tokens": Access(get=ALL, post=INSIDE),
    "jobs": Access(get=RUNNERS, post=RUNNERS),
    "job": Access(get=RUNNERS, object_of_org=True),
    "job_progress": Access(get=RUNNERS, object_of_org=True),
    "job_cancel": Access(post=RUNNERS, get_allowed=False, object_of_org=True),
    "org:token_revoke": Access(skip_reason="owner-only (404 for everyone else); tests/org/test_tokens.py"),
    "api:api-root": Access(skip_reason="no page at /api/ itself"),
    "api:openapi-json": Access(public=True),
    "api:openapi-view": Access(public=True),
    "api:unknown_path": Access(skip_reason="catch-all JSON 404 under /api/; tests/core/test_api_errors.py"),
    "api:me": Access(get=INSIDE, api=True),
    "api:person_list": Access(get=INSIDE, api=True),
    "api:person_detail": Access(get=INSIDE, api=True, object_of_org=True),
    "api:team_list": Access(get=INSIDE, api=True),
    "api:team_detail": Access(get=INSIDE, api=True, object_of_org=True),
    "api:invitation_list": Access(get=INVITERS, api=True),
    "api:job_detail": Access(get=RUNNERS, api=True, object_of_org=True),
    "api:invitation_create": Access(
        skip_reason="same path as api:invitation_list; POST walked in test_api_post_denied",
        post=INVITERS,
        api=True,
    ),
}


def _rule_modules() -> list[Any]:
    root = Path(__file__).resolve().parents[1]
    names = sorted(p.parent.name for p in root.glob("*/access_rules.py"))
    return [importlib.import_module(f"tests.{name}.access_rules") for name in names]


RULE_MODULES = _rule_modules()
ACCESS: dict[str, Access] = dict(BASE_ACCESS)
for _module in RULE_MODULES:
    _overlap = set(ACCESS) & set(_module.ACCESS)
    assert not _overlap, f"{_module.__name__} redefines {_overlap}"
    ACCESS.update(_module.ACCESS)


def iter_url_names(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[str]:
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from iter_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


@pytest.fixture
def world(db) -> World:
    team = TeamFactory(name="Salainen Alfatiimi")
    org_a = team.organisation
    members = {}
    for role in Role.values:
        membership = MembershipFactory(
            organisation=org_a, role=role, user__full_name=f"Alfa {role.title()} Henkilö"
        )
        if role in INSIDE:
            TeamMembershipFactory(team=team, membership=membership)
        members[role] = membership
    target = MembershipFactory(organisation=org_a, role=Role.AGENT, user__full_name="Alfa Kohde Henkilö")
    outsider = MembershipFactory(role=Role.ADMIN, user__full_name="Beeta Ylläpitäjä")
    TeamFactory(organisation=outsider.organisation, name="Beetatiimi")
    from aspa.org import services

    invitation, link = services.invitation_create(
        actor=members[Role.ADMIN],
        email="kutsuttu@example.fi",
        role=Role.AGENT,
        accept_url_template="http://testserver/invite/{token}/",
    )
    token = link.rstrip("/").rsplit("/", 1)[-1]
    # Created directly (not enqueued) so the walk starts no background thread.
    job = Job.objects.create(
        organisation=org_a,
        created_by=members[Role.ADMIN].user,
        kind="core.selfcheck",
        params={},
        message="Salainen alfatyö",
    )
    kwargs: dict[str, Callable[[], dict[str, Any]]] = {
        "org:person": lambda: {"membership_id": target.pk},
        "org:person_erase": lambda: {"membership_id": target.pk},
        "org:team": lambda: {"team_id": team.pk},
        "org:invitation_revoke": lambda: {"invitation_id": invitation.pk},
        "org:invitation_accept": lambda: {"token": token},
        "password_reset_confirm": lambda: {"uidb64": "MQ", "token": "set-password"},
        "api:person_detail": lambda: {"membership_id": target.pk},
        "job": lambda: {"job_id": job.pk},
        "job_progress": lambda: {"job_id": job.pk},
        "job_cancel": lambda: {"job_id": job.pk},
        "api:job_detail": lambda: {"job_id": job.pk},
        "api:team_detail": lambda: {"team_id": team.pk},
    }
    world = World(
        org_a=org_a,
        org_b=outsider.organisation,
        members=members,
        outsider=outsider,
        kwargs=kwargs,
        secrets=["Salainen Alfatiimi", "Alfa Kohde Henkilö", "kutsuttu@example.fi", "Salainen alfatyö"],
    )
    world.objects.update(team=team, members=members, target=target, job=job, invitation=invitation)
    for module in RULE_MODULES:
        if hasattr(module, "setup"):
            module.setup(world)
    return world


def _client(membership: Any | None) -> Client:
    client = Client()
    if membership is not None:
        client.force_login(membership.user)
        session = client.session
        session["aspa_organisation_id"] = membership.organisation_id
        session.save()
    return client


def _url(world: World, name: str) -> str:
    provider = world.kwargs.get(name)
    return reverse(name, kwargs=provider() if provider else None)


def test_every_url_is_in_the_access_table():
    names = set(iter_url_names())
    missing = sorted(names - set(ACCESS))
    assert not missing, f"URLs without an access rule in {__name__}.ACCESS: {missing}"
    stale = sorted(set(ACCESS) - names)
    assert not stale, f"ACCESS names URLs that no longer exist: {stale}"


WALKED = sorted(n for n, a in ACCESS.items() if not a.skip_reason)


@pytest.mark.parametrize("name", WALKED)
def test_get_as_every_visitor(world: World, name: str):
    access = ACCESS[name]
    url = _url(world, name)
    # Anonymous.
    response = _client(None).get(url)
    if not access.get_allowed:
        assert response.status_code == 405
    elif access.api and not access.public:
        assert response.status_code == 401, name
    elif access.public:
        assert response.status_code in (200, 302), (name, response.status_code)
    else:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    # Each role of organisation A.
    for role, membership in world.members.items():
        response = _client(membership).get(url)
        if not access.get_allowed:
            expected: tuple[int, ...] = (405,)
        elif access.public:
            expected = (200, 302)
        else:
            # Denied objects may answer 404 when the role may not even know they exist (e.g. others' jobs).
            expected = (200,) if role in access.get else ((403, 404) if access.object_of_org else (403,))
        assert response.status_code in expected, (
            f"GET {name} as {role}: {response.status_code}, want {expected}"
        )
    # An administrator of organisation B: never A's objects, never A's data in a list.
    response = _client(world.outsider).get(url)
    if access.object_of_org and not access.public and access.get_allowed:
        assert response.status_code in (403, 404), f"GET {name} as outsider: {response.status_code}"
    body = response.content.decode(errors="ignore")
    if not access.public:
        for secret in world.secrets:
            assert secret not in body, f"{name} leaked {secret!r} to another organisation"


@pytest.mark.parametrize("name", sorted(n for n, a in ACCESS.items() if a.post and not a.skip_reason))
def test_post_denied_to_roles_without_the_right(world: World, name: str):
    """Writes by roles not in `post` and by the outsider are refused and change nothing."""
    access = ACCESS[name]
    url = _url(world, name)
    before = _snapshot(world)
    for role, membership in world.members.items():
        if role in access.post:
            continue
        response = _client(membership).post(url, {"role": Role.ADMIN, "name": "X", "email": "x@example.fi"})
        denied = (403, 404) if access.object_of_org else (403,)
        assert response.status_code in denied, f"POST {name} as {role}: {response.status_code}"
    response = _client(world.outsider).post(
        url, {"role": Role.ADMIN, "name": "X", "email": "x@example.fi", "confirm": "x", "remove": "1"}
    )
    if access.object_of_org:
        assert response.status_code in (403, 404), f"POST {name} as outsider: {response.status_code}"
    assert _snapshot(world) == before, f"POST {name} changed organisation A's data"
    response = _client(None).post(url, {})
    assert response.status_code in (302, 403, 404, 405), name


def test_api_post_denied(world: World):
    """The API's writes follow the same rules: roles without the right get 403, nothing is written."""
    url = reverse("api:invitation_create")
    before = _snapshot(world)
    payload = {"email": "x@example.fi", "role": Role.AGENT}
    for role, membership in world.members.items():
        if role in ACCESS["api:invitation_create"].post:
            continue
        response = _client(membership).post(url, payload, content_type="application/json")
        assert response.status_code == 403, f"POST {url} as {role}: {response.status_code}"
    assert _client(None).post(url, payload, content_type="application/json").status_code == 401
    assert _snapshot(world) == before


def _snapshot(world: World) -> tuple[Any, ...]:
    from aspa.org.models import Membership, Team, TeamMembership

    extra = tuple(m.snapshot(world) for m in RULE_MODULES if hasattr(m, "snapshot"))
    return (
        *extra,
        sorted(Membership.objects.filter(organisation=world.org_a).values_list("pk", "role", "is_active")),
        sorted(Team.objects.filter(organisation=world.org_a).values_list("pk", "name")),
        TeamMembership.objects.filter(team__organisation=world.org_a).count(),
        sorted(
            Invitation.objects.filter(organisation=world.org_a).values_list("pk", "revoked_at", "accepted_at")
        ),
    )
