"""The dashboard and theme reads at two data sizes: the database counts and pages, so the number of
queries stays flat and the figures are those of every answer (bench/pages.py measures the times)."""

import datetime as dt
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.engine import cx
from aspa.voice import selectors, theme_selectors
from aspa.voice.models import Response
from tests.voice.factories import FeedbackFactory, ResponseFactory, ThemeFactory

TEAMS = ("Tiimi A", "Tiimi B")


def _answers(org, teams, n: int, theme, seed: int = 1) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    Response.objects.bulk_create(
        Response(
            organisation=org,
            team=teams[i % len(teams)],
            channel=rng.choice(["phone", "chat"]),
            queue_ref=rng.choice(["Puhelin", ""]),
            nps=rng.randrange(11),
            csat=rng.choice([None, 1, 3, 4, 5]),
            ces=rng.randrange(1, 8),
            comment=f"Kommentti {i}" if i % 3 else "",
            sentiment=rng.choice(["negative", "positive", "neutral"]) if i % 3 else "",
            theme=theme if i % 3 else None,
            answered_at=now - dt.timedelta(days=rng.random() * 200),
        )
        for i in range(n)
    )


@pytest.fixture
def teams(org, team):
    from tests.factories import TeamFactory

    return [team, TeamFactory(organisation=org, name=TEAMS[1])]


def test_scores_equal_the_estimate_over_every_answer(member_of, org, teams):
    theme = ThemeFactory(organisation=org)
    _answers(org, teams, 300, theme)
    agent = member_of(Role.AGENT)
    until = timezone.now()
    since = until - dt.timedelta(days=90)
    answers = Response.objects.filter(organisation=org, answered_at__gte=since, answered_at__lt=until)
    overall = selectors.scores_overall(actor=agent, since=since, until=until)
    csat = [v for v in answers.values_list("csat", flat=True) if v is not None]
    expected = cx.estimate(cx.Metric.CSAT, csat)
    assert overall["csat"].n == len(csat) and overall["csat"].value == pytest.approx(expected.value * 100)
    assert overall["csat"].low == pytest.approx(expected.interval.low * 100)
    by_team = selectors.scores_by(actor=agent, metric="nps", dimension="team", since=since, until=until)
    for row in by_team:
        values = list(answers.filter(team__name=row.label).values_list("nps", flat=True))
        assert row.n == len(values)
        assert row.value == pytest.approx(cx.estimate(cx.Metric.NPS, values).value)
    by_queue = selectors.scores_by(actor=agent, metric="nps", dimension="queue", since=since, until=until)
    assert sum(r.n for r in by_queue) == answers.count() and len(by_queue) == 2


def test_trend_buckets_answers_by_local_month(member_of, org, teams):
    ThemeFactory(organisation=org)
    starts = selectors.month_starts(months=6)
    # Two answers in the oldest month (one in its first minute), one in this month.
    for at, nps in ((starts[0], 10), (starts[0] + dt.timedelta(days=3), 0), (starts[-1], 9)):
        ResponseFactory(organisation=org, nps=nps, answered_at=at)
    ResponseFactory(organisation=org, nps=0, answered_at=starts[0] - dt.timedelta(minutes=1))  # too old
    trend = selectors.metric_trend(actor=member_of(Role.AGENT), metric="nps")
    assert [(p.period, p.estimate.n, p.estimate.value) for p in trend.points] == [
        (f"{starts[0]:%Y-%m}", 2, 0.0),
        (f"{starts[-1]:%Y-%m}", 1, 100.0),
    ]


def test_theme_overview_counts_and_examples(member_of, org):
    theme = ThemeFactory(organisation=org)
    now = timezone.now()
    for days, text, sentiment in (
        (1, "uusin", "negative"),
        (10, "toinen", "positive"),
        (300, "vanha", "negative"),
    ):
        ResponseFactory(
            organisation=org,
            theme=theme,
            comment=text,
            sentiment=sentiment,
            answered_at=now - dt.timedelta(days=days),
        )
    FeedbackFactory(organisation=org, theme=theme, text="palaute", sentiment="neutral", received_at=now)
    [summary] = selectors.theme_overview(actor=member_of(Role.AGENT), examples=4)
    assert summary.total == 4 and summary.negative_share == pytest.approx(0.5)
    assert sum(summary.weekly) == 3 and summary.weekly[-1] == 2  # the 300-day-old text is outside the weeks
    # Survey comments first (newest first), then feedback.
    assert summary.examples == ["uusin", "toinen", "vanha", "palaute"]


