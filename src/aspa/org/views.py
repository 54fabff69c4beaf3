"""People, teams, invitations, profile and organisation switching. Thin: validate, call, render."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from aspa.core.forms import form_add_validation_error
from aspa.core.http import AspaRequest
from aspa.core.roles import Capability
from aspa.core.tenancy import SESSION_ORG_KEY, actor_can
from aspa.core.views_base import member_required
from aspa.org import selectors, services
from aspa.org.forms import (
    AcceptInvitationForm,
    EraseForm,
    InvitationForm,
    LanguageForm,
    RoleForm,
    TeamForm,
    TeamMemberForm,
)
from aspa.org.services import _hash_token

PAGE_SIZE = 25


@member_required(Capability.VIEW_PEOPLE)
def people(request: AspaRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    qs = selectors.person_list(actor=request.membership, query=query)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    template = "org/_people_rows.html" if request.htmx else "org/people.html"
    return render(request, template, {"page": page, "query": query})


@member_required(Capability.VIEW_PEOPLE)
@require_http_methods(["GET", "POST"])
def person_detail(request: AspaRequest, membership_id: int) -> HttpResponse:
    actor = request.membership
    person = selectors.person_get(actor=actor, membership_id=membership_id)
    role_form = RoleForm(initial={"role": person.role})
    if request.method == "POST":
        if not actor_can(actor, Capability.MANAGE_ROLES):
            raise PermissionDenied
        role_form = RoleForm(request.POST)
        if role_form.is_valid():
            try:
                services.membership_role_change(
                    actor=actor, membership=person, role=role_form.cleaned_data["role"]
                )
            except ValidationError as exc:
                form_add_validation_error(role_form, exc)
            else:
                messages.success(request, _("Role changed."))
                return redirect("org:person", membership_id=person.pk)
    return render(
        request,
        "org/person.html",
        {
            "person": person,
            "role_form": role_form,
            "can_manage_roles": actor_can(actor, Capability.MANAGE_ROLES) and person.pk != actor.pk,
            "can_erase": actor_can(actor, Capability.ERASE_PERSON) and person.pk != actor.pk,
        },
        status=400 if role_form.errors else 200,
    )


@member_required(Capability.ERASE_PERSON)
@require_http_methods(["GET", "POST"])
def person_erase(request: AspaRequest, membership_id: int) -> HttpResponse:
    actor = request.membership
    person = selectors.person_get(actor=actor, membership_id=membership_id)
    form = EraseForm(request.POST or None, expected=person.user.email)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(actor=actor, membership=person)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("The person's data was erased."))
            return redirect("org:people")
    return render(
        request, "org/person_erase.html", {"person": person, "form": form}, status=400 if form.errors else 200
    )


@member_required(Capability.VIEW_TEAMS)
def teams(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    can_manage = actor_can(actor, Capability.MANAGE_TEAMS)
    form = TeamForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                team = services.team_create(actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Team created."))
                return redirect("org:team", team_id=team.pk)
    return render(
        request,
        "org/teams.html",
        {"teams": selectors.team_list(actor=actor), "form": form, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_TEAMS)
@require_http_methods(["GET", "POST"])
def team_detail(request: AspaRequest, team_id: int) -> HttpResponse:
    actor = request.membership
    team = selectors.team_get(actor=actor, team_id=team_id)
    can_manage = actor_can(actor, Capability.MANAGE_TEAMS)
    people_qs = selectors.person_list(actor=actor)
    form = TeamMemberForm(request.POST or None, people=people_qs)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if request.POST.get("remove"):
            removed = get_object_or_404(people_qs, pk=request.POST["remove"])
            services.team_member_set(actor=actor, team=team, membership=removed, member=False)
            messages.success(request, _("%(name)s removed from the team.") % {"name": removed.user.full_name})
            return redirect("org:team", team_id=team.pk)
        if form.is_valid():
            services.team_member_set(
                actor=actor,
                team=team,
                membership=form.cleaned_data["membership"],
                member=True,
                is_lead=form.cleaned_data["is_lead"],
            )
            messages.success(request, _("Team updated."))
            return redirect("org:team", team_id=team.pk)
    return render(
        request,
        "org/team.html",
        {"team": team, "form": form, "can_manage": can_manage},
        status=400 if form.errors else 200,
    )


@member_required(Capability.INVITE)
@require_http_methods(["GET", "POST"])
def invitations(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = InvitationForm(request.POST or None, actor=actor, teams=selectors.team_list(actor=actor))
    new_link = None
    if request.method == "POST" and form.is_valid():
        template = request.build_absolute_uri(reverse("org:invitation_accept", kwargs={"token": "TOKEN"}))
        try:
            invitation, new_link = services.invitation_create(
                actor=actor,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                team=form.cleaned_data["team"],
                accept_url_template=template.replace("TOKEN", "{token}"),
            )
        except (ValidationError, PermissionDenied) as exc:
            form_add_validation_error(
                form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            )
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            form = InvitationForm(actor=actor, teams=selectors.team_list(actor=actor))
    page = Paginator(selectors.invitation_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/invitations.html",
        {"form": form, "page": page, "new_link": new_link},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required(Capability.INVITE)
def invitation_revoke(request: AspaRequest, invitation_id: int) -> HttpResponse:
    actor = request.membership
    invitation = get_object_or_404(selectors.invitation_list(actor=actor), pk=invitation_id)
    services.invitation_revoke(actor=actor, invitation=invitation)
    messages.success(request, _("Invitation revoked."))
    return redirect("org:invitations")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link is the credential. A logged-in person joins with their existing account."""
    invitation = selectors.invitation_get_by_token(token_hash=_hash_token(token))
    if invitation is None or not invitation.is_open:
        return render(request, "org/invitation_closed.html", status=410 if invitation else 404)
    existing = request.user if request.user.is_authenticated else None
    form = AcceptInvitationForm(request.POST or None) if existing is None else None
    error = None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = services.invitation_accept(
                token=token,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else None,
                existing_user=existing,
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            if existing is None:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            request.session[SESSION_ORG_KEY] = membership.organisation_id
            messages.success(request, _("Welcome to %(org)s!") % {"org": membership.organisation.name})
            return redirect("home")
    status = 400 if (error or (form is not None and form.errors)) else 200
    return render(
        request,
        "org/invitation_accept.html",
        {"invitation": invitation, "form": form, "error": error},
        status=status,
    )


@require_POST
@member_required()
def organisation_switch(request: AspaRequest) -> HttpResponse:
    try:
        membership = services.organisation_switch_check(
            user=request.user,
            organisation_id=int(request.POST.get("organisation", "0") or 0),
        )
    except (PermissionDenied, ValueError) as exc:
        raise PermissionDenied(_(services.ERR_NOT_MEMBER)) from exc
    request.session[SESSION_ORG_KEY] = membership.organisation_id
    messages.success(request, _("You are now working in %(org)s.") % {"org": membership.organisation.name})
    return redirect("home")


@member_required()
@require_http_methods(["GET", "POST"])
def profile(request: AspaRequest) -> HttpResponse:
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        services.user_language_set(user=request.user, language=form.cleaned_data["language"])
        translation.activate(form.cleaned_data["language"])  # confirm in the language just chosen
        messages.success(request, _("Language saved."))
        next_url = request.POST.get("next", "")
        if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return HttpResponseRedirect(next_url)
        return redirect("org:profile")
    return render(request, "org/profile.html", {"form": form})


@member_required()
def my_data(request: AspaRequest) -> HttpResponse:
    data = services.person_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="aspa-my-data.json"'
    return response
