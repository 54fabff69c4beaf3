"""Reads behind the theme page and the personal-data clean-up page, scoped to the actor's organisation.

Kept apart from selectors.py, which other apps extend with their read-only figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Count, F, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from aspa.core.tenancy import Actor
from aspa.voice.masking import mask_personal_data
from aspa.voice.models import Channel, Feedback, Sentiment, Theme
from aspa.voice.selectors import feedback_list, require_manage, response_list, theme_get, week_bucket

TREND_WEEKS = 12
# The clean-up page looks at this many of the newest texts: enough for what arrives between clean-ups.
SCAN_LIMIT = 5000


@dataclass(frozen=True)
class ThemeText:
    """One text of a theme: a survey comment or a piece of feedback."""

    kind: str  # "response" or "feedback"
    at: dt.datetime
    text: str
    sentiment: str
    channel: str
    team: str

    @property
    def sentiment_label(self) -> str:
        return str(Sentiment(self.sentiment).label) if self.sentiment in Sentiment.values else ""

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label) if self.channel in Channel.values else self.channel


@dataclass(frozen=True)
class ThemeWeek:
    start: dt.date
    total: int
    negative: int


class ThemeTexts(Sequence[ThemeText]):
    """A theme's survey comments and feedback, newest first, read from the database a slice at a time.

    A lazy sequence, so the page's paginator fetches one page (a UNION of the two kinds) instead of
    every text of the theme; a theme of a busy year holds thousands."""

    def __init__(self, responses: QuerySet[Any], feedback: QuerySet[Any]) -> None:
        self._responses = responses
        self._feedback = feedback
        self._count: int | None = None

    def __len__(self) -> int:
        if self._count is None:
            self._count = self._responses.count() + self._feedback.count()
        return self._count

    def _rows(self) -> QuerySet[Any]:
        columns = ("kind", "at", "body", "sentiment", "channel", "team_label", "pk")

        def one(qs: QuerySet[Any], kind: str, at: str, body: str) -> QuerySet[Any]:
            return (
                qs.order_by()
                .annotate(kind=Value(kind), at=F(at), body=F(body), team_label=F("team__name"))
                .values_list(*columns)
            )

        # On equal times a survey answer comes before feedback ("response" > "feedback").
        return (
            one(self._responses, "response", "answered_at", "comment")
            .union(one(self._feedback, "feedback", "received_at", "text"), all=True)
            .order_by("-at", "-kind", "-pk")
        )

    @overload
    def __getitem__(self, index: int) -> ThemeText: ...

    @overload
    def __getitem__(self, index: slice) -> list[ThemeText]: ...

    def __getitem__(self, index: int | slice) -> ThemeText | list[ThemeText]:
        if isinstance(index, int):
            found = self[index : index + 1] if index >= 0 else list(self)[index:][:1]
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step not in (None, 1) or (index.start or 0) < 0 or (index.stop or 0) < 0:
            return list(self)[index]
        return [
            ThemeText(kind, at, text, sentiment, channel, team or "")
            for kind, at, text, sentiment, channel, team, _pk in self._rows()[index]
        ]

    def __iter__(self) -> Iterator[ThemeText]:
        return iter(self[0 : len(self)])


@dataclass(frozen=True)
class ThemeDetail:
    theme: Theme
    texts: ThemeTexts
    sentiments: list[tuple[str, str, int]]  # (value, label, count) of every sentiment, zeros included
    weeks: list[ThemeWeek]  # oldest first
    trend: int  # texts in the last four weeks minus the four before

    @property
    def fewer(self) -> int:
        return -self.trend


def theme_detail(*, actor: Actor, theme_id: int, now: dt.datetime | None = None) -> ThemeDetail:
    """A theme (also an inactive one) with its texts newest first, sentiment counts and weekly trend.

    The database counts the sentiments; only the trend weeks' (time, sentiment) pairs are read."""
    theme = theme_get(actor=actor, theme_id=theme_id)
    now = now or timezone.now()
    kinds: list[tuple[QuerySet[Any], str]] = [
        (response_list(actor=actor).filter(theme=theme).exclude(comment=""), "answered_at"),
        (feedback_list(actor=actor).filter(theme=theme), "received_at"),
    ]
    counts: Counter[str] = Counter()
    since = now - dt.timedelta(weeks=TREND_WEEKS)
    totals = [0] * TREND_WEEKS
    negatives = [0] * TREND_WEEKS
    for qs, at_field in kinds:
        for sentiment, n in (
            qs.exclude(sentiment="").order_by().values_list("sentiment").annotate(n=Count("pk"))
        ):
            counts[sentiment] += n
        for week, total, negative in (
            qs.filter(**{f"{at_field}__gte": since})
            .annotate(week=week_bucket(at_field, since=since, weeks=TREND_WEEKS))
            .order_by()
            .values_list("week")
            .annotate(total=Count("pk"), negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)))
        ):
            totals[week] += total
            negatives[week] += negative
    weeks = [
        ThemeWeek(timezone.localdate(since + dt.timedelta(weeks=i)), totals[i], negatives[i])
        for i in range(TREND_WEEKS)
    ]
    return ThemeDetail(
        theme=theme,
        texts=ThemeTexts(kinds[0][0], kinds[1][0]),
        sentiments=[(value, str(label), counts.get(value, 0)) for value, label in Sentiment.choices],
        weeks=weeks,
        trend=sum(totals[-4:]) - sum(totals[-8:-4]),
    )


@dataclass(frozen=True)
class PersonalDataHit:
    feedback: Feedback
    masked: str


def feedback_with_personal_data(*, actor: Actor) -> list[PersonalDataHit]:
    """Feedback whose text still holds something masking would hide (newest first); for managers."""
    require_manage(actor)
    hits = []
    for feedback in feedback_list(actor=actor)[:SCAN_LIMIT]:
        masked = mask_personal_data(feedback.text)
        if masked != feedback.text:
            hits.append(PersonalDataHit(feedback, masked))
    return hits


def feedback_get_for_masking(*, actor: Actor, feedback_id: int) -> Feedback:
    require_manage(actor)
    try:
        return feedback_list(actor=actor).get(pk=feedback_id)
    except Feedback.DoesNotExist as exc:
        raise Http404 from exc
