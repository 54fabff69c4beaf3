"""Teamwork in the browser, on the demo data (issue 5, "done when"):

- a lead and an agent run a 1:1 from the pre-filled agenda to agreed actions;
- a team changes its decision matrix so agents approve swaps, and an agent then approves one;
- a retrospective item becomes an action and a development idea.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from aspa.core.roles import Role
from aspa.teamwork import services as teamwork_services
from aspa.teamwork.decisions import SWAP_APPROVE, Level, Subject
from aspa.teamwork.models import (
    ActionItem,
    CoachingSession,
    CoachingStatus,
    Goal,
    GoalLevel,
    GoalStatus,
    RetroItem,
)
from aspa.wfm import roster_selectors
from aspa.wfm.models import Roster, RosterStatus, Shift, SwapRequest, SwapStatus
from tests.e2e.helpers import demo_email, label, log_in, t
from tests.voice.factories import ResponseFactory

pytestmark = pytest.mark.e2e

COMMENT = "Aku selitti laskun rauhallisesti ja asia ratkesi heti."
AGREEMENT = "Kokeilen takaisinsoittoa pitkissä laskutusasioissa kaksi viikkoa."
PRIVATE = "Oma muistiinpano: Aku kaipaa lisää itseluottamusta."
FOLLOW_UP = "Kuuntele kaksi omaa puhelua ja poimi yksi oppi"


def _people(demo: Any) -> tuple[Any, Any, Any]:
    members = demo.objects["members"]
    return members[demo_email("lead")], members[demo_email("agent")], demo.objects["teams"][0]


def _page_of(new_context: Any, email: str) -> Page:
    page = new_context().new_page()
    log_in(page, email)
    return page


def test_lead_and_agent_run_a_one_on_one_from_the_prefilled_agenda(demo: Any, new_context: Any):
    lead, agent, team = _people(demo)
    session = (
        CoachingSession.objects.filter(lead=lead, coachee=agent, status=CoachingStatus.PLANNED)
        .order_by("scheduled_for")
        .first()
    )
    assert session is not None, "the demo plans the next 1:1 of the demo agent"
    goal = Goal.objects.filter(level=GoalLevel.PERSON, person=agent, status=GoalStatus.ACTIVE).first()
    assert goal is not None
    # A customer's comment about the agent's work, answered just now.
    ResponseFactory(organisation=agent.organisation, team=team, agent=agent, nps=10, comment=COMMENT)
    url = reverse("teamwork:coaching_session", kwargs={"session_id": session.pk})

    # The lead opens the session: the agenda is pre-filled with goals, customer comments and fairness.
    page = _page_of(new_context, demo_email("lead"))
    page.goto(url)
    expect(page.get_by_role("link", name=goal.title)).to_be_visible()
    expect(page.get_by_text(COMMENT)).to_be_visible()
    expect(page.get_by_role("heading", name=t("fi", "Roster fairness"))).to_be_visible()
    # They agree, the lead keeps a private note and adds a follow-up action for the agent.
    page.get_by_label(label("fi", "What we agreed (both of us see this)")).fill(AGREEMENT)
    page.get_by_role("button", name=t("fi", "Save agreements")).click()
    expect(page.get_by_role("status")).to_contain_text(t("fi", "Agreements saved."))
    page.get_by_label(label("fi", "Private note (only you see this)")).fill(PRIVATE)
    page.get_by_role("button", name=t("fi", "Save private note")).click()
    expect(page.get_by_text(PRIVATE)).to_be_visible()
    page.locator("#id_follow-title").fill(FOLLOW_UP)
    page.locator("#id_follow-owner").select_option(str(agent.pk))
    page.locator("#id_follow-due_on").fill((timezone.localdate() + dt.timedelta(days=14)).isoformat())
    page.get_by_role("button", name=t("fi", "Add follow-up action")).click()
    expect(page.locator("#follow-h + ul, #follow-h ~ ul").first).to_contain_text(FOLLOW_UP)

    # The agent sees the agreement and the action, never the lead's private note.
    mine = _page_of(new_context, demo_email("agent"))
    mine.goto(url)
    expect(mine.get_by_text(AGREEMENT).first).to_be_visible()
    expect(mine.locator("main")).not_to_contain_text(PRIVATE)
    mine.goto(reverse("teamwork:my_actions"))
    expect(mine.get_by_role("cell", name=FOLLOW_UP, exact=True)).to_be_visible()
    expect(mine.locator("main")).not_to_contain_text(PRIVATE)


def _pending_swap(team: Any, approver: Any) -> SwapRequest:
    """A swap of the published roster offered by one colleague and taken by another (neither the approver)."""
    roster = (
        Roster.objects.filter(period__team=team, status=RosterStatus.PUBLISHED)
        .order_by("-published_at")
        .first()
    )
    assert roster is not None, "the demo publishes a roster for the phone team"
    shifts = (
        Shift.objects.filter(roster=roster, membership__role=Role.AGENT, swap_requests__isnull=True)
        .exclude(membership=approver)
        .select_related("membership")
        .order_by("-starts_at")
    )
    for shift in shifts[:30]:
        swap = SwapRequest.objects.create(
            organisation_id=roster.organisation_id, shift=shift, offered_by=shift.membership, note="Meno"
        )
        takers = [
            c.membership
            for c in roster_selectors.swap_candidates(actor=shift.membership, swap=swap)
            if not c.problems and c.membership.pk != approver.pk
        ]
        if takers:
            swap.taker, swap.status = takers[0], SwapStatus.PENDING
            swap.save(update_fields=["taker", "status"])
            return swap
        swap.delete()
    pytest.fail("no colleague may take any shift of the demo roster")


def test_team_lets_agents_approve_swaps_and_an_agent_approves_one(demo: Any, new_context: Any):
    lead, agent, team = _people(demo)
    # Start from a matrix where only the lead approves swaps.
    teamwork_services.decision_matrix_update(
        actor=lead, team=team, cells={(SWAP_APPROVE, Subject.MEMBERS): (Level.INFORMED, None)}, note=""
    )
    swap = _pending_swap(team, agent)
    swap_url = reverse("wfm:swap", kwargs={"swap_id": swap.pk})
    approve = t("fi", "Approve")

    mine = _page_of(new_context, demo_email("agent"))
    mine.goto(swap_url)
    expect(mine.get_by_role("heading", level=1)).to_be_visible()
    expect(mine.get_by_role("button", name=approve, exact=True)).to_have_count(0)

    # The lead records the team's decision: agents decide on swaps.
    page = _page_of(new_context, demo_email("lead"))
    page.goto(reverse("teamwork:matrix", kwargs={"team_id": team.pk}))
    page.locator(f'select[name="level__{SWAP_APPROVE}__{Subject.AGENT}"]').select_option(Level.DECIDES)
    page.get_by_label(label("fi", "Why this change?")).fill("Sovittu tiimipalaverissa")
    page.get_by_role("button", name=t("fi", "Save decision rights")).click()
    expect(page.locator(f'select[name="level__{SWAP_APPROVE}__{Subject.AGENT}"]')).to_have_value(
        Level.DECIDES
    )

    # Now the agent may approve the colleagues' swap.
    mine.reload()
    mine.get_by_role("button", name=approve, exact=True).click()
    expect(mine.locator(".badge.wfm-swap-approved")).to_be_visible()
    swap.refresh_from_db()
    assert (swap.status, swap.decided_by_id) == (SwapStatus.APPROVED, agent.pk)


def _for(button: str, item: str) -> re.Pattern[str]:
    """A button's name with the item it acts on (read out to screen readers after a colon)."""
    return re.compile(rf"^{re.escape(button)}\s*:\s*{re.escape(item)}$")


