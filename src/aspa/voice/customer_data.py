"""A customer's own data request (GDPR art. 15 and 17): find, export and erase what names them.

Customers are not users of Aspa, so `aspa.core.personal_data` (which works per user account) does not
reach them. What can identify a customer here: the contact reference of a survey link (a CRM id, an
e-mail address or a phone number, whatever the organisation sent), the address a customer left on the
public idea page, and anything a customer or an agent wrote into a free text (a comment, feedback, an
idea, a customer story). The administrator searches by what the customer gave them; Aspa shows every
match in the organisation, exports it as JSON, and erases it: addresses and references are cleared,
the identifier is cut out of free texts (which are masked too), and answers, scores, themes and counts
stay, so the organisation's figures do not change. The audit log records that an erasure happened and
how much it touched, never the identifier itself; entries already in the audit log that quote a text
naming the customer (e.g. a corrected feedback's first words) have the identifier cut out as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aspa.core.audit import audit_record
from aspa.core.models import AuditEntry
from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, require
from aspa.voice.masking import REMOVED_MASK, mask_personal_data
from aspa.voice.models import Feedback, Idea, Response, Story, SurveyLink

MIN_IDENTIFIER = 5
MAX_IDENTIFIER = 254
ERR_IDENTIFIER_SHORT = gettext_noop(
    "Give at least %(min)s characters: an e-mail address, a phone number or a contact reference."
)
ERR_IDENTIFIER_LONG = gettext_noop("At most %(max)s characters.")
STORY_FIELDS = ("title", "happened", "felt", "learned")


def identifier_regex(identifier: str) -> str:
    """A case-insensitive regular expression (Python and PostgreSQL alike) for the identifier as stored.

    Anything is matched literally, except a Finnish phone number, which is matched in any of the ways
    people write one: +358, 00358 or 0 in front, spaces, dashes or brackets between the digits.
    """
    given = identifier.strip()
    compact = re.sub(r"[\s()-]", "", given)
    national = re.fullmatch(r"(?:\+358|00358|0)(\d{5,12})", compact)
    if national is None:
        return re.escape(given)
    digits = r"[\s()-]*".join(national.group(1))
    # Not inside a longer number: no digit right before or after.
    return r"(?<![0-9])\(?(?:\+358|00358|0)[\s()-]*" + digits + r"(?![0-9])"


def clean_identifier(identifier: str) -> str:
    value = (identifier or "").strip()
    if len(value) < MIN_IDENTIFIER:
        raise ValidationError(_(ERR_IDENTIFIER_SHORT) % {"min": MIN_IDENTIFIER}, code="short")
    if len(value) > MAX_IDENTIFIER:
        raise ValidationError(_(ERR_IDENTIFIER_LONG) % {"max": MAX_IDENTIFIER}, code="long")
    return value


def _contains(fields: tuple[str, ...], pattern: str) -> Q:
    query = Q()
    for name in fields:
        query |= Q(**{f"{name}__iregex": pattern})
    return query


def _equals(name: str, pattern: str) -> Q:
    return Q(**{f"{name}__iregex": f"^(?:{pattern})$"})


@dataclass
class CustomerData:
    """Everything in one organisation that matches a customer's identifier."""

    identifier: str
    links: list[SurveyLink] = field(default_factory=list)
    responses: list[Response] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    ideas: list[Idea] = field(default_factory=list)
    stories: list[Story] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (
            len(self.links) + len(self.responses) + len(self.feedback) + len(self.ideas) + len(self.stories)
        )


def customer_data_find(*, actor: Actor, identifier: str) -> CustomerData:
    """Every survey link, answer, feedback, idea and story of the actor's organisation naming the customer."""
    require(actor, Capability.ERASE_PERSON)
    value = clean_identifier(identifier)
    pattern = identifier_regex(value)
    org = actor.organisation_id
    links = list(
        SurveyLink.objects.filter(_equals("contact_ref", pattern), organisation_id=org)
        .select_related("survey")
        .order_by("created_at", "pk")
    )
    responses: list[Response] = list(
        Response.objects.annotate(answers_text=Cast("answers", TextField()))
        .filter(Q(link__in=links) | _contains(("comment", "answers_text"), pattern), organisation_id=org)
        .select_related("survey", "link")
        .order_by("answered_at", "pk")
    )
    return CustomerData(
        identifier=value,
        links=links,
        responses=responses,
        feedback=list(
            Feedback.objects.filter(_contains(("text",), pattern), organisation_id=org).order_by(
                "received_at", "pk"
            )
        ),
        ideas=list(
            Idea.objects.filter(
                _equals("contact_email", pattern) | _contains(("title", "body"), pattern),
                organisation_id=org,
            ).order_by("created_at", "pk")
        ),
        stories=list(
            Story.objects.filter(_contains(STORY_FIELDS, pattern), organisation_id=org).order_by(
                "created_at", "pk"
            )
        ),
    )


