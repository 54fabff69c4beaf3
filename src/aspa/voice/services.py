"""Writes of the voice app: surveys and their single-use links, answers, feedback, stories, ideas,
notifications, and the text analysis job that finds themes and sentiment.

Customer texts are masked for personal data on arrival unless the caller says otherwise; sentiment is
scored on arrival (cheap), themes by the next run of the "voice.analyse" job (they need the corpus).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, override

from aspa.core.audit import audit_record
from aspa.core.jobs import JobContext, JobError, job_enqueue, job_kind
from aspa.core.tenancy import Actor
from aspa.engine.text import NO_THEME, TextInputError, ThemeModel, sentiment
from aspa.org.models import Membership, Organisation, Team
from aspa.voice.masking import mask_personal_data, without_placeholders
from aspa.voice.models import (
    Channel,
    Feedback,
    Idea,
    IdeaComment,
    IdeaOrigin,
    IdeaStatus,
    IdeaVote,
    Notification,
    Response,
    Source,
    Story,
    Survey,
    SurveyLanguage,
    SurveyLink,
    Theme,
)
from aspa.voice.selectors import can_manage, require_manage, require_member

LINK_DAYS = 30
MAX_LINKS_PER_CALL = 5000
MAX_TEXT = 5000
ANALYSE_KIND = "voice.analyse"

ERR_LINK_INVALID = gettext_noop("This survey link is not valid. Check that you copied the whole address.")
ERR_LINK_USED = gettext_noop("This survey has already been answered with this link. Thank you!")
ERR_LINK_EXPIRED = gettext_noop("This survey link has expired.")
ERR_SURVEY_CLOSED = gettext_noop("This survey is closed.")
ERR_NOTHING_ANSWERED = gettext_noop("Answer at least one question.")
ERR_OUT_OF_RANGE = gettext_noop("Choose a value from %(low)s to %(high)s.")
ERR_TEAM_UNKNOWN = gettext_noop("Unknown team: %(name)s.")
ERR_AGENT_UNKNOWN = gettext_noop("Unknown agent: %(email)s.")
ERR_EMPTY_TEXT = gettext_noop("Write the feedback first.")
ERR_EXTERNAL_ID_TWICE = gettext_noop("The id %(id)s is given twice in this batch.")
ERR_EXTERNAL_ID_RACE = gettext_noop(
    "Another request stored some of these ids at the same moment; send the batch again (kept ones are skipped)."
)
MAX_EXTERNAL_ID = 120
ERR_TOO_LONG_ID = gettext_noop("An id may have at most %(max)s characters.")
ERR_UNMASKED = gettext_noop("Only leads, managers and administrators may store personal data unmasked.")
ERR_TOO_MANY_LINKS = gettext_noop("At most %(max)s links at a time.")
ERR_NO_QUESTIONS = gettext_noop("A survey needs at least one question.")
ERR_IDEA_TITLE = gettext_noop("Give the idea a title.")
ERR_OWN_VOTE = gettext_noop("You cannot vote for your own idea.")
ERR_STATUS_SAME = gettext_noop("The idea already has this status.")
ERR_LINE = gettext_noop("Line %(line)s: %(message)s")
ERR_TOO_FEW_TEXTS = gettext_noop(
    "Not enough comments to find themes yet (%(got)s; at least %(needed)s needed)."
)

SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- Surveys --------------------------------------------------------------------------------------------


def _clean_questions(questions: Sequence[str]) -> list[str]:
    return [q.strip()[:200] for q in questions if q.strip()][:10]


@transaction.atomic
def survey_create(
    *,
    actor: Actor,
    name: str,
    ask_nps: bool = True,
    ask_csat: bool = True,
    ask_ces: bool = False,
    ask_fcr: bool = False,
    ask_text: bool = True,
    questions: Sequence[str] = (),
) -> Survey:
    require_manage(actor)
    cleaned = _clean_questions(questions)
    if not (ask_nps or ask_csat or ask_ces or ask_fcr or ask_text or cleaned):
        raise ValidationError(_(ERR_NO_QUESTIONS), code="no_questions")
    survey = Survey.objects.create(
        organisation_id=actor.organisation_id,
        name=name.strip()[:120],
        ask_nps=ask_nps,
        ask_csat=ask_csat,
        ask_ces=ask_ces,
        ask_fcr=ask_fcr,
        ask_text=ask_text,
        questions=cleaned,
    )
    audit_record(organisation=actor.organisation, actor=actor.user, action="survey.create", target=survey)
    return survey


@dataclass(frozen=True)
class LinkSpec:
    """Who a link is for: a contact reference and where the contact was served."""

    contact_ref: str = ""
    channel: str = Channel.PHONE
    queue_ref: str = ""
    team: str = ""  # team name
    agent: str = ""  # agent's e-mail
    language: str = SurveyLanguage.FI


def _team_by_name(organisation_id: int, name: str) -> Team | None:
    if not name.strip():
        return None
    team = Team.objects.filter(organisation_id=organisation_id, name__iexact=name.strip()).first()
    if team is None:
        raise ValidationError(_(ERR_TEAM_UNKNOWN) % {"name": name}, code="team")
    return team


def _agent_by_email(organisation_id: int, email: str) -> Membership | None:
    if not email.strip():
        return None
    agent = Membership.objects.filter(
        organisation_id=organisation_id, user__email__iexact=email.strip()
    ).first()
    if agent is None:
        raise ValidationError(_(ERR_AGENT_UNKNOWN) % {"email": email}, code="agent")
    return agent


def _channel(value: str) -> str:
    value = (value or Channel.PHONE).strip().lower()
    if value not in Channel.values:
        raise ValidationError(
            _("Unknown channel: %(value)s (use one of %(choices)s).")
            % {"value": value, "choices": ", ".join(Channel.values)},
            code="channel",
        )
    return value


def link_create_bulk(
    *, actor: Actor, survey: Survey, specs: Sequence[LinkSpec], days: int = LINK_DAYS
) -> list[tuple[SurveyLink, str]]:
    """Create one single-use link per contact; returns (link, raw token) pairs (the token is not stored).

    All or nothing: an unknown team, agent or channel on any row stops the whole batch.
    """
    require_manage(actor)
    if survey.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_LINK_INVALID))
    if len(specs) > MAX_LINKS_PER_CALL:
        raise ValidationError(_(ERR_TOO_MANY_LINKS) % {"max": MAX_LINKS_PER_CALL}, code="too_many")
    expires = timezone.now() + dt.timedelta(days=days)
    out: list[tuple[SurveyLink, str]] = []
    with transaction.atomic():
        for spec in specs:
            token = secrets.token_urlsafe(24)
            language = spec.language if spec.language in SurveyLanguage.values else SurveyLanguage.FI
            link = SurveyLink.objects.create(
                organisation_id=actor.organisation_id,
                survey=survey,
                token_hash=hash_token(token),
                contact_ref=spec.contact_ref.strip()[:120],
                channel=_channel(spec.channel),
                queue_ref=spec.queue_ref.strip()[:120],
                team=_team_by_name(actor.organisation_id, spec.team),
                agent=_agent_by_email(actor.organisation_id, spec.agent),
                language=language,
                expires_at=expires,
            )
            out.append((link, token))
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="survey.links_create",
            target=survey,
            changes={"links": len(out)},
        )
    return out


def _check_scale(errors: dict[str, list[str]], name: str, value: int | None) -> None:
    if value is None:
        return
    low, high = SCALES[name]
    if not low <= value <= high:
        errors.setdefault(name, []).append(_(ERR_OUT_OF_RANGE) % {"low": low, "high": high})


def _sentiment_of(text: str) -> tuple[str, float | None]:
    if not text.strip():
        return "", None
    scores = sentiment([without_placeholders(text)])
    return scores.labels[0], float(scores.polarity[0])


def _clean_answers(
    *,
    nps: int | None,
    csat: int | None,
    ces: int | None,
    fcr: bool | None,
    comment: str,
    answers: dict[str, str],
) -> None:
    errors: dict[str, list[str]] = {}
    _check_scale(errors, "nps", nps)
    _check_scale(errors, "csat", csat)
    _check_scale(errors, "ces", ces)
    if errors:
        raise ValidationError(errors)
    if (
        nps is None
        and csat is None
        and ces is None
        and fcr is None
        and not comment.strip()
        and not any(v.strip() for v in answers.values())
    ):
        raise ValidationError(_(ERR_NOTHING_ANSWERED), code="empty")


def link_answer(
    *,
    token: str,
    nps: int | None = None,
    csat: int | None = None,
    ces: int | None = None,
    fcr: bool | None = None,
    comment: str = "",
    answers: dict[str, str] | None = None,
) -> Response:
    """Store a customer's answer given through a link; the link is spent in the same transaction."""
    answers = {k: v.strip()[:MAX_TEXT] for k, v in (answers or {}).items()}
    with transaction.atomic():
        link = (
            SurveyLink.objects.select_for_update()
            .select_related("survey", "organisation")
            .filter(token_hash=hash_token(token))
            .first()
        )
        if link is None:
            raise ValidationError(_(ERR_LINK_INVALID), code="invalid")
        if link.used_at is not None:
            raise ValidationError(_(ERR_LINK_USED), code="used")
        if link.expires_at <= timezone.now():
            raise ValidationError(_(ERR_LINK_EXPIRED), code="expired")
        if not link.survey.is_active:
            raise ValidationError(_(ERR_SURVEY_CLOSED), code="closed")
        _clean_answers(nps=nps, csat=csat, ces=ces, fcr=fcr, comment=comment, answers=answers)
        text = mask_personal_data(comment.strip()[:MAX_TEXT])
        label, polarity = _sentiment_of(text)
        response = Response.objects.create(
            organisation_id=link.organisation_id,
            survey=link.survey,
            link=link,
            source=Source.LINK,
            channel=link.channel,
            queue_ref=link.queue_ref,
            team_id=link.team_id,
            agent_id=link.agent_id,
            nps=nps,
            csat=csat,
            ces=ces,
            fcr=fcr,
            comment=text,
            answers={k: mask_personal_data(v) for k, v in answers.items() if v},
            language=link.language,
            sentiment=label,
            sentiment_model=label,
            polarity=polarity,
        )
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
    return response


