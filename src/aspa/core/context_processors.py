"""What every page's shell needs: the acting membership, the organisations to switch to, the nav."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from aspa.core.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    actor = getattr(request, "membership", None)
    context: dict[str, Any] = {"actor": actor, "nav_items": [], "switchable_memberships": []}
    if actor is not None:
        from aspa.org.selectors import memberships_of

        context["nav_items"] = navigation_for(actor=actor, path=request.path)
        context["switchable_memberships"] = list(memberships_of(user=request.user))
    return context