def customer_data_export(data: CustomerData) -> dict[str, Any]:
    """JSON-serialisable copy of what was found, for the customer (GDPR art. 15)."""

    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "exported_at": timezone.now().isoformat(),
        "identifier": data.identifier,
        "survey_links": [
            {
                "survey": link.survey.name,
                "contact_reference": link.contact_ref,
                "channel": link.channel,
                "sent": when(link.created_at),
                "answered": when(link.used_at),
            }
            for link in data.links
        ],
        "survey_answers": [
            {
                "survey": r.survey.name if r.survey else None,
                "answered": when(r.answered_at),
                "channel": r.channel,
                "nps": r.nps,
                "csat": r.csat,
                "ces": r.ces,
                "resolved": r.fcr,
                "comment": r.comment,
                "answers": r.answers,
            }
            for r in data.responses
        ],
        "feedback": [
            {"received": when(f.received_at), "channel": f.channel, "text": f.text} for f in data.feedback
        ],
        "ideas": [
            {
                "title": i.title,
                "body": i.body,
                "status": i.status,
                "sent": when(i.created_at),
                "email_for_updates": i.contact_email,
            }
            for i in data.ideas
        ],
        "customer_stories": [
            {name: getattr(s, name) for name in STORY_FIELDS} | {"written": when(s.created_at)}
            for s in data.stories
        ],
    }


def _cut(text: str, pattern: re.Pattern[str]) -> str:
    return mask_personal_data(pattern.sub(REMOVED_MASK, text))


def _cut_json(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return _cut(value, pattern)
    if isinstance(value, dict):
        return {k: _cut_json(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_cut_json(v, pattern) for v in value]
    return value


@transaction.atomic
def customer_data_erase(*, actor: Actor, identifier: str) -> dict[str, int]:
    """Erase the customer from the organisation's data (GDPR art. 17); returns what was touched.

    Survey links lose their contact reference, ideas the address for updates; in every free text the
    identifier becomes "[removed]" and the rest of the text is masked. Scores, themes and sentiment stay.
    """
    data = customer_data_find(actor=actor, identifier=identifier)
    pattern = re.compile(identifier_regex(data.identifier), re.IGNORECASE)
    for link in data.links:
        link.contact_ref = ""
        link.save(update_fields=["contact_ref"])
    for response in data.responses:
        response.comment = _cut(response.comment, pattern)
        response.answers = _cut_json(response.answers, pattern)
        response.save(update_fields=["comment", "answers"])
    for item in data.feedback:
        item.text = _cut(item.text, pattern)
        item.save(update_fields=["text"])
    for idea in data.ideas:
        if pattern.fullmatch(idea.contact_email):
            idea.contact_email = ""
            idea.contact_email_confirmed_at = None
        idea.title = _cut(idea.title, pattern)[: Idea._meta.get_field("title").max_length]
        idea.body = _cut(idea.body, pattern)
        idea.save(update_fields=["contact_email", "contact_email_confirmed_at", "title", "body"])
    for story in data.stories:
        for name in STORY_FIELDS:
            setattr(story, name, _cut(getattr(story, name), pattern))
        story.save(update_fields=list(STORY_FIELDS))
    # The audit log quotes its targets (a feedback's first 60 characters): erased means erased there too.
    entries = AuditEntry.objects.annotate(changes_text=Cast("changes", TextField())).filter(
        _contains(("object_repr", "changes_text"), pattern.pattern), organisation_id=actor.organisation_id
    )
    for entry in entries.select_for_update(of=("self",)):
        entry.object_repr = _cut(entry.object_repr, pattern)[
            : AuditEntry._meta.get_field("object_repr").max_length
        ]
        entry.changes = _cut_json(entry.changes, pattern)
        entry.save(update_fields=["object_repr", "changes"])
    counts = {
        "survey_links": len(data.links),
        "survey_answers": len(data.responses),
        "feedback": len(data.feedback),
        "ideas": len(data.ideas),
        "customer_stories": len(data.stories),
    }
    # The audit says that an erasure happened and what it touched, never whose it was.
    audit_record(
        organisation=actor.organisation,
        actor=actor.user,
        action="customer_data.erase",
        target=actor.organisation,
        changes=counts,
    )
    return counts
