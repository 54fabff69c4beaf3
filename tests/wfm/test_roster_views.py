"""Rostering pages: wishes form (400 on errors, nothing written), review, publish, my shifts, iCal, CSV, swaps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.wfm import roster_services
from aspa.wfm.models import RosterStatus, ShiftWish, SwapRequest
from tests.factories import MembershipFactory, TeamMembershipFactory
from tests.wfm.roster_factories import PERIOD_START, published_roster, roster_world


@pytest.fixture
def world(team):
    return roster_world(team, agents=2, need=1)


def test_wish_form_shows_need_and_saves(world, client_for):
    agent = world.agents[0]
    client = client_for(agent)
    url = reverse("wfm:period_wishes", kwargs={"period_id": world.period.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert "Aamu" in response.content.decode()
    response = client.post(
        url, {"kind": "on", "day": PERIOD_START.isoformat(), "shift_type": world.early.pk, "weight": 2}
    )
    assert response.status_code == 302
    assert ShiftWish.objects.filter(membership=agent, weight=2).count() == 1


def test_wish_form_errors_rerender_with_400(world, client_for):
    client = client_for(world.agents[0])
    url = reverse("wfm:period_wishes", kwargs={"period_id": world.period.pk})
    response = client.post(url, {"kind": "off", "day": "", "weight": 1})
    assert response.status_code == 400
    assert not ShiftWish.objects.exists()


def test_review_page_shows_heat_map_fairness_and_explanations(world, client_for, team):
    ShiftWish.objects.create(
        period=world.period, membership=world.agents[0], kind="day_off", day=PERIOD_START
    )
    roster = roster_services.roster_compute(period=world.period, time_limit_s=2)
    planner = MembershipFactory(organisation=team.organisation, role=Role.PLANNER)
    body = client_for(planner).get(reverse("wfm:roster", kwargs={"roster_id": roster.pk})).content.decode()
    assert 'id="coverage"' in body and 'id="fairness"' in body and 'id="explanations"' in body
    assert "wfm-heat" in body and "Julkaise" in body  # pages are Finnish by default
    # An agent does not see the draft.
    assert (
        client_for(world.agents[0]).get(reverse("wfm:roster", kwargs={"roster_id": roster.pk})).status_code
        == 404
    )


def test_review_fairness_table_shows_each_burden_before_and_after(world, client_for, team):
    roster = published_roster(world.period, [(world.agents[0], PERIOD_START, world.early)])
    key = str(world.agents[0].pk)
    roster.ledger_before = {key: {"nights": 2, "weekends": 1, "holidays": 0, "unpopular": 4}}
    roster.ledger = {key: {"nights": 3, "weekends": 1, "holidays": 1, "unpopular": 6}}
    roster.save()
    planner = MembershipFactory(organisation=team.organisation, role=Role.PLANNER)
    body = client_for(planner).get(reverse("wfm:roster", kwargs={"roster_id": roster.pk})).content.decode()
    row = body[body.index(world.agents[0].user.full_name, body.index('id="fairness"')) :].split("</tr>")[0]
    assert [c.split("</td>")[0] for c in row.split('<td class="num">')[5:]] == [
        "2 → 3",
        "1 → 1",
        "0 → 1",
        "4 → 6",
    ]


def test_publish_view_denied_to_lead_by_default(world, client_for, team):
    roster = published_roster(
        world.period, [(world.agents[0], PERIOD_START, world.early)], status=RosterStatus.DRAFT
    )
    lead = MembershipFactory(organisation=team.organisation, role=Role.LEAD)
    TeamMembershipFactory(team=team, membership=lead, is_lead=True)
    response = client_for(lead).post(reverse("wfm:roster_publish", kwargs={"roster_id": roster.pk}))
    assert response.status_code == 403
    roster.refresh_from_db()
    assert roster.status == RosterStatus.DRAFT


def test_my_shifts_ical_and_csv(team, client_for):
    world = roster_world(team, agents=1)
    agent = world.agents[0]
    day = timezone.localdate() + dt.timedelta(days=1)
    world.period.starts_on, world.period.ends_on = day, day + dt.timedelta(days=6)
    world.period.save()
    roster = published_roster(world.period, [(agent, day, world.early)])
    client = client_for(agent)
    response = client.post(reverse("wfm:my_shifts"))
    assert response.status_code == 200
    feed_url = response.context["feed_url"]
    assert "Aamu" in response.content.decode()
    ics = client.get(feed_url.replace("http://testserver", ""))
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in ics.content.decode()
    # A wrong token finds nothing; a new link turns the old one off.
    assert client.get(reverse("wfm:calendar_feed", kwargs={"token": "nope"})).status_code == 404
    client.post(reverse("wfm:my_shifts"))
    assert client.get(feed_url.replace("http://testserver", "")).status_code == 404
    csv = client.get(reverse("wfm:roster_csv", kwargs={"roster_id": roster.pk}))
    assert csv.status_code == 200 and "A 08:00-16:00" in csv.content.decode()


def test_swap_pages(team, client_for):
    world = roster_world(team, agents=2)
    a, b = world.agents
    day = timezone.localdate() + dt.timedelta(days=2)
    world.period.starts_on, world.period.ends_on = day, day + dt.timedelta(days=6)
    world.period.save()
    roster = published_roster(world.period, [(a, day, world.early)])
    shift = roster.shifts.get()
    response = client_for(a).post(reverse("wfm:swap_offer", kwargs={"shift_id": shift.pk}), {"kind": "offer"})
    swap = SwapRequest.objects.get()
    assert response.status_code == 302
    page = client_for(b).get(reverse("wfm:swap", kwargs={"swap_id": swap.pk}))
    assert page.status_code == 200 and page.context["may_take"]
    assert client_for(b).post(reverse("wfm:swap", kwargs={"swap_id": swap.pk}), {}).status_code == 302
    swap.refresh_from_db()
    assert swap.taker == b
    # b cannot approve (agents are only informed by default).
    assert (
        client_for(b)
        .post(reverse("wfm:swap_decide", kwargs={"swap_id": swap.pk}), {"decision": "approve"})
        .status_code
        == 403
    )
