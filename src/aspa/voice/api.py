"""JSON endpoints of voice (mounted under /api/v1/): survey links in bulk, answers, feedback, scores.

The same services as the pages: answers and feedback are stored all or nothing, and a 422 lists the
bad items by their 1-based position ("Line 3: ...") under the list's name in `errors`. The schemas are
strict, so an integrator's mistake is refused rather than stored half: an unknown field (a typo such as
`npss`), a time without a UTC offset, or a text longer than the database keeps is a field-level 422.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from pydantic import AwareDatetime, ConfigDict, field_validator

from aspa.core.api import BODY_ERROR_RESPONSES, ERROR_RESPONSES
from aspa.core.tenancy import Actor
from aspa.voice import selectors, services
from aspa.voice.models import Source

T = TypeVar("T")
# The longest reference (contact, queue, team name) the database keeps; longer ones are refused.
MAX_REF = 120
MAX_EMAIL = 254
MAX_ITEMS_PER_CALL = 10000
SCORE_DAYS_MAX = 3650
# A sender's clock may run a little ahead; beyond this a time is a mistake (it would skew the scores).
CLOCK_SKEW = dt.timedelta(minutes=5)
ERR_IN_FUTURE = gettext_noop("The time is in the future.")


def _not_in_future(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value > timezone.now() + CLOCK_SKEW:
        raise ValueError(_(ERR_IN_FUTURE))
    return value


router = Router(tags=["customer voice"])


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined]


def _per_item(field: str, call: Callable[[], T]) -> T:
    """Run a bulk service; its item errors ("Line 3: ...") go under `field` in the 422's `errors`."""
    try:
        return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({field: exc.messages}) from exc


class StrictSchema(Schema):
    """Unknown fields are refused, not ignored: a misspelt `csat` must not drop the answer silently."""

    model_config = ConfigDict(extra="forbid")


class LinkIn(StrictSchema):
    contact: str = Field("", max_length=MAX_REF)
    channel: str = "phone"
    queue: str = Field("", max_length=MAX_REF)
    team: str = Field("", max_length=MAX_REF)
    agent: str = Field("", max_length=MAX_EMAIL, description="The agent's e-mail address in Aspa.")
    language: Literal["fi", "sv", "en"] = "fi"


class LinksIn(StrictSchema):
    links: list[LinkIn] = Field(..., max_length=services.MAX_LINKS_PER_CALL)
    days: int = Field(services.LINK_DAYS, ge=1, le=365)


class LinkOut(Schema):
    contact: str
    url: str
    expires_at: dt.datetime


class ResponseItem(StrictSchema):
    answered_at: AwareDatetime | None = Field(
        None, description="ISO 8601 with a UTC offset (2025-02-03T10:00:00+02:00); empty: now."
    )
    channel: str = "phone"
    queue: str = Field("", max_length=MAX_REF)
    team: str = Field("", max_length=MAX_REF)
    agent: str = Field("", max_length=MAX_EMAIL, description="The agent's e-mail address in Aspa.")
    nps: int | None = Field(None, description="0–10")
    csat: int | None = Field(None, description="1–5")
    ces: int | None = Field(None, description="1–7")
    fcr: bool | None = None
    comment: str = Field("", max_length=services.MAX_TEXT)
    external_id: str = Field(
        "",
        max_length=services.MAX_EXTERNAL_ID,
        description="Your own id of the answer (unique in the organisation): an answer sent again with an "
        "id Aspa already holds is skipped, so a retry never doubles.",
    )

    _answered_at = field_validator("answered_at")(_not_in_future)


class ResponsesIn(StrictSchema):
    responses: list[ResponseItem] = Field(..., max_length=MAX_ITEMS_PER_CALL)


class FeedbackItem(StrictSchema):
    text: str = Field(..., max_length=services.MAX_TEXT)
    channel: str = "web"
    queue: str = Field("", max_length=MAX_REF)
    team: str = Field("", max_length=MAX_REF)
    received_at: AwareDatetime | None = Field(
        None, description="ISO 8601 with a UTC offset (2025-02-03T10:00:00+02:00); empty: now."
    )
    external_id: str = Field(
        "",
        max_length=services.MAX_EXTERNAL_ID,
        description="Your own id of the item (unique in the organisation): sent again, it is skipped.",
    )

    _received_at = field_validator("received_at")(_not_in_future)


