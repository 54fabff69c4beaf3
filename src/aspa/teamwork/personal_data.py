"""What the teamwork app holds about a person, for GDPR export and erasure.

Erasure keeps the team's record (agreements, objections, charter versions and matrix history stay
readable to the team) but removes the link to the person; their "I agree" marks and role-board
periods, which say something about them personally, are deleted.
"""

from __future__ import annotations

from typing import Any

from aspa.org.models import User
from aspa.teamwork.models import (
    Agreement,
    CharterConsent,
    CharterVersion,
    DecisionChange,
    Objection,
    RoleAssignment,
)


def export(user: User) -> dict[str, Any]:
    return {
        "charter_agreed": [
            {"team": c.version.team.name, "version": c.version.number, "agreed_at": c.agreed_at.isoformat()}
            for c in CharterConsent.objects.filter(membership__user=user).select_related("version__team")
        ],
        "charter_versions_written": [
            {"team": v.team.name, "version": v.number, "created_at": v.created_at.isoformat()}
            for v in CharterVersion.objects.filter(created_by=user).select_related("team")
        ],
        "roles_held": [
            {
                "team": a.role.team.name,
                "role": a.role.name,
                "from": a.starts_on.isoformat(),
                "until": a.ends_on.isoformat() if a.ends_on else None,
            }
            for a in RoleAssignment.objects.filter(membership__user=user).select_related("role__team")
        ],
        "agreements_proposed": [
            {"team": a.team.name, "title": a.title, "proposed_at": a.created_at.isoformat()}
            for a in Agreement.objects.filter(proposed_by=user).select_related("team")
        ],
        "objections": [
            {
                "agreement": o.agreement.title,
                "text": o.text,
                "raised_at": o.raised_at.isoformat(),
                "resolved_at": o.resolved_at.isoformat() if o.resolved_at else None,
            }
            for o in Objection.objects.filter(raised_by=user).select_related("agreement")
        ],
        "decision_rights_changed": [
            {"version": c.version, "decision": c.decision, "who": c.subject, "at": c.changed_at.isoformat()}
            for c in DecisionChange.objects.filter(changed_by=user)
        ],
    }


def erase(user: User) -> None:
    CharterConsent.objects.filter(membership__user=user).delete()
    RoleAssignment.objects.filter(membership__user=user).delete()
    CharterVersion.objects.filter(created_by=user).update(created_by=None)
    Agreement.objects.filter(proposed_by=user).update(proposed_by=None)
    Agreement.objects.filter(agreed_by=user).update(agreed_by=None)
    Objection.objects.filter(raised_by=user).update(raised_by=None)
    Objection.objects.filter(resolved_by=user).update(resolved_by=None)
    DecisionChange.objects.filter(changed_by=user).update(changed_by=None)
