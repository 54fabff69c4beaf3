"""Decorators every view uses: who may reach it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from aspa.core.roles import Capability
from aspa.core.tenancy import actor_can


def member_required(
    capability: Capability | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Logged in, member of the active organisation, and (optionally) holding a capability.

    Anonymous visitors are sent to the login page; members without the capability get 403.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = getattr(request, "membership", None)
            if actor is None:
                return render(request, "core/no_organisation.html", status=403)
            if capability is not None and not actor_can(actor, capability):
                return render(request, "403.html", status=403)
            return view(request, *args, **kwargs)

        wrapped.aspa_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator
