"""The numbers teamwork reads from voice and wfm: goal metrics, coaching-agenda parts, huddle panels.

Every figure is the organisation's own: another organisation's answers, history and rosters never count.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.engine.staffing import erlang_c_metrics, offered_load
from aspa.teamwork import providers, selectors
from aspa.teamwork.metrics import metric_reading
from aspa.teamwork.models import GoalLevel
from aspa.voice import selectors as voice_selectors
from aspa.wfm import selectors as wfm_selectors
from aspa.wfm.models import Roster, RosterStatus
from tests.factories import TeamFactory
from tests.teamwork.factories import CoachingSessionFactory, GoalFactory
from tests.voice.factories import ResponseFactory
from tests.wfm.factories import HELSINKI, QueueFactory, forecast_with_intervals, history_rows
from tests.wfm.roster_factories import PeriodFactory

MONDAY = dt.date(2025, 6, 2)


def _answered(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI)


def _panel(panels, key):
    return next(p for p in panels if p.key == key)


# --- voice: NPS / CSAT / CES / FCR ----------------------------------------------------------------------


def test_voice_metric_counts_only_the_agents_answers_of_the_organisation(org, other_org, member_of):
    agent, colleague = member_of(Role.AGENT), member_of(Role.AGENT)
    today = timezone.localdate()
    for score in (10, 10, 9, 3):  # 3 promoters, 1 detractor: NPS 50
        ResponseFactory(organisation=org, agent=agent, nps=score, answered_at=_answered(today))
    ResponseFactory(organisation=org, agent=colleague, nps=0, answered_at=_answered(today))
    ResponseFactory(organisation=other_org, agent=agent, nps=0, answered_at=_answered(today))
    ResponseFactory(
        organisation=org, agent=agent, nps=0, answered_at=_answered(today - dt.timedelta(days=40))
    )

    reading = metric_reading(
        key="nps", organisation_id=org.pk, team_id=None, membership_id=agent.pk, on=today
    )

    assert reading is not None
    assert reading.value == Decimal("50.0")
    assert reading.n == 4
    assert (reading.start, reading.end) == (today - dt.timedelta(days=providers.PERIOD_DAYS - 1), today)


def test_voice_metric_of_a_team_csat_and_fcr_as_percentages(org, other_org, team):
    today = timezone.localdate()
    other_team = TeamFactory(organisation=org)
    ResponseFactory(organisation=org, team=team, csat=5, fcr=True, answered_at=_answered(today))
    ResponseFactory(organisation=org, team=team, csat=2, fcr=False, answered_at=_answered(today))
    ResponseFactory(organisation=org, team=other_team, csat=1, fcr=False, answered_at=_answered(today))
    ResponseFactory(organisation=other_org, csat=1, fcr=False, answered_at=_answered(today))

    csat = voice_selectors.metric_value(
        organisation_id=org.pk, metric="csat", team_id=team.pk, start=today, end=today
    )
    fcr = voice_selectors.metric_value(
        organisation_id=org.pk, metric="fcr", team_id=team.pk, start=today, end=today
    )
    everyone = voice_selectors.metric_value(organisation_id=org.pk, metric="fcr", start=today, end=today)

    assert csat is not None and csat.value == pytest.approx(50.0) and csat.n == 2
    assert fcr is not None and fcr.value == pytest.approx(50.0)
    assert everyone is not None and everyone.n == 3 and everyone.value == pytest.approx(100 / 3)


def test_goal_updates_by_itself_and_falls_back_to_check_ins_without_data(
    org, other_org, member_of, client_for
):
    agent = member_of(Role.AGENT)
    today = timezone.localdate()
    goal = GoalFactory(
        organisation=org, level=GoalLevel.PERSON, person=agent, metric="csat", baseline=Decimal("50")
    )
    manual = GoalFactory(organisation=org, level=GoalLevel.PERSON, person=agent, metric="ces")
    ResponseFactory(organisation=other_org, agent=agent, csat=5, ces=1, answered_at=_answered(today))
    assert selectors.goal_progress(goal).value is None  # only another organisation has answers

    ResponseFactory(organisation=org, agent=agent, csat=5, ces=None, answered_at=_answered(today))
    ResponseFactory(organisation=org, agent=agent, csat=4, ces=None, answered_at=_answered(today))
    progress = selectors.goal_progress(goal)
    assert (progress.value, progress.source, progress.percent) == (Decimal("100.0"), "provider", 100)
    assert progress.reading is not None and progress.reading.n == 2

    page = client_for(agent).get(reverse("teamwork:goal", kwargs={"goal_id": goal.pk})).content.decode()
    assert "n = 2" in page  # the reading's size, beside its period (the page speaks Finnish)

    # Without answers the metric is followed by hand: the check-in counts.
    from aspa.teamwork import services

    services.goal_check_in(actor=agent, goal=manual, value=Decimal("4"), confidence=3, comment="")
    manual_progress = selectors.goal_progress(manual)
    assert (manual_progress.value, manual_progress.source) == (Decimal("4"), "check-in")


# --- wfm: forecast accuracy and service level --------------------------------------------------------


def _queue_with_history_and_forecast(organisation, team=None):
    queue = QueueFactory(organisation=organisation)
    if team is not None:
        queue.teams.add(team)
    history_rows(queue, days=1, first=MONDAY)
    forecast = forecast_with_intervals(queue, day=MONDAY)
    forecast.published_at = timezone.now()
    forecast.save(update_fields=["published_at"])
    return queue


def test_forecast_accuracy_is_one_minus_wape_of_the_teams_queues(org, other_org, team):
    _queue_with_history_and_forecast(org, team)
    _queue_with_history_and_forecast(other_org)
    # Monday history offers 25 + hour % 3 an hour (8–17): 261 contacts; the forecast says 20 each hour.
    expected = 100 * (1 - 61 / 261)

    figure = wfm_selectors.forecast_accuracy(
        organisation_id=org.pk, team_id=team.pk, start=MONDAY, end=MONDAY
    )
    reading = providers.forecast_accuracy(
        organisation_id=org.pk, team_id=team.pk, membership_id=None, on=MONDAY
    )

    assert figure is not None and figure.value == pytest.approx(expected) and figure.n == 10
    assert reading is not None and reading.value == Decimal(str(round(expected, 1)))
    other_team = TeamFactory(organisation=org)
    assert (
        wfm_selectors.forecast_accuracy(
            organisation_id=org.pk, team_id=other_team.pk, start=MONDAY, end=MONDAY
        )
        is None
    )


def test_service_level_is_erlang_c_of_actual_contacts_with_planned_agents(org, other_org, team):
    _queue_with_history_and_forecast(org, team)
    _queue_with_history_and_forecast(other_org)
    offered = np.array([25 + hour % 3 for hour in range(8, 18)], dtype=float)
    per_interval = erlang_c_metrics(
        agents=np.full(10, 3),
        load=offered_load(offered, 180.0, 3600.0),
        aht_seconds=180.0,
        target_seconds=20.0,
    ).service_level
    expected = 100 * float(np.sum(np.asarray(per_interval) * offered) / offered.sum())

    figure = wfm_selectors.service_level_expected(
        organisation_id=org.pk, team_id=team.pk, start=MONDAY, end=MONDAY
    )

    assert figure is not None and figure.value == pytest.approx(expected) and figure.n == 261
    assert 0 < figure.value < 100
    assert (
        wfm_selectors.service_level_expected(
            organisation_id=org.pk,
            team_id=team.pk,
            start=MONDAY + dt.timedelta(days=1),
            end=MONDAY + dt.timedelta(days=1),
        )
        is None
    )


# --- coaching agenda -------------------------------------------------------------------------------------


def test_agenda_shows_the_persons_comments_and_roster_fairness_only(org, other_org, team, member_of):
    lead, agent, colleague = member_of(Role.LEAD), member_of(Role.AGENT), member_of(Role.AGENT)
    now = timezone.now()
    ResponseFactory(organisation=org, agent=agent, comment="Aku ratkaisi laskuni heti", answered_at=now)
    ResponseFactory(organisation=org, agent=colleague, comment="Kollegan kommentti", answered_at=now)
    ResponseFactory(
        organisation=other_org, agent=agent, comment="Vieraan yrityksen kommentti", answered_at=now
    )
    period = PeriodFactory(team=team, name="Kesäkuu")
    Roster.objects.create(
        organisation=org,
        period=period,
        status=RosterStatus.PUBLISHED,
        published_at=now,
        ledger={
            str(agent.pk): {"wishes_granted": 3, "wishes_denied": 1, "nights": 2, "weekends": 1},
            str(colleague.pk): {"wishes_granted": 1, "wishes_denied": 1, "nights": 0, "weekends": 3},
        },
    )
    session = CoachingSessionFactory(team=team, lead=lead, coachee=agent)

    panels = selectors.coaching_agenda(actor=lead, session=session).panels

    comments = _panel(panels, "voice.comments")
    text = " ".join(comments.lines)
    assert "Aku ratkaisi laskuni heti" in text
    assert "Kollegan" not in text and "Vieraan" not in text
    fairness = " ".join(_panel(panels, "wfm.fairness").lines)
    assert "Kesäkuu" in fairness and "3 of 4 wishes granted" in fairness
    assert "Nights 2 (team average 1.0)" in fairness


def test_agenda_placeholders_without_data(team, member_of):
    lead, agent = member_of(Role.LEAD), member_of(Role.AGENT)
    session = CoachingSessionFactory(team=team, lead=lead, coachee=agent)

    panels = selectors.coaching_agenda(actor=lead, session=session).panels

    assert not _panel(panels, "voice.comments").lines and _panel(panels, "voice.comments").placeholder
    assert not _panel(panels, "wfm.fairness").lines and _panel(panels, "wfm.fairness").placeholder


def test_fairness_of_a_person_of_another_organisation_is_not_found(other_org, member_of):
    from django.http import Http404

    from aspa.wfm.roster_selectors import fairness_of

    lead = member_of(Role.LEAD)
    stranger = member_of(Role.AGENT, organisation=other_org, in_team=False)
    with pytest.raises(Http404):
        fairness_of(actor=lead, person=stranger)


# --- huddle board ----------------------------------------------------------------------------------------


def test_huddle_board_shows_todays_forecast_service_level_and_what_customers_said(
    org, other_org, team, member_of
):
    agent = member_of(Role.AGENT)
    today = timezone.localdate()
    queue = QueueFactory(organisation=org, name="Laskutus")
    queue.teams.add(team)
    forecast_with_intervals(queue, day=today)
    ResponseFactory(organisation=org, team=team, comment="Nopea vastaus, kiitos", answered_at=timezone.now())
    ResponseFactory(organisation=other_org, comment="Muiden palaute", answered_at=timezone.now())

    panels = selectors.huddle_board(actor=agent, team=team, today=today).panels

    forecast = " ".join(_panel(panels, "wfm.forecast").lines)
    assert "Laskutus: 200 contacts" in forecast and "5 agents scheduled" in forecast
    assert "Target for Laskutus: 80 % within 20 s." in _panel(panels, "wfm.service_level").lines
    said = " ".join(_panel(panels, "voice.yesterday").lines)
    assert "Nopea vastaus, kiitos" in said and "Muiden" not in said


def test_huddle_board_of_a_team_without_queues_shows_placeholders(team, member_of):
    agent = member_of(Role.AGENT)

    panels = selectors.huddle_board(actor=agent, team=team).panels

    for key in ("wfm.forecast", "wfm.service_level", "voice.yesterday"):
        assert not _panel(panels, key).lines and _panel(panels, key).placeholder


def test_goal_api_says_where_the_value_comes_from(org, member_of, client_for):
    agent = member_of(Role.AGENT)
    today = timezone.localdate()
    goal = GoalFactory(organisation=org, level=GoalLevel.PERSON, person=agent, metric="fcr")
    ResponseFactory(organisation=org, agent=agent, fcr=True, answered_at=_answered(today))

    body = client_for(agent).get(reverse("api:goal_list")).json()

    row = next(r for r in body["items"] if r["id"] == goal.pk)
    assert (row["value_source"], row["value_n"], row["value_until"]) == ("provider", 1, today.isoformat())
