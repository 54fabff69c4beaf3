"""Reads of the voice app, always scoped to the acting membership's organisation.

Everything here is open to every member inside the organisation (agents included): the numbers and the
customers' words are the team's, not management's. Managing surveys, links and imports, and moving ideas
through their statuses, belongs to leads, managers and admins.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.core.roles import INSIDE_ROLES, Role
from aspa.core.tenancy import ERR_FORBIDDEN, Actor
from aspa.engine import cx
from aspa.engine.text import make_lemmatiser, stopwords_fi, tokenize
from aspa.org.models import Organisation, Team
from aspa.voice.models import (
    Feedback,
    Idea,
    IdeaComment,
    IdeaVote,
    Notification,
    Response,
    Story,
    Survey,
    SurveyLink,
    Theme,
)

MANAGER_ROLES = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN})
METRICS = ("nps", "csat", "ces")
DIMENSIONS = ("team", "channel", "queue")
SIMILAR_LIMIT = 5


def is_member(actor: Actor | None) -> bool:
    return actor is not None and actor.is_active and actor.role in INSIDE_ROLES


def can_manage(actor: Actor | None) -> bool:
    return actor is not None and actor.is_active and actor.role in MANAGER_ROLES


def require_member(actor: Actor | None) -> None:
    if not is_member(actor):
        raise PermissionDenied(_(ERR_FORBIDDEN))


def require_manage(actor: Actor | None) -> None:
    if not can_manage(actor):
        raise PermissionDenied(_(ERR_FORBIDDEN))


def _get(qs: QuerySet[Any], pk: int) -> Any:
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


# --- Surveys and links -------------------------------------------------------------------------------


def survey_list(*, actor: Actor) -> QuerySet[Survey]:
    require_member(actor)
    return (
        Survey.objects.filter(organisation_id=actor.organisation_id)
        .annotate(n_responses=Count("responses"))
        .order_by("name", "pk")
    )


def survey_get(*, actor: Actor, survey_id: int) -> Survey:
    return _get(survey_list(actor=actor), survey_id)


def link_list(*, actor: Actor, survey: Survey) -> QuerySet[SurveyLink]:
    require_manage(actor)
    return SurveyLink.objects.filter(organisation_id=actor.organisation_id, survey=survey).select_related(
        "team", "agent__user"
    )


def link_by_token_hash(*, token_hash: str) -> SurveyLink | None:
    """The link a customer holds (no actor: the token itself is the authority)."""
    return SurveyLink.objects.select_related("survey", "organisation").filter(token_hash=token_hash).first()


def teams_for(*, actor: Actor) -> QuerySet[Team]:
    require_member(actor)
    return Team.objects.filter(organisation_id=actor.organisation_id).order_by("name")


# --- Responses, feedback, stories --------------------------------------------------------------------


def response_list(*, actor: Actor) -> QuerySet[Response]:
    require_member(actor)
    return Response.objects.filter(organisation_id=actor.organisation_id).select_related(
        "team", "theme", "survey"
    )


def feedback_list(*, actor: Actor, theme_id: int | None = None) -> QuerySet[Feedback]:
    require_member(actor)
    qs = Feedback.objects.filter(organisation_id=actor.organisation_id).select_related("team", "theme")
    return qs.filter(theme_id=theme_id) if theme_id else qs


def story_list(*, actor: Actor) -> QuerySet[Story]:
    require_member(actor)
    return Story.objects.filter(organisation_id=actor.organisation_id).select_related("team", "author__user")


def story_get(*, actor: Actor, story_id: int) -> Story:
    return _get(story_list(actor=actor), story_id)


def theme_list(*, actor: Actor) -> QuerySet[Theme]:
    require_member(actor)
    return Theme.objects.filter(organisation_id=actor.organisation_id, is_active=True)


def theme_get(*, actor: Actor, theme_id: int) -> Theme:
    require_member(actor)
    return _get(Theme.objects.filter(organisation_id=actor.organisation_id), theme_id)


def texts_for_analysis(*, organisation_id: int) -> tuple[list[tuple[str, int, str]], int]:
    """(kind, id, text) of every comment and feedback text of the organisation (for the analysis job)."""
    rows: list[tuple[str, int, str]] = [
        ("response", pk, text)
        for pk, text in Response.objects.filter(organisation_id=organisation_id)
        .exclude(comment="")
        .values_list("pk", "comment")
    ]
    rows += [
        ("feedback", pk, text)
        for pk, text in Feedback.objects.filter(organisation_id=organisation_id).values_list("pk", "text")
    ]
    return rows, len(rows)


# --- Dashboard ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRow:
    label: str
    n: int
    value: float | None
    low: float | None
    high: float | None
    warning: str | None


def _metric_of(name: str) -> cx.Metric:
    return {"nps": cx.Metric.NPS, "csat": cx.Metric.CSAT, "ces": cx.Metric.CES}[name]


def _scale(metric: str, value: float) -> float:
    # CSAT is a share; people read it as a percentage.
    return value * 100.0 if metric == "csat" else value


def _row(label: str, metric: str, scores: Sequence[int] | np.ndarray) -> ScoreRow:
    if len(scores) == 0:
        return ScoreRow(label, 0, None, None, None, None)
    est = cx.estimate(_metric_of(metric), scores)
    return ScoreRow(
        label,
        est.n,
        _scale(metric, est.value),
        _scale(metric, est.interval.low),
        _scale(metric, est.interval.high),
        est.warning,
    )


def _responses_between(actor: Actor, since: dt.datetime, until: dt.datetime) -> QuerySet[Response]:
    return response_list(actor=actor).filter(answered_at__gte=since, answered_at__lt=until)


def _answer_counts(qs: QuerySet[Response], metric: str, *group: str) -> list[tuple[Any, ...]]:
    """(*group values, answer, how many) of one metric: the database counts, so a year of answers is a
    few dozen rows instead of every answer."""
    return list(
        qs.exclude(**{f"{metric}__isnull": True})
        .order_by()
        .values_list(*group, metric)
        .annotate(n=Count("pk"))
        .order_by(*group, metric)
    )


def _expand(pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """The answers back from (answer, how many) pairs; the estimates do not depend on the order."""
    values, counts = zip(*pairs, strict=True) if pairs else ((), ())
    return np.repeat(np.asarray(values, dtype=int), np.asarray(counts, dtype=int))


def scores_overall(*, actor: Actor, since: dt.datetime, until: dt.datetime) -> dict[str, ScoreRow]:
    # One scan: the database counts each (NPS, CSAT, CES) combination, Python adds up each metric.
    combos = list(
        _responses_between(actor, since, until).order_by().values_list(*METRICS).annotate(n=Count("pk"))
    )
    out = {}
    for i, metric in enumerate(METRICS):
        counts: Counter[int] = Counter()
        for combo in combos:
            if combo[i] is not None:
                counts[combo[i]] += combo[-1]
        out[metric] = _row(metric, metric, _expand(sorted(counts.items())))
    return out


DIMENSION_FIELDS = {"team": "team__name", "channel": "channel", "queue": "queue_ref"}


def scores_by_dimensions(
    *, actor: Actor, metric: str, since: dt.datetime, until: dt.datetime
) -> dict[str, list[ScoreRow]]:
    """The metric per team, per channel and per queue (each with its interval and small-sample warning),
    from one scan: the database counts the answers per (team, channel, queue, answer)."""
    if metric not in METRICS:
        raise Http404
    from aspa.voice.models import Channel

    fields = [DIMENSION_FIELDS[d] for d in DIMENSIONS]
    rows = _answer_counts(_responses_between(actor, since, until), metric, *fields)
    labels = dict(Channel.choices)
    out = {}
    for i, dimension in enumerate(DIMENSIONS):
        groups: dict[str, Counter[int]] = defaultdict(Counter)
        for row in rows:
            groups[row[i] or ""][row[-2]] += row[-1]
        scored = [
            _row(
                str(labels.get(key, key)) if dimension == "channel" else (key or _("Not given")),
                metric,
                _expand(sorted(counts.items())),
            )
            for key, counts in groups.items()
        ]
        out[dimension] = sorted(scored, key=lambda r: (-r.n, r.label))
    return out


def scores_by(
    *, actor: Actor, metric: str, dimension: str, since: dt.datetime, until: dt.datetime
) -> list[ScoreRow]:
    """The metric per team / channel / queue, with its interval and small-sample warning."""
    if metric not in METRICS or dimension not in DIMENSIONS:
        raise Http404
    return scores_by_dimensions(actor=actor, metric=metric, since=since, until=until)[dimension]


def month_starts(*, months: int, now: dt.datetime | None = None) -> list[dt.datetime]:
    now = timezone.localtime(now or timezone.now())
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    starts = [first]
    for _i in range(months - 1):
        starts.append((starts[-1] - dt.timedelta(days=1)).replace(day=1))
    return list(reversed(starts))


def metric_trend(*, actor: Actor, metric: str, months: int = 6) -> cx.Trend | None:
    """Monthly estimates of the metric over the last `months` months (None when there are no answers)."""
    if metric not in METRICS:
        raise Http404
    starts = month_starts(months=months)
    # The last bucket reaches a little past this month, as it always has (answers dated ahead count).
    until = timezone.localtime().replace(day=1) + dt.timedelta(days=32)
    bucket = time_bucket("answered_at", starts[1:])
    qs = (
        response_list(actor=actor)
        .filter(answered_at__gte=starts[0], answered_at__lt=until)
        .annotate(bucket=bucket)
    )
    buckets: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for index, value, n in _answer_counts(qs, metric, "bucket"):
        buckets[index].append((value, n))
    periods = [(f"{s:%Y-%m}", _expand(buckets.get(i, []))) for i, s in enumerate(starts)]
    if not any(len(scores) for _label, scores in periods):
        return None
    return cx.trend(_metric_of(metric), periods)


@dataclass(frozen=True)
class ThemeSummary:
    theme: Theme
    total: int
    weekly: list[int]
    negative_share: float | None
    examples: list[str]


def time_bucket(field: str, bounds: Sequence[dt.datetime]) -> Case:
    """Which bucket a time falls in: 0 before `bounds[0]`, i before `bounds[i]`, len(bounds) from the last
    bound on; computed by the database with plain comparisons (portable, and no time-zone truncation per
    row), so only counts come back."""
    return Case(
        *(When(**{f"{field}__lt": bound}, then=Value(i)) for i, bound in enumerate(bounds)),
        default=Value(len(bounds)),
        output_field=IntegerField(),
    )


def week_bucket(field: str, *, since: dt.datetime, weeks: int) -> Case:
    """Which of `weeks` seven-day buckets from `since` a time falls in (0 the oldest; later times go
    in the last one)."""
    return time_bucket(field, [since + dt.timedelta(weeks=i + 1) for i in range(weeks - 1)])


def _theme_texts(actor: Actor) -> list[tuple[QuerySet[Any], str, str]]:
    """The two kinds of themed text: (queryset, time field, text field)."""
    return [
        (response_list(actor=actor), "answered_at", "comment"),
        (feedback_list(actor=actor), "received_at", "text"),
    ]


def _newest_texts(
    qs: QuerySet[Any], at_field: str, text_field: str, since: dt.datetime, needed: dict[int, int]
) -> dict[int, list[str]]:
    """The `needed[theme id]` newest texts of each theme, newest first.

    A theme's newest texts are nearly always recent: rank the recent ones first and go through the
    whole history only for themes that have too few recent ones (ranking every text sorts them all)."""

    def ranked(rows: QuerySet[Any], theme_ids: list[int]) -> dict[int, list[str]]:
        found: dict[int, list[str]] = defaultdict(list)
        for theme_id, text in (
            rows.filter(theme_id__in=theme_ids)
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=F("theme_id"), order_by=[F(at_field).desc(), F("pk").desc()]
                )
            )
            .filter(rank__lte=max(needed.values()))
            .order_by("theme_id", "rank")
            .values_list("theme_id", text_field)
        ):
            if len(found[theme_id]) < needed[theme_id]:
                found[theme_id].append(text)
        return found

    wanted = [theme_id for theme_id, n in needed.items() if n > 0]
    if not wanted:
        return {}
    found = ranked(qs.filter(**{f"{at_field}__gte": since}), wanted)
    lacking = [theme_id for theme_id in wanted if len(found[theme_id]) < needed[theme_id]]
    if lacking:
        found.update(ranked(qs, lacking))
    return found


def theme_overview(*, actor: Actor, weeks: int = 8, examples: int = 3) -> list[ThemeSummary]:
    """Active themes with their weekly counts (oldest first), share of negative texts and example comments
    (the newest survey comments, topped up with the newest feedback).

    The database counts the totals and picks the examples; only the last `weeks` weeks' timestamps are
    read, so the page costs the same with a year of texts as with a month."""
    themes = list(theme_list(actor=actor))
    if not themes:
        return []
    now = timezone.now()
    since = now - dt.timedelta(weeks=weeks)
    counts: dict[int, list[int]] = {t.pk: [0] * weeks for t in themes}
    totals: Counter[int] = Counter()
    negatives: Counter[int] = Counter()
    samples: dict[int, list[str]] = defaultdict(list)
    for qs, at_field, text_field in _theme_texts(actor):
        qs = qs.filter(theme__in=themes)
        for theme_id, total, negative in (
            qs.order_by()
            .values_list("theme_id")
            .annotate(total=Count("pk"), negative=Count("pk", filter=Q(sentiment="negative")))
        ):
            totals[theme_id] += total
            negatives[theme_id] += negative
        for theme_id, week, n in (
            qs.filter(**{f"{at_field}__gte": since})
            .annotate(week=week_bucket(at_field, since=since, weeks=weeks))
            .order_by()
            .values_list("theme_id", "week")
            .annotate(n=Count("pk"))
        ):
            counts[theme_id][week] += n
        needed = {t.pk: examples - len(samples[t.pk]) for t in themes}
        for theme_id, texts in _newest_texts(qs, at_field, text_field, since, needed).items():
            samples[theme_id] += texts
    return [
        ThemeSummary(
            t,
            totals[t.pk],
            counts[t.pk],
            negatives[t.pk] / totals[t.pk] if totals[t.pk] else None,
            samples[t.pk],
        )
        for t in themes
    ]


@dataclass(frozen=True)
class Week:
    responses: int
    nps: ScoreRow
    positive: list[str]
    negative: list[str]
    top_themes: list[tuple[str, int]]


def this_week(*, actor: Actor, now: dt.datetime | None = None, quotes: int = 3) -> Week:
    """What customers said in the last seven days: for the morning huddle.

    Quotes are the newest survey comments of each tone, topped up with the newest feedback; the most
    talked-about themes count both. Counting and picking happen in the database."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=7)
    qs = _responses_between(actor, since, now)
    texts: list[tuple[QuerySet[Any], str]] = [
        (qs.exclude(comment=""), "comment"),
        (feedback_list(actor=actor).filter(received_at__gte=since), "text"),
    ]

    def quoted(sentiment: str) -> list[str]:
        found: list[str] = []
        for texts_qs, field in texts:
            if len(found) < quotes:
                found += texts_qs.filter(sentiment=sentiment).values_list(field, flat=True)[
                    : quotes - len(found)
                ]
        return found

    themes: Counter[str] = Counter()
    for texts_qs, _field in texts:
        for label, n in (
            texts_qs.filter(theme__isnull=False)
            .order_by()
            .values_list("theme__label")
            .annotate(n=Count("pk"))
        ):
            themes[label] += n
    return Week(
        responses=qs.count(),
        nps=_row("nps", "nps", _expand(_answer_counts(qs, "nps"))),
        positive=quoted("positive"),
        negative=quoted("negative"),
        top_themes=sorted(themes.items(), key=lambda pair: (-pair[1], pair[0]))[:3],
    )