@dataclass(frozen=True)
class ResponseIn:
    """One answer arriving by API or CSV."""

    answered_at: dt.datetime | None = None
    channel: str = Channel.PHONE
    queue_ref: str = ""
    team: str = ""
    agent: str = ""
    nps: int | None = None
    csat: int | None = None
    ces: int | None = None
    fcr: bool | None = None
    comment: str = ""
    external_id: str = ""


def response_create_many(
    *,
    actor: Actor,
    rows: Sequence[ResponseIn],
    source: str = Source.API,
    mask: bool = True,
    line_offset: int = 0,
) -> list[Response]:
    """Store answers that arrived by API or CSV. All or nothing: errors carry their 1-based row number."""
    require_manage(actor)
    kept, errors = _already_kept(Response, actor.organisation_id, rows, line_offset)
    built: list[Response] = []
    for i, row in enumerate(rows, start=1 + line_offset):
        if row.external_id.strip() in kept:
            continue  # sent before: a retry must not double it
        try:
            _clean_answers(
                nps=row.nps, csat=row.csat, ces=row.ces, fcr=row.fcr, comment=row.comment, answers={}
            )
            text = row.comment.strip()[:MAX_TEXT]
            built.append(
                Response(
                    organisation_id=actor.organisation_id,
                    source=source,
                    channel=_channel(row.channel),
                    queue_ref=row.queue_ref.strip()[:120],
                    team=_team_by_name(actor.organisation_id, row.team),
                    agent=_agent_by_email(actor.organisation_id, row.agent),
                    nps=row.nps,
                    csat=row.csat,
                    ces=row.ces,
                    fcr=row.fcr,
                    comment=mask_personal_data(text) if mask else text,
                    answered_at=row.answered_at or timezone.now(),
                    external_id=row.external_id.strip(),
                )
            )
        except ValidationError as exc:
            errors += [_(ERR_LINE) % {"line": i, "message": m} for m in exc.messages]
    if errors:
        raise ValidationError(errors, code="rows")
    _score_sentiment(built, "comment")
    with transaction.atomic():
        created = _bulk_create_once(Response, built)
        if created:
            audit_record(
                organisation=actor.organisation,
                actor=actor.user,
                action="response.import",
                target=actor.organisation,
                changes={"responses": len(created), "source": source},
            )
    return created


