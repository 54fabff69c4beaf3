"""The journeys a newcomer makes in a real browser, on the demo data of `make demo`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from aspa.core.roles import Role
from aspa.org.forms import ERR_LOGIN_BLOCKED
from aspa.org.models import Membership, TeamMembership
from tests.e2e.helpers import demo_email, has_horizontal_overflow, label, log_in, log_out, submit_login, t

pytestmark = pytest.mark.e2e

DEMO_ORG = "Aspa Demo Oy"
OTHER_ORG = "Toinen Palvelukeskus Oy"
NAV = {"people": "People", "teams": "Teams", "invitations": "Invitations", "audit": "Audit log"}
NAV_URLS = {"people": "org:people", "teams": "org:teams", "invitations": "org:invitations", "audit": "audit"}


@dataclass(frozen=True)
class HomeOf:
    """What a role's home shows: navigation entries and dashboard cards (by their English source text)."""

    nav: frozenset[str]
    cards: tuple[str, ...]
    first_name: str


MEMBER_CARDS = ("My teams", "People")
HOMES = {
    Role.ADMIN: HomeOf(frozenset(NAV), (*MEMBER_CARDS, "Invitations"), "Anna"),
    Role.MANAGER: HomeOf(frozenset(NAV), (*MEMBER_CARDS, "Invitations"), "Marja"),
    Role.PLANNER: HomeOf(frozenset({"people", "teams"}), MEMBER_CARDS, "Petri"),
    Role.LEAD: HomeOf(frozenset({"people", "teams", "invitations"}), (*MEMBER_CARDS, "Invitations"), "Liisa"),
    Role.AGENT: HomeOf(frozenset({"people", "teams"}), MEMBER_CARDS, "Aku"),
    Role.COACH: HomeOf(frozenset({"people", "teams"}), (*MEMBER_CARDS, "Coaching"), "Kaisa"),
    Role.ASSESSOR: HomeOf(frozenset(), ("My teams", "Assessments"), "Arto"),
}
ALL_CARDS = ("My teams", "People", "Invitations", "Coaching", "Assessments")


