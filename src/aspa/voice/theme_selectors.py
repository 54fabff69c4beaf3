"""Reads behind the theme page and the personal-data clean-up page, scoped to the actor's organisation.

Kept apart from selectors.py, which other apps extend with their read-only figures.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from aspa.core.tenancy import Actor
from aspa.voice.masking import mask_personal_data
from aspa.voice.models import Channel, Feedback, Sentiment, Theme
from aspa.voice.selectors import feedback_list, require_manage, response_list, theme_get

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


@dataclass(frozen=True)
class ThemeDetail:
    theme: Theme
    texts: list[ThemeText]
    sentiments: list[tuple[str, str, int]]  # (value, label, count) of every sentiment, zeros included
    weeks: list[ThemeWeek]  # oldest first
    trend: int  # texts in the last four weeks minus the four before

    @property
    def fewer(self) -> int:
        return -self.trend


def theme_detail(*, actor: Actor, theme_id: int, now: dt.datetime | None = None) -> ThemeDetail:
    """A theme (also an inactive one) with all its texts newest first, sentiment counts and weekly trend."""
    theme = theme_get(actor=actor, theme_id=theme_id)
    now = now or timezone.now()
    texts = [
        ThemeText("response", at, text, sentiment, channel, team or "")
        for at, text, sentiment, channel, team in response_list(actor=actor)
        .filter(theme=theme)
        .exclude(comment="")
        .values_list("answered_at", "comment", "sentiment", "channel", "team__name")
    ] + [
        ThemeText("feedback", at, text, sentiment, channel, team or "")
        for at, text, sentiment, channel, team in feedback_list(actor=actor)
        .filter(theme=theme)
        .values_list("received_at", "text", "sentiment", "channel", "team__name")
    ]
    texts.sort(key=lambda t: t.at, reverse=True)
    counts = Counter(t.sentiment for t in texts if t.sentiment)
    since = now - dt.timedelta(weeks=TREND_WEEKS)
    totals = [0] * TREND_WEEKS
    negatives = [0] * TREND_WEEKS
    for t in texts:
        if t.at < since:
            break
        week = min(TREND_WEEKS - 1, int((t.at - since).total_seconds() // (7 * 86400)))
        totals[week] += 1
        negatives[week] += t.sentiment == Sentiment.NEGATIVE
    weeks = [
        ThemeWeek(timezone.localdate(since + dt.timedelta(weeks=i)), totals[i], negatives[i])
        for i in range(TREND_WEEKS)
    ]
    return ThemeDetail(
        theme=theme,
        texts=texts,
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
