"""Scheduled vs required: published rosters against a forecast, expected service level, page and CSV."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest
from django.urls import reverse

from aspa.core.roles import Role
from aspa.wfm import forecast_coverage, planning
from aspa.wfm.models import ForecastStatus
from tests.factories import MembershipFactory, TeamFactory
from tests.i18n import fi
from tests.wfm.factories import HELSINKI, QueueFactory, add_day_intervals, forecast_with_intervals
from tests.wfm.roster_factories import PeriodFactory, ShiftTypeFactory, published_roster

DAY = dt.date(2025, 6, 2)
TARGETS = planning.Targets(
    interval_minutes=60, aht_seconds=180, service_level_percent=80, service_level_seconds=20, shrinkage=0.3
)


def _at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=HELSINKI)


def test_a_shift_counts_where_it_covers_the_interval_midpoint():
    starts = [_at(h) for h in range(8, 12)]
    shifts = [(_at(8), _at(10)), (_at(9, 15), _at(11, 45)), (_at(11, 40), _at(13))]
    counts = forecast_coverage.on_roster_counts(starts, shifts, step=dt.timedelta(hours=1))
    assert counts.tolist() == [1, 2, 1, 1]


def test_expected_service_level_takes_shrinkage_off_first():
    answering, level = planning.expected_service_level([20, 20, 20, 0], [0, 3, 5, 0], TARGETS)
    # A load of 1 Erlang; 30 % shrinkage: 3 on the roster leave 2 answering (about 70 % in 20 s), 5 leave 3.
    assert answering.tolist() == [0, 2, 3, 0]
    assert level[0] == 0.0
    assert 0.69 < level[1] < 0.71
    assert 0.92 < level[2] < 0.93
    assert level[3] == 1.0
    assert np.all((level >= 0) & (level <= 1))


@pytest.fixture
def world(org):
    team = TeamFactory(organisation=org)
    queue = QueueFactory(organisation=org, name="Puhelin")
    queue.teams.add(team)
    forecast = forecast_with_intervals(queue, day=DAY)
    period = PeriodFactory(team=team, starts_on=DAY, ends_on=DAY + dt.timedelta(days=6))
    shift_type = ShiftTypeFactory(organisation=org, team=team, start_time=dt.time(8), length_minutes=480)
    people = [MembershipFactory(organisation=org, role=Role.AGENT) for _ in range(5)]
    return queue, forecast, period, shift_type, people


def test_published_roster_of_the_queue_team_is_counted(world, member_of):
    _queue, forecast, period, shift_type, people = world
    published_roster(period, [(p, DAY, shift_type) for p in people])
    published_roster(period, [(people[0], DAY, shift_type)], status="draft")
    coverage = forecast_coverage.forecast_coverage(
        actor=member_of(Role.AGENT), forecast=forecast, intervals=list(forecast.intervals.order_by("start"))
    )
    assert coverage.has_roster
    assert [row.on_roster for row in coverage.rows] == [5] * 8 + [0] * 2
    assert coverage.rows[0].answering == 3
    assert coverage.rows[-1].service_level == 0.0
    assert coverage.below_target == 2


def test_rosters_of_other_teams_do_not_count(world, member_of, org):
    _queue, forecast, _period, _shift_type, people = world
    other_team = TeamFactory(organisation=org)
    other_period = PeriodFactory(team=other_team, starts_on=DAY, ends_on=DAY)
    other_type = ShiftTypeFactory(organisation=org, team=other_team)
    published_roster(other_period, [(people[0], DAY, other_type)])
    coverage = forecast_coverage.forecast_coverage(
        actor=member_of(Role.AGENT), forecast=forecast, intervals=list(forecast.intervals.order_by("start"))
    )
    assert not coverage.has_roster
    assert {row.on_roster for row in coverage.rows} == {0}


def test_queue_page_and_csv_show_scheduled_and_service_level(world, member_of, client_for):
    queue, forecast, period, shift_type, people = world
    published_roster(period, [(p, DAY, shift_type) for p in people])
    client = client_for(member_of(Role.AGENT))
    body = client.get(reverse("wfm:queue", kwargs={"queue_id": queue.pk}) + f"?day={DAY}").content.decode()
    assert 'data-chart="chart-sl"' in body and 'id="chart-sl"' in body
    assert fi("Expected service level") in body and fi("On the roster") in body
    response = client.get(reverse("wfm:forecast_csv", kwargs={"forecast_id": forecast.pk}))
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].split(";")[-3:] == [
        fi("Scheduled on the roster"),
        fi("Agents answering"),
        fi("Expected service level (%)"),
    ]
    first = lines[1].split(";")
    assert first[-3:-1] == ["5", "3"] and 80 < float(first[-1].replace(",", ".")) <= 100
    assert lines[-1].split(";")[-3:] == ["0", "0", "0,00"]


def test_without_a_roster_the_page_says_so(world, member_of, client_for):
    queue, forecast, *_ = world
    assert forecast.status == ForecastStatus.PUBLISHED
    body = (
        client_for(member_of(Role.AGENT))
        .get(reverse("wfm:queue", kwargs={"queue_id": queue.pk}) + f"?day={DAY}")
        .content.decode()
    )
    assert 'id="chart-sl"' not in body
    assert fi("No published roster of the teams serving this queue covers this forecast yet.") in body


def test_days_past_the_published_rosters_are_not_counted_as_misses(world, member_of, client_for):
    # A forecast reaching past the roster period read "0 agents, target missed" for every later interval.
    queue, forecast, period, shift_type, people = world
    later = DAY + dt.timedelta(days=7)  # the period ends on DAY + 6
    add_day_intervals(forecast, later)
    forecast.ends_at = dt.datetime(later.year, later.month, later.day, 18, tzinfo=HELSINKI)
    forecast.save()
    published_roster(period, [(p, DAY, shift_type) for p in people])
    agent = member_of(Role.AGENT)
    coverage = forecast_coverage.forecast_coverage(
        actor=agent, forecast=forecast, intervals=list(forecast.intervals.order_by("start"))
    )
    assert [row.rostered for row in coverage.rows] == [True] * 10 + [False] * 10
    assert coverage.below_target == 2 and coverage.not_rostered == 10

    client = client_for(agent)
    body = client.get(reverse("wfm:queue", kwargs={"queue_id": queue.pk}) + f"?day={later}").content.decode()
    assert body.count(fi("no roster yet")) == 10
    chart = body.split('id="chart-sl" type="application/json">')[1].split("</script>")[0]
    expected = json.loads(chart)["data"][0]["y"]
    assert expected[-10:] == [None] * 10 and None not in expected[:10]  # no points on the unrostered day
    lines = client.get(reverse("wfm:forecast_csv", kwargs={"forecast_id": forecast.pk})).content.decode(
        "utf-8-sig"
    )
    assert lines.strip().splitlines()[-1].endswith(";5;;;")
