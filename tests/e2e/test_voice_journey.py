"""Voice of the customer in the browser, on the demo organisation: a customer answers by link → the theme
analysis job runs → the theme shows on the dashboard → a staff idea becomes a roadmap item, accepted through
the decision matrix → an experiment is started and finished → the idea's submitter finds the outcome in
the app. And what a customer's browser must not get through: a spent link, a forged token, a flood.
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
from aspa.roadmap.models import Experiment, ExperimentStatus, Outcome, RoadmapItem
from aspa.voice import services
from aspa.voice.demo import SURVEY_NAME
from aspa.voice.models import Idea, Notification, Response, Survey, SurveyLink
from aspa.voice.ratelimit import PUBLIC_LIMIT
from aspa.voice.views import ERR_TOO_MANY
from tests.e2e.helpers import demo_email, label, log_in, t
from tests.e2e.test_axe import Scene, scan, scene  # noqa: F401  (the scene fixture)
from tests.roadmap.axe_pages import page_kwargs as roadmap_page_kwargs
from tests.voice.axe_pages import page_kwargs as voice_page_kwargs

pytestmark = pytest.mark.e2e

# Two sentences the demo corpus is full of: whatever themes the analysis finds, this answer gets one.
COMMENT = (
    "Puhelinjonossa odottaminen kesti aivan liian kauan. Jonotusaika oli pitkä, mutta asia hoitui lopulta."
)
IDEA_TITLE = "Soittopyyntö chatista ruuhka-aikaan"
OUTCOME_NOTE = "Soittopyyntö jää käyttöön kaikkiin jonoihin."
TEAM = "Puhelinpalvelu"


# The voice and roadmap pages a GET shows (the full walk in test_axe.py covers them too, with every app).
PAGES = (
    "voice:dashboard",
    "voice:theme",
    "voice:feedback",
    "voice:feedback_personal_data",
    "voice:ideas",
    "voice:idea",
    "voice:notifications",
    "voice:surveys",
    "voice:survey",
    "voice:answer",
    "voice:public_ideas",
    "roadmap:board",
    "roadmap:item",
    "roadmap:experiment",
)


@pytest.mark.parametrize("role", [Role.MANAGER, Role.AGENT], ids=str)
def test_voice_pages_pass_axe(scene: Scene, page: Page, role: Role):  # noqa: F811
    log_in(page, demo_email(role))
    providers = {**voice_page_kwargs(), **roadmap_page_kwargs()}
    problems: list[str] = []
    scanned = 0
    for name in PAGES:
        provider = providers.get(name)
        path = reverse(name, kwargs=provider(scene) if provider else None)
        answer = page.request.get(path, max_redirects=0)
        if answer.status == 403:
            continue
        assert answer.status == 200, (name, answer.status)
        page.goto(path)
        scanned += 1
        problems += scan(page, f"{name} {path}")
    assert scanned >= 12
    assert not problems, "\n\n".join(problems)


def _link(demo: Any, *, language: str = "fi") -> str:
    """A fresh single-use link to the demo survey (the manager makes links in bulk; one is enough here)."""
    manager = demo.objects["members"][demo_email("manager")]
    survey = Survey.objects.get(organisation=manager.organisation, name=SURVEY_NAME)
    [(_created, token)] = services.link_create_bulk(
        actor=manager,
        survey=survey,
        specs=[services.LinkSpec(contact_ref="e2e", channel="phone", team=TEAM, language=language)],
    )
    return token


def _counts() -> tuple[int, int]:
    return Response.objects.count(), SurveyLink.objects.filter(used_at__isnull=False).count()


def _answer(page: Page, token: str) -> None:
    """Fill the survey as a customer: NPS, CSAT and a comment."""
    page.goto(reverse("voice:answer", args=[token]))
    expect(page.get_by_role("heading", level=1)).to_have_text(t("fi", "Tell us how we did"))
    nps = page.get_by_role(
        "group", name=t("fi", "How likely are you to recommend us to a friend or colleague?")
    )
    nps.get_by_role("radio", name="9", exact=True).check()
    csat = page.get_by_role("group", name=t("fi", "How satisfied were you with the service?"))
    csat.get_by_role("radio", name="4", exact=True).check()
    page.get_by_label(label("fi", "What would you like to tell us?")).fill(COMMENT)
    page.get_by_role("button", name=t("fi", "Send"), exact=True).click()


def test_answer_to_theme_to_roadmap_to_experiment_closes_the_loop(demo: Any, new_context: Any):
    # 1. A customer answers by link in a fresh browser, without logging in.
    token = _link(demo)
    before = Response.objects.count()
    customer = new_context().new_page()
    _answer(customer, token)
    expect(customer.get_by_role("status")).to_have_text(t("fi", "Thank you for your answer!"))
    assert Response.objects.count() == before + 1
    response = Response.objects.get(link__token_hash=services.hash_token(token))
    assert response.nps == 9 and response.csat == 4 and response.theme_id is None

    # 2. The manager runs the theme analysis from the dashboard; the job page says when it is done.
    manager = new_context().new_page()
    log_in(manager, demo_email("manager"))
    manager.goto(reverse("voice:dashboard"))
    manager.get_by_role("button", name=t("fi", "Find themes again")).click()
    expect(manager).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(manager.locator("#job-live")).to_contain_text(t("fi", "Finished."), timeout=60_000)

    # 3. The answer now has a theme, and the theme is on the dashboard; its page shows the answer.
    response.refresh_from_db()
    assert response.theme_id is not None and response.theme.is_active
    manager.goto(reverse("voice:dashboard"))
    theme_link = manager.get_by_role("link", name=response.theme.label, exact=True)
    expect(theme_link).to_be_visible()
    theme_link.click()
    expect(manager.get_by_role("heading", level=1)).to_contain_text(response.theme.label)
    expect(manager.get_by_text(COMMENT).first).to_be_visible()

    # 4. An agent raises an idea.
    agent = new_context().new_page()
    log_in(agent, demo_email("agent"))
    agent.goto(reverse("voice:ideas"))
    agent.get_by_label(label("fi", "Title")).fill(IDEA_TITLE)
    agent.get_by_label(label("fi", "Description")).fill(
        "Ruuhkassa chat tarjoaa soittopyyntöä jonottamisen sijaan."
    )
    agent.get_by_role("button", name=t("fi", "Save idea")).click()
    expect(agent.get_by_role("heading", level=1)).to_have_text(IDEA_TITLE)
    idea = Idea.objects.get(title=IDEA_TITLE)
    assert idea.author == demo.objects["members"][demo_email("agent")]

    # 5. The manager makes it a roadmap item and accepts it (the team's decision matrix lets managers decide).
    manager.goto(reverse("voice:idea", args=[idea.pk]))
    manager.get_by_role("link", name=t("fi", "Make it a roadmap item")).click()
    expect(manager.get_by_label(label("fi", "Title"))).to_have_value(IDEA_TITLE)
    manager.get_by_label(label("fi", "Team that owns it")).select_option(label=TEAM)
    manager.get_by_role("button", name=t("fi", "Create item")).click()
    expect(manager.get_by_text(t("fi", "Roadmap item created."))).to_be_visible()
    manager.get_by_role("button", name=t("fi", "Accept"), exact=True).click()
    expect(manager.get_by_text(t("fi", "Accepted into the roadmap."))).to_be_visible()
    item = RoadmapItem.objects.get(idea=idea)
    assert item.status == "accepted" and item.accepted_by.user.email == demo_email("manager")

    # 6. ... starts a small experiment on it and, when it is over, records the outcome.
    manager.get_by_role("link", name=t("fi", "Start a small experiment")).click()
    manager.get_by_label(label("fi", "Hypothesis")).fill(
        "Jos chat tarjoaa soittopyynnön ruuhkassa, asiakastyytyväisyys paranee."
    )
    manager.get_by_label(label("fi", "Metric it should move")).select_option("csat")
    # The teams' group label sits above its options (it was squeezed beside them on a phone-width form).
    assert manager.evaluate(
        """() => { const group = document.getElementById('id_teams');
                   const title = group.closest('.field').querySelector('label');
                   return title.getBoundingClientRect().bottom <= group.getBoundingClientRect().top; }"""
    )
    manager.locator("#id_teams").get_by_label(TEAM, exact=True).check()
    today = timezone.localdate()
    manager.get_by_label(label("fi", "Starts")).fill(today.isoformat())
    manager.get_by_label(label("fi", "Ends")).fill((today + dt.timedelta(days=14)).isoformat())
    manager.get_by_role("button", name=t("fi", "Start experiment")).click()
    expect(manager.get_by_text(t("fi", "Experiment started."))).to_be_visible()
    experiment = Experiment.objects.get(item=item)
    assert experiment.status == ExperimentStatus.RUNNING
    manager.get_by_label(t("fi", "Adopt"), exact=True).check()
    manager.get_by_label(label("fi", "What we decided and why")).fill(OUTCOME_NOTE)
    manager.get_by_role("button", name=t("fi", "Record outcome")).click()
    expect(
        manager.get_by_text(t("fi", "Outcome recorded; the people behind the idea were told."))
    ).to_be_visible()
    experiment.refresh_from_db()
    idea.refresh_from_db()
    assert experiment.status == ExperimentStatus.FINISHED and experiment.outcome == Outcome.ADOPT
    assert idea.status == "done"

    # 7. The agent who raised the idea logs in and finds the outcome among the notifications.
    submitter = new_context().new_page()
    log_in(submitter, demo_email("agent"))
    submitter.goto(reverse("voice:notifications"))
    outcome = submitter.locator(".voice-unread").filter(has_text=OUTCOME_NOTE)
    expect(outcome).to_have_count(1)
    expect(outcome).to_contain_text(IDEA_TITLE)
    assert Notification.objects.filter(recipient=idea.author, message__contains=OUTCOME_NOTE).count() == 1


def test_spent_link_forged_token_and_flood_are_refused(demo: Any, new_context: Any):
    page = new_context().new_page()

    # A spent link: the customer already answered.
    spent = _link(demo)
    services.link_answer(token=spent, nps=8)
    before = _counts()
    answer = page.goto(reverse("voice:answer", args=[spent]))
    assert answer is not None and answer.status == 410
    expect(page.get_by_role("status")).to_have_text(t("fi", services.ERR_LINK_USED))
    expect(page.locator("form.voice-answer")).to_have_count(0)

    # A forged token (a real one with a character changed, and one made up): not a link at all.
    for forged in (spent[:-1] + ("A" if spent[-1] != "A" else "B"), "keksitty-tunniste-123"):
        answer = page.goto(reverse("voice:answer", args=[forged]))
        assert answer is not None and answer.status == 404
        expect(page.get_by_role("status")).to_have_text(t("fi", services.ERR_LINK_INVALID))
    assert _counts() == before

    # A flood: one address sends answer after answer; past the limit even a valid link is refused.
    fresh = _link(demo)
    page.goto(reverse("voice:answer", args=[fresh]))
    csrf = page.locator('input[name="csrfmiddlewaretoken"]').get_attribute("value")
    forged_url = reverse("voice:answer", args=["keksitty-tunniste-123"])
    for _ in range(PUBLIC_LIMIT):
        assert (
            page.request.post(forged_url, form={"csrfmiddlewaretoken": csrf or "", "nps": "0"}).status == 404
        )
    _answer(page, fresh)
    expect(page.get_by_role("status")).to_have_text(t("fi", ERR_TOO_MANY))
    assert _counts() == before
    assert SurveyLink.objects.get(token_hash=services.hash_token(fresh)).used_at is None


def test_a_long_unbroken_comment_does_not_widen_the_dashboard_on_a_phone(demo: Any, new_context: Any):
    # A customer's pasted link (no spaces) in this week's quotes pushed the whole page sideways.
    from tests.e2e.helpers import has_horizontal_overflow

    manager = demo.objects["members"][demo_email("manager")]
    Response.objects.create(
        organisation=manager.organisation,
        channel="chat",
        nps=10,
        comment="Kiitos! https://example.fi/" + "ohje" * 80,
        sentiment="positive",
        answered_at=timezone.now(),
    )
    phone = new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(phone, demo_email("agent"))
    phone.goto(reverse("voice:dashboard"))
    expect(phone.get_by_text("https://example.fi/", exact=False).first).to_be_visible()
    assert not has_horizontal_overflow(phone)
    # The answers list: each answer is a card on a phone, every value labelled, nothing off-screen.
    phone.goto(reverse("voice:responses"))
    first = phone.locator("table.stack tbody tr").first
    expect(first).to_be_visible()
    assert first.evaluate("row => getComputedStyle(row).display") == "block"
    label = first.locator("td").first.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"NPS: "'
    assert not has_horizontal_overflow(phone)
