"""Typed request for views: what the middleware attaches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from aspa.org.models import Membership, Organisation, User


class AspaRequest(HttpRequest):
    """An HttpRequest after TenantMiddleware and HtmxMiddleware ran (for type checking only)."""

    if TYPE_CHECKING:
        user: User
        membership: Membership
        organisation: Organisation
        htmx: HtmxDetails
