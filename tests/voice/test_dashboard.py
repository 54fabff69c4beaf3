import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.voice import selectors
from tests.voice.factories import FeedbackFactory, ResponseFactory, ThemeFactory


@pytest.fixture
def answers(org, team):
    now = timezone.now()
    for i in range(40):
        ResponseFactory(
            organisation=org,
            team=team,
            channel="phone",
            queue_ref="Puhelin",
            nps=10 if i % 2 else 8,
            csat=5 if i % 4 else 2,
            ces=6,
            answered_at=now - dt.timedelta(days=i),
            comment="Hyvä palvelu" if i < 3 else "",
            sentiment="positive" if i < 3 else "",
        )


def test_scores_by_team_have_intervals(member_of, answers, team):
    rows = selectors.scores_by(
        actor=member_of(Role.AGENT),
        metric="nps",
        dimension="team",
        since=timezone.now() - dt.timedelta(days=90),
        until=timezone.now(),
    )
    [row] = rows
    assert row.label == team.name and row.n == 40
    assert row.value == pytest.approx(50.0)
    assert row.low < 50.0 < row.high


def test_small_groups_warn(member_of, org):
    ResponseFactory(organisation=org, nps=9, answered_at=timezone.now())
    overall = selectors.scores_overall(
        actor=member_of(Role.AGENT),
        since=timezone.now() - dt.timedelta(days=1),
        until=timezone.now() + dt.timedelta(minutes=1),
    )
    assert overall["nps"].n == 1 and overall["nps"].warning


def test_other_organisations_answers_are_not_counted(member_of, other_org, answers):
    ResponseFactory.create_batch(5, organisation=other_org, nps=0, answered_at=timezone.now())
    overall = selectors.scores_overall(
        actor=member_of(Role.AGENT), since=timezone.now() - dt.timedelta(days=90), until=timezone.now()
    )
    assert overall["nps"].n == 40


def test_coach_cannot_read_the_dashboard(member_of, client_for, answers):
    coach = member_of(Role.COACH, in_team=False)
    with pytest.raises(PermissionDenied):
        selectors.scores_overall(actor=coach, since=timezone.now(), until=timezone.now())
    assert client_for(coach).get(reverse("voice:dashboard")).status_code == 403


def test_dashboard_page_for_an_agent(member_of, client_for, answers, org):
    theme = ThemeFactory(organisation=org, label="jonotus · aika")
    FeedbackFactory(organisation=org, theme=theme, text="Jonotin kauan", sentiment="negative")
    response = client_for(member_of(Role.AGENT)).get(reverse("voice:dashboard") + "?metric=csat&days=30")
    assert response.status_code == 200
    body = response.content.decode()
    assert "jonotus · aika" in body and "Jonotin kauan" in body and "Hyvä palvelu" in body
    assert 'data-chart="voice-trend"' in body and "plotly" in body


def test_this_week_quotes(member_of, answers):
    week = selectors.this_week(actor=member_of(Role.AGENT))
    assert week.responses == 7 and week.positive == ["Hyvä palvelu"] * 3


def test_trend_months_are_written_in_the_readers_language(member_of, client_for, answers):
    # "2026-06" on the axis was read by Plotly as a date and written "Jun 2026" on a Finnish page.
    import json

    from django.utils import formats, translation

    month = timezone.localdate().replace(day=1)
    response = client_for(member_of(Role.AGENT)).get(reverse("voice:dashboard") + "?metric=csat")
    assert response["Content-Language"] == "fi"
    with translation.override("fi"):
        finnish_month = formats.date_format(month, "YEAR_MONTH_FORMAT")
    assert finnish_month.split()[0].endswith("kuu")  # e.g. "marraskuu 2026"
    body = response.content.decode()
    assert f'<th scope="row">{finnish_month}</th>' in body
    figure = json.loads(body.split('id="voice-trend" type="application/json">')[1].split("</script>")[0])
    assert figure["data"][0]["x"][-1] == finnish_month and figure["layout"]["xaxis"]["type"] == "category"
    # CSAT in per cent with one decimal and its interval, as in the overall figures (was a rounded integer).
    row = body.split(f'<th scope="row">{finnish_month}</th>')[1].split("</tr>")[0]
    value = formats.number_format(figure["data"][0]["y"][-1], 1, use_l10n=True)
    assert f'<strong>{value}</strong> <span class="muted">(' in row


def test_theme_weeks_are_labelled_by_their_first_day():
    # "viikko -7" … "tämä viikko" were rotated and cut off on a phone; a short date fits.
    from types import SimpleNamespace

    from aspa.voice import charts

    theme = SimpleNamespace(weekly=[1, 2, 3, 4], theme=SimpleNamespace(label="jono · aika"))
    figure = charts.themes_figure([theme])
    start = timezone.localdate(timezone.now() - dt.timedelta(weeks=4))
    assert figure["data"][0]["x"][0] == f"{start.day}.{start.month}."
    assert len(figure["data"][0]["x"]) == 4 and all(len(x) <= 6 for x in figure["data"][0]["x"])
    assert figure["layout"]["xaxis"] == {"type": "category", "automargin": True}


def test_few_answers_warning_is_in_the_readers_language(member_of, client_for, org):
    # The engine's English "Only 3 answers (fewer than 30): …" was put as is into a Finnish page.
    from django.utils import translation

    for _i in range(3):
        ResponseFactory(organisation=org, nps=9, answered_at=timezone.now() - dt.timedelta(hours=1))
    response = client_for(member_of(Role.AGENT)).get(reverse("voice:dashboard"))
    body = response.content.decode()
    assert "fewer than" not in body
    with translation.override(response["Content-Language"]):
        title = translation.ngettext(
            "Only %(counter)s answer: the figure can swing a lot; read the interval.",
            "Only %(counter)s answers: the figure can swing a lot; read the interval.",
            3,
        ) % {"counter": 3}
    assert f'title="{title}"' in body


def test_filter_labels_stay_with_their_fields(member_of, client_for):
    # Bare label/field pairs in a wrapping row split on a phone: "Search [ ] Status" / "[All]".
    client = client_for(member_of(Role.AGENT))
    ideas = client.get(reverse("voice:ideas")).content.decode()
    dashboard = client.get(reverse("voice:dashboard")).content.decode()
    for body, ids in ((ideas, ("idea-q", "idea-status")), (dashboard, ("voice-days", "voice-metric"))):
        for field_id in ids:
            assert f'<div class="field"><label for="{field_id}">' in body


def test_ideas_page_links_to_its_form_at_the_top(member_of, client_for):
    body = client_for(member_of(Role.AGENT)).get(reverse("voice:ideas")).content.decode()
    assert body.index('href="#idea-new"') < body.index('class="filters"') < body.index('id="idea-new"')


def test_this_weeks_quotes_are_cut_to_a_readable_length(member_of, client_for, org):
    # A 5,000-character answer filled the whole "this week" card.
    ResponseFactory(
        organisation=org, nps=10, comment="Hyvä " * 1000, sentiment="positive", answered_at=timezone.now()
    )
    body = client_for(member_of(Role.AGENT)).get(reverse("voice:dashboard")).content.decode()
    quote = body.split("<h3>")[1].split("<q>")[1].split("</q>")[0]
    assert quote.startswith("Hyvä") and len(quote) <= 240 and quote.endswith("…")
