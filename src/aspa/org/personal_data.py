"""What the org app holds about a person, for GDPR export and erasure."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from aspa.core.models import AuditEntry
from aspa.org.models import ApiToken, Invitation, Membership, TeamMembership, User


def export_profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.role,
                "title": m.title,
                "joined_at": m.joined_at.isoformat(),
                "teams": [tm.team.name for tm in m.team_memberships.all()],
            }
            for m in Membership.objects.filter(user=user)
            .select_related("organisation")
            .prefetch_related("team_memberships__team")
        ],
        "invitations_received": [
            {"organisation": i.organisation.name, "role": i.role, "created_at": i.created_at.isoformat()}
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("organisation")
        ],
        "api_tokens": export_api_tokens(user),
    }


def export_api_tokens(user: User) -> list[dict[str, Any]]:
    """The person's API tokens: what they are called and when used; never the secret or its hash."""
    return [
        {
            "organisation": t.organisation.name,
            "name": t.name,
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        }
        for t in ApiToken.objects.filter(user=user).select_related("organisation")
    ]


def export_audit(user: User) -> list[dict[str, Any]]:
    return [
        {"at": e.at.isoformat(), "action": e.action, "object": e.object_repr, "changes": e.changes}
        for e in AuditEntry.objects.filter(actor=user)[:5000]
    ]


def erase_org_data(user: User) -> None:
    """Remove what identifies the person; audit rows stay (who did what matters) but lose the name."""
    name, email = user.full_name, user.email
    TeamMembership.objects.filter(membership__user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    Invitation.objects.filter(email__iexact=email).delete()
    Membership.objects.filter(user=user).update(is_active=False, title="")
    for entry in AuditEntry.objects.filter(Q(object_repr__icontains=name) | Q(object_repr__icontains=email)):
        entry.object_repr = entry.object_repr.replace(name, "—").replace(email, "—")
        entry.save(update_fields=["object_repr"])