def test_theme_examples_mix_recent_and_old_themes(member_of, org):
    busy, quiet = ThemeFactory(organisation=org, size=2), ThemeFactory(organisation=org, size=1)
    now = timezone.now()
    for days in (1, 2, 3, 4, 400):
        ResponseFactory(
            organisation=org, theme=busy, comment=f"busy {days}", answered_at=now - dt.timedelta(days=days)
        )
    for days in (5, 200, 300):
        ResponseFactory(
            organisation=org, theme=quiet, comment=f"quiet {days}", answered_at=now - dt.timedelta(days=days)
        )
    found = {s.theme.pk: s.examples for s in selectors.theme_overview(actor=member_of(Role.AGENT))}
    assert found[busy.pk] == ["busy 1", "busy 2", "busy 3"]
    assert found[quiet.pk] == ["quiet 5", "quiet 200", "quiet 300"]


def test_this_week_quotes_newest_comments_then_feedback(member_of, org):
    theme = ThemeFactory(organisation=org, label="jono")
    now = timezone.now()
    ResponseFactory(
        organisation=org, comment="vanha kehu", sentiment="positive", answered_at=now - dt.timedelta(days=2)
    )
    ResponseFactory(organisation=org, comment="uusi kehu", sentiment="positive", theme=theme, answered_at=now)
    FeedbackFactory(organisation=org, text="palautekehu", sentiment="positive", theme=theme, received_at=now)
    FeedbackFactory(
        organisation=org, text="liian vanha", sentiment="positive", received_at=now - dt.timedelta(days=8)
    )
    week = selectors.this_week(actor=member_of(Role.AGENT), now=now + dt.timedelta(seconds=1))
    assert week.positive == ["uusi kehu", "vanha kehu", "palautekehu"]
    assert week.top_themes == [("jono", 2)] and week.responses == 2


def test_theme_texts_are_paged_newest_first_across_both_kinds(member_of, org):
    theme = ThemeFactory(organisation=org)
    now = timezone.now()
    for i in range(30):
        ResponseFactory(
            organisation=org, theme=theme, comment=f"vastaus {i}", answered_at=now - dt.timedelta(hours=2 * i)
        )
        FeedbackFactory(
            organisation=org,
            theme=theme,
            text=f"palaute {i}",
            received_at=now - dt.timedelta(hours=2 * i + 1),
        )
    detail = theme_selectors.theme_detail(actor=member_of(Role.AGENT), theme_id=theme.pk, now=now)
    assert len(detail.texts) == 60
    page = detail.texts[25:50]
    assert [t.text for t in page[:3]] == ["palaute 12", "vastaus 13", "palaute 13"]
    assert page[0].kind == "feedback" and detail.texts[0].text == "vastaus 0"
    assert [t.text for t in detail.texts][-1] == "palaute 29"


@pytest.mark.parametrize("path", ["voice:dashboard", "voice:theme"])
def test_read_pages_cost_the_same_queries_at_two_sizes(member_of, client_for, org, teams, path):
    theme = ThemeFactory(organisation=org)
    agent = member_of(Role.AGENT)
    client = client_for(agent)
    url = reverse(path, args=[theme.pk] if path == "voice:theme" else [])
    client.get(url)  # the first request of a session writes it; not what is compared
    counts = []
    for n in (30, 600):
        _answers(org, teams, n, theme, seed=n)
        FeedbackFactory.create_batch(n // 10, organisation=org, theme=theme, sentiment="negative")
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    # Quotes may need a second query when the week has few comments: never more queries with more rows.
    assert counts[1] <= counts[0], counts


def test_dashboard_queries_stay_under_a_ceiling(
    member_of, client_for, org, teams, django_assert_max_num_queries
):
    theme = ThemeFactory(organisation=org)
    _answers(org, teams, 900, theme)
    client = client_for(member_of(Role.AGENT))
    with django_assert_max_num_queries(40):
        assert client.get(reverse("voice:dashboard") + "?days=365").status_code == 200


def test_metric_value_counts_every_answer_of_the_days(org, team):
    today = timezone.localdate()
    at = timezone.now()
    for fcr, nps in ((True, 10), (True, 9), (False, 0), (None, 10)):
        ResponseFactory(organisation=org, team=team, fcr=fcr, nps=nps, answered_at=at)
    ResponseFactory(organisation=org, team=team, fcr=False, nps=0, answered_at=at - dt.timedelta(days=5))
    fcr = selectors.metric_value(organisation_id=org.pk, metric="fcr", start=today, end=today)
    assert fcr.n == 3 and fcr.value == pytest.approx(200 / 3)
    nps = selectors.metric_value(
        organisation_id=org.pk, metric="nps", start=today, end=today, team_id=team.pk
    )
    assert nps.n == 4 and nps.value == pytest.approx(50.0)
    assert selectors.metric_value(organisation_id=org.pk, metric="ces", start=today, end=today).n == 4
    yesterday = today - dt.timedelta(days=1)
    assert (
        selectors.metric_value(organisation_id=org.pk, metric="nps", start=yesterday, end=yesterday) is None
    )
