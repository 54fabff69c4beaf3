"""People correct the model's sentiment, and see how well the model agrees with them.

The sentiment model was trained on Finnish film subtitles (the only open labelled Finnish data); an
organisation's own feedback is another domain. Leads, managers and administrators fix a label where the
model is wrong; the fix is kept through later analyses, audited, and can be undone. Every correction is
also a labelled example of the organisation's own texts, so the page shows — to everyone, like all
customer data here — how often the model agreed with the people on them.

`sentiment_correct` writes (a service); `sentiment_agreement` and `corrections_list` read (selectors).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aspa.core.audit import audit_record
from aspa.core.tenancy import Actor
from aspa.engine.text import LABELS
from aspa.engine.text.agreement import Agreement, agreement
from aspa.voice.models import Feedback, Response, Sentiment
from aspa.voice.selectors import require_manage, require_member

KINDS: dict[str, Any] = {"response": Response, "feedback": Feedback}
MODEL_LABEL = "model"  # "undo": back to what the model said
# Below this many corrections the figures are shown with a warning: one lead's dozen fixes are not a test.
SMALL_SAMPLE = 50
ERR_SENTIMENT = gettext_noop("Choose negative, neutral or positive.")


def _text_object(actor: Actor, kind: str, pk: int, *, lock: bool = False) -> Response | Feedback:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    qs = model.objects.filter(organisation_id=actor.organisation_id)
    if lock:
        qs = qs.select_for_update()
    found = qs.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@transaction.atomic
def sentiment_correct(*, actor: Actor, kind: str, pk: int, sentiment: str) -> Response | Feedback:
    """Set a text's sentiment by hand (`sentiment="model"` goes back to the model's label)."""
    require_manage(actor)
    obj = _text_object(actor, kind, pk, lock=True)
    before = obj.sentiment
    if sentiment == MODEL_LABEL:
        obj.sentiment = obj.sentiment_model
        obj.sentiment_corrected_at = None
        obj.sentiment_corrected_by = None
    elif sentiment in Sentiment.values:
        obj.sentiment = sentiment
        obj.sentiment_corrected_at = timezone.now()
        obj.sentiment_corrected_by = actor
    else:
        raise ValidationError(_(ERR_SENTIMENT), code="sentiment")
    obj.save(update_fields=["sentiment", "sentiment_corrected_at", "sentiment_corrected_by"])
    audit_record(
        organisation=actor.organisation,
        actor=actor.user,
        action="sentiment.correct" if obj.sentiment_corrected_at else "sentiment.reset",
        target=obj,
        changes={"sentiment": [before, obj.sentiment], "model": obj.sentiment_model},
    )
    return obj


@dataclass(frozen=True)
class Correction:
    kind: str
    pk: int
    text: str
    at: Any
    sentiment: str
    sentiment_model: str
    corrected_at: Any
    corrected_by: str

    @property
    def label(self) -> str:
        return str(Sentiment(self.sentiment).label) if self.sentiment in Sentiment.values else ""

    @property
    def model_label(self) -> str:
        return str(Sentiment(self.sentiment_model).label) if self.sentiment_model in Sentiment.values else ""


def _corrected(actor: Actor) -> tuple[QuerySet[Response], QuerySet[Feedback]]:
    require_member(actor)
    org = actor.organisation_id
    return (
        Response.objects.filter(organisation_id=org, sentiment_corrected_at__isnull=False),
        Feedback.objects.filter(organisation_id=org, sentiment_corrected_at__isnull=False),
    )


def corrections_list(*, actor: Actor) -> list[Correction]:
    """Every corrected text of the organisation, newest correction first."""
    responses, feedback = _corrected(actor)
    rows = [
        Correction(kind, pk, text, at, label, model_label, corrected_at, name or "")
        for kind, qs, text_field, at_field in (
            ("response", responses, "comment", "answered_at"),
            ("feedback", feedback, "text", "received_at"),
        )
        for pk, text, at, label, model_label, corrected_at, name in qs.values_list(
            "pk",
            text_field,
            at_field,
            "sentiment",
            "sentiment_model",
            "sentiment_corrected_at",
            "sentiment_corrected_by__user__full_name",
        )
    ]
    return sorted(rows, key=lambda c: (c.corrected_at, c.kind, c.pk), reverse=True)


def sentiment_agreement(*, actor: Actor) -> Agreement:
    """The model's labels against the people's on every corrected or confirmed text of the organisation."""
    responses, feedback = _corrected(actor)
    pairs = list(responses.values_list("sentiment", "sentiment_model")) + list(
        feedback.values_list("sentiment", "sentiment_model")
    )
    return agreement([p for p, _ in pairs], [m for _, m in pairs], LABELS)
