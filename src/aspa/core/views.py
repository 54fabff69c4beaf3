from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aspa.core import selectors
from aspa.core.http import AspaRequest
from aspa.core.roles import Capability
from aspa.core.views_base import member_required
from aspa.org.forms import LoginForm, ResetRequestForm


@member_required()
def home(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    return render(request, "core/home.html", {"summary": selectors.home_summary(actor=actor)})


@member_required(Capability.VIEW_AUDIT)
def audit_log(request: AspaRequest) -> HttpResponse:
    action = request.GET.get("action", "").strip()
    qs = selectors.audit_list(actor=request.membership, action=action)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit.html", {"page": page, "action": action})


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs


def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
