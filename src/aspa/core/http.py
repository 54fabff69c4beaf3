"""Typed request for views (what the middleware attaches), and the client's address behind proxies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
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


def client_address(request: HttpRequest) -> str:
    """The address of the client, for rate limits.

    Behind N trusted proxies (`ASPA_TRUSTED_PROXIES`) REMOTE_ADDR is the nearest proxy, the same for every
    customer, so one shared limit would lock out everyone; the client is then the N-th address from the
    right of X-Forwarded-For (each proxy appends the address it saw). Addresses further left are written
    by the client itself and are never trusted; with no proxy configured the header is ignored.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = settings.ASPA_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    hops = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < proxies:
        return remote
    return hops[-proxies]
