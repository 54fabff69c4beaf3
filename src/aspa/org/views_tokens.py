"""The person's own API tokens: list, create (the raw token is shown once) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from aspa.core.forms import form_add_validation_error
from aspa.core.http import AspaRequest
from aspa.core.roles import Capability
from aspa.core.tenancy import actor_can
from aspa.core.views_base import member_required
from aspa.org import selectors, services
from aspa.org.forms import ApiTokenForm
from aspa.org.views import PAGE_SIZE


@never_cache  # the response to a create carries the raw token: no cache may keep it
@member_required()
@require_http_methods(["GET", "POST"])
def tokens(request: AspaRequest) -> HttpResponse:
    """Every member sees the page (and may revoke old tokens); only roles with USE_API create tokens."""
    actor = request.membership
    can_use_api = actor_can(actor, Capability.USE_API)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        if not can_use_api:
            raise PermissionDenied
        if form.is_valid():
            try:
                token, new_token = services.api_token_create(
                    actor=actor, name=form.cleaned_data["name"], expires_at=form.expires_at()
                )
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Token “%(name)s” created.") % {"name": token.name})
                form = ApiTokenForm()
    page = Paginator(selectors.api_token_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "org/tokens.html",
        {"form": form, "page": page, "new_token": new_token, "can_use_api": can_use_api},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required()
def token_revoke(request: AspaRequest, token_id: int) -> HttpResponse:
    actor = request.membership
    token = get_object_or_404(selectors.api_token_list(actor=actor), pk=token_id)
    services.api_token_revoke(actor=actor, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("org:tokens")