def scores_for_experiment(
    *,
    actor: Actor,
    metric: str,
    team_ids: Iterable[int],
    queue_refs: Iterable[str],
    since: dt.date,
    until: dt.date,
) -> list[int]:
    """Answers of one metric ("nps", "csat", "ces" or "fcr" as 1/0) for teams/queues between two days.

    Used by aspa.roadmap to measure experiments; scoped to the actor's organisation.
    """
    require_member(actor)
    field = {"nps": "nps", "csat": "csat", "ces": "ces", "fcr": "fcr"}[metric]
    tz = timezone.get_current_timezone()
    qs = Response.objects.filter(
        organisation_id=actor.organisation_id,
        answered_at__gte=dt.datetime.combine(since, dt.time(0), tzinfo=tz),
        answered_at__lt=dt.datetime.combine(until + dt.timedelta(days=1), dt.time(0), tzinfo=tz),
    ).exclude(**{f"{field}__isnull": True})
    team_ids, queue_refs = list(team_ids), list(queue_refs)
    if team_ids or queue_refs:
        qs = qs.filter(Q(team_id__in=team_ids) | Q(queue_ref__in=queue_refs))
    values = list(qs.values_list(field, flat=True))
    return [int(v) for v in values]


# --- Ideas --------------------------------------------------------------------------------------------


