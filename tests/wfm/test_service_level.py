"""Measured service level: answered within target / offered over intervals that have it, per day, scoped."""

from __future__ import annotations

import datetime as dt

import pytest

from aspa.core.roles import Role
from aspa.wfm import selectors
from aspa.wfm.models import ContactInterval
from tests.factories import TeamFactory
from tests.wfm.factories import HELSINKI, QueueFactory, forecast_with_intervals, history_rows

MONDAY = dt.date(2025, 6, 2)


def _interval(queue, day, hour, offered, in_sl, minute=0):
    return ContactInterval.objects.create(
        queue=queue,
        start=dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HELSINKI),
        offered=offered,
        handled=offered,
        abandoned=0,
        answered_in_sl=in_sl,
    )


def test_measured_is_the_ratio_of_sums_over_known_intervals_of_the_team(org, other_org, team):
    queue = QueueFactory(organisation=org)
    queue.teams.add(team)
    _interval(queue, MONDAY, 8, 10, 9)
    _interval(queue, MONDAY, 9, 30, 15)
    _interval(queue, MONDAY, 10, 50, None)  # no waiting times: left out of both sums
    elsewhere = QueueFactory(organisation=org)  # another team's queue
    _interval(elsewhere, MONDAY, 8, 100, 0)
    stranger = QueueFactory(organisation=other_org)
    stranger.teams.add(TeamFactory(organisation=other_org))
    _interval(stranger, MONDAY, 8, 100, 0)

    figure = selectors.service_level(organisation_id=org.pk, team_id=team.pk, start=MONDAY, end=MONDAY)

    assert figure is not None and figure.measured
    assert figure.value == pytest.approx(100 * 24 / 40)
    assert (figure.answered_in_sl, figure.offered, figure.n, figure.intervals) == (24, 40, 40, 2)
    whole = selectors.service_level(organisation_id=org.pk, start=MONDAY, end=MONDAY)
    assert whole is not None and whole.value == pytest.approx(100 * 24 / 140)


def test_without_waiting_times_it_falls_back_to_the_erlang_estimate(org, team):
    queue = QueueFactory(organisation=org)
    queue.teams.add(team)
    history_rows(queue, days=1, first=MONDAY)  # no answered_in_sl
    forecast = forecast_with_intervals(queue, day=MONDAY)
    forecast.published_at = forecast.created_at
    forecast.save(update_fields=["published_at"])

    figure = selectors.service_level(organisation_id=org.pk, team_id=team.pk, start=MONDAY, end=MONDAY)
    expected = selectors.service_level_expected(
        organisation_id=org.pk, team_id=team.pk, start=MONDAY, end=MONDAY
    )

    assert figure is not None and expected is not None
    assert not figure.measured
    assert figure.value == pytest.approx(expected.value) and figure.n == expected.n
    assert selectors.service_level_measured(organisation_id=org.pk, start=MONDAY, end=MONDAY) is None


def test_days_are_local_days_scoped_to_the_actors_organisation(org, other_org, team, member_of):
    queue = QueueFactory(organisation=org, name="Laskutus")
    queue.teams.add(team)
    other_queue = QueueFactory(organisation=org, name="Chat")
    _interval(queue, MONDAY, 0, 10, 5, minute=15)  # 00:15 Helsinki is still Monday (Sunday in UTC)
    _interval(queue, MONDAY, 23, 10, 10, minute=45)
    _interval(queue, MONDAY + dt.timedelta(days=1), 9, 20, 10)
    _interval(other_queue, MONDAY, 9, 40, 40)
    stranger = QueueFactory(organisation=other_org, name="Laskutus")
    _interval(stranger, MONDAY, 9, 1000, 0)
    actor = member_of(Role.AGENT)

    days, queue_ids = selectors.service_level_days(
        actor=actor, start=MONDAY, end=MONDAY + dt.timedelta(days=1), team_ids=[team.pk]
    )
    assert queue_ids == {queue.pk}
    assert [(d.day, d.answered_in_sl, d.offered) for d in days] == [
        (MONDAY, 15, 20),
        (MONDAY + dt.timedelta(days=1), 10, 20),
    ]
    # By name; another organisation's queue of the same name never counts.
    by_name, ids = selectors.service_level_days(
        actor=actor, start=MONDAY, end=MONDAY, queue_names=["Laskutus", "Chat"], exclude_queue_ids=[queue.pk]
    )
    assert ids == {other_queue.pk}
    assert [(d.answered_in_sl, d.offered) for d in by_name] == [(40, 40)]
