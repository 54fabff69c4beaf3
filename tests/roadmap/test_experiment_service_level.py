"""Experiments on service level: measured from the queues' history per day, with the interval in points."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.engine import cx
from aspa.roadmap import services
from aspa.roadmap.models import Experiment, ExperimentMetric, ItemStatus
from aspa.wfm.models import ContactInterval
from aspa.wfm.selectors import SERVICE_LEVEL_DEFINITION
from tests.factories import TeamFactory
from tests.i18n import fi
from tests.roadmap.factories import ExperimentFactory, RoadmapItemFactory
from tests.wfm.factories import HELSINKI, QueueFactory

# Within-day answered-within-target of 100 offered, varying by day.
BEFORE = [70, 74, 66, 71, 69, 72, 68, 70, 73, 67]
DURING = [84, 80, 88, 83, 86, 85, 82, 87, 81, 84]


def _days(queue, first: dt.date, in_sl_per_day: list[int], offered: int = 100) -> list[tuple[int, int]]:
    """Two intervals a day (09:00 and 14:00 local) splitting the day's counts."""
    rows = []
    for i, hits in enumerate(in_sl_per_day):
        day = first + dt.timedelta(days=i)
        for hour, share in ((9, hits // 2), (14, hits - hits // 2)):
            rows.append(
                ContactInterval(
                    queue=queue,
                    start=dt.datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI),
                    offered=offered // 2,
                    handled=offered // 2,
                    answered_in_sl=share,
                )
            )
    ContactInterval.objects.bulk_create(rows)
    return [(hits, offered) for hits in in_sl_per_day]


@pytest.fixture
def accepted(org, team):
    return RoadmapItemFactory(organisation=org, team=team, status=ItemStatus.ACCEPTED)


def _experiment(lead, item, teams, design="before", control=(), days=10):
    today = timezone.localdate()
    return services.experiment_create(
        actor=lead,
        item=item,
        hypothesis="Takaisinsoitto ruuhkassa nostaa palvelutasoa",
        metric=ExperimentMetric.SERVICE_LEVEL,
        design=design,
        teams=teams,
        control_teams=control,
        starts_on=today - dt.timedelta(days=days - 1),
        ends_on=today + dt.timedelta(days=5),
    )


def test_before_vs_during_is_measured_with_the_right_sign_and_interval(
    org, other_org, team, member_of, accepted
):
    lead = member_of(Role.LEAD)
    queue = QueueFactory(organisation=org, name="Laskutus")
    queue.teams.add(team)
    experiment = _experiment(lead, accepted, [team])
    start = experiment.starts_on
    before = _days(queue, start - dt.timedelta(days=10), BEFORE)
    during = _days(queue, start, DURING)
    # Another organisation's queue of the same name, same days, nobody answered in time: never counted.
    stranger = QueueFactory(organisation=other_org, name="Laskutus")
    stranger.teams.add(TeamFactory(organisation=other_org))
    _days(stranger, start - dt.timedelta(days=10), [0] * 20)

    services.experiment_measure(actor=lead, experiment=experiment)

    result = Experiment.objects.get().result
    expected = cx.service_level_effect(before, during)
    assert result["baseline"] == pytest.approx(100 * sum(BEFORE) / 1000)  # 70.0 %
    assert result["variant"] == pytest.approx(100 * sum(DURING) / 1000)  # 84.0 %
    assert result["difference"] == pytest.approx(14.0)
    assert result["low"] == pytest.approx(round(100 * expected.interval.low, 2))
    assert result["high"] == pytest.approx(round(100 * expected.interval.high, 2))
    assert 0 < result["low"] < 14.0 < result["high"]
    assert (result["n_baseline"], result["n_variant"], result["days_baseline"], result["days_variant"]) == (
        1000,
        1000,
        10,
        10,
    )
    assert result["unit"] == "pp" and result["warning"] == ""
    assert result["baseline_period"][1] == (start - dt.timedelta(days=1)).isoformat()


def test_test_vs_control_compares_the_teams_queues_over_the_same_days(org, team, member_of, accepted):
    lead = member_of(Role.LEAD)
    control_team = TeamFactory(organisation=org, name="Chat")
    test_queue = QueueFactory(organisation=org, name="Laskutus")
    test_queue.teams.add(team)
    control_queue = QueueFactory(organisation=org, name="Chat")
    control_queue.teams.add(control_team)
    shared = QueueFactory(organisation=org, name="Yhteinen")  # served by both: counts in the test only
    shared.teams.add(team, control_team)
    experiment = _experiment(lead, accepted, [team], design="control", control=[control_team])
    start = experiment.starts_on
    _days(test_queue, start, BEFORE)  # the test teams did worse: 70 %
    _days(control_queue, start, DURING)  # 84 %
    _days(shared, start, [50] * 10)

    services.experiment_measure(actor=lead, experiment=experiment)

    result = Experiment.objects.get().result
    assert result["variant"] == pytest.approx(100 * (sum(BEFORE) + 500) / 2000)
    assert result["baseline"] == pytest.approx(84.0)
    assert result["difference"] < 0 and result["high"] < 0
    assert result["n_variant"] == 2000 and result["n_baseline"] == 1000


def test_without_measured_history_nothing_is_stored(org, team, member_of, accepted):
    lead = member_of(Role.LEAD)
    queue = QueueFactory(organisation=org)
    queue.teams.add(team)
    experiment = _experiment(lead, accepted, [team])
    ContactInterval.objects.create(
        queue=queue,
        start=dt.datetime.combine(experiment.starts_on, dt.time(9), tzinfo=HELSINKI),
        offered=100,
        handled=100,
    )  # counts but no waiting times

    with pytest.raises(ValidationError) as caught:
        services.experiment_measure(actor=lead, experiment=experiment)

    assert caught.value.code == "no_data"
    experiment.refresh_from_db()
    assert experiment.result == {} and experiment.measured_at is None


def test_few_days_warn(org, team, member_of, accepted):
    lead = member_of(Role.LEAD)
    queue = QueueFactory(organisation=org)
    queue.teams.add(team)
    experiment = _experiment(lead, accepted, [team], days=3)
    _days(queue, experiment.starts_on - dt.timedelta(days=3), BEFORE[:3] + DURING[:3])

    services.experiment_measure(actor=lead, experiment=experiment)

    result = Experiment.objects.get().result
    assert result["warning"] == cx.SMALL_DAYS_WARNING.format(days=3, threshold=cx.SMALL_SAMPLE_DAYS)
    assert result["low"] < result["difference"] < result["high"]


def test_experiment_page_shows_points_and_the_definition(member_of, client_for, org, accepted):
    experiment = ExperimentFactory(
        item=accepted,
        metric=ExperimentMetric.SERVICE_LEVEL,
        result={
            "baseline": 70.0,
            "variant": 84.0,
            "n_baseline": 1000,
            "n_variant": 1000,
            "days_baseline": 10,
            "days_variant": 10,
            "unit": "pp",
            "difference": 14.0,
            "low": 10.3,
            "high": 17.7,
            "p_value": 0.0001,
            "probability_of_improvement": 1.0,
            "warning": "",
            "baseline_period": ["2026-01-01", "2026-01-10"],
            "variant_period": ["2026-01-11", "2026-01-20"],
        },
    )
    response = client_for(member_of(Role.AGENT)).get(reverse("roadmap:experiment", args=[experiment.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["result"]["definition"] == SERVICE_LEVEL_DEFINITION
    assert "1000 (10)" in body and ("84,0 %" in body or "84.0 %" in body)


def test_small_sample_warning_is_shown_in_the_readers_language(member_of, client_for, accepted):
    experiment = ExperimentFactory(
        item=accepted,
        metric=ExperimentMetric.SERVICE_LEVEL,
        result={
            "baseline": 70.0,
            "variant": 84.0,
            "n_baseline": 90,
            "n_variant": 120,
            "days_baseline": 3,
            "days_variant": 3,
            "unit": "pp",
            "difference": 14.0,
            "low": -5.0,
            "high": 33.0,
            "p_value": 0.2,
            "probability_of_improvement": 0.9,
            "warning": cx.SMALL_DAYS_WARNING.format(days=3, threshold=cx.SMALL_SAMPLE_DAYS),
            "baseline_period": ["2026-01-01", "2026-01-03"],
            "variant_period": ["2026-01-04", "2026-01-06"],
        },
    )
    body = (
        client_for(member_of(Role.AGENT))
        .get(reverse("roadmap:experiment", args=[experiment.pk]))
        .content.decode()
    )
    expected = fi(
        "Little data: %(days)s days and %(n)s contacts in the smaller group. "
        "The figure can swing a lot; read the interval."
    ) % {"days": 3, "n": 90}
    assert expected in body.replace("&#x27;", "'")
    assert "swing a lot" not in body  # not the engine's English
