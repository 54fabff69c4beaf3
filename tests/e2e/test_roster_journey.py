"""Rostering in the browser: axe on the roster pages, and the journey wishes → solve → review → publish →
the agent sees own shifts and explanations → a swap offered, taken and approved.

The full axe walk (test_axe.py) covers these pages too; the scan here runs only the wfm roster pages so
they can be checked while other apps are still missing their page arguments.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from aspa.core.jobs import inprocess_wait
from aspa.core.roles import Role
from aspa.wfm import roster_selectors, roster_services
from aspa.wfm.models import PeriodStatus, PlanningPeriod, Roster, RosterStatus, Shift, SwapRequest, SwapStatus
from tests.e2e.helpers import demo_email, log_in, log_out, t
from tests.e2e.test_axe import Scene, scan, scene  # noqa: F401  (the scene fixture)
from tests.wfm.axe_pages import page_kwargs

pytestmark = pytest.mark.e2e

ROSTER_PAGES = (
    "wfm:periods",
    "wfm:period",
    "wfm:period_wishes",
    "wfm:roster",
    "wfm:my_shifts",
    "wfm:swaps",
    "wfm:swap",
    "wfm:swap_offer",
)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AGENT, Role.PLANNER], ids=str)
def test_roster_pages_pass_axe(scene: Scene, page: Page, role: Role):  # noqa: F811
    log_in(page, demo_email(role))
    providers = page_kwargs()
    problems: list[str] = []
    scanned = 0
    for name in ROSTER_PAGES:
        provider = providers.get(name)
        path = reverse(name, kwargs=provider(scene) if provider else None)
        answer = page.request.get(path, max_redirects=0)
        if answer.status in (403, 404):
            continue
        assert answer.status == 200, (name, answer.status)
        page.goto(path)
        scanned += 1
        problems += scan(page, f"{name} {path}")
    assert scanned >= 5
    assert not problems, "\n\n".join(problems)


def _open_period() -> PlanningPeriod:
    return PlanningPeriod.objects.get(team__name="Puhelinpalvelu", status=PeriodStatus.OPEN)


def _takers(agent: Any, shift: Shift) -> list[Any]:
    """Who may take this shift if the agent offered it (an unsaved offer asks the same selector)."""
    offer = SwapRequest(organisation=agent.organisation, shift=shift, offered_by=agent)
    return [c.membership for c in roster_selectors.swap_candidates(actor=agent, swap=offer) if not c.problems]


def test_wishes_solve_review_publish_my_shifts_swap(scene: Scene, page: Page, new_context: Any):  # noqa: F811
    period = _open_period()
    # 1. The agent states a wish on the phone-sized page and sees the need and the wish counts.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, demo_email("agent"))
    page.goto(reverse("wfm:period_wishes", kwargs={"period_id": period.pk}))
    expect(page.locator("#slots")).to_be_visible()
    page.locator("#id_kind").select_option("day_off")
    page.locator("#id_day").select_option(period.starts_on.isoformat())
    page.get_by_role("button", name=t("fi", "Save wish")).click()
    expect(page.locator(".wfm-wishes li").first).to_be_visible()
    log_out(page)

    # 2. The planner solves (a background job with progress) and reviews.
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, demo_email("planner"))
    page.goto(reverse("wfm:period", kwargs={"period_id": period.pk}))
    page.get_by_role("button", name=t("fi", "Solve now")).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/"))
    # The live server runs jobs in this process: wait for the solve job itself to end.
    assert inprocess_wait(120)
    roster = Roster.objects.get(period=period, status=RosterStatus.DRAFT)
    page.goto(reverse("wfm:roster", kwargs={"roster_id": roster.pk}))
    expect(page.locator("#coverage")).to_be_visible()
    expect(page.locator("#fairness")).to_be_visible()
    expect(page.locator("#explanations")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=t("fi", "Publish"), exact=True).click()
    expect(page.locator(".badge.wfm-roster-published")).to_be_visible()
    log_out(page)

    # 3. The agent sees own shifts and why.
    agent = scene.agent
    log_in(page, demo_email("agent"))
    page.goto(reverse("wfm:my_shifts"))
    shifts = list(Shift.objects.filter(roster=roster, membership=agent).order_by("day"))
    if not shifts:
        pytest.skip("the solver gave the demo agent no shift in this period")
    # The roster differs from solve to solve: offer the first shift that a colleague may take.
    shift = next((s for s in shifts if _takers(agent, s)), None)
    assert shift is not None, "no colleague may take any of the agent's shifts"
    expect(page.locator(".wfm-shifts")).to_be_visible()
    page.goto(reverse("wfm:roster", kwargs={"roster_id": roster.pk}) + "#explanations")
    expect(page.locator("#explanations")).to_be_visible()

    # 4. The agent offers the shift; a colleague takes it; the lead approves in the browser.
    page.goto(reverse("wfm:swap_offer", kwargs={"shift_id": shift.pk}))
    page.get_by_role("button", name=t("fi", "Offer"), exact=True).click()
    swap = SwapRequest.objects.get(shift=shift, status=SwapStatus.OPEN)
    candidates = roster_selectors.swap_candidates(actor=agent, swap=swap)
    takers = [c.membership for c in candidates if not c.problems]
    assert takers, "nobody may take the shift"
    roster_services.swap_accept(actor=takers[0], swap=swap)
    log_out(page)
    log_in(page, demo_email("lead"))
    page.goto(reverse("wfm:swap", kwargs={"swap_id": swap.pk}))
    page.get_by_role("button", name=t("fi", "Approve"), exact=True).click()
    expect(page.locator(".badge.wfm-swap-approved")).to_be_visible()
    shift.refresh_from_db()
    assert shift.membership_id == takers[0].pk