def _already_kept(
    model: Any, organisation_id: int, rows: Sequence[Any], line_offset: int
) -> tuple[set[str], list[str]]:
    """Ids of `rows` the organisation already holds (those rows are skipped), and line errors for ids that
    are too long or given twice in the batch."""
    errors: list[str] = []
    seen: set[str] = set()
    for i, row in enumerate(rows, start=1 + line_offset):
        key = row.external_id.strip()
        if len(key) > MAX_EXTERNAL_ID:
            errors.append(_(ERR_LINE) % {"line": i, "message": _(ERR_TOO_LONG_ID) % {"max": MAX_EXTERNAL_ID}})
        elif key and key in seen:
            errors.append(_(ERR_LINE) % {"line": i, "message": _(ERR_EXTERNAL_ID_TWICE) % {"id": key}})
        seen.add(key)
    wanted = [k for k in seen if k]
    kept = set(
        model.objects.filter(organisation_id=organisation_id, external_id__in=wanted).values_list(
            "external_id", flat=True
        )
    )
    return kept, errors


def _bulk_create_once(model: Any, objects: list[Any]) -> list[Any]:
    """bulk_create inside a savepoint: a concurrent batch with the same ids is a clear error, not a 500."""
    try:
        with transaction.atomic():
            return list(model.objects.bulk_create(objects))
    except IntegrityError as exc:
        raise ValidationError(_(ERR_EXTERNAL_ID_RACE), code="external_id") from exc


def _require_unmask_right(actor: Actor, mask: bool) -> None:
    """Keeping customers' phone numbers and addresses in a text is a lead's call, not every member's."""
    if not mask and not can_manage(actor):
        raise PermissionDenied(_(ERR_UNMASKED))


def _score_sentiment(objects: Sequence[Response | Feedback], field: str) -> None:
    with_text = [o for o in objects if getattr(o, field).strip()]
    if not with_text:
        return
    scores = sentiment([without_placeholders(getattr(o, field)) for o in with_text])
    for obj, label, polarity in zip(with_text, scores.labels, scores.polarity, strict=True):
        obj.sentiment = obj.sentiment_model = label
        obj.polarity = float(polarity)


# --- Feedback and stories -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackIn:
    text: str
    channel: str = Channel.WEB
    queue_ref: str = ""
    team: str = ""
    received_at: dt.datetime | None = None
    external_id: str = ""


def feedback_create_many(
    *,
    actor: Actor,
    rows: Sequence[FeedbackIn],
    source: str = Source.FORM,
    mask: bool = True,
    line_offset: int = 0,
) -> list[Feedback]:
    """Store free-text feedback (form, API or CSV). All or nothing, with row numbers in the errors."""
    require_member(actor)
    _require_unmask_right(actor, mask)
    kept, errors = _already_kept(Feedback, actor.organisation_id, rows, line_offset)
    built: list[Feedback] = []
    for i, row in enumerate(rows, start=1 + line_offset):
        if row.external_id.strip() in kept:
            continue  # sent before: a retry must not double it
        try:
            text = row.text.strip()[:MAX_TEXT]
            if not text:
                raise ValidationError(_(ERR_EMPTY_TEXT), code="empty")
            built.append(
                Feedback(
                    organisation_id=actor.organisation_id,
                    source=source,
                    channel=_channel(row.channel),
                    queue_ref=row.queue_ref.strip()[:120],
                    team=_team_by_name(actor.organisation_id, row.team),
                    text=mask_personal_data(text) if mask else text,
                    received_at=row.received_at or timezone.now(),
                    created_by=actor,
                    external_id=row.external_id.strip(),
                )
            )
        except ValidationError as exc:
            prefix = len(rows) > 1
            errors += [_(ERR_LINE) % {"line": i, "message": m} if prefix else m for m in exc.messages]
    if errors:
        raise ValidationError(errors, code="rows")
    _score_sentiment(built, "text")
    with transaction.atomic():
        created = _bulk_create_once(Feedback, built)
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="feedback.create",
            target=actor.organisation,
            changes={"feedback": len(created), "source": source},
        )
    return created


@transaction.atomic
def feedback_mask(*, actor: Actor, feedback: Feedback) -> Feedback:
    """Mask personal data in an existing feedback text (e.g. one stored with masking turned off)."""
    require_manage(actor)
    masked = mask_personal_data(feedback.text)
    if masked != feedback.text:
        feedback.text = masked
        feedback.save(update_fields=["text"])
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="feedback.mask", target=feedback
        )
    return feedback


@transaction.atomic
def story_create(
    *,
    actor: Actor,
    title: str,
    happened: str,
    felt: str,
    learned: str,
    channel: str = Channel.PHONE,
    team: Team | None = None,
    mask: bool = True,
) -> Story:
    require_member(actor)
    _require_unmask_right(actor, mask)
    clean = mask_personal_data if mask else (lambda s: s)
    story = Story.objects.create(
        organisation_id=actor.organisation_id,
        title=title.strip()[:200],
        happened=clean(happened.strip()),
        felt=clean(felt.strip()),
        learned=clean(learned.strip()),
        channel=_channel(channel),
        team=team if team is None or team.organisation_id == actor.organisation_id else None,
        author=actor,
    )
    audit_record(organisation=actor.organisation, actor=actor.user, action="story.create", target=story)
    return story


# --- Themes and sentiment (job) -------------------------------------------------------------------------


def analyse_start(*, actor: Actor) -> Any:
    """Queue a run of the text analysis for the actor's organisation."""
    require_manage(actor)
    return job_enqueue(actor=actor, kind=ANALYSE_KIND, params={})


