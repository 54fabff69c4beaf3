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
    ActionItem,
    AgendaItem,
    Agreement,
    CharterConsent,
    CharterVersion,
    CoachingNote,
    CoachingSession,
    DecisionCell,
    Goal,
    GoalCheckIn,
    GoalLevel,
    Meeting,
    MeetingRating,
    Objection,
    RetroDot,
    RetroItem,
    Retrospective,
    RoleAssignment,
    SelfDirectionAssessment,
    SelfDirectionTarget,
    TeamRole,
)
from tests.access import INSIDE, NO_ASSESSOR, NOBODY, Access, World
from tests.teamwork.factories import (
    ActionItemFactory,
    AgreementFactory,
    CharterVersionFactory,
    CoachingSessionFactory,
    GoalFactory,
    MeetingFactory,
    ObjectionFactory,
    RetroItemFactory,
    TeamRoleFactory,
)

MATRIX_EDITORS = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN})
LEAD_ONLY = frozenset({Role.LEAD})
# The walk's team has no flagged lead (TeamMembership.is_lead): the session is the walk's lead's with the
# walk's agent, created directly; only those two may open it (everyone else: 404).
SESSION_PEOPLE = frozenset({Role.LEAD, Role.AGENT})

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
    "teamwork:my_actions": Access(get=NO_ASSESSOR),
    # Owner, writer or a flagged lead of the team: in the walk, the agent owns the action.
    "teamwork:action_status": Access(post=frozenset({Role.AGENT}), get_allowed=False, object_of_org=True),
    "teamwork:team_actions": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "teamwork:goals": Access(get=NO_ASSESSOR, post=NO_ASSESSOR),
    "teamwork:goal": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    # Planning needs a team one leads (is_lead); nobody in the walk's team is flagged.
    "teamwork:coaching": Access(get=NO_ASSESSOR, post=NOBODY),
    "teamwork:coaching_session": Access(get=SESSION_PEOPLE, post=SESSION_PEOPLE, object_of_org=True),
    "teamwork:huddle": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "teamwork:meetings": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "teamwork:meeting": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "teamwork:retros": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "teamwork:retro": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "teamwork:self_direction": Access(get=NO_ASSESSOR, post=INSIDE, object_of_org=True),
    "api:decision_matrix": Access(get=INSIDE, api=True, object_of_org=True),
    "api:decision_check": Access(get=INSIDE, api=True, object_of_org=True),
    "api:agreement_list": Access(get=INSIDE, api=True, object_of_org=True),
    "api:action_list_mine": Access(get=INSIDE, api=True),
    "api:team_action_list": Access(get=INSIDE, api=True, object_of_org=True),
    "api:goal_list": Access(get=INSIDE, api=True),
    "api:goal_detail": Access(get=INSIDE, api=True, object_of_org=True),
}


def setup(world: World) -> None:
    team = world.objects["team"]
    CharterVersionFactory(team=team, purpose="Salainen tarkoitus Alfa", customer_promise="Salainen lupaus")
    TeamRoleFactory(team=team, name="Salainen rooli Alfa")
    agreement = AgreementFactory(team=team, title="Salainen pelisääntö Alfa")
    ObjectionFactory(agreement=agreement, text="Salainen vastalause Alfa")
    members = world.members
    action = ActionItemFactory(team=team, owner=members[Role.AGENT], title="Salainen toimenpide Alfa")
    team_goal = GoalFactory(
        organisation=world.org_a, level=GoalLevel.TEAM, team=team, title="Salainen tiimitavoite Alfa"
    )
    GoalFactory(
        organisation=world.org_a,
        level=GoalLevel.PERSON,
        person=members[Role.AGENT],
        title="Salainen oma Alfa",
    )
    session = CoachingSessionFactory(
        team=team, lead=members[Role.LEAD], coachee=members[Role.AGENT], agreements="Salainen sopimus Alfa"
    )
    meeting = MeetingFactory(team=team, title="Salainen palaveri Alfa")
    retro_item = RetroItemFactory(retro__team=team, text="Salainen retroajatus Alfa")
    team_kwargs = lambda: {"team_id": team.pk}  # noqa: E731
    not_team = {
        "teamwork:index",
        "teamwork:agreement",
        "api:decision_check",
        "teamwork:my_actions",
        "teamwork:action_status",
        "teamwork:goals",
        "teamwork:goal",
        "teamwork:coaching",
        "teamwork:coaching_session",
        "teamwork:meeting",
        "teamwork:retro",
        "api:action_list_mine",
        "api:goal_list",
        "api:goal_detail",
    }
    for name in ACCESS:
        if name not in not_team:
            world.kwargs[name] = team_kwargs
    world.kwargs["teamwork:action_status"] = lambda: {"action_id": action.pk}
    world.kwargs["teamwork:goal"] = lambda: {"goal_id": team_goal.pk}
    world.kwargs["api:goal_detail"] = lambda: {"goal_id": team_goal.pk}
    world.kwargs["teamwork:coaching_session"] = lambda: {"session_id": session.pk}
    world.kwargs["teamwork:meeting"] = lambda: {"team_id": team.pk, "meeting_id": meeting.pk}
    world.kwargs["teamwork:retro"] = lambda: {"team_id": team.pk, "retro_id": retro_item.retro_id}
    world.kwargs["teamwork:agreement"] = lambda: {"team_id": team.pk, "agreement_id": agreement.pk}
    world.kwargs["api:decision_check"] = lambda: {"team_id": team.pk, "decision": "swap.approve"}
    world.secrets += [
        "Salainen tarkoitus Alfa",
        "Salainen rooli Alfa",
        "Salainen pelisääntö Alfa",
        "Salainen toimenpide Alfa",
        "Salainen tiimitavoite Alfa",
        "Salainen oma Alfa",
        "Salainen sopimus Alfa",
        "Salainen palaveri Alfa",
        "Salainen retroajatus Alfa",
    ]


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
        sorted(ActionItem.objects.filter(organisation=org).values_list("pk", "status", "title")),
        sorted(Goal.objects.filter(organisation=org).values_list("pk", "status", "is_shared")),
        GoalCheckIn.objects.filter(organisation=org).count(),
        sorted(CoachingSession.objects.filter(organisation=org).values_list("pk", "status", "agreements")),
        CoachingNote.objects.filter(organisation=org).count(),
        Meeting.objects.filter(organisation=org).count(),
        sorted(AgendaItem.objects.filter(organisation=org).values_list("pk", "triage", "is_handled")),
        MeetingRating.objects.filter(organisation=org).count(),
        sorted(Retrospective.objects.filter(organisation=org).values_list("pk", "is_closed")),
        sorted(RetroItem.objects.filter(organisation=org).values_list("pk", "action_id", "idea_id")),
        RetroDot.objects.filter(organisation=org).count(),
        SelfDirectionAssessment.objects.filter(organisation=org).count(),
        SelfDirectionTarget.objects.filter(organisation=org).count(),
    )
