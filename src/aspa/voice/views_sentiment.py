"""Correcting the model's sentiment, and the page that shows how well the model agrees with people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from aspa.core.http import AspaRequest
from aspa.core.views_base import member_required
from aspa.voice import corrections, selectors

PAGE_SIZE = 25


@require_GET
@member_required()
def sentiment_review(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    result = corrections.sentiment_agreement(actor=actor)
    rows = [
        (label, list(zip(result.labels, counts, strict=True)), sum(counts))
        for label, counts in zip(result.labels, result.confusion, strict=True)
    ]
    context = {
        "agreement": result,
        "agreement_percent": round(100 * result.accuracy) if result.accuracy is not None else None,
        "rows": rows,
        "small_sample": 0 < result.n < corrections.SMALL_SAMPLE,
        "small_sample_limit": corrections.SMALL_SAMPLE,
        "page": Paginator(corrections.corrections_list(actor=actor), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "can_manage": selectors.can_manage(actor),
    }
    return render(request, "voice/sentiment.html", context)


@require_POST
@member_required()
def sentiment_correct(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    try:
        pk = int(request.POST.get("pk", ""))
    except ValueError:
        pk = 0
    try:
        obj = corrections.sentiment_correct(
            actor=actor, kind=request.POST.get("kind", ""), pk=pk, sentiment=request.POST.get("sentiment", "")
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if obj.sentiment_corrected_at:
            messages.success(
                request, _("Sentiment set to: %(label)s.") % {"label": obj.get_sentiment_display()}
            )
        else:
            messages.success(request, _("Back to the model's sentiment."))
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(next_url)
    return redirect("voice:sentiment")
