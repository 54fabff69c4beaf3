"""Isolation-walk rules for the teamwork pages (see tests/access.py).

Everyone in the organisation who may see teams (inside roles and coaches) reads a team's teamwork pages;
writes need team membership or a right in the team's decision matrix. In the walk every inside role is a
member of organisation A's team, so with the default matrix: the lead and the manager/administrator
change decision rights, only the lead writes the charter and the role board, members propose and object.
"""

from __future__ import annotations

from typing import Any

from aspa.core.roles import Role
from aspa.teamwork.models import (
    Agreement,
    CharterConsent,
    CharterVersion,
    DecisionCell,
    Objection,
    RoleAssignment,
    TeamRole,
)
from tests.access import INSIDE, NO_ASSESSOR, Access, World
from tests.teamwork.factories import (
    AgreementFactory,
    CharterVersionFactory,
    ObjectionFactory,
    TeamRoleFactory,
)

MATRIX_EDITORS = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN})
LEAD_ONLY = frozenset({Role.LEAD})

ACCESS: dict[str, Access] = {
    "teamwork:index": Access(get=NO_ASSESSOR),
    "teamwork:team": Access(get=NO_ASSESSOR, object_of_org=True),
    "teamwork:matrix": Access(get=NO_ASSESSOR, post=MATRIX_EDITORS, object_of_org=True),
    "teamwork:matrix_history": Access(get=NO_ASSESSOR, object_of_org=True),
    "teamwork:charter": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "teamwork:charter_edit": Access(get=LEAD_ONLY, post=LEAD_ONLY, object_of_org=True),
    "teamwork:roles": Access(get=NO_ASSESSOR, post=LEAD_ONLY, object_of_org=True),
    "teamwork:agreements": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "teamwork:agreement": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "api:decision_matrix": Access(get=INSIDE, api=True, object_of_org=True),
    "api:decision_check": Access(get=INSIDE, api=True, object_of_org=True),
    "api:agreement_list": Access(get=INSIDE, api=True, object_of_org=True),
}


def setup(world: World) -> None:
    team = world.objects["team"]
    CharterVersionFactory(team=team, purpose="Salainen tarkoitus Alfa", customer_promise="Salainen lupaus")
    TeamRoleFactory(team=team, name="Salainen rooli Alfa")
    agreement = AgreementFactory(team=team, title="Salainen pelisääntö Alfa")
    ObjectionFactory(agreement=agreement, text="Salainen vastalause Alfa")
    team_kwargs = lambda: {"team_id": team.pk}  # noqa: E731
    for name in ACCESS:
        if name not in ("teamwork:index", "teamwork:agreement", "api:decision_check"):
            world.kwargs[name] = team_kwargs
    world.kwargs["teamwork:agreement"] = lambda: {"team_id": team.pk, "agreement_id": agreement.pk}
    world.kwargs["api:decision_check"] = lambda: {"team_id": team.pk, "decision": "swap.approve"}
    world.secrets += ["Salainen tarkoitus Alfa", "Salainen rooli Alfa", "Salainen pelisääntö Alfa"]


def snapshot(world: World) -> Any:
    org = world.org_a
    return (
        sorted(DecisionCell.objects.filter(organisation=org).values_list("pk", "level", "amount_limit")),
        sorted(CharterVersion.objects.filter(organisation=org).values_list("pk", "number")),
        CharterConsent.objects.filter(organisation=org).count(),
        sorted(TeamRole.objects.filter(organisation=org).values_list("pk", "name")),
        RoleAssignment.objects.filter(organisation=org).count(),
        sorted(Agreement.objects.filter(organisation=org).values_list("pk", "status", "review_on")),
        sorted(Objection.objects.filter(organisation=org).values_list("pk", "resolved_at")),
    )
