"""axe-core in Chromium on every page a GET reaches, generated from the URL conf, for an admin and an agent.

The walk needs one thing by hand: for a URL that takes arguments, `PAGE_KWARGS` says which real object of
the admin's organisation fills them (apps may add theirs in tests/<app>/axe_pages.py). A new URL with
arguments and no entry fails with a message saying so.
Which URLs are pages is decided by asking the server (as that visitor, same cookies): POST-only views
(405), redirects, JSON, file downloads and HTML fragments are listed and left out; the API's operations
are left out by their view; its local docs page is scanned.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from playwright.sync_api import Page

from aspa.core.models import Job, JobStatus
from aspa.core.roles import Role
from aspa.org import services
from tests.e2e.helpers import demo_email, log_in, t

pytestmark = pytest.mark.e2e

BLOCKING_IMPACTS = frozenset({"serious", "critical"})
# Pages whose markup is a third party's: scanned and reported, but they do not fail the test.
THIRD_PARTY_PAGES = {
    "api:openapi-view": "Swagger UI as bundled by django-ninja (upstream contrast and nested buttons)",
}


@dataclass
class Scene:
    """Real objects of the admin's organisation (the demo one) that URL arguments point at."""

    admin: Any
    agent: Any
    team: Any
    invitation: Any
    invitation_token: str
    reset_uid: str
    reset_token: str
    api_token: Any
    job: Any


# URL name -> the keyword arguments that make it point at a real object. Keep it tiny: one line per URL.
# An app may instead keep its lines in tests/<app>/axe_pages.py, as `page_kwargs() -> {name: provider}`.
BASE_PAGE_KWARGS: dict[str, Callable[[Scene], dict[str, Any]]] = {
    "org:person": lambda s: {"membership_id": s.agent.pk},
    "org:person_erase": lambda s: {"membership_id": s.agent.pk},
    "org:team": lambda s: {"team_id": s.team.pk},
    "org:invitation_revoke": lambda s: {"invitation_id": s.invitation.pk},
    "org:invitation_accept": lambda s: {"token": s.invitation_token},
    "password_reset_confirm": lambda s: {"uidb64": s.reset_uid, "token": s.reset_token},
    "org:token_revoke": lambda s: {"token_id": s.api_token.pk},
    "job": lambda s: {"job_id": s.job.pk},
    "job_progress": lambda s: {"job_id": s.job.pk},
    "job_cancel": lambda s: {"job_id": s.job.pk},
    **{
        f"teamwork:{name}": lambda s: {"team_id": s.team.pk}
        for name in ("team", "matrix", "matrix_history", "charter", "charter_edit", "roles", "agreements")
    },
    # The demo's Puhelinpalvelu team has agreements in every state; the one with an open objection.
    "teamwork:agreement": lambda s: {
        "team_id": s.team.pk,
        "agreement_id": s.team.agreements.get(status="discussed").pk,
    },
}


def _collect_page_kwargs() -> dict[str, Callable[[Scene], dict[str, Any]]]:
    merged = dict(BASE_PAGE_KWARGS)
    for path in sorted(Path(__file__).resolve().parents[1].glob("*/axe_pages.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.axe_pages")
        extra = module.page_kwargs()
        twice = sorted(set(extra) & set(merged))
        assert not twice, f"{path} names URLs that already have arguments: {twice}"
        merged.update(extra)
    return merged


PAGE_KWARGS = _collect_page_kwargs()


@dataclass(frozen=True)
class Route:
    name: str
    route: str
    kwargs: tuple[str, ...]
    callback: Any

    @property
    def is_api_operation(self) -> bool:
        # django-ninja's operations answer JSON; only its docs page (openapi-view) is a page to scan.
        # Through functools.wraps layers (aspa.core.api's JSON-405 wrapper) to ninja's own view.
        func = inspect.unwrap(self.callback)
        func = getattr(func, "func", func)
        return func.__module__.startswith("ninja") and not self.name.endswith("openapi-view")


def iter_routes(
    resolver: URLResolver | None = None,
    *,
    namespace: str = "",
    prefix: str = "",
    kwargs: tuple[str, ...] = (),
) -> Iterator[Route]:
    for pattern in (resolver or get_resolver()).url_patterns:
        names = kwargs + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from iter_routes(pattern, namespace=ns, prefix=prefix + str(pattern.pattern), kwargs=names)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else ""
            yield Route(name, prefix + str(pattern.pattern), names, pattern.callback)


@dataclass
class Walk:
    scanned: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return "\n".join(
            ["scanned:", *(f"  {s}" for s in self.scanned), "left out:", *(f"  {s}" for s in self.left_out)]
        )


def page_urls(scene: Scene) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, path) of every named URL, and the reasons for the ones that cannot be built."""
    urls: list[tuple[str, str]] = []
    left_out: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    for route in iter_routes():
        if not route.name:
            left_out.append(f"(unnamed) /{route.route}: cannot be reversed")
            continue
        if route.name in seen:
            continue
        seen.add(route.name)
        if route.is_api_operation:
            left_out.append(f"{route.name}: API operation (JSON)")
            continue
        provider = PAGE_KWARGS.get(route.name)
        if route.kwargs and provider is None:
            missing.append(f"{route.name} (/{route.route}) takes {list(route.kwargs)}")
            continue
        urls.append((route.name, reverse(route.name, kwargs=provider(scene) if provider else None)))
    assert not missing, (
        "These URLs take arguments that no provider fills: add one line per URL to PAGE_KWARGS in "
        "tests/e2e/test_axe.py (or to page_kwargs() in tests/<app>/axe_pages.py) returning real objects "
        "of the admin's organisation from the Scene:\n  " + "\n  ".join(missing)
    )
    stale = sorted(set(PAGE_KWARGS) - seen)
    assert not stale, f"PAGE_KWARGS names URLs that no longer exist: {stale}"
    return urls, left_out


def format_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{where}: [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more elements")
    return "\n".join(lines)


_AXE = Axe()


def scan(page: Page, where: str) -> list[str]:
    """Run axe-core (the copy shipped in axe-playwright-python; no network) on the loaded page."""
    results = _AXE.run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    return [format_violations(where, blocking)] if blocking else []


def walk_as(page: Page, scene: Scene, *, strict_404: bool) -> Walk:
    walk = Walk()
    urls, walk.left_out = page_urls(scene)
    for name, path in urls:
        # Ask first with the browser's own cookies, without following redirects or rendering anything.
        answer = page.request.get(path, max_redirects=0)
        kind = answer.headers.get("content-type", "")
        where = f"{name} {path}"
        if answer.status == 405:
            walk.left_out.append(f"{where}: POST only")
        elif 300 <= answer.status < 400:
            walk.left_out.append(f"{where}: redirects to {answer.headers.get('location')}")
        elif answer.status >= 500:
            walk.problems.append(f"{where}: server error {answer.status}")
        elif answer.status == 404 and strict_404:
            walk.problems.append(
                f"{where}: 404 — does its PAGE_KWARGS entry give an object of the admin's org?"
            )
        elif answer.status in (403, 404):
            walk.left_out.append(f"{where}: {answer.status} for this role")
        elif not kind.startswith("text/html"):
            walk.left_out.append(f"{where}: {kind or 'no content type'}")
        elif "attachment" in answer.headers.get("content-disposition", ""):
            walk.left_out.append(f"{where}: file download")
        elif "<html" not in answer.text()[:2000].lower():
            walk.left_out.append(f"{where}: HTML fragment")
        else:
            page.goto(path)
            walk.scanned.append(where)
            if name in THIRD_PARTY_PAGES:
                walk.warnings += [f"{THIRD_PARTY_PAGES[name]}:\n{v}" for v in scan(page, where)]
            else:
                walk.problems += scan(page, where)
    return walk


@pytest.fixture
def scene(demo: Any) -> Scene:
    members = demo.objects["members"]
    admin, agent = members[demo_email("admin")], members[demo_email("agent")]
    team = demo.objects["teams"][0]
    invitation, link = services.invitation_create(
        actor=admin,
        email="axe.kutsu@example.fi",
        role=Role.AGENT,
        team=team,
        accept_url_template="http://testserver/invite/{token}/",
    )
    return Scene(
        admin=admin,
        agent=agent,
        team=team,
        invitation=invitation,
        invitation_token=link.rstrip("/").rsplit("/", 1)[-1],
        reset_uid=urlsafe_base64_encode(force_bytes(agent.user.pk)),
        reset_token=default_token_generator.make_token(agent.user),
        api_token=services.api_token_create(actor=admin, name="Raportointi")[0],
        # Written directly, not enqueued: a running job with its progress bar, and no worker to race with.
        job=Job.objects.create(
            organisation=admin.organisation,
            created_by=admin.user,
            kind="core.selfcheck",
            params={},
            status=JobStatus.RUNNING,
            progress_done=3,
            progress_total=10,
            message="Laskettu 3 vaihetta",
            started_at=timezone.now(),
            heartbeat_at=timezone.now(),
        ),
    )


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AGENT], ids=str)
def test_every_page_passes_axe(scene: Scene, page: Page, role: Role):
    log_in(page, demo_email(role))
    walk = walk_as(page, scene, strict_404=role == Role.ADMIN)
    print(walk.summary())
    for warning in walk.warnings:
        print(f"WARNING (not failing): {warning}")
    assert walk.scanned, "the walk found no page to scan"
    assert not walk.problems, "\n\n".join(walk.problems) + "\n\n" + walk.summary()


def test_public_pages_pass_axe(scene: Scene, page: Page):
    """Login (empty and with errors), password reset steps, the invitation and a missing page, anonymously."""
    pages = [
        ("login", reverse("login")),
        ("password_reset", reverse("password_reset")),
        ("password_reset_done", reverse("password_reset_done")),
        # A real link: Django swaps the token into the session and shows the set-password form.
        (
            "password_reset_confirm",
            reverse("password_reset_confirm", kwargs=PAGE_KWARGS["password_reset_confirm"](scene)),
        ),
        (
            "password_reset_confirm (invalid link)",
            reverse("password_reset_confirm", kwargs={"uidb64": "MQ", "token": "x-y"}),
        ),
        ("password_reset_complete", reverse("password_reset_complete")),
        ("org:invitation_accept", reverse("org:invitation_accept", kwargs={"token": scene.invitation_token})),
        (
            "org:invitation_accept (unknown link)",
            reverse("org:invitation_accept", kwargs={"token": "no-such-token"}),
        ),
        ("404", "/no-such-page/"),
    ]
    problems: list[str] = []
    for name, path in pages:
        page.goto(path)
        problems += scan(page, f"{name} {path}")
    page.goto(reverse("login"))
    page.get_by_role("button", name=t("fi", "Log in"), exact=True).click()
    page.locator(".field.invalid").first.wait_for()
    problems += scan(page, "login with errors")
    assert not problems, "\n\n".join(problems)
