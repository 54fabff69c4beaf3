"""Who may reach the roadmap pages: every member reads; leads, managers and admins write; accepting an
item follows the team's decision matrix (by default lead, manager and administrator may)."""

from __future__ import annotations

from typing import Any

from aspa.core.roles import Role
from aspa.roadmap.models import Experiment, RoadmapItem
from tests.access import INSIDE, Access, World
from tests.roadmap.factories import ExperimentFactory, RoadmapItemFactory

MANAGERS = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN})

ACCESS: dict[str, Access] = {
    "roadmap:board": Access(get=INSIDE),
    "roadmap:item_create": Access(get=MANAGERS, post=MANAGERS),
    "roadmap:item": Access(get=INSIDE, post=MANAGERS, object_of_org=True),
    "roadmap:item_accept": Access(post=MANAGERS, get_allowed=False, object_of_org=True),
    "roadmap:experiment_create": Access(get=MANAGERS, post=MANAGERS, object_of_org=True),
    "roadmap:experiment": Access(get=INSIDE, object_of_org=True),
    "roadmap:experiment_measure": Access(post=MANAGERS, get_allowed=False, object_of_org=True),
    "roadmap:experiment_finish": Access(post=MANAGERS, get_allowed=False, object_of_org=True),
}


def setup(world: World) -> None:
    team = world.objects["team"]
    item = RoadmapItemFactory(organisation=world.org_a, title="Salainen Alfakohde", team=team)
    experiment = ExperimentFactory(item=item, hypothesis="Salainen alfahypoteesi")
    experiment.teams.set([team])
    world.kwargs.update(
        {
            "roadmap:item": lambda: {"item_id": item.pk},
            "roadmap:item_accept": lambda: {"item_id": item.pk},
            "roadmap:experiment_create": lambda: {"item_id": item.pk},
            "roadmap:experiment": lambda: {"experiment_id": experiment.pk},
            "roadmap:experiment_measure": lambda: {"experiment_id": experiment.pk},
            "roadmap:experiment_finish": lambda: {"experiment_id": experiment.pk},
        }
    )
    world.secrets += ["Salainen Alfakohde", "Salainen alfahypoteesi"]


def snapshot(world: World) -> Any:
    return (
        sorted(
            RoadmapItem.objects.filter(organisation=world.org_a).values_list("pk", "title", "status", "reach")
        ),
        sorted(
            Experiment.objects.filter(organisation=world.org_a).values_list(
                "pk", "status", "outcome", "measured_at"
            )
        ),
    )
