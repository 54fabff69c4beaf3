"""What the roadmap app holds about a person, for GDPR export and erasure.

Roadmap items and experiments belong to the organisation and stay; erasure only cuts the link to the
person (who proposed or accepted an item, who started an experiment).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from aspa.org.models import User
from aspa.roadmap.models import Experiment, RoadmapItem


def export(user: User) -> dict[str, Any]:
    items = RoadmapItem.objects.filter(Q(created_by__user=user) | Q(accepted_by__user=user)).select_related(
        "created_by", "accepted_by"
    )
    return {
        "roadmap_items": [
            {
                "title": item.title,
                "status": item.status,
                "created_at": item.created_at.isoformat(),
                "created_by_you": item.created_by is not None and item.created_by.user_id == user.pk,
                "accepted_by_you": item.accepted_by is not None and item.accepted_by.user_id == user.pk,
            }
            for item in items
        ],
        "experiments_started": [
            {
                "item": e.item.title,
                "hypothesis": e.hypothesis,
                "starts_on": e.starts_on.isoformat(),
                "ends_on": e.ends_on.isoformat(),
            }
            for e in Experiment.objects.filter(created_by__user=user).select_related("item")
        ],
    }


def erase(user: User) -> None:
    RoadmapItem.objects.filter(created_by__user=user).update(created_by=None)
    RoadmapItem.objects.filter(accepted_by__user=user).update(accepted_by=None)
    Experiment.objects.filter(created_by__user=user).update(created_by=None)
