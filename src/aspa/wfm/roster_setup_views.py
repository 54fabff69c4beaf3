"""Roster setup pages of a team: shift types, work rules, contracts and skills, fairness priorities. Thin."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aspa.core.forms import form_add_validation_error
from aspa.core.http import AspaRequest
from aspa.core.roles import Capability
from aspa.core.views_base import member_required
from aspa.wfm import roster_services, roster_setup_selectors
from aspa.wfm import roster_setup as setup_services
from aspa.wfm.roster_setup_forms import (
    ACTION_FAIRNESS,
    ACTION_PRIORITY,
    ACTION_RULES,
    ACTION_SHIFT_TYPE,
    ContractForm,
    FairnessForm,
    PriorityForm,
    ShiftTypeForm,
    WorkRulesForm,
)


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def roster_setup(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = roster_setup_selectors.setup_team_get(actor=actor, team_id=team_id)
    view = roster_setup_selectors.setup_view(actor=actor, team=team)
    members = [p.membership for p in view.people]
    action = request.POST.get("action") if request.method == "POST" else None
    forms: dict[str, Any] = {
        ACTION_SHIFT_TYPE: ShiftTypeForm(request.POST if action == ACTION_SHIFT_TYPE else None, prefix="st"),
        ACTION_RULES: WorkRulesForm(request.POST if action == ACTION_RULES else None, initial=view.rules),
        ACTION_FAIRNESS: FairnessForm(
            request.POST if action == ACTION_FAIRNESS else None, initial=view.rules, prefix="fa"
        ),
        ACTION_PRIORITY: PriorityForm(
            request.POST if action == ACTION_PRIORITY else None, members=members, prefix="pr"
        ),
    }
    form = forms.get(action or "")
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action == ACTION_SHIFT_TYPE:
                setup_services.shift_type_create(actor=actor, team=team, **data)
                messages.success(request, _("Shift type added."))
            elif action == ACTION_RULES:
                setup_services.work_rules_update(actor=actor, team=team, **data)
                messages.success(request, _("Work rules saved."))
            elif action == ACTION_FAIRNESS:
                setup_services.fairness_update(actor=actor, team=team, **data)
                messages.success(request, _("Fairness weights saved."))
            else:
                setup_services.priority_grant(actor=actor, team=team, **data)
                messages.success(request, _("Priority recorded."))
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            return redirect("wfm:roster_setup", team_id=team.pk)
    status = 400 if form is not None else 200
    return render(
        request,
        "wfm/roster_setup.html",
        {"view": view, "team": team, "forms": forms, "action": action},
        status=status,
    )


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def shift_type_edit(request: AspaRequest, team_id: int, shift_type_id: int) -> HttpResponse:
    actor = request.membership
    team = roster_setup_selectors.setup_team_get(actor=actor, team_id=team_id)
    roster_services.require_plan(actor, team)
    shift_type = roster_setup_selectors.team_shift_type_get(
        actor=actor, team=team, shift_type_id=shift_type_id
    )
    initial = {name: getattr(shift_type, name) for name in ShiftTypeForm.base_fields}
    form = ShiftTypeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.shift_type_update(
                actor=actor, team=team, shift_type=shift_type, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Shift type saved."))
            return redirect("wfm:roster_setup", team_id=team.pk)
    published = setup_services.shift_type_in_published_roster(shift_type)
    return render(
        request,
        "wfm/roster_shift_type.html",
        {"team": team, "shift_type": shift_type, "form": form, "published": published},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@member_required(Capability.VIEW_WFM)
def shift_type_delete(request: AspaRequest, team_id: int, shift_type_id: int) -> HttpResponse:
    actor = request.membership
    team = roster_setup_selectors.setup_team_get(actor=actor, team_id=team_id)
    shift_type = roster_setup_selectors.team_shift_type_get(
        actor=actor, team=team, shift_type_id=shift_type_id
    )
    try:
        setup_services.shift_type_delete(actor=actor, team=team, shift_type=shift_type)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Shift type removed."))
    return redirect("wfm:roster_setup", team_id=team.pk)


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def contract_edit(request: AspaRequest, team_id: int, membership_id: int) -> HttpResponse:
    actor = request.membership
    team = roster_setup_selectors.setup_team_get(actor=actor, team_id=team_id)
    roster_services.require_plan(actor, team)
    person = roster_setup_selectors.team_member_get(actor=actor, team=team, membership_id=membership_id)
    view = roster_setup_selectors.setup_view(actor=actor, team=team)
    current = next((p.contract for p in view.people if p.membership.pk == person.pk), None)
    initial = (
        {
            "min_minutes_per_week": current.min_minutes_per_week,
            "max_minutes_per_week": current.max_minutes_per_week,
            "skills": current.skills,
        }
        if current is not None
        else {"min_minutes_per_week": 0, "max_minutes_per_week": 2250, "skills": view.skills}
    )
    form = ContractForm(request.POST or None, initial=initial, skills=view.skills)
    if request.method == "POST" and form.is_valid():
        try:
            setup_services.contract_update(
                actor=actor, team=team, membership=person, known_skills=view.skills, **form.cleaned_data
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Contract saved."))
            return redirect("wfm:roster_setup", team_id=team.pk)
    return render(
        request,
        "wfm/roster_contract.html",
        {"team": team, "person": person, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@member_required(Capability.VIEW_WFM)
def priority_end(request: AspaRequest, priority_id: int) -> HttpResponse:
    actor = request.membership
    priority = roster_setup_selectors.priority_get(actor=actor, priority_id=priority_id)
    setup_services.priority_end(actor=actor, priority=priority)
    messages.success(request, _("Priority removed."))
    return redirect("wfm:roster_setup", team_id=priority.team_id)
