"""What the rostering part of wfm holds about a person, for GDPR export and erasure.

Erasure deletes what is personal (wishes, unavailable days, contract, fairness priorities and their
reasons, the calendar feed, open swap offers) and keeps published shifts: the team's roster history
stays consistent, and the person's name disappears with their account (org erases it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from aspa.org.models import User
from aspa.wfm.models import (
    AgentContract,
    Availability,
    CalendarFeed,
    FairnessPriority,
    Shift,
    ShiftWish,
    SwapRequest,
    SwapStatus,
)


def export(user: User) -> dict[str, Any]:
    return {
        "wishes": [
            {
                "period": w.period.name,
                "kind": w.kind,
                "day": w.day.isoformat() if w.day else None,
                "shift": w.shift_type.code if w.shift_type else None,
                "time": w.time.isoformat() if w.time else None,
                "weight": w.weight,
            }
            for w in ShiftWish.objects.filter(membership__user=user).select_related("period", "shift_type")
        ],
        "unavailable_days": [
            {"period": a.period.name, "day": a.day.isoformat(), "note": a.note}
            for a in Availability.objects.filter(membership__user=user).select_related("period")
        ],
        "contract": [
            {
                "min_minutes_per_week": c.min_minutes_per_week,
                "max_minutes_per_week": c.max_minutes_per_week,
                "skills": c.skills,
            }
            for c in AgentContract.objects.filter(membership__user=user)
        ],
        "fairness_priorities": [
            {
                "team": p.team.name,
                "reason": p.reason,
                "weight": p.weight,
                "created_at": p.created_at.isoformat(),
            }
            for p in FairnessPriority.objects.filter(membership__user=user).select_related("team")
        ],
        "shifts": [
            {
                "day": s.day.isoformat(),
                "shift": s.shift_type.code,
                "starts_at": s.starts_at.isoformat(),
                "ends_at": s.ends_at.isoformat(),
            }
            for s in Shift.objects.filter(membership__user=user).select_related("shift_type")
        ],
        "swap_requests": [
            {"shift_day": r.shift.day.isoformat(), "status": r.status, "note": r.note}
            for r in SwapRequest.objects.filter(
                Q(offered_by__user=user) | Q(taker__user=user)
            ).select_related("shift")
        ],
        "calendar_feed": CalendarFeed.objects.filter(membership__user=user).exists(),
    }


def erase(user: User) -> None:
    ShiftWish.objects.filter(membership__user=user).delete()
    Availability.objects.filter(membership__user=user).delete()
    AgentContract.objects.filter(membership__user=user).delete()
    FairnessPriority.objects.filter(membership__user=user).delete()
    CalendarFeed.objects.filter(membership__user=user).delete()
    SwapRequest.objects.filter(
        offered_by__user=user, status__in=[SwapStatus.OPEN, SwapStatus.PENDING]
    ).update(status=SwapStatus.CANCELLED, note="")
    SwapRequest.objects.filter(offered_by__user=user).update(note="")
