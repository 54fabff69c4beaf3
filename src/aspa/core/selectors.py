"""Reads for the shell: the home dashboard and the audit log, scoped to the acting membership."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from aspa.core.models import AuditEntry
from aspa.core.roles import Capability, Role
from aspa.core.tenancy import Actor, actor_can, require


def audit_list(*, actor: Actor, action: str = "") -> QuerySet[AuditEntry]:
    require(actor, Capability.VIEW_AUDIT)
    qs = AuditEntry.objects.filter(organisation_id=actor.organisation_id).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    return qs


def home_summary(*, actor: Actor) -> dict[str, Any]:
    """The figures the role's home page shows; each block only where the role may see it."""
    from aspa.org.models import Invitation, Membership
    from aspa.org.selectors import teams_of

    summary: dict[str, Any] = {"my_teams": list(teams_of(actor=actor).prefetch_related("team_memberships"))}
    if actor_can(actor, Capability.VIEW_PEOPLE):
        by_role = dict(
            Membership.objects.filter(organisation_id=actor.organisation_id, is_active=True)
            .values_list("role")
            .annotate(n=Count("id"))
            .values_list("role", "n")
        )
        summary["people_by_role"] = [
            (Role(r).label, by_role.get(r, 0)) for r in Role.values if by_role.get(r)
        ]
        summary["people_total"] = sum(by_role.values())
    if actor_can(actor, Capability.INVITE):
        summary["open_invitations"] = Invitation.objects.filter(
            organisation_id=actor.organisation_id, accepted_at__isnull=True, revoked_at__isnull=True
        ).count()
    if actor_can(actor, Capability.VIEW_AUDIT):
        summary["recent_audit"] = list(audit_list(actor=actor)[:8])
    return summary
