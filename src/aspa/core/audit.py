"""Writing to the audit log. Services call `audit_record` inside their transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from aspa.core.models import AuditEntry


def audit_record(
    *,
    organisation: Any,
    actor: Any,
    action: str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record that `actor` did `action` to `target` (e.g. "role.change", "person.erase")."""
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:200],
        changes=changes or {},
    )


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-by-field [old, new] for the keys whose value changed."""
    return {
        k: [before.get(k), after.get(k)]
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }
