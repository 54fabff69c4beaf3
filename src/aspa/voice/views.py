"""Voice pages: dashboard, surveys and links, the public answer and idea pages, feedback, stories, ideas.

Thin: validate, call one service or selector, render. The two public pages (answer by link, customer
ideas) need no login; they are rate limited per address and speak the link's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aspa.core.forms import form_add_validation_error
from aspa.core.http import AspaRequest, client_address
from aspa.core.roles import Capability
from aspa.core.tenancy import actor_can
from aspa.core.views_base import member_required
from aspa.voice import charts, importing, selectors, services, theme_selectors
from aspa.voice.forms import (
    AnswerForm,
    CommentForm,
    CsvForm,
    FeedbackForm,
    IdeaForm,
    LinkForm,
    PublicIdeaForm,
    StatusForm,
    StoryForm,
    SurveyForm,
)
from aspa.voice.models import IdeaStatus, Source, SurveyLanguage
from aspa.voice.ratelimit import public_hit

PAGE_SIZE = 25
PERIODS = {"30": 30, "90": 90, "365": 365}
ERR_TOO_MANY = gettext_noop("Too many attempts from your address. Wait a few minutes and try again.")


def _report_skipped(request: HttpRequest, skipped: int) -> None:
    """Rows whose external_id was imported before are skipped, not doubled: say how many."""
    if skipped:
        messages.info(
            request,
            ngettext(
                "%(count)s row was imported before (same external_id) and was skipped.",
                "%(count)s rows were imported before (same external_id) and were skipped.",
                skipped,
            )
            % {"count": skipped},
        )


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Dashboard ---------------------------------------------------------------------------------------


@require_GET
@member_required()
def dashboard(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    days = PERIODS.get(request.GET.get("days", ""), 90)
    until = timezone.now()
    since = until - dt.timedelta(days=days)
    metric = request.GET.get("metric", "nps")
    metric = metric if metric in selectors.METRICS else "nps"
    overall = selectors.scores_overall(actor=actor, since=since, until=until)
    breakdowns = list(
        selectors.scores_by_dimensions(actor=actor, metric=metric, since=since, until=until).items()
    )
    trend = selectors.metric_trend(actor=actor, metric=metric)
    themes = selectors.theme_overview(actor=actor)
    return render(
        request,
        "voice/dashboard.html",
        {
            "days": days,
            "metric": metric,
            "overall": overall,
            "breakdowns": breakdowns,
            "trend": trend,
            "trend_rows": charts.trend_rows(trend, metric) if trend else [],
            "trend_chart": charts.trend_figure(trend, metric) if trend else None,
            "themes": themes,
            "themes_chart": charts.themes_figure(themes) if themes else None,
            "week": selectors.this_week(actor=actor),
            "can_manage": selectors.can_manage(actor),
            "plotly_version": charts.PLOTLY_VERSION,
            "periods": sorted(PERIODS.values()),
        },
    )


@require_POST
@member_required()
def analyse(request: AspaRequest) -> HttpResponse:
    job = services.analyse_start(actor=request.membership)
    messages.success(request, _("Theme analysis started."))
    return redirect("job", job_id=job.pk)


# --- Surveys and links -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required()
def surveys(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = SurveyForm(request.POST or None)
    if request.method == "POST":
        selectors.require_manage(actor)
        if form.is_valid():
            try:
                survey = services.survey_create(actor=actor, **form.service_fields())
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Survey created. Create answer links for your contacts next."))
                return redirect("voice:survey", survey_id=survey.pk)
    return render(
        request,
        "voice/surveys.html",
        {
            "page": _page(request, selectors.survey_list(actor=actor)),
            "form": form,
            "can_manage": selectors.can_manage(actor),
        },
        status=400 if form.errors else 200,
    )


def _links_csv(request: HttpRequest, pairs: list[tuple[Any, str]]) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["contact", "channel", "queue", "team", "language", "url"])
    for link, token in pairs:
        url = request.build_absolute_uri(reverse("voice:answer", args=[token]))
        writer.writerow(
            [
                link.contact_ref,
                link.channel,
                link.queue_ref,
                link.team.name if link.team else "",
                link.language,
                url,
            ]
        )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="survey-links.csv"'
    return response


@require_http_methods(["GET", "POST"])
@member_required()
def survey_detail(request: AspaRequest, survey_id: int) -> HttpResponse:
    actor = request.membership
    survey = selectors.survey_get(actor=actor, survey_id=survey_id)
    can_manage = selectors.can_manage(actor)
    form = LinkForm(request.POST or None)
    new_url = None
    if request.method == "POST":
        selectors.require_manage(actor)
        if form.is_valid():
            try:
                [(_link, token)] = services.link_create_bulk(
                    actor=actor, survey=survey, specs=[services.LinkSpec(**form.cleaned_data)]
                )
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                new_url = request.build_absolute_uri(reverse("voice:answer", args=[token]))
                form = LinkForm()
    links = _page(request, selectors.link_list(actor=actor, survey=survey)) if can_manage else None
    return render(
        request,
        "voice/survey.html",
        {
            "survey": survey,
            "form": form,
            "csv_form": CsvForm(),
            "links": links,
            "new_url": new_url,
            "can_manage": can_manage,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required()
def survey_links_csv(request: AspaRequest, survey_id: int) -> HttpResponse:
    actor = request.membership
    survey = selectors.survey_get(actor=actor, survey_id=survey_id)
    selectors.require_manage(actor)
    form = CsvForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            specs = importing.links_from_csv(form.cleaned_data["file"].read())
            pairs = services.link_create_bulk(actor=actor, survey=survey, specs=specs)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            return _links_csv(request, pairs)
    return render(
        request,
        "voice/survey.html",
        {"survey": survey, "form": LinkForm(), "csv_form": form, "links": None, "can_manage": True},
        status=400,
    )


# --- The public answer page ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """A customer answers through their single-use link, in the link's language, without logging in."""
    link = selectors.link_by_token_hash(token_hash=services.hash_token(token))
    language = link.language if link else translation.get_language()
    with translation.override(language):
        if request.method == "POST" and public_hit(kind="answer", address=client_address(request)):
            return render(request, "voice/public_message.html", {"message": _(ERR_TOO_MANY)}, status=429)
        if link is None:
            return render(
                request, "voice/public_message.html", {"message": _(services.ERR_LINK_INVALID)}, status=404
            )
        if link.used_at is not None:
            return render(
                request, "voice/public_message.html", {"message": _(services.ERR_LINK_USED)}, status=410
            )
        if link.expires_at <= timezone.now():
            return render(
                request, "voice/public_message.html", {"message": _(services.ERR_LINK_EXPIRED)}, status=410
            )
        form = AnswerForm(request.POST or None, survey=link.survey)
        if request.method == "POST" and form.is_valid():
            try:
                services.link_answer(token=token, **form.service_fields())
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                return render(
                    request,
                    "voice/public_message.html",
                    {
                        "message": _("Thank you for your answer!"),
                        "thanks": True,
                        "organisation": link.organisation,
                    },
                )
        return render(
            request,
            "voice/answer.html",
            {"form": form, "survey": link.survey, "organisation": link.organisation},
            status=400 if form.errors else 200,
        )


def _public_language(request: HttpRequest) -> str:
    """The language a public page's link asks for (?lang=fi|sv|en), else the visitor's own."""
    language = request.GET.get("lang", "")
    return language if language in SurveyLanguage.values else translation.get_language()


@require_http_methods(["GET", "POST"])
def public_ideas(request: HttpRequest, slug: str) -> HttpResponse:
    """A customer sends an idea to the organisation, without logging in (?lang=fi|sv|en picks the language)."""
    organisation = selectors.organisation_public(slug=slug)
    with translation.override(_public_language(request)):
        return _public_ideas(request, organisation)


def _public_ideas(request: HttpRequest, organisation: Any) -> HttpResponse:
    form = PublicIdeaForm(request.POST or None)
    if request.method == "POST":
        if public_hit(kind="idea", address=client_address(request), limit=5):
            return render(request, "voice/public_message.html", {"message": _(ERR_TOO_MANY)}, status=429)
        if form.is_valid():
            lang = translation.get_language()

            def confirm_url(token: str) -> str:
                path = reverse("voice:idea_email_confirm", args=[token])
                return request.build_absolute_uri(f"{path}?lang={lang}")

            try:
                idea = services.idea_create_public(
                    organisation=organisation, confirm_url=confirm_url, **form.cleaned_data
                )
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                message = _("Thank you! Your idea was sent.")
                if idea.contact_email:
                    message += " " + _(
                        "We sent a confirmation link to your e-mail: open it to hear what becomes of the idea."
                    )
                return render(
                    request,
                    "voice/public_message.html",
                    {"message": message, "thanks": True, "organisation": organisation},
                )
    return render(
        request,
        "voice/public_ideas.html",
        {"form": form, "organisation": organisation, "public_languages": SurveyLanguage.choices},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def idea_email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """A customer confirms the address left for idea updates: GET shows a button, POST confirms
    (mail scanners that open every link must not confirm for them)."""
    with translation.override(_public_language(request)):
        if request.method == "POST":
            try:
                services.idea_email_confirm(token=token)
            except ValidationError as exc:
                return render(
                    request, "voice/public_message.html", {"message": " ".join(exc.messages)}, status=400
                )
            return render(
                request,
                "voice/public_message.html",
                {"message": _("Thank you: we will tell you when the idea moves on."), "thanks": True},
            )
        return render(request, "voice/idea_email_confirm.html")


# --- Responses and feedback ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required()
def responses(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = CsvForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        selectors.require_manage(actor)
        if form.is_valid():
            try:
                rows = importing.responses_from_csv(form.cleaned_data["file"].read())
                created = services.response_create_many(
                    actor=actor, rows=rows, source=Source.CSV, line_offset=1
                )
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s answer imported.", "%(count)s answers imported.", len(created))
                    % {"count": len(created)},
                )
                _report_skipped(request, len(rows) - len(created))
                return redirect("voice:responses")
    return render(
        request,
        "voice/responses.html",
        {
            "page": _page(request, selectors.response_list(actor=actor)),
            "form": form,
            "can_manage": selectors.can_manage(actor),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@member_required()
def feedback(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = FeedbackForm(request.POST or None, can_unmask=selectors.can_manage(actor))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.feedback_create_many(
                actor=actor,
                rows=[
                    services.FeedbackIn(
                        text=data["text"],
                        channel=data["channel"],
                        queue_ref=data["queue_ref"],
                        team=data["team"],
                    )
                ],
                mask=data.get("mask", True),
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Feedback saved."))
            return redirect("voice:feedback")
    theme_id = request.GET.get("theme")
    theme = (
        selectors.theme_get(actor=actor, theme_id=int(theme_id)) if theme_id and theme_id.isdigit() else None
    )
    return render(
        request,
        "voice/feedback.html",
        {
            "page": _page(
                request, selectors.feedback_list(actor=actor, theme_id=theme.pk if theme else None)
            ),
            "form": form,
            "csv_form": CsvForm(),
            "theme": theme,
            "can_manage": selectors.can_manage(actor),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required()
def feedback_import(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = CsvForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            rows = importing.feedback_from_csv(form.cleaned_data["file"].read())
            created = services.feedback_create_many(actor=actor, rows=rows, source=Source.CSV, line_offset=1)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s piece of feedback imported.",
                    "%(count)s pieces of feedback imported.",
                    len(created),
                )
                % {"count": len(created)},
            )
            _report_skipped(request, len(rows) - len(created))
            return redirect("voice:feedback")
    return render(
        request,
        "voice/feedback.html",
        {
            "page": _page(request, selectors.feedback_list(actor=actor)),
            "form": FeedbackForm(can_unmask=selectors.can_manage(actor)),
            "csv_form": form,
            "can_manage": selectors.can_manage(actor),
        },
        status=400,
    )


@require_GET
@member_required()
def feedback_personal_data(request: AspaRequest) -> HttpResponse:
    """Feedback that still holds personal data (stored unmasked), each with what masking would leave."""
    actor = request.membership
    hits = theme_selectors.feedback_with_personal_data(actor=actor)
    context = {"page": _page(request, hits), "can_erase": actor_can(actor, Capability.ERASE_PERSON)}
    return render(request, "voice/feedback_personal_data.html", context)


@require_POST
@member_required()
def feedback_mask(request: AspaRequest, feedback_id: int) -> HttpResponse:
    actor = request.membership
    item = theme_selectors.feedback_get_for_masking(actor=actor, feedback_id=feedback_id)
    services.feedback_mask(actor=actor, feedback=item)
    messages.success(request, _("Personal data masked."))
    return redirect("voice:feedback_personal_data")


@require_GET
@member_required()
def theme_detail(request: AspaRequest, theme_id: int) -> HttpResponse:
    actor = request.membership
    detail = theme_selectors.theme_detail(actor=actor, theme_id=theme_id)
    return render(
        request,
        "voice/theme.html",
        {
            "detail": detail,
            "theme": detail.theme,
            "page": _page(request, detail.texts),
            "can_manage": selectors.can_manage(actor),
        },
    )


# --- Stories -------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required()
def stories(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = StoryForm(request.POST or None, can_unmask=selectors.can_manage(actor))
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Story saved."))
            return redirect("voice:story", story_id=story.pk)
    return render(
        request,
        "voice/stories.html",
        {"page": _page(request, selectors.story_list(actor=actor)), "form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@member_required()
def story_detail(request: AspaRequest, story_id: int) -> HttpResponse:
    return render(
        request,
        "voice/story.html",
        {"story": selectors.story_get(actor=request.membership, story_id=story_id)},
    )


# --- Ideas ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required()
def ideas(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.idea_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Idea saved. Thank you!"))
            return redirect("voice:idea", idea_id=idea.pk)
    status = request.GET.get("status", "")
    status = status if status in IdeaStatus.values else ""
    qs = selectors.idea_list(actor=actor, status=status, query=request.GET.get("q", "")[:100])
    return render(
        request,
        "voice/ideas.html",
        {
            "page": _page(request, qs),
            "form": form,
            "status": status,
            "statuses": IdeaStatus.choices,
            "public_url": request.build_absolute_uri(
                reverse("voice:public_ideas", args=[actor.organisation.slug])
            ),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@member_required()
def idea_similar(request: AspaRequest) -> HttpResponse:
    """HTMX fragment: ideas with similar titles, shown while someone types a new one."""
    actor = request.membership
    selectors.require_member(actor)
    title = request.GET.get("title", "")[:200]
    found = (
        selectors.idea_similar(organisation_id=actor.organisation_id, title=title) if len(title) >= 3 else []
    )
    return render(request, "voice/_similar.html", {"similar": found, "title": title})


@require_GET
@member_required()
def idea_detail(request: AspaRequest, idea_id: int) -> HttpResponse:
    actor = request.membership
    idea = selectors.idea_get(actor=actor, idea_id=idea_id)
    return render(request, "voice/idea.html", _idea_context(actor, idea))


def _idea_context(actor: Any, idea: Any, **extra: Any) -> dict[str, Any]:
    return {
        "idea": idea,
        "comments": selectors.idea_comments(actor=actor, idea=idea),
        "comment_form": extra.get("comment_form") or CommentForm(),
        "status_form": extra.get("status_form") or StatusForm(initial={"status": idea.status}),
        "can_manage": selectors.can_manage(actor),
        "own": idea.author_id == actor.pk,
        "similar": selectors.idea_similar(
            organisation_id=actor.organisation_id, title=idea.title, exclude_id=idea.pk
        ),
    }


@require_POST
@member_required()
def idea_vote(request: AspaRequest, idea_id: int) -> HttpResponse:
    actor = request.membership
    idea = selectors.idea_get(actor=actor, idea_id=idea_id)
    try:
        voted = services.idea_vote_toggle(actor=actor, idea=idea)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Vote counted.") if voted else _("Vote taken back."))
    return redirect("voice:idea", idea_id=idea.pk)


@require_POST
@member_required()
def idea_comment(request: AspaRequest, idea_id: int) -> HttpResponse:
    actor = request.membership
    idea = selectors.idea_get(actor=actor, idea_id=idea_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.idea_comment_add(actor=actor, idea=idea, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            return redirect("voice:idea", idea_id=idea.pk)
    return render(request, "voice/idea.html", _idea_context(actor, idea, comment_form=form), status=400)


@require_POST
@member_required()
def idea_status(request: AspaRequest, idea_id: int) -> HttpResponse:
    actor = request.membership
    idea = selectors.idea_get(actor=actor, idea_id=idea_id)
    selectors.require_manage(actor)
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.idea_status_change(actor=actor, idea=idea, status=form.cleaned_data["status"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Status changed; everyone who raised or backed the idea was told."))
            return redirect("voice:idea", idea_id=idea.pk)
    return render(request, "voice/idea.html", _idea_context(actor, idea, status_form=form), status=400)


# --- Notifications -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_required()
def notifications(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    if request.method == "POST":
        services.notification_mark_all_read(actor=actor)
        return redirect("voice:notifications")
    return render(
        request,
        "voice/notifications.html",
        {"page": _page(request, selectors.notification_list(actor=actor))},
    )
