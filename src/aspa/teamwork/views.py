"""Team pages: hub, decision matrix, charter, role board and agreements. Thin: validate, call, render."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aspa.core.forms import form_add_validation_error
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
    ActionForm,
    AgendaItemForm,
    AgendaUpdateForm,
    AgreeForm,
    AgreementForm,
    AgreementsForm,
    CharterForm,
    CheckInForm,
    CoachingForm,
    DecisionMatrixForm,
    GoalForm,
    LevelsForm,
    MeetingForm,
    NoteForm,
    ObjectionForm,
    ResolveForm,
    RetroActionForm,
    RetroForm,
    RetroItemForm,
    RoleAssignForm,
    TeamRoleForm,
)
from aspa.teamwork.models import (
    ActionStatus,
    AgreementStatus,
    CoachingStatus,
    GoalLevel,
    GoalStatus,
    MeetingKind,
    RetroCategory,
)

PAGE_SIZE = 25


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
            form_add_validation_error(form, exc)
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
            form_add_validation_error(form, exc)
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
            form_add_validation_error(role_form if which == "role" else assign_form, exc)
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
            form_add_validation_error(target, exc)
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


# =====================================================================================================
# The work stream: actions, goals, coaching, meetings, retrospectives, self-direction
# =====================================================================================================


def _back(request: AspaRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


@member_required(Capability.VIEW_TEAMS)
def my_actions(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    show = request.GET.get("show", "")
    qs = selectors.action_list_mine(actor=actor, include_closed=show == "all")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teamwork/my_actions.html",
        {"page": page, "today": timezone.localdate(), "show": show},
    )


@require_POST
@member_required(Capability.VIEW_TEAMS)
def action_status(request: AspaRequest, action_id: int) -> HttpResponse:
    actor = request.membership
    item = selectors.action_get(actor=actor, action_id=action_id)
    try:
        services.action_status_set(actor=actor, action=item, status=request.POST.get("status", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Action updated."))
    return _back(request, reverse("teamwork:my_actions"))


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def team_actions(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    members = selectors.team_member_memberships(actor=actor, team=team)
    form = ActionForm(
        request.POST or None, members=members, initial={"owner": actor.pk, "due_on": _in_days(7)}
    )
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.action_create(actor=actor, team=team, **form.cleaned_data)
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Action added."))
                return redirect("teamwork:team_actions", team_id=team.pk)
    status = request.GET.get("status", ActionStatus.OPEN)
    if status not in ActionStatus.values:
        status = ""
    page = Paginator(selectors.action_list(actor=actor, team=team, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "teamwork/team_actions.html",
        {
            "team": team,
            "page": page,
            "form": form,
            "is_member": is_member,
            "status": status,
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
            "can_manage": selectors.is_team_lead(actor=actor, team=team),
        },
        status=400 if form.errors else 200,
    )


def _in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def goals(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = GoalForm(
        request.POST or None,
        teams=selectors.team_list(actor=actor),
        people=selectors.goal_people_choices(actor=actor),
        parents=selectors.goal_parent_choices(actor=actor),
        initial={"level": GoalLevel.PERSON, "person": actor.pk, "due_on": _in_days(90)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.goal_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or _("You cannot set this goal."))
        else:
            messages.success(request, _("Goal saved."))
            return redirect("teamwork:goal", goal_id=goal.pk)
    query = request.GET.get("q", "").strip()[:100]
    level = request.GET.get("level", "")
    if level not in GoalLevel.values:
        level = ""
    page = Paginator(selectors.goal_list(actor=actor, query=query, level=level), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "teamwork/goals.html",
        {
            "page": page,
            "rows": selectors.goals_with_progress(page.object_list),
            "form": form,
            "q": query,
            "level": level,
            "levels": GoalLevel.choices,
        },
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def goal(request: AspaRequest, goal_id: int) -> HttpResponse:
    actor = request.membership
    item = selectors.goal_get(actor=actor, goal_id=goal_id)
    can_edit = selectors.goal_may_edit(actor=actor, goal=item)
    action = request.POST.get("action") if request.method == "POST" else None
    form = CheckInForm(request.POST if action == "check_in" else None)
    if request.method == "POST":
        try:
            if action == "check_in" and form.is_valid():
                services.goal_check_in(actor=actor, goal=item, **form.cleaned_data)
                messages.success(request, _("Check-in saved."))
                return redirect("teamwork:goal", goal_id=item.pk)
            if action == "share":
                services.goal_share_set(actor=actor, goal=item, shared=request.POST.get("shared") == "1")
                messages.success(request, _("Sharing changed."))
                return redirect("teamwork:goal", goal_id=item.pk)
            if action == "status":
                services.goal_status_set(actor=actor, goal=item, status=request.POST.get("status", ""))
                messages.success(request, _("Goal updated."))
                return redirect("teamwork:goal", goal_id=item.pk)
            if action not in ("check_in", "share", "status"):
                raise PermissionDenied
        except ValidationError as exc:
            form_add_validation_error(form, exc)
    progress = selectors.goal_progress(item)
    return render(
        request,
        "teamwork/goal.html",
        {
            "goal": item,
            "progress": progress,
            "check_ins": selectors.check_in_list(actor=actor, goal=item)[:20],
            "children": selectors.goal_list(actor=actor).filter(parent=item),
            "can_edit": can_edit,
            "is_own": item.person_id == actor.pk,
            "form": form,
            "statuses": GoalStatus.choices,
        },
        status=400 if request.method == "POST" else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def coaching(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    coachees = selectors.coachee_choices_all(actor=actor)
    form = CoachingForm(
        request.POST or None,
        coachees=coachees,
        managers=selectors.lead_lead_choices(actor=actor),
        initial={"repeat_every_weeks": 4},
    )
    if request.method == "POST":
        if not coachees.exists():
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            team = selectors.coaching_team_for(actor=actor, coachee=data["coachee"])
            if team is None:
                raise PermissionDenied
            try:
                session = services.coaching_session_create(actor=actor, team=team, **data)
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Coaching session planned."))
                return redirect("teamwork:coaching_session", session_id=session.pk)
    page = Paginator(selectors.coaching_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "teamwork/coaching.html",
        {"page": page, "form": form, "can_plan": coachees.exists()},
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def coaching_session(request: AspaRequest, session_id: int) -> HttpResponse:
    actor = request.membership
    session = selectors.coaching_get(actor=actor, session_id=session_id)
    participants = selectors.coaching_participants(actor=actor, session=session)
    action = request.POST.get("action") if request.method == "POST" else None
    agreements_form = AgreementsForm(
        request.POST if action == "agreements" else None, initial={"agreements": session.agreements}
    )
    note_form = NoteForm(request.POST if action == "note" else None)
    action_form = ActionForm(
        request.POST if action == "follow_up" else None,
        members=participants,
        initial={"owner": session.coachee_id, "due_on": _in_days(14)},
        prefix="follow",
    )
    if request.method == "POST":
        forms_by_action: dict[str, Form] = {
            "agreements": agreements_form,
            "note": note_form,
            "follow_up": action_form,
        }
        try:
            if action == "agreements" and agreements_form.is_valid():
                services.coaching_agreements_save(
                    actor=actor, session=session, **agreements_form.cleaned_data
                )
                messages.success(request, _("Agreements saved."))
                return redirect("teamwork:coaching_session", session_id=session.pk)
            if action == "note" and note_form.is_valid():
                services.coaching_note_add(actor=actor, session=session, **note_form.cleaned_data)
                messages.success(request, _("Private note saved."))
                return redirect("teamwork:coaching_session", session_id=session.pk)
            if action == "follow_up" and action_form.is_valid():
                services.coaching_action_add(actor=actor, session=session, **action_form.cleaned_data)
                messages.success(request, _("Follow-up action added."))
                return redirect("teamwork:coaching_session", session_id=session.pk)
            if action == "hold":
                following = services.coaching_session_hold(actor=actor, session=session)
                messages.success(request, _("Session marked as held."))
                if following is not None:
                    return redirect("teamwork:coaching_session", session_id=following.pk)
                return redirect("teamwork:coaching_session", session_id=session.pk)
        except ValidationError as exc:
            target = forms_by_action.get(action or "")
            if target is not None:
                form_add_validation_error(target, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "teamwork/coaching_session.html",
        {
            "session": session,
            "agenda": selectors.coaching_agenda(actor=actor, session=session),
            "notes": selectors.coaching_notes_mine(actor=actor, session=session),
            "agreements_form": agreements_form,
            "note_form": note_form,
            "action_form": action_form,
            "today": timezone.localdate(),
            "is_planned": session.status == CoachingStatus.PLANNED,
        },
        status=400 if request.method == "POST" else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def huddle(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        meeting = services.huddle_start(actor=actor, team=team)
        return redirect("teamwork:meeting", team_id=team.pk, meeting_id=meeting.pk)
    return render(
        request,
        "teamwork/huddle.html",
        {
            "team": team,
            "board": selectors.huddle_board(actor=actor, team=team),
            "is_member": is_member,
            "can_manage": selectors.is_team_lead(actor=actor, team=team),
        },
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def meetings(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    form = MeetingForm(request.POST or None, initial={"kind": MeetingKind.WEEKLY})
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        if form.is_valid():
            meeting = services.meeting_create(actor=actor, team=team, **form.cleaned_data)
            messages.success(request, _("Meeting created."))
            return redirect("teamwork:meeting", team_id=team.pk, meeting_id=meeting.pk)
    page = Paginator(selectors.meeting_list(actor=actor, team=team), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "teamwork/meetings.html",
        {"team": team, "page": page, "form": form, "is_member": is_member},
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def meeting(request: AspaRequest, team_id: int, meeting_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    item = selectors.meeting_get(actor=actor, team=team, meeting_id=meeting_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    items = selectors.agenda_items(actor=actor, meeting=item)
    action = request.POST.get("action") if request.method == "POST" else None
    item_form = AgendaItemForm(request.POST if action == "add" else None, prefix="item")
    action_form = ActionForm(
        request.POST if action == "action" else None,
        members=selectors.team_member_memberships(actor=actor, team=team),
        initial={"due_on": _in_days(7)},
        prefix="action",
    )
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        here = reverse("teamwork:meeting", kwargs={"team_id": team.pk, "meeting_id": item.pk})
        try:
            if action == "add" and item_form.is_valid():
                services.agenda_item_add(actor=actor, meeting=item, **item_form.cleaned_data)
                messages.success(request, _("Topic added."))
                return redirect(here)
            if action == "vote":
                services.agenda_vote_toggle(
                    actor=actor, item=get_object_or_404(items, pk=_int(request.POST.get("item")))
                )
                return redirect(f"{here}#agenda-h")
            if action == "update":
                agenda_item = get_object_or_404(items, pk=_int(request.POST.get("item")))
                update = AgendaUpdateForm(request.POST, prefix=f"u{agenda_item.pk}")
                if update.is_valid():
                    services.agenda_item_update(actor=actor, item=agenda_item, **update.cleaned_data)
                    messages.success(request, _("Topic updated."))
                    return redirect(f"{here}#agenda-h")
            if action == "action" and action_form.is_valid():
                services.meeting_action_add(actor=actor, meeting=item, **action_form.cleaned_data)
                messages.success(request, _("Action added."))
                return redirect(f"{here}#actions-h")
            if action == "rate":
                services.meeting_rate(actor=actor, meeting=item, score=_int(request.POST.get("score")))
                messages.success(request, _("Thank you for rating the meeting."))
                return redirect(f"{here}#rate-h")
        except ValidationError as exc:
            target_form: Form | None = {"add": item_form, "action": action_form}.get(action or "")
            if target_form is not None:
                form_add_validation_error(target_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    item_list = list(items)
    return render(
        request,
        "teamwork/meeting.html",
        {
            "team": team,
            "meeting": item,
            "items": [
                (
                    i,
                    AgendaUpdateForm(
                        prefix=f"u{i.pk}",
                        initial={
                            "triage": i.triage,
                            "decision": i.decision,
                            "is_handled": i.is_handled,
                        },
                    ),
                )
                for i in item_list
            ],
            "total_minutes": sum(i.timebox_minutes for i in item_list if not i.is_handled),
            "item_form": item_form,
            "action_form": action_form,
            "actions": selectors.meeting_actions(actor=actor, meeting=item),
            "can_manage": selectors.is_team_lead(actor=actor, team=team),
            "my_rating": selectors.meeting_my_rating(actor=actor, meeting=item),
            "is_member": is_member,
            "scores": range(1, 6),
            "today": timezone.localdate(),
        },
        status=400 if request.method == "POST" else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def retros(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    form = RetroForm(request.POST or None, initial={"held_on": timezone.localdate(), "dots_per_person": 3})
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        if form.is_valid():
            try:
                retro = services.retro_create(actor=actor, team=team, **form.cleaned_data)
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Retrospective started."))
                return redirect("teamwork:retro", team_id=team.pk, retro_id=retro.pk)
    page = Paginator(selectors.retro_list(actor=actor, team=team), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "teamwork/retros.html",
        {"team": team, "page": page, "form": form, "is_member": is_member},
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def retro(request: AspaRequest, team_id: int, retro_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    item = selectors.retro_get(actor=actor, team=team, retro_id=retro_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    items = selectors.retro_items(actor=actor, retro=item)
    item_list = list(items)
    action = request.POST.get("action") if request.method == "POST" else None
    item_form = RetroItemForm(request.POST if action == "add" else None, prefix="retro")
    action_form = RetroActionForm(
        request.POST if action == "to_action" else None,
        members=selectors.team_member_memberships(actor=actor, team=team),
        initial={"due_on": _in_days(14), "owner": actor.pk},
        prefix="act",
        items=[(i.pk, i.text) for i in item_list if i.action_id is None],
    )
    if request.method == "POST":
        if not is_member:
            raise PermissionDenied
        here = reverse("teamwork:retro", kwargs={"team_id": team.pk, "retro_id": item.pk})
        try:
            if action == "add" and item_form.is_valid():
                services.retro_item_add(actor=actor, retro=item, **item_form.cleaned_data)
                messages.success(request, _("Thank you: your thought was added."))
                return redirect(here)
            if action in ("dot", "undot"):
                retro_item = get_object_or_404(items, pk=_int(request.POST.get("item")))
                if action == "dot":
                    services.retro_dot_add(actor=actor, item=retro_item)
                else:
                    services.retro_dot_remove(actor=actor, item=retro_item)
                return redirect(f"{here}#result-h")
            if action == "to_action" and action_form.is_valid():
                data = dict(action_form.cleaned_data)
                retro_item = get_object_or_404(items, pk=data.pop("item"))
                data.pop("note", None)
                data["title"] = data["title"] or ""
                services.retro_item_to_action(actor=actor, item=retro_item, **data)
                messages.success(request, _("The item is now an action."))
                return redirect(f"{here}#result-h")
            if action == "to_idea":
                retro_item = get_object_or_404(items, pk=_int(request.POST.get("item")))
                services.retro_item_to_idea(actor=actor, item=retro_item)
                messages.success(request, _("The item is now a development idea for the roadmap."))
                return redirect(f"{here}#result-h")
            if action == "close":
                services.retro_close(actor=actor, retro=item)
                messages.success(request, _("Retrospective closed."))
                return redirect(here)
        except ValidationError as exc:
            target_form: Form | None = {"add": item_form, "to_action": action_form}.get(action or "")
            if target_form is not None:
                form_add_validation_error(target_form, exc)
            else:
                messages.error(request, " ".join(exc.messages))
    return render(
        request,
        "teamwork/retro.html",
        {
            "team": team,
            "retro": item,
            "fields": [
                (value, label, [i for i in item_list if i.category == value])
                for value, label in RetroCategory.choices
            ],
            "ranked": [i for i in item_list if getattr(i, "dot_count", 0)],
            "dots_left": selectors.retro_dots_left(actor=actor, retro=item),
            "item_form": item_form,
            "action_form": action_form,
            "is_member": is_member,
            "roadmap_ready": selectors.roadmap_idea_hook() is not None,
        },
        status=400 if request.method == "POST" else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def self_direction(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    is_member = selectors.is_team_member(actor=actor, team=team)
    can_target = selectors.decision_allowed(actor=actor, team=team, decision=CHARTER_CHANGE)
    rows = selectors.self_direction(actor=actor, team=team)
    action = request.POST.get("action") if request.method == "POST" else None
    assess_form = LevelsForm(
        request.POST if action == "assess" else None,
        prefix="now",
        initial_levels={r.area.key: r.mine for r in rows},
        label_suffix_text=str(_("where we are now")),
    )
    target_form = LevelsForm(
        request.POST if action == "target" else None,
        prefix="target",
        initial_levels={r.area.key: r.target for r in rows},
        label_suffix_text=str(_("our target")),
    )
    if request.method == "POST":
        here = reverse("teamwork:self_direction", kwargs={"team_id": team.pk})
        if action == "assess":
            if not is_member:
                raise PermissionDenied
            if assess_form.is_valid():
                services.self_direction_assess(actor=actor, team=team, levels=assess_form.levels())
                messages.success(request, _("Thank you: your assessment was saved."))
                return redirect(here)
        elif action in ("target", "goal"):
            if not can_target:
                raise PermissionDenied
            try:
                if action == "target" and target_form.is_valid():
                    services.self_direction_target_set(actor=actor, team=team, levels=target_form.levels())
                    messages.success(request, _("Target levels saved."))
                    return redirect(here)
                if action == "goal":
                    created = services.self_direction_goal_from_gap(
                        actor=actor, team=team, area=request.POST.get("area", "")
                    )
                    messages.success(request, _("A team goal was made from the gap."))
                    return redirect("teamwork:goal", goal_id=created.pk)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        else:
            raise PermissionDenied
    return render(
        request,
        "teamwork/self_direction.html",
        {
            "team": team,
            "rows": rows,
            "is_member": is_member,
            "can_target": can_target,
            "assess_form": assess_form,
            "target_form": target_form,
        },
        status=400 if request.method == "POST" else 200,
    )