class FeedbackIn(StrictSchema):
    feedback: list[FeedbackItem] = Field(..., max_length=MAX_ITEMS_PER_CALL)
    mask: bool = True


class CreatedOut(Schema):
    created: int
    skipped: int = Field(0, description="Items whose external_id Aspa already held (sent before).")


class ScoreOut(Schema):
    metric: str
    n: int
    value: float | None
    low: float | None
    high: float | None
    warning: str | None


@router.post(
    "/voice/surveys/{survey_id}/links",
    response={200: list[LinkOut], **BODY_ERROR_RESPONSES},
    summary="Create single-use survey links, one per contact",
)
def voice_links_create(request: HttpRequest, survey_id: int, payload: LinksIn) -> Any:
    """One link per item (at most 5000 a call), all or nothing; leads, managers and admins.

    Not idempotent: sending the same batch again makes new links (the earlier ones stay valid until
    they expire or are answered). Each link's URL is shown only in this answer.
    """
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
    pairs = _per_item(
        "links",
        lambda: services.link_create_bulk(actor=actor, survey=survey, specs=specs, days=payload.days),
    )
    return [
        {
            "contact": link.contact_ref,
            "url": request.build_absolute_uri(reverse("voice:answer", args=[token])),
            "expires_at": link.expires_at,
        }
        for link, token in pairs
    ]


@router.post(
    "/voice/responses", response={200: CreatedOut, **BODY_ERROR_RESPONSES}, summary="Store survey answers"
)
def voice_responses_create(request: HttpRequest, payload: ResponsesIn) -> Any:
    """Answers collected elsewhere (at most 10000 a call), all or nothing; leads, managers and admins.

    Idempotent per item when you give each answer your own `external_id`: after a timeout send the
    same batch again, and the answers Aspa already holds are skipped (`skipped` counts them). Without
    ids a batch sent twice is stored twice.
    """
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
            external_id=r.external_id,
        )
        for r in payload.responses
    ]
    created = _per_item(
        "responses",
        lambda: services.response_create_many(actor=_actor(request), rows=rows, source=Source.API),
    )
    return {"created": len(created), "skipped": len(rows) - len(created)}


@router.post(
    "/voice/feedback", response={200: CreatedOut, **BODY_ERROR_RESPONSES}, summary="Store free-text feedback"
)
def voice_feedback_create(request: HttpRequest, payload: FeedbackIn) -> Any:
    """Free-text feedback (at most 10000 items a call), all or nothing; any member of the organisation.

    Personal data (phone numbers, e-mail addresses, ...) is masked unless `mask` is false (leads and
    up only). Idempotent per item with your own `external_id` (kept ones are skipped); without ids a
    batch sent twice is stored twice.
    """
    rows = [
        services.FeedbackIn(
            text=f.text,
            channel=f.channel,
            queue_ref=f.queue,
            team=f.team,
            received_at=f.received_at,
            external_id=f.external_id,
        )
        for f in payload.feedback
    ]
    created = _per_item(
        "feedback",
        lambda: services.feedback_create_many(
            actor=_actor(request), rows=rows, source=Source.API, mask=payload.mask
        ),
    )
    return {"created": len(created), "skipped": len(rows) - len(created)}


@router.get("/voice/scores", response={200: list[ScoreOut], **ERROR_RESPONSES}, summary="NPS, CSAT and CES")
def voice_scores(
    request: HttpRequest,
    days: int = Query(90, ge=1, le=SCORE_DAYS_MAX, description="The window: answers of the last N days."),
) -> Any:
    """Each metric over the window with its confidence interval (low, high); `warning` when the sample is small."""
    until = timezone.now()
    overall = selectors.scores_overall(
        actor=_actor(request), since=until - dt.timedelta(days=days), until=until
    )
    return [
        {"metric": m, "n": r.n, "value": r.value, "low": r.low, "high": r.high, "warning": r.warning}
        for m, r in overall.items()
    ]
