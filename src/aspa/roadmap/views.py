"""Roadmap pages: the ranked board, items with their score breakdown, experiments and their effect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aspa.core.forms import form_add_validation_error
from aspa.core.http import AspaRequest
from aspa.core.views_base import member_required
from aspa.roadmap import selectors, services
from aspa.roadmap.forms import ExperimentForm, ItemForm, OutcomeForm
from aspa.roadmap.models import ItemStatus
from aspa.voice import selectors as voice_selectors

EXPERIMENTS_SHOWN = 10


@require_GET
@member_required()
def board(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    show_all = request.GET.get("all") == "1"
    return render(
        request,
        "roadmap/board.html",
        {
            "ranked": selectors.board(actor=actor, include_closed=show_all),
            "show_all": show_all,
            "can_edit": selectors.can_edit(actor),
            # The newest ten, or all with ?all=1 (older ones were reachable only through their items).
            "experiments": list(
                selectors.experiment_list(actor=actor)[: None if show_all else EXPERIMENTS_SHOWN + 1]
            ),
            "experiments_shown": None if show_all else EXPERIMENTS_SHOWN,
        },
    )


def _source(request: AspaRequest) -> dict[str, Any]:
    actor = request.membership
    found: dict[str, Any] = {}
    idea_id, theme_id = request.GET.get("idea", ""), request.GET.get("theme", "")
    if idea_id.isdigit():
        found["idea"] = voice_selectors.idea_get(actor=actor, idea_id=int(idea_id))
    elif theme_id.isdigit():
        found["theme"] = voice_selectors.theme_get(actor=actor, theme_id=int(theme_id))
    return found


@require_http_methods(["GET", "POST"])
@member_required()
def item_create(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    if not selectors.can_edit(actor):
        raise PermissionDenied
    source = _source(request)
    initial: dict[str, Any] = {}
    if "idea" in source:
        initial = {"title": source["idea"].title, "description": source["idea"].body}
    elif "theme" in source:
        initial = {"title": _("Customers about: %(label)s") % {"label": source["theme"].label}}
    form = ItemForm(request.POST or None, teams=voice_selectors.teams_for(actor=actor), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(actor=actor, **form.cleaned_data, **source)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Roadmap item created."))
            return redirect("roadmap:item", item_id=item.pk)
    return render(
        request, "roadmap/item_form.html", {"form": form, **source}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
@member_required()
def item_detail(request: AspaRequest, item_id: int) -> HttpResponse:
    actor = request.membership
    item = selectors.item_get(actor=actor, item_id=item_id)
    form = ItemForm(
        request.POST or None,
        teams=voice_selectors.teams_for(actor=actor),
        initial={f: getattr(item, f) for f in ItemForm.base_fields},
    )
    if request.method == "POST":
        if not selectors.can_edit(actor):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.item_update(actor=actor, item=item, **form.cleaned_data)
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Scores saved; the ranking follows."))
                return redirect("roadmap:item", item_id=item.pk)
    # The rank the board shows: among open items for an open one (the default board), among all for a done
    # or dropped one ("show done and dropped too"); ranking over all items put an open item below closed ones.
    closed = item.status in (ItemStatus.DONE, ItemStatus.DROPPED)
    ranked = {r.item.pk: r.rank for r in selectors.board(actor=actor, include_closed=closed)}
    return render(
        request,
        "roadmap/item.html",
        {
            "item": item,
            "score": selectors.item_score(item),
            "rank": ranked.get(item.pk),
            "form": form,
            "can_edit": selectors.can_edit(actor),
            "may_accept": selectors.may_accept(actor=actor, item=item),
            "experiments": selectors.experiment_list(actor=actor, item=item),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required()
def item_accept(request: AspaRequest, item_id: int) -> HttpResponse:
    actor = request.membership
    item = selectors.item_get(actor=actor, item_id=item_id)
    try:
        services.item_accept(actor=actor, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Accepted into the roadmap."))
    return redirect("roadmap:item", item_id=item.pk)


@require_http_methods(["GET", "POST"])
@member_required()
def experiment_create(request: AspaRequest, item_id: int) -> HttpResponse:
    actor = request.membership
    item = selectors.item_get(actor=actor, item_id=item_id)
    if not selectors.can_edit(actor):
        raise PermissionDenied
    form = ExperimentForm(request.POST or None, teams=voice_selectors.teams_for(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            experiment = services.experiment_create(actor=actor, item=item, **form.service_fields())
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Experiment started."))
            return redirect("roadmap:experiment", experiment_id=experiment.pk)
    return render(
        request,
        "roadmap/experiment_form.html",
        {"form": form, "item": item},
        status=400 if form.errors else 200,
    )


@require_GET
@member_required()
def experiment_detail(request: AspaRequest, experiment_id: int) -> HttpResponse:
    actor = request.membership
    experiment = selectors.experiment_get(actor=actor, experiment_id=experiment_id)
    return render(request, "roadmap/experiment.html", _experiment_context(actor, experiment))


def _experiment_context(actor: Any, experiment: Any, **extra: Any) -> dict[str, Any]:
    return {
        "experiment": experiment,
        "result": selectors.result_view(experiment),
        "can_edit": selectors.can_edit(actor),
        "outcome_form": extra.get("outcome_form") or OutcomeForm(),
    }


@require_POST
@member_required()
def experiment_measure(request: AspaRequest, experiment_id: int) -> HttpResponse:
    actor = request.membership
    experiment = selectors.experiment_get(actor=actor, experiment_id=experiment_id)
    try:
        services.experiment_measure(actor=actor, experiment=experiment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Effect measured."))
    return redirect("roadmap:experiment", experiment_id=experiment.pk)


@require_POST
@member_required()
def experiment_finish(request: AspaRequest, experiment_id: int) -> HttpResponse:
    actor = request.membership
    experiment = selectors.experiment_get(actor=actor, experiment_id=experiment_id)
    if not selectors.can_edit(actor):
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.experiment_finish(actor=actor, experiment=experiment, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Outcome recorded; the people behind the idea were told."))
            return redirect("roadmap:experiment", experiment_id=experiment.pk)
    return render(
        request,
        "roadmap/experiment.html",
        _experiment_context(actor, experiment, outcome_form=form),
        status=400,
    )
