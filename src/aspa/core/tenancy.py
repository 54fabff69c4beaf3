"""The acting identity: which person acts, in which organisation, with which role.

Every selector and service takes an `Actor` (a Membership), never a bare user: the membership carries
the organisation that scopes every query and the role that decides what is allowed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from aspa.core.roles import Capability, role_has

if TYPE_CHECKING:
    from aspa.org.models import Membership

    Actor = Membership
else:
    Actor = object

SESSION_ORG_KEY = "aspa_organisation_id"

ERR_FORBIDDEN = "You do not have permission to do this."


def actor_can(actor: Actor | None, capability: Capability) -> bool:
    return actor is not None and actor.is_active and role_has(actor.role, capability)


def require(actor: Actor | None, capability: Capability) -> None:
    """Raise PermissionDenied unless the actor's role has the capability."""
    if not actor_can(actor, capability):
        raise PermissionDenied(_(ERR_FORBIDDEN))