def _switch_anonymous_language(page: Page, *, to: str, current: str) -> None:
    page.get_by_role("combobox", name=label(current, "Language")).select_option(to)
    page.get_by_role("button", name=t(current, "Change"), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", to)


def _save_profile_language(page: Page, *, to: str) -> None:
    # The person's own name in the top bar leads to the profile.
    page.locator("header").locator(f'a[href="{reverse("org:profile")}"]').click()
    expect(page).to_have_url(re.compile(r"/me/$"))
    current = page.locator("html").get_attribute("lang") or "fi"
    page.get_by_role("combobox", name=label(current, "Language")).select_option(to)
    page.get_by_role("button", name=t(current, "Save"), exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", to)
    # The confirmation is written before the switch takes effect, so either language may speak it.
    expect(page.get_by_role("status")).to_contain_text(
        re.compile("|".join(re.escape(t(lang, "Language saved.")) for lang in (current, to)))
    )


def _assert_home(page: Page, role: Role, lang: str) -> None:
    home = HOMES[role]
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t(lang, "Hello, %(name)s", name=home.first_name)
    )
    expect(page.locator("header .badge")).to_have_text(t(lang, role.label))
    nav = page.get_by_role("navigation", name=t(lang, "Main"))
    expect(nav.get_by_role("link", name=t(lang, "Home"), exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    for key, text in NAV.items():
        links = nav.locator(f'a[href="{reverse(NAV_URLS[key])}"]')
        if key in home.nav:
            expect(links).to_have_text(t(lang, text))
        else:
            expect(links).to_have_count(0)
    main = page.get_by_role("main")
    for card in ALL_CARDS:
        heading = main.get_by_role("heading", level=2, name=t(lang, card), exact=True)
        expect(heading).to_have_count(1 if card in home.cards else 0)


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("role", list(HOMES), ids=str)
def test_newcomer_logs_in_sees_role_home_and_logs_out(demo: Any, page: Page, role: Role, lang: str):
    # The browser asks for Finnish; English is chosen on the login page, and later saved on the profile.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    if lang == "en":
        _switch_anonymous_language(page, to="en", current="fi")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Log in to Aspa"))

    log_in(page, demo_email(role), lang=lang)
    if lang == "en":
        _save_profile_language(page, to="en")
        page.get_by_role("navigation", name=t(lang, "Main")).get_by_role("link", name=t(lang, "Home")).click()
    _assert_home(page, role, lang)

    log_out(page, lang=lang)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Log in to Aspa"))


def test_lead_invites_an_agent_who_joins_the_team(demo: Any, page: Page, new_context: Any):
    log_in(page, demo_email("lead"))
    page.get_by_role("navigation", name=t("fi", "Main")).get_by_role(
        "link", name=t("fi", "Invitations")
    ).click()
    page.get_by_label(label("fi", "E-mail address")).fill("uusi.neuvoja@example.fi")
    page.get_by_role("combobox", name=label("fi", "Role")).select_option(Role.AGENT.value)
    page.get_by_role("combobox", name=label("fi", "Team")).select_option(label="Puhelinpalvelu")
    page.get_by_role("button", name=t("fi", "Send invitation")).click()
    expect(page.get_by_role("status").first).to_contain_text(
        t("fi", "Invitation sent to %(email)s.", email="uusi.neuvoja@example.fi")
    )
    link = page.get_by_test_id("invitation-link").input_value()
    assert "/invite/" in link

    # Shown once: visiting the page again lists the invitation but no longer reveals its link.
    page.goto(reverse("org:invitations"))
    expect(page.get_by_test_id("invitation-link")).to_have_count(0)
    expect(page.get_by_role("cell", name="uusi.neuvoja@example.fi")).to_be_visible()

    newcomer = new_context().new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(t("fi", "Join %(org)s", org=DEMO_ORG))
    newcomer.get_by_label(label("fi", "Your name")).fill("Uuno Uusitalo")
    newcomer.get_by_label(label("fi", "Password")).fill("Kahvitauko-kello-15")
    newcomer.get_by_label(label("fi", "Password again")).fill("Kahvitauko-kello-15")
    newcomer.get_by_role("button", name=t("fi", "Accept invitation")).click()

    expect(newcomer).to_have_url(link.split("/invite/")[0] + "/")
    expect(newcomer.get_by_role("status")).to_contain_text(t("fi", "Welcome to %(org)s!", org=DEMO_ORG))
    expect(newcomer.locator("header .badge")).to_have_text(t("fi", Role.AGENT.label))
    my_teams = newcomer.get_by_role("region", name=t("fi", "My teams"))
    expect(my_teams.get_by_role("link", name="Puhelinpalvelu")).to_be_visible()
    membership = Membership.objects.get(user__email="uusi.neuvoja@example.fi")
    assert (membership.organisation.name, membership.role) == (DEMO_ORG, Role.AGENT)
    assert TeamMembership.objects.filter(membership=membership, team__name="Puhelinpalvelu").exists()


def test_login_is_rate_limited_after_too_many_failures(demo: Any, page: Page, settings: Any):
    settings.ASPA_LOGIN_MAX_ATTEMPTS = 3
    page.goto("/accounts/login/")
    alert = page.get_by_role("alert")
    for attempt in range(3):
        submit_login(page, demo_email("agent"), password=f"wrong-password-{attempt}")
        expect(alert).to_be_visible()
        expect(alert).not_to_contain_text(t("fi", ERR_LOGIN_BLOCKED))
    # Now even the right password is refused until the window passes.
    submit_login(page, demo_email("agent"))
    expect(alert).to_contain_text(t("fi", ERR_LOGIN_BLOCKED))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("fi", "Log in to Aspa"))


def test_coach_switches_organisation_from_the_top_bar(demo: Any, page: Page):
    log_in(page, demo_email("coach"))
    lead = page.locator("main p.lead")
    expect(lead).to_contain_text(DEMO_ORG)
    page.get_by_role("combobox", name=label("fi", "Organisation")).select_option(label=OTHER_ORG)
    page.get_by_role("button", name=t("fi", "Switch"), exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("fi", "You are now working in %(org)s.", org=OTHER_ORG)
    )
    expect(lead).to_contain_text(OTHER_ORG)
    expect(page.locator("header .badge")).to_have_text(t("fi", Role.COACH.label))
    # The people list now shows the other organisation only.
    page.get_by_role("navigation", name=t("fi", "Main")).get_by_role("link", name=t("fi", "People")).click()
    expect(page.get_by_role("main")).to_contain_text("Olli Omistaja")
    expect(page.get_by_role("main")).not_to_contain_text("Anna Administraattori")


@pytest.mark.parametrize("role", [Role.AGENT, Role.COACH, Role.ADMIN], ids=str)
def test_phone_shows_home_without_horizontal_overflow(demo: Any, new_context: Any, role: Role):
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto("/accounts/login/")
    assert not has_horizontal_overflow(page), "the login page scrolls sideways on a phone"
    log_in(page, demo_email(role))
    _assert_home(page, role, "fi")
    assert not has_horizontal_overflow(page), f"the {role} home page scrolls sideways on a phone"
    box = page.get_by_role("heading", level=1).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