def _count_per_idea(model: type[IdeaVote] | type[IdeaComment]) -> Coalesce:
    rows = model.objects.filter(idea=OuterRef("pk")).order_by().values("idea").annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), 0)


def idea_list(*, actor: Actor, status: str = "", query: str = "") -> QuerySet[Idea]:
    require_member(actor)
    qs = (
        Idea.objects.filter(organisation_id=actor.organisation_id)
        .select_related("author__user", "team")
        .annotate(
            # Counted per idea by subqueries: joining votes and comments at once multiplies the rows.
            n_votes=_count_per_idea(IdeaVote),
            n_comments=_count_per_idea(IdeaComment),
            voted=Exists(IdeaVote.objects.filter(idea=OuterRef("pk"), membership=actor)),
        )
        .order_by("-n_votes", "-created_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(body__icontains=query))
    return qs


def idea_get(*, actor: Actor, idea_id: int) -> Idea:
    return _get(idea_list(actor=actor), idea_id)


def idea_comments(*, actor: Actor, idea: Idea) -> QuerySet[IdeaComment]:
    require_member(actor)
    return IdeaComment.objects.filter(idea__organisation_id=actor.organisation_id, idea=idea).select_related(
        "author__user"
    )


@functools.cache
def _text_tools() -> tuple[Any, frozenset[str]]:
    # Built once per process: the stop-word file and the lemmatiser were made anew for every title.
    return make_lemmatiser("auto"), stopwords_fi()


@functools.lru_cache(maxsize=4096)
def _title_lemmas(text: str) -> frozenset[str]:
    lem, stop = _text_tools()
    return frozenset({lem.lemma(t) for t in tokenize(text) if len(t) > 2 and t not in stop} - stop)


def lemma_set(text: str) -> set[str]:
    """Content lemmas of a short text (stop words and very short words left out)."""
    return set(_title_lemmas(text))


def idea_similar(
    *, organisation_id: int, title: str, limit: int = SIMILAR_LIMIT, exclude_id: int | None = None
) -> list[Idea]:
    """Ideas whose titles share lemmas with `title` (Jaccard overlap), best first: duplicate hints."""
    wanted = lemma_set(title)
    if not wanted:
        return []
    scored = []
    for idea in Idea.objects.filter(organisation_id=organisation_id).order_by("-created_at")[:500]:
        if idea.pk == exclude_id:
            continue
        theirs = _title_lemmas(idea.title)
        overlap = len(wanted & theirs)
        if overlap:
            scored.append((overlap / len(wanted | theirs), idea.pk, idea))
    scored.sort(key=lambda s: (-s[0], -s[1]))
    return [idea for _score, _pk, idea in scored[:limit]]


def organisation_public(*, slug: str) -> Organisation:
    try:
        return Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404 from exc


# --- Notifications ------------------------------------------------------------------------------------


def notification_list(*, actor: Actor) -> QuerySet[Notification]:
    require_member(actor)
    return Notification.objects.filter(organisation_id=actor.organisation_id, recipient=actor)


def notification_unread_count(*, actor: Actor) -> int:
    return notification_list(actor=actor).filter(read_at__isnull=True).count()


# --- Figures for other apps (teamwork goals, coaching agendas, huddle boards) ---------------------------


@dataclass(frozen=True)
class MetricValue:
    """One customer metric over a period: NPS in points, CSAT and FCR in per cent, CES on its scale."""

    metric: str
    value: float
    n: int
    start: dt.date
    end: dt.date


def metric_value(
    *,
    organisation_id: int,
    metric: str,
    start: dt.date,
    end: dt.date,
    team_id: int | None = None,
    agent_membership_id: int | None = None,
) -> MetricValue | None:
    """NPS / CSAT / CES / FCR of the organisation's answers on days start..end (both included), narrowed to
    an agent (answers attributed to them) or else a team; None without answers. Read-only and scoped by the
    organisation id alone because goals follow it without an acting member."""
    if metric not in (*METRICS, "fcr"):
        raise ValueError(metric)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    qs = Response.objects.filter(
        organisation_id=organisation_id, answered_at__gte=since, answered_at__lt=until
    )
    if agent_membership_id is not None:
        qs = qs.filter(agent_id=agent_membership_id)
    elif team_id is not None:
        qs = qs.filter(team_id=team_id)
    values = _expand(_answer_counts(qs, metric))  # FCR: 1 resolved, 0 not
    if len(values) == 0:
        return None
    if metric == "fcr":
        value = 100.0 * int(np.count_nonzero(values)) / len(values)
    else:
        value = _scale(metric, cx.estimate(_metric_of(metric), values).value)
    return MetricValue(metric=metric, value=value, n=len(values), start=start, end=end)


@dataclass(frozen=True)
class Comment:
    text: str
    answered_at: dt.datetime
    sentiment: str
    team_name: str


def recent_comments(
    *,
    actor: Actor,
    agent: Any = None,
    team: Team | None = None,
    since: dt.datetime | None = None,
    limit: int = 5,
) -> list[Comment]:
    """The newest customer comments attributed to an agent (a membership) or else to a team."""
    qs = response_list(actor=actor).exclude(comment="")
    if agent is not None:
        qs = qs.filter(agent_id=agent.pk)
    elif team is not None:
        qs = qs.filter(team_id=team.pk)
    if since is not None:
        qs = qs.filter(answered_at__gte=since)
    return [
        Comment(text=text, answered_at=at, sentiment=sentiment or "", team_name=team_name or "")
        for text, at, sentiment, team_name in qs.order_by("-answered_at", "-pk").values_list(
            "comment", "answered_at", "sentiment", "team__name"
        )[:limit]
    ]
