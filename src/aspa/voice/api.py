"""JSON endpoints of voice (mounted under /api/v1/): survey links in bulk, answers, feedback, scores.

The same services as the pages: answers and feedback are stored all or nothing, and a 422 lists the
bad items by their 1-based position ("Line 3: ...").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Router, Schema

from aspa.core.api import ERROR_RESPONSES
from aspa.core.tenancy import Actor
from aspa.voice import selectors, services
from aspa.voice.models import Source

router = Router(tags=["customer voice"])


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined]


class LinkIn(Schema):
    contact: str = ""
    channel: str = "phone"
    queue: str = ""
    team: str = ""
    agent: str = ""
    language: str = "fi"


class LinksIn(Schema):
    links: list[LinkIn] = Field(..., max_length=services.MAX_LINKS_PER_CALL)
    days: int = Field(services.LINK_DAYS, ge=1, le=365)


class LinkOut(Schema):
    contact: str
    url: str
    expires_at: dt.datetime


class ResponseItem(Schema):
    answered_at: dt.datetime | None = None
    channel: str = "phone"
    queue: str = ""
    team: str = ""
    agent: str = ""
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    fcr: bool | None = None
    comment: str = ""


class ResponsesIn(Schema):
    responses: list[ResponseItem] = Field(..., max_length=10000)


class FeedbackItem(Schema):
    text: str
    channel: str = "web"
    queue: str = ""
    team: str = ""
    received_at: dt.datetime | None = None


class FeedbackIn(Schema):
    feedback: list[FeedbackItem] = Field(..., max_length=10000)
    mask: bool = True


class CreatedOut(Schema):
    created: int


class ScoreOut(Schema):
    metric: str
    n: int
    value: float | None
    low: float | None
    high: float | None
    warning: str | None


@router.post(
    "/voice/surveys/{survey_id}/links",
    response={200: list[LinkOut], **ERROR_RESPONSES},
    summary="Create single-use survey links, one per contact",
)
def voice_links_create(request: HttpRequest, survey_id: int, payload: LinksIn) -> Any:
    actor = _actor(request)
    survey = selectors.survey_get(actor=actor, survey_id=survey_id)
    specs = [
        services.LinkSpec(
            contact_ref=x.contact,
            channel=x.channel,
            queue_ref=x.queue,
            team=x.team,
            agent=x.agent,
            language=x.language,
        )
        for x in payload.links
    ]
    pairs = services.link_create_bulk(actor=actor, survey=survey, specs=specs, days=payload.days)
    return [
        {
            "contact": link.contact_ref,
            "url": request.build_absolute_uri(reverse("voice:answer", args=[token])),
            "expires_at": link.expires_at,
        }
        for link, token in pairs
    ]


@router.post(
    "/voice/responses", response={200: CreatedOut, **ERROR_RESPONSES}, summary="Store survey answers"
)
def voice_responses_create(request: HttpRequest, payload: ResponsesIn) -> Any:
    rows = [
        services.ResponseIn(
            answered_at=r.answered_at,
            channel=r.channel,
            queue_ref=r.queue,
            team=r.team,
            agent=r.agent,
            nps=r.nps,
            csat=r.csat,
            ces=r.ces,
            fcr=r.fcr,
            comment=r.comment,
        )
        for r in payload.responses
    ]
    created = services.response_create_many(actor=_actor(request), rows=rows, source=Source.API)
    return {"created": len(created)}


@router.post(
    "/voice/feedback", response={200: CreatedOut, **ERROR_RESPONSES}, summary="Store free-text feedback"
)
def voice_feedback_create(request: HttpRequest, payload: FeedbackIn) -> Any:
    rows = [
        services.FeedbackIn(
            text=f.text, channel=f.channel, queue_ref=f.queue, team=f.team, received_at=f.received_at
        )
        for f in payload.feedback
    ]
    created = services.feedback_create_many(
        actor=_actor(request), rows=rows, source=Source.API, mask=payload.mask
    )
    return {"created": len(created)}


@router.get("/voice/scores", response={200: list[ScoreOut], **ERROR_RESPONSES}, summary="NPS, CSAT and CES")
def voice_scores(request: HttpRequest, days: int = 90) -> Any:
    until = timezone.now()
    overall = selectors.scores_overall(
        actor=_actor(request), since=until - dt.timedelta(days=max(1, min(days, 3650))), until=until
    )
    return [
        {"metric": m, "n": r.n, "value": r.value, "low": r.low, "high": r.high, "warning": r.warning}
        for m, r in overall.items()
    ]