def test_retro_item_becomes_an_action_and_an_idea(demo: Any, new_context: Any):
    lead, agent, team = _people(demo)
    retro = teamwork_services.retro_create(
        actor=lead, team=team, title="Marraskuun retro", held_on=timezone.localdate()
    )
    thought = "Jaetaan hyvät vastauspohjat koko tiimille"

    page = _page_of(new_context, demo_email("agent"))
    page.goto(reverse("teamwork:retro", kwargs={"team_id": team.pk, "retro_id": retro.pk}))
    page.locator("#id_retro-category").select_option("create")
    page.locator("#id_retro-text").fill(thought)
    page.get_by_role("button", name=t("fi", "Add"), exact=True).click()
    page.get_by_role("button", name=_for(t("fi", "Add a dot"), thought)).click()
    result = page.locator("#result-h + ol")
    expect(result).to_contain_text(thought)

    item = RetroItem.objects.get(retro=retro, text=thought)
    page.locator("#id_act-item").select_option(str(item.pk))
    page.locator("#id_act-owner").select_option(str(agent.pk))
    page.locator("#id_act-due_on").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name=t("fi", "Make an action")).click()
    expect(result).to_contain_text(re.compile(re.escape(t("fi", "action:")) + r"\s*" + re.escape(thought)))
    page.get_by_role("button", name=_for(t("fi", "Make a development idea"), thought)).click()
    expect(result).to_contain_text(t("fi", "is a development idea"))

    item.refresh_from_db()
    assert item.action_id is not None and item.idea_id is not None
    assert ActionItem.objects.get(pk=item.action_id).owner_id == agent.pk
    page.goto(reverse("teamwork:my_actions"))
    expect(page.get_by_role("cell", name=thought, exact=True)).to_be_visible()
