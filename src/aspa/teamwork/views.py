"""Team pages: hub, decision matrix, charter, role board and agreements. Thin: validate, call, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aspa.core.http import AspaRequest
from aspa.core.roles import Capability
from aspa.core.views_base import member_required
from aspa.teamwork import selectors, services
from aspa.teamwork.decisions import (
    AGREEMENT_CHANGE,
    CHARTER_CHANGE,
    DECISIONS_CHANGE,
    LEVEL_OUTCOME,
    ROLES_CHANGE,
    Level,
    Outcome,
    Subject,
)
from aspa.teamwork.forms import (
    AgreeForm,
    AgreementForm,
    CharterForm,
    DecisionMatrixForm,
    ObjectionForm,
    ResolveForm,
    RoleAssignForm,
    TeamRoleForm,
)
from aspa.teamwork.models import AgreementStatus

PAGE_SIZE = 25


def _errors_to_form(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@member_required(Capability.VIEW_TEAMS)
def index(request: AspaRequest) -> HttpResponse:
    teams = selectors.team_list(actor=request.membership)
    return render(request, "teamwork/index.html", {"teams": teams})


@member_required(Capability.VIEW_TEAMS)
def team(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    return render(
        request,
        "teamwork/team.html",
        {
            "team": team,
            "is_member": selectors.is_team_member(actor=actor, team=team),
            "charter": selectors.charter_current(actor=actor, team=team),
            "members": selectors.team_members(actor=actor, team=team),
            "board": selectors.role_board(actor=actor, team=team),
            "open_agreements": selectors.agreement_list(actor=actor, team=team).filter(
                status__in=[AgreementStatus.PROPOSED, AgreementStatus.DISCUSSED]
            )[:10],
            "agreed": selectors.agreement_list(actor=actor, team=team, status=AgreementStatus.AGREED)[:10],
            "my_decisions": [
                (
                    row.decision_type,
                    selectors.decision_level(actor=actor, team=team, decision=row.decision_type.key),
                )
                for row in selectors.decision_matrix(actor=actor, team=team)
            ],
            "level_labels": dict(Level.choices),
            "matrix_version": selectors.decision_matrix_version(team=team),
        },
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def matrix(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    can_edit = selectors.decision_allowed(actor=actor, team=team, decision=DECISIONS_CHANGE)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    rows = selectors.decision_matrix(actor=actor, team=team)
    form = DecisionMatrixForm(request.POST or None, matrix=rows)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.decision_matrix_update(
                actor=actor, team=team, cells=form.cell_values(), note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(
                request, _("Decision rights saved as version %(version)s.") % {"version": version}
            )
            return redirect("teamwork:matrix", team_id=team.pk)
    return render(
        request,
        "teamwork/matrix.html",
        {
            "team": team,
            "rows": rows,
            "grid": form.grid() if can_edit else None,
            "form": form,
            "can_edit": can_edit,
            "subjects": Subject.choices,
            "levels": [(value, label, _outcome_label(value)) for value, label in Level.choices],
            "version": selectors.decision_matrix_version(team=team),
        },
        status=400 if form.errors else 200,
    )


def _outcome_label(level: str) -> str:
    return str(Outcome(LEVEL_OUTCOME[level]).label)


@member_required(Capability.VIEW_TEAMS)
def matrix_history(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    page = Paginator(selectors.decision_change_list(actor=actor, team=team), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = {
        row.decision_type.key: row.decision_type.label
        for row in selectors.decision_matrix(actor=actor, team=team)
    }
    return render(request, "teamwork/matrix_history.html", {"team": team, "page": page, "labels": labels})


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def charter(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    versions = selectors.charter_versions(actor=actor, team=team)
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        version = get_object_or_404(versions, pk=request.POST.get("version") or 0)
        services.charter_agree(actor=actor, version=version)
        messages.success(
            request, _("You agreed to version %(number)s of the charter.") % {"number": version.number}
        )
        return redirect("teamwork:charter", team_id=team.pk)
    version_list = list(versions)
    current = version_list[0] if version_list else None
    return render(
        request,
        "teamwork/charter.html",
        {
            "team": team,
            "current": current,
            "older": version_list[1:],
            "is_member": is_member,
            "i_agreed": current is not None
            and any(c.membership_id == actor.pk for c in current.consents.all()),
            "standing": selectors.charter_standing(actor=actor, team=team),
            "can_edit": selectors.decision_allowed(actor=actor, team=team, decision=CHARTER_CHANGE),
        },
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def charter_edit(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    if not selectors.decision_allowed(actor=actor, team=team, decision=CHARTER_CHANGE):
        raise PermissionDenied
    current = selectors.charter_current(actor=actor, team=team)
    initial = (
        {
            "purpose": current.purpose,
            "customer_promise": current.customer_promise,
            "goals": current.goals,
            "direction": current.direction,
            "direction_url": current.direction_url,
        }
        if current
        else {}
    )
    form = CharterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.charter_version_create(actor=actor, team=team, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Charter version %(number)s saved.") % {"number": version.number})
            return redirect("teamwork:charter", team_id=team.pk)
    return render(
        request,
        "teamwork/charter_edit.html",
        {"team": team, "form": form, "current": current},
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def roles(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    can_edit = selectors.decision_allowed(actor=actor, team=team, decision=ROLES_CHANGE)
    members = selectors.team_members(actor=actor, team=team)
    role_qs = selectors.team_role_list(actor=actor, team=team)
    which = request.POST.get("form") if request.method == "POST" else None
    role_form = TeamRoleForm(request.POST if which == "role" else None, prefix="role")
    assign_form = RoleAssignForm(
        request.POST if which == "assign" else None,
        prefix="assign",
        roles=role_qs,
        members=selectors.team_member_memberships(actor=actor, team=team),
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            if which == "role" and role_form.is_valid():
                services.team_role_create(actor=actor, team=team, **role_form.cleaned_data)
                messages.success(request, _("Role added to the board."))
                return redirect("teamwork:roles", team_id=team.pk)
            if which == "assign" and assign_form.is_valid():
                services.role_assign(actor=actor, **assign_form.cleaned_data)
                messages.success(request, _("Role holder saved."))
                return redirect("teamwork:roles", team_id=team.pk)
        except ValidationError as exc:
            _errors_to_form(role_form if which == "role" else assign_form, exc)
    failed = request.method == "POST"
    return render(
        request,
        "teamwork/roles.html",
        {
            "team": team,
            "board": selectors.role_board(actor=actor, team=team),
            "members": members,
            "can_edit": can_edit,
            "role_form": role_form,
            "assign_form": assign_form,
            "has_roles": role_qs.exists(),
        },
        status=400 if failed else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def agreements(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    form = AgreementForm(request.POST or None)
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        if form.is_valid():
            agreement = services.agreement_propose(actor=actor, team=team, **form.cleaned_data)
            messages.success(request, _("Agreement proposed."))
            return redirect("teamwork:agreement", team_id=team.pk, agreement_id=agreement.pk)
    status = request.GET.get("status", "")
    if status not in AgreementStatus.values:
        status = ""
    page = Paginator(selectors.agreement_list(actor=actor, team=team, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "teamwork/agreements.html",
        {
            "team": team,
            "page": page,
            "form": form,
            "is_member": is_member,
            "status": status,
            "statuses": AgreementStatus.choices,
            "due": selectors.agreements_due_for_review(actor=actor, team=team),
        },
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def agreement(request: AspaRequest, team_id: int, agreement_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    item = selectors.agreement_get(actor=actor, team=team, agreement_id=agreement_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    can_decide = selectors.decision_allowed(actor=actor, team=team, decision=AGREEMENT_CHANGE)
    objections = selectors.objection_list(actor=actor, agreement=item)
    action = request.POST.get("action") if request.method == "POST" else None
    objection_form = ObjectionForm(request.POST if action == "object" else None, prefix="objection")
    resolve_form = ResolveForm(
        request.POST if action == "resolve" else None,
        prefix="resolve",
        objections=objections.filter(resolved_at__isnull=True),
    )
    agree_form = AgreeForm(request.POST if action == "agree" else None, prefix="agree")
    if request.method == "POST":
        if not (is_member or can_decide):
            raise PermissionDenied
        forms_by_action: dict[str, Form] = {
            "object": objection_form,
            "resolve": resolve_form,
            "agree": agree_form,
        }
        try:
            if action == "discuss":
                services.agreement_discuss(actor=actor, agreement=item)
                messages.success(request, _("Marked as discussed."))
                return redirect("teamwork:agreement", team_id=team.pk, agreement_id=item.pk)
            if action == "retire":
                services.agreement_retire(actor=actor, agreement=item)
                messages.success(request, _("Agreement retired."))
                return redirect("teamwork:agreement", team_id=team.pk, agreement_id=item.pk)
            if action == "object" and objection_form.is_valid():
                services.objection_raise(
                    actor=actor, agreement=item, text=objection_form.cleaned_data["text"]
                )
                messages.success(request, _("Your objection was recorded."))
                return redirect("teamwork:agreement", team_id=team.pk, agreement_id=item.pk)
            if action == "resolve" and resolve_form.is_valid():
                services.objection_resolve(
                    actor=actor,
                    objection=resolve_form.cleaned_data["objection"],
                    resolution=resolve_form.cleaned_data["resolution"],
                )
                messages.success(request, _("Objection resolved."))
                return redirect("teamwork:agreement", team_id=team.pk, agreement_id=item.pk)
            if action == "agree" and agree_form.is_valid():
                services.agreement_agree(
                    actor=actor, agreement=item, review_on=agree_form.cleaned_data["review_on"]
                )
                messages.success(request, _("The team agreed."))
                return redirect("teamwork:agreement", team_id=team.pk, agreement_id=item.pk)
        except ValidationError as exc:
            target = forms_by_action.get(action or "", agree_form)
            _errors_to_form(target, exc)
            if action in ("discuss", "retire"):
                messages.error(request, " ".join(exc.messages))
    open_statuses = (AgreementStatus.PROPOSED, AgreementStatus.DISCUSSED)
    return render(
        request,
        "teamwork/agreement.html",
        {
            "team": team,
            "agreement": item,
            "objections": objections,
            "is_member": is_member,
            "can_decide": can_decide,
            "is_open": item.status in open_statuses,
            "can_agree": can_decide and item.status in (AgreementStatus.DISCUSSED, AgreementStatus.AGREED),
            "objection_form": objection_form,
            "resolve_form": resolve_form,
            "agree_form": agree_form,
            "user_id": actor.user_id,
        },
        status=400 if request.method == "POST" else 200,
    )
