"""URL arguments of the roadmap pages for the axe walk (tests/e2e/test_axe.py): demo objects of the admin's org."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aspa.roadmap.models import Experiment, RoadmapItem


def _item(scene: Any) -> RoadmapItem:
    return RoadmapItem.objects.filter(organisation=scene.admin.organisation).order_by("pk").first()  # type: ignore[return-value]


def _experiment(scene: Any) -> Experiment:
    return Experiment.objects.filter(organisation=scene.admin.organisation).order_by("pk").first()  # type: ignore[return-value]


def page_kwargs() -> dict[str, Callable[[Any], dict[str, Any]]]:
    return {
        "roadmap:item": lambda s: {"item_id": _item(s).pk},
        "roadmap:item_accept": lambda s: {"item_id": _item(s).pk},
        "roadmap:experiment_create": lambda s: {"item_id": _item(s).pk},
        "roadmap:experiment": lambda s: {"experiment_id": _experiment(s).pk},
        "roadmap:experiment_measure": lambda s: {"experiment_id": _experiment(s).pk},
        "roadmap:experiment_finish": lambda s: {"experiment_id": _experiment(s).pk},
    }