def _theme_count(n_texts: int) -> int:
    return max(2, min(8, n_texts // 40))


def themes_analyse(*, organisation_id: int, ctx: JobContext | None = None) -> dict[str, int]:
    """Find themes in all of the organisation's texts and assign each text a theme and a sentiment.

    The previous run's themes go inactive (roadmap items may still point at them); texts get the new ones.
    The text work runs before the one short transaction that writes the result, so pages (and their
    session writes) are not held up while the model is fitted.
    """
    from aspa.voice.selectors import texts_for_analysis

    rows, total = texts_for_analysis(organisation_id=organisation_id)
    n_themes = _theme_count(total)
    texts = [without_placeholders(text) for _kind, _pk, text in rows]
    try:
        model = ThemeModel(n_themes, seed=0).fit(texts)
    except TextInputError as exc:
        raise JobError(_(ERR_TOO_FEW_TEXTS) % {"got": total, "needed": n_themes * 2}) from exc
    if ctx:
        ctx.progress(1, 4, gettext_lazy("Themes found"))
    assigned = model.predict(texts)
    scores = sentiment(texts)
    # A person's correction outlives re-analysis: those texts get the model's new label on the side only.
    corrected = {
        kind: set(
            model.objects.filter(
                organisation_id=organisation_id, sentiment_corrected_at__isnull=False
            ).values_list("pk", flat=True)
        )
        for kind, model in (("response", Response), ("feedback", Feedback))
    }
    if ctx:
        ctx.progress(2, 4, gettext_lazy("Texts scored"))
    with transaction.atomic():
        Theme.objects.filter(organisation_id=organisation_id, is_active=True).update(is_active=False)
        themes = [
            Theme.objects.create(
                organisation_id=organisation_id, label=t.label[:200], terms=list(t.top_terms), size=t.size
            )
            for t in model.themes_
        ]
        responses: list[Response] = []
        feedback: list[Feedback] = []
        for (kind, pk, _text), index, label, polarity in zip(
            rows, assigned, scores.labels, scores.polarity, strict=True
        ):
            theme = themes[int(index)] if int(index) != NO_THEME else None
            fields = {"theme": theme, "sentiment_model": label, "polarity": float(polarity)}
            target = Response(pk=pk, **fields) if kind == "response" else Feedback(pk=pk, **fields)
            target.sentiment = label  # written below only where no person corrected it
            (responses if kind == "response" else feedback).append(target)  # type: ignore[arg-type]
        _write_analysis(Response, responses, corrected["response"])
        _write_analysis(Feedback, feedback, corrected["feedback"])
    if ctx:
        ctx.progress(4, 4, gettext_lazy("Done"))
    return {"texts": total, "themes": len(themes)}


def _write_analysis(model_class: Any, objects: Sequence[Response | Feedback], corrected: set[int]) -> None:
    """Theme, the model's label and polarity for all; the effective label only where no person set it."""
    fields = ["theme", "sentiment_model", "polarity"]
    model_class.objects.bulk_update([o for o in objects if o.pk in corrected], fields, batch_size=500)
    model_class.objects.bulk_update(
        [o for o in objects if o.pk not in corrected], [*fields, "sentiment"], batch_size=500
    )


def _summarise(result: Any) -> str:
    return _("%(texts)s texts analysed, %(themes)s themes found.") % result


@job_kind(ANALYSE_KIND, label=gettext_lazy("Find themes and sentiment in feedback"), summarise=_summarise)
def analyse_job(ctx: JobContext) -> dict[str, int]:
    return themes_analyse(organisation_id=ctx.organisation_id, ctx=ctx)


# --- Notifications (closing the loop) -----------------------------------------------------------------


def notify_people(
    *,
    organisation: Organisation,
    memberships: Sequence[Membership],
    emails: Sequence[str] = (),
    subject: str,
    message: str,
    params: dict[str, Any],
    url: str = "",
) -> int:
    """Tell people something in the app and by e-mail (after commit), each in their own language.

    `subject` and `message` are untranslated msgids (gettext_noop) with %(name)s placeholders.
    """
    seen: set[int] = set()
    mails: list[tuple[str, str, str]] = []
    for membership in memberships:
        if membership.pk in seen or not membership.is_active:
            continue
        seen.add(membership.pk)
        with override(membership.user.language or settings.LANGUAGE_CODE):
            text = _(message) % params
            Notification.objects.create(
                organisation=organisation, recipient=membership, message=text[:500], url=url
            )
            if membership.user.email and not membership.user.erased_at:
                mails.append((membership.user.email, _(subject) % params, text))
    with override(settings.LANGUAGE_CODE):
        for email in {e for e in emails if e}:
            mails.append((email, _(subject) % params, _(message) % params))

    def _send() -> None:
        for to, mail_subject, body in mails:
            send_mail(subject=_one_line(mail_subject), message=body, from_email=None, recipient_list=[to])

    transaction.on_commit(_send)
    return len(seen)


def _one_line(subject: str) -> str:
    """A mail subject is one line: a title with a line break raised BadHeaderError after the commit.
    Lines are joined, other whitespace kept (the no-break space inside a Finnish "6 000")."""
    return " ".join(part.strip() for part in subject.splitlines() if part.strip())


def notification_mark_all_read(*, actor: Actor) -> int:
    require_member(actor)
    return Notification.objects.filter(
        organisation_id=actor.organisation_id, recipient=actor, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- Ideas ------------------------------------------------------------------------------------------------


@transaction.atomic
def idea_create(*, actor: Actor, title: str, body: str = "", team: Team | None = None) -> Idea:
    require_member(actor)
    if not title.strip():
        raise ValidationError({"title": [_(ERR_IDEA_TITLE)]})
    idea = Idea.objects.create(
        organisation_id=actor.organisation_id,
        title=" ".join(title.split())[:200],
        body=body.strip()[:MAX_TEXT],
        origin=IdeaOrigin.STAFF,
        author=actor,
        team=team if team is None or team.organisation_id == actor.organisation_id else None,
    )
    audit_record(organisation=actor.organisation, actor=actor.user, action="idea.create", target=idea)
    return idea


IDEA_EMAIL_SALT = "aspa.voice.idea-email"
IDEA_EMAIL_DAYS = 14
MSG_IDEA_EMAIL_SUBJECT = gettext_noop("Confirm your e-mail address: %(organisation)s")
MSG_IDEA_EMAIL = gettext_noop(
    'You sent the idea "%(title)s" to %(organisation)s and asked to hear what becomes of it.\n\n'
    "Confirm this address by opening the link below (valid for %(days)s days):\n%(url)s\n\n"
    "If it was not you, ignore this message: no more mail will come."
)
ERR_IDEA_EMAIL_LINK = gettext_noop("This confirmation link is not valid or has expired.")


def idea_email_token(idea: Idea) -> str:
    """A signed, expiring token naming the idea and the address it confirms."""
    return signing.dumps({"idea": idea.pk, "email": idea.contact_email}, salt=IDEA_EMAIL_SALT)


@transaction.atomic
def idea_create_public(
    *, organisation: Organisation, title: str, body: str = "", email: str = "", confirm_url: Any = None
) -> Idea:
    """An idea from a customer through the organisation's public idea page (personal data masked).

    An address left for updates gets a confirmation link (in the customer's language, after commit);
    until it is confirmed no update is mailed to it. `confirm_url(token)` builds the link's address.
    """
    if not title.strip():
        raise ValidationError({"title": [_(ERR_IDEA_TITLE)]})
    idea = Idea.objects.create(
        organisation=organisation,
        # A title is one line (it becomes a mail subject); a customer can post any bytes.
        title=mask_personal_data(" ".join(title.split())[:200]),
        body=mask_personal_data(body.strip()[:MAX_TEXT]),
        origin=IdeaOrigin.CUSTOMER,
        contact_email=email.strip()[:254],
    )
    if idea.contact_email and confirm_url is not None:
        params = {
            "organisation": organisation.name,
            "title": idea.title,
            "days": IDEA_EMAIL_DAYS,
            "url": confirm_url(idea_email_token(idea)),
        }
        subject = _one_line(_(MSG_IDEA_EMAIL_SUBJECT) % params)
        body_text = _(MSG_IDEA_EMAIL) % params
        to = idea.contact_email
        transaction.on_commit(
            lambda: send_mail(subject=subject, message=body_text, from_email=None, recipient_list=[to])
        )
    return idea


@transaction.atomic
def idea_email_confirm(*, token: str) -> Idea:
    """Confirm a customer's address for updates from the link mailed to it."""
    try:
        data = signing.loads(token, salt=IDEA_EMAIL_SALT, max_age=dt.timedelta(days=IDEA_EMAIL_DAYS))
    except signing.BadSignature as exc:
        raise ValidationError(_(ERR_IDEA_EMAIL_LINK), code="link") from exc
    idea = Idea.objects.filter(pk=data.get("idea")).first()
    if idea is None or not idea.contact_email or idea.contact_email != data.get("email"):
        raise ValidationError(_(ERR_IDEA_EMAIL_LINK), code="link")
    if idea.contact_email_confirmed_at is None:
        idea.contact_email_confirmed_at = timezone.now()
        idea.save(update_fields=["contact_email_confirmed_at"])
    return idea


@transaction.atomic
def idea_vote_toggle(*, actor: Actor, idea: Idea) -> bool:
    """Vote for the idea, or take the vote back; returns whether the actor now votes for it."""
    require_member(actor)
    if idea.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_LINK_INVALID))
    if idea.author_id == actor.pk:
        raise ValidationError(_(ERR_OWN_VOTE), code="own")
    deleted, _rows = IdeaVote.objects.filter(idea=idea, membership=actor).delete()
    if deleted:
        return False
    IdeaVote.objects.create(idea=idea, membership=actor)
    return True


@transaction.atomic
def idea_comment_add(*, actor: Actor, idea: Idea, body: str) -> IdeaComment:
    require_member(actor)
    if not body.strip():
        raise ValidationError({"body": [_(ERR_EMPTY_TEXT)]})
    return IdeaComment.objects.create(idea=idea, author=actor, body=body.strip()[:MAX_TEXT])


MSG_IDEA_STATUS_SUBJECT = gettext_noop("Your idea moved on: %(title)s")
MSG_IDEA_STATUS = gettext_noop('The idea "%(title)s" is now: %(status)s.')


def idea_people(*, idea: Idea) -> tuple[list[Membership], list[str]]:
    """Who raised or backed the idea: its author and voters, and a customer's e-mail if they left one."""
    memberships = list(
        Membership.objects.filter(pk__in=IdeaVote.objects.filter(idea=idea).values("membership"))
        .select_related("user")
        .order_by("pk")
    )
    if idea.author_id:
        memberships.insert(0, Membership.objects.select_related("user").get(pk=idea.author_id))
    confirmed = idea.contact_email and idea.contact_email_confirmed_at is not None
    return memberships, [idea.contact_email] if confirmed else []


@transaction.atomic
def idea_status_change(*, actor: Actor, idea: Idea, status: str) -> Idea:
    """Move the idea to a new status and tell everyone who submitted or voted for it."""
    require_manage(actor)
    return idea_status_apply(actor=actor, idea=idea, status=status)


@transaction.atomic
def idea_status_apply(*, actor: Actor, idea: Idea, status: str, notify: bool = True) -> Idea:
    """The status change itself, for callers that checked their own permission (aspa.roadmap's decision
    matrix: accepting a roadmap item plans its idea). Everyone who raised or backed the idea is told.
    """
    if idea.organisation_id != actor.organisation_id:
        raise ValidationError(_(ERR_LINK_INVALID))
    if status not in IdeaStatus.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    if status == idea.status:
        raise ValidationError({"status": [_(ERR_STATUS_SAME)]})
    old = idea.status
    idea.status = status
    idea.status_changed_at = timezone.now()
    idea.save(update_fields=["status", "status_changed_at"])
    audit_record(
        organisation=actor.organisation,
        actor=actor.user,
        action="idea.status",
        target=idea,
        changes={"status": [old, status]},
    )
    if not notify:
        return idea
    memberships, emails = idea_people(idea=idea)
    label = IdeaStatus(status).label
    notify_people(
        organisation=actor.organisation,
        memberships=memberships,
        emails=emails,
        subject=MSG_IDEA_STATUS_SUBJECT,
        message=MSG_IDEA_STATUS,
        params={"title": idea.title, "status": label},
        url=reverse("voice:idea", args=[idea.pk]),
    )
    return idea
