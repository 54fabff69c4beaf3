"""Goals and the huddle board read the measured service level when the history has it, else the estimate,
and say which."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from aspa.core.roles import Role
from aspa.teamwork import providers, selectors
from aspa.teamwork.metrics import metric_reading
from aspa.wfm.models import ContactInterval
from tests.wfm.factories import HELSINKI, QueueFactory, forecast_with_intervals, history_rows

MONDAY = dt.date(2025, 6, 2)


def _measured(queue, day, offered, in_sl):
    for hour in (9, 10):
        ContactInterval.objects.create(
            queue=queue,
            start=dt.datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI),
            offered=offered,
            handled=offered,
            answered_in_sl=in_sl,
        )


def test_goal_metric_is_measured_when_the_history_has_waiting_times(org, other_org, team):
    queue = QueueFactory(organisation=org)
    queue.teams.add(team)
    _measured(queue, MONDAY, 20, 15)  # 30 of 40
    _measured(QueueFactory(organisation=other_org), MONDAY, 20, 0)

    reading = metric_reading(
        key="service_level", organisation_id=org.pk, team_id=team.pk, membership_id=None, on=MONDAY
    )

    assert reading is not None
    assert reading.value == Decimal("75.0") and reading.n == 40
    assert reading.n_label == providers.N_CONTACTS_MEASURED


def test_goal_metric_is_labelled_an_estimate_without_waiting_times(org, team):
    queue = QueueFactory(organisation=org)
    queue.teams.add(team)
    history_rows(queue, days=1, first=MONDAY)
    forecast = forecast_with_intervals(queue, day=MONDAY)
    forecast.published_at = timezone.now()
    forecast.save(update_fields=["published_at"])

    reading = providers.service_level(organisation_id=org.pk, team_id=team.pk, membership_id=None, on=MONDAY)

    assert reading is not None and 0 < reading.value < 100
    assert reading.n_label == providers.N_CONTACTS_ESTIMATED


def test_huddle_board_says_measured(org, team, member_of):
    agent = member_of(Role.AGENT)
    queue = QueueFactory(organisation=org, name="Laskutus")
    queue.teams.add(team)
    today = timezone.localdate()
    _measured(queue, today - dt.timedelta(days=1), 10, 8)

    panel = next(
        p
        for p in selectors.huddle_board(actor=agent, team=team, today=today).panels
        if p.key == "wfm.service_level"
    )

    assert panel.lines[0].startswith("Yesterday 80 % answered within target (measured: 16 of 20 contacts")
