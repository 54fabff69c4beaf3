"""Reads of the teamwork app, and the decision matrix's enforcement API for every other app.

Visibility (documented decision): a team's charter, matrix, role board and agreements are open to
everyone in the same organisation who may see teams (inside roles and coaches) — members of the team
read and take part, the rest of the organisation reads only (transparency between teams; writes need
team membership or a matrix right). Assessors see nothing; another organisation gets 404.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aspa.core.roles import Capability, Role
from aspa.core.tenancy import Actor, actor_can, require
from aspa.org.models import Membership, Team, TeamMembership
from aspa.teamwork.decisions import (
    ACTING_LEVELS,
    CHARTER_CHANGE,
    LEVEL_OUTCOME,
    DecisionType,
    Level,
    Subject,
    decision_type_get,
    decision_types,
    level_strength,
)
from aspa.teamwork.hooks import Panel, agenda_panels, huddle_panels
from aspa.teamwork.metrics import METRICS, Metric, MetricReading, metric_reading
from aspa.teamwork.models import (
    ActionItem,
    ActionSource,
    ActionStatus,
    AgendaItem,
    Agreement,
    AgreementStatus,
    CharterConsent,
    CharterVersion,
    CoachingNote,
    CoachingSession,
    DecisionCell,
    DecisionChange,
    Goal,
    GoalCheckIn,
    GoalLevel,
    GoalStatus,
    Meeting,
    MeetingKind,
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
from aspa.teamwork.selfdirection import AREAS, Area

ERR_DECISION_DENIED = "The team's decision matrix does not let you make this decision: %(decision)s."


# --- teams -------------------------------------------------------------------------------------------


def team_get(*, actor: Actor, team_id: int) -> Team:
    """A team of the actor's organisation that the actor may read; 404 for any other organisation's."""
    require(actor, Capability.VIEW_TEAMS)
    try:
        return Team.objects.get(pk=team_id, organisation_id=actor.organisation_id)
    except Team.DoesNotExist as exc:
        raise Http404 from exc


def team_list(*, actor: Actor) -> QuerySet[Team]:
    """The organisation's teams with member counts, the actor's own first."""
    require(actor, Capability.VIEW_TEAMS)
    return (
        Team.objects.filter(organisation_id=actor.organisation_id)
        .annotate(
            member_count=Count("team_memberships", filter=Q(team_memberships__membership__is_active=True)),
            is_mine=Count("team_memberships", filter=Q(team_memberships__membership=actor)),
        )
        .order_by("-is_mine", "name")
    )


def is_team_member(*, actor: Actor, team: Team) -> bool:
    return (
        actor is not None
        and actor.is_active
        and team.organisation_id == actor.organisation_id
        and TeamMembership.objects.filter(team=team, membership=actor).exists()
    )


def team_members(*, actor: Actor, team: Team) -> QuerySet[TeamMembership]:
    require(actor, Capability.VIEW_TEAMS)
    return (
        TeamMembership.objects.filter(
            team=team, team__organisation_id=actor.organisation_id, membership__is_active=True
        )
        .select_related("membership__user")
        .order_by("membership__user__full_name")
    )


# --- decision matrix: enforcement API ----------------------------------------------------------------


def actor_subjects(*, actor: Actor, team: Team) -> list[str]:
    """The matrix columns that apply to the actor in this team (see aspa.teamwork.decisions)."""
    if actor is None or not actor.is_active or team.organisation_id != actor.organisation_id:
        return []
    subjects: list[str] = []
    member = TeamMembership.objects.filter(team=team, membership=actor).exists()
    if member:
        subjects.append(Subject.MEMBERS)
        if actor.role == Role.AGENT:
            subjects.append(Subject.AGENT)
        if actor.role == Role.LEAD:
            subjects.append(Subject.LEAD)
    if actor.role == Role.PLANNER:
        subjects.append(Subject.PLANNER)
    if actor.role in (Role.MANAGER, Role.ADMIN):
        subjects.append(Subject.MANAGER)
    return subjects


@dataclass(frozen=True)
class Cell:
    decision: str
    subject: str
    level: str
    amount_limit: Decimal | None
    is_default: bool

    @property
    def outcome(self) -> str:
        return LEVEL_OUTCOME[self.level]

    @property
    def acts(self) -> bool:
        return self.level in ACTING_LEVELS


def _cell(decision_type: DecisionType, subject: str, stored: DecisionCell | None) -> Cell:
    if stored is not None:
        return Cell(decision_type.key, subject, stored.level, stored.amount_limit, is_default=False)
    return Cell(
        decision_type.key,
        subject,
        decision_type.default_level(subject),
        decision_type.default_limits.get(subject),
        is_default=True,
    )


def decision_cells(*, team: Team, decision: str) -> dict[str, Cell]:
    """The effective cells of one decision type for a team: stored overrides over the registry defaults."""
    decision_type = decision_type_get(decision)
    stored = {c.subject: c for c in DecisionCell.objects.filter(team=team, decision=decision)}
    return {s: _cell(decision_type, s, stored.get(s)) for s in Subject.values}


def decision_level(*, actor: Actor, team: Team, decision: str) -> str:
    """The strongest level the actor holds for this decision in this team (Level.NONE if none)."""
    subjects = actor_subjects(actor=actor, team=team)
    if not subjects:
        return Level.NONE
    cells = decision_cells(team=team, decision=decision)
    return max((cells[s].level for s in subjects), key=level_strength)


def decision_allowed(*, actor: Actor, team: Team, decision: str, amount: Decimal | None = None) -> bool:
    """May the actor make this decision alone in this team? Never raises for a known decision type.

    For types with an amount, the amount must be within the limit of one of the actor's acting cells.
    """
    subjects = actor_subjects(actor=actor, team=team)
    if not subjects:
        return False
    cells = decision_cells(team=team, decision=decision)
    for subject in subjects:
        cell = cells[subject]
        if not cell.acts:
            continue
        if amount is None or cell.amount_limit is None or amount <= cell.amount_limit:
            return True
    return False


def require_decision(*, actor: Actor, team: Team, decision: str, amount: Decimal | None = None) -> None:
    """Raise PermissionDenied unless `decision_allowed`; the one check other apps' services call."""
    if not decision_allowed(actor=actor, team=team, decision=decision, amount=amount):
        label = decision_type_get(decision).label
        raise PermissionDenied(_(ERR_DECISION_DENIED) % {"decision": label})


# --- decision matrix: reads for the pages ------------------------------------------------------------


@dataclass(frozen=True)
class MatrixRow:
    decision_type: DecisionType
    cells: list[Cell]


def decision_matrix(*, actor: Actor, team: Team) -> list[MatrixRow]:
    """Every registered decision type × every subject for the team (readers: see the module docstring)."""
    require(actor, Capability.VIEW_TEAMS)
    if team.organisation_id != actor.organisation_id:
        raise Http404
    stored: dict[tuple[str, str], DecisionCell] = {
        (c.decision, c.subject): c for c in DecisionCell.objects.filter(team=team)
    }
    return [
        MatrixRow(dt, [_cell(dt, s, stored.get((dt.key, s))) for s in Subject.values])
        for dt in decision_types()
    ]


def decision_matrix_version(*, team: Team) -> int:
    latest = DecisionChange.objects.filter(team=team).order_by("-version").values_list("version", flat=True)
    return latest.first() or 0


def decision_change_list(*, actor: Actor, team: Team) -> QuerySet[DecisionChange]:
    require(actor, Capability.VIEW_TEAMS)
    return DecisionChange.objects.filter(organisation_id=actor.organisation_id, team=team).select_related(
        "changed_by"
    )


# --- charter -----------------------------------------------------------------------------------------


def charter_versions(*, actor: Actor, team: Team) -> QuerySet[CharterVersion]:
    """The team's charter versions, newest first, each with who agreed to it."""
    require(actor, Capability.VIEW_TEAMS)
    return (
        CharterVersion.objects.filter(organisation_id=actor.organisation_id, team=team)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("consents", queryset=CharterConsent.objects.select_related("membership__user"))
        )
    )


def charter_current(*, actor: Actor, team: Team) -> CharterVersion | None:
    return charter_versions(actor=actor, team=team).first()


@dataclass(frozen=True)
class CharterStanding:
    """Where each current member stands: the newest version they agreed to (None if none)."""

    membership_name: str
    agreed_number: int | None
    agrees_to_current: bool


def charter_standing(*, actor: Actor, team: Team) -> list[CharterStanding]:
    versions = list(charter_versions(actor=actor, team=team))
    current = versions[0].number if versions else None
    newest: dict[int, int] = {}
    for version in versions:
        for consent in version.consents.all():
            newest[consent.membership_id] = max(newest.get(consent.membership_id, 0), version.number)
    return [
        CharterStanding(
            membership_name=tm.membership.user.full_name,
            agreed_number=newest.get(tm.membership_id),
            agrees_to_current=current is not None and newest.get(tm.membership_id) == current,
        )
        for tm in team_members(actor=actor, team=team)
    ]


# --- role board --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRole:
    role: TeamRole
    this_week: list[str]
    next_week: list[str]
    upcoming: list[RoleAssignment]


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _holders(assignments: list[RoleAssignment], start: date, end: date) -> list[str]:
    return [
        a.membership.user.full_name
        for a in assignments
        if a.starts_on <= end and (a.ends_on is None or a.ends_on >= start)
    ]


def role_board(*, actor: Actor, team: Team, today: date | None = None) -> list[BoardRole]:
    """Every role of the team with who holds it this week and next (Monday to Sunday)."""
    require(actor, Capability.VIEW_TEAMS)
    today = today or timezone.localdate()
    this_monday = _week_start(today)
    next_monday = this_monday + timedelta(days=7)
    roles = TeamRole.objects.filter(organisation_id=actor.organisation_id, team=team).prefetch_related(
        Prefetch(
            "assignments",
            queryset=RoleAssignment.objects.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=this_monday))
            .select_related("membership__user")
            .order_by("starts_on", "pk"),
        )
    )
    board = []
    for role in roles:
        assignments = list(role.assignments.all())
        board.append(
            BoardRole(
                role=role,
                this_week=_holders(assignments, this_monday, this_monday + timedelta(days=6)),
                next_week=_holders(assignments, next_monday, next_monday + timedelta(days=6)),
                upcoming=[a for a in assignments if a.starts_on > today][:5],
            )
        )
    return board


def team_role_list(*, actor: Actor, team: Team) -> QuerySet[TeamRole]:
    require(actor, Capability.VIEW_TEAMS)
    return TeamRole.objects.filter(organisation_id=actor.organisation_id, team=team)


# --- agreements --------------------------------------------------------------------------------------


def agreement_list(*, actor: Actor, team: Team, status: str = "") -> QuerySet[Agreement]:
    require(actor, Capability.VIEW_TEAMS)
    qs = (
        Agreement.objects.filter(organisation_id=actor.organisation_id, team=team)
        .select_related("proposed_by")
        .annotate(open_objections=Count("objections", filter=Q(objections__resolved_at__isnull=True)))
        # Meta.ordering does not apply to aggregating queries: order explicitly for stable pages.
        .order_by("-created_at", "-pk")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def agreement_get(*, actor: Actor, team: Team, agreement_id: int) -> Agreement:
    try:
        return agreement_list(actor=actor, team=team).select_related("agreed_by").get(pk=agreement_id)
    except Agreement.DoesNotExist as exc:
        raise Http404 from exc


def objection_list(*, actor: Actor, agreement: Agreement) -> QuerySet[Objection]:
    require(actor, Capability.VIEW_TEAMS)
    return Objection.objects.filter(
        organisation_id=actor.organisation_id, agreement=agreement
    ).select_related("raised_by", "resolved_by")


def agreements_due_for_review(*, actor: Actor, team: Team) -> QuerySet[Agreement]:
    return agreement_list(actor=actor, team=team, status=AgreementStatus.AGREED).filter(
        review_on__lte=timezone.localdate()
    )


def can_read_teamwork(actor: Actor) -> bool:
    return actor_can(actor, Capability.VIEW_TEAMS)


def team_member_memberships(*, actor: Actor, team: Team) -> QuerySet[Membership]:
    """The active memberships in the team, for choosing role holders."""
    require(actor, Capability.VIEW_TEAMS)
    return (
        Membership.objects.filter(
            organisation_id=actor.organisation_id, is_active=True, team_memberships__team=team
        )
        .select_related("user")
        .order_by("user__full_name")
    )


# =====================================================================================================
# The work stream: people around a person, action items, goals, coaching, meetings, retros, self-direction
# =====================================================================================================
#
# Who counts as whose lead (documented decision). A person's *lead* is anyone flagged as lead
# (TeamMembership.is_lead) of a team the person belongs to without that flag. A lead who has no lead of
# their own in that sense (no leadership team in the organisation) has the organisation's managers as
# their lead. The *lead's lead* (the third "1" of 1+1+1) is then the lead of the person's lead.
# Personal goals and coaching data follow this line and nothing else: administrators, planners, coaches,
# other leads and other agents do not see them (unless a goal is shared).


def _lead_team_ids(membership_id: int) -> set[int]:
    return set(
        TeamMembership.objects.filter(
            membership_id=membership_id, is_lead=True, membership__is_active=True
        ).values_list("team_id", flat=True)
    )


def _leads_without_lead(organisation_id: int) -> set[int]:
    leads = set(
        TeamMembership.objects.filter(
            team__organisation_id=organisation_id, is_lead=True, membership__is_active=True
        ).values_list("membership_id", flat=True)
    )
    # Leads who sit, unflagged, in a team that has a lead: they have a lead of their own.
    led_teams = TeamMembership.objects.filter(team__organisation_id=organisation_id, is_lead=True).values(
        "team_id"
    )
    with_lead = set(
        TeamMembership.objects.filter(
            membership_id__in=leads, is_lead=False, team_id__in=led_teams
        ).values_list("membership_id", flat=True)
    )
    return leads - with_lead


def reports_of(*, membership: Membership) -> set[int]:
    """Membership ids whose lead `membership` is (see the rule above)."""
    ids = set(
        TeamMembership.objects.filter(
            team_id__in=_lead_team_ids(membership.pk), is_lead=False, membership__is_active=True
        ).values_list("membership_id", flat=True)
    )
    if membership.role == Role.MANAGER and membership.is_active:
        ids |= _leads_without_lead(membership.organisation_id)
    ids.discard(membership.pk)
    return ids


def leads_of(*, membership: Membership) -> set[int]:
    """Membership ids of the person's leads (the inverse of `reports_of`)."""
    teams = TeamMembership.objects.filter(membership=membership, is_lead=False).values("team_id")
    ids = set(
        TeamMembership.objects.filter(
            team_id__in=teams, is_lead=True, membership__is_active=True
        ).values_list("membership_id", flat=True)
    )
    if not ids and _lead_team_ids(membership.pk):
        ids = set(
            Membership.objects.filter(
                organisation_id=membership.organisation_id, role=Role.MANAGER, is_active=True
            ).values_list("pk", flat=True)
        )
    ids.discard(membership.pk)
    return ids


def personal_circle(*, actor: Actor) -> set[int]:
    """Whose personal goals the actor may see: themselves, their reports and their reports' reports."""
    if actor is None or not actor.is_active:
        return set()
    direct = reports_of(membership=actor)
    second: set[int] = set()
    for report in Membership.objects.filter(pk__in=direct):
        second |= reports_of(membership=report)
    return {actor.pk} | direct | second


def may_see_person(*, actor: Actor, person: Membership) -> bool:
    return person.organisation_id == actor.organisation_id and person.pk in personal_circle(actor=actor)


def team_leads(*, team: Team) -> QuerySet[Membership]:
    return Membership.objects.filter(
        team_memberships__team=team, team_memberships__is_lead=True, is_active=True
    )


def is_team_lead(*, actor: Actor, team: Team) -> bool:
    return team_leads(team=team).filter(pk=actor.pk).exists()


# --- action items ------------------------------------------------------------------------------------


def _coaching_ids_of(actor: Actor) -> QuerySet[Any]:
    return CoachingSession.objects.filter(
        Q(lead=actor) | Q(coachee=actor) | Q(manager=actor), organisation_id=actor.organisation_id
    ).values("pk")


def action_list(*, actor: Actor, team: Team | None = None, status: str = "") -> QuerySet[ActionItem]:
    """Actions the actor may see: open actions are team business; private (coaching) ones only the
    owner's, the creator's and the session's participants'."""
    require(actor, Capability.VIEW_TEAMS)
    qs = ActionItem.objects.filter(organisation_id=actor.organisation_id).filter(
        Q(is_private=False)
        | Q(owner=actor)
        | Q(created_by_id=actor.user_id)
        | Q(source_type=ActionSource.COACHING, source_id__in=_coaching_ids_of(actor))
    )
    if team is not None:
        qs = qs.filter(team=team)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("owner__user", "team").order_by("due_on", "pk")


def action_list_mine(*, actor: Actor, include_closed: bool = False) -> QuerySet[ActionItem]:
    qs = action_list(actor=actor).filter(owner=actor)
    return qs if include_closed else qs.filter(status=ActionStatus.OPEN)


def action_get(*, actor: Actor, action_id: int) -> ActionItem:
    try:
        return action_list(actor=actor).get(pk=action_id)
    except ActionItem.DoesNotExist as exc:
        raise Http404 from exc


def action_is_overdue(action: ActionItem, today: date | None = None) -> bool:
    return action.status == ActionStatus.OPEN and action.due_on < (today or timezone.localdate())


def actions_overdue(*, organisation_id: int | None = None, today: date | None = None) -> QuerySet[ActionItem]:
    """Open actions past their due date whose owner has not been reminded today (the reminder's input)."""
    today = today or timezone.localdate()
    qs = ActionItem.objects.filter(status=ActionStatus.OPEN, due_on__lt=today, owner__isnull=False).exclude(
        reminded_on=today
    )
    if organisation_id is not None:
        qs = qs.filter(organisation_id=organisation_id)
    return qs.select_related("owner__user", "team", "organisation")


def action_source_label(action: ActionItem) -> str:
    return str(ActionSource(action.source_type).label)


# --- goals -------------------------------------------------------------------------------------------


def goal_list(*, actor: Actor, query: str = "", level: str = "", team: Team | None = None) -> QuerySet[Goal]:
    """Goals the actor may see (organisation and team goals: everyone who sees teams; personal goals:
    the person's circle — see the rule above — or everyone when shared). `query` searches the title."""
    require(actor, Capability.VIEW_TEAMS)
    qs = Goal.objects.filter(organisation_id=actor.organisation_id).filter(
        ~Q(level=GoalLevel.PERSON) | Q(is_shared=True) | Q(person_id__in=personal_circle(actor=actor))
    )
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(description__icontains=query))
    if level:
        qs = qs.filter(level=level)
    if team is not None:
        qs = qs.filter(team=team)
    return qs.select_related("team", "person__user", "parent").order_by("level", "due_on", "pk")


def goal_get(*, actor: Actor, goal_id: int) -> Goal:
    try:
        return goal_list(actor=actor).get(pk=goal_id)
    except Goal.DoesNotExist as exc:
        raise Http404 from exc


def goal_may_edit(*, actor: Actor, goal: Goal) -> bool:
    """Who may check in on (and close) a goal: the person and their leads; the team's charter
    deciders and members for a team goal; managers for an organisation goal."""
    if actor is None or not actor.is_active or goal.organisation_id != actor.organisation_id:
        return False
    if goal.level == GoalLevel.PERSON:
        return goal.person_id == actor.pk or goal.person_id in reports_of(membership=actor)
    if goal.level == GoalLevel.TEAM and goal.team is not None:
        return is_team_member(actor=actor, team=goal.team) or decision_allowed(
            actor=actor, team=goal.team, decision=CHARTER_CHANGE
        )
    return actor.role in (Role.MANAGER, Role.ADMIN)


def goal_parent_choices(*, actor: Actor) -> QuerySet[Goal]:
    return goal_list(actor=actor).filter(status=GoalStatus.ACTIVE).exclude(level=GoalLevel.PERSON)


def check_in_list(*, actor: Actor, goal: Goal) -> QuerySet[GoalCheckIn]:
    goal_get(actor=actor, goal_id=goal.pk)
    return GoalCheckIn.objects.filter(organisation_id=actor.organisation_id, goal=goal).select_related(
        "author"
    )


@dataclass(frozen=True)
class GoalProgress:
    """Where a goal stands: the metric's value (from its provider or the latest check-in) against the
    target, as a share of the way from the starting value (None without a value or a baseline)."""

    value: Decimal | None
    source: str  # "provider", "check-in" or ""
    latest: GoalCheckIn | None
    percent: int | None
    metric: Metric | None
    reading: MetricReading | None = None


def goal_progress(
    goal: Goal,
    *,
    latest: GoalCheckIn | None = None,
    fetch_latest: bool = True,
    on: date | None = None,
    readings: dict[tuple[Any, ...], MetricReading | None] | None = None,
) -> GoalProgress:
    metric = METRICS.get(goal.metric)
    if latest is None and fetch_latest:
        latest = goal.check_ins.order_by("-created_at", "-pk").first()
    value = None
    source = ""
    reading = None
    if metric is not None:
        scope = (metric.key, goal.organisation_id, goal.team_id, goal.person_id, on or timezone.localdate())
        # Goals of one scope share a reading: a list of them asks each provider once per scope.
        if readings is not None and scope in readings:
            reading = readings[scope]
        else:
            reading = metric_reading(
                key=scope[0], organisation_id=scope[1], team_id=scope[2], membership_id=scope[3], on=scope[4]
            )
            if readings is not None:
                readings[scope] = reading
        if reading is not None:
            value, source = reading.value, "provider"
    if value is None and latest is not None:
        value, source = latest.value, "check-in"
    percent = None
    if value is not None:
        start = goal.baseline if goal.baseline is not None else Decimal(0)
        span = goal.target_value - start
        if span != 0:
            percent = max(0, min(100, int((value - start) / span * 100)))
        else:
            percent = 100 if value == goal.target_value else 0
    return GoalProgress(
        value=value, source=source, latest=latest, percent=percent, metric=metric, reading=reading
    )


def goals_with_progress(goals: Any) -> list[tuple[Goal, GoalProgress]]:
    """Pair each goal with its progress; the latest check-ins come in one query."""
    goals = list(goals)
    latest: dict[int, GoalCheckIn] = {}
    for check_in in GoalCheckIn.objects.filter(goal__in=goals).order_by("goal_id", "-created_at", "-pk"):
        latest.setdefault(check_in.goal_id, check_in)
    readings: dict[tuple[Any, ...], MetricReading | None] = {}
    return [
        (g, goal_progress(g, latest=latest.get(g.pk), fetch_latest=False, readings=readings)) for g in goals
    ]


# --- coaching ----------------------------------------------------------------------------------------

COACHING_PROMPTS = (
    gettext_lazy("How did you succeed? What went well since we last met?"),
    gettext_lazy("Where can you improve? What would make the biggest difference for customers?"),
    gettext_lazy("What will you try next? How will you know it worked?"),
    gettext_lazy("What do you need from me, or from the team?"),
)


def coaching_list(*, actor: Actor, team: Team | None = None) -> QuerySet[CoachingSession]:
    """Sessions the actor takes part in (as lead, person or lead's lead); nobody else sees them."""
    require(actor, Capability.VIEW_TEAMS)
    qs = CoachingSession.objects.filter(
        Q(lead=actor) | Q(coachee=actor) | Q(manager=actor), organisation_id=actor.organisation_id
    )
    if team is not None:
        qs = qs.filter(team=team)
    return qs.select_related("lead__user", "coachee__user", "manager__user", "team")


def coaching_get(*, actor: Actor, session_id: int) -> CoachingSession:
    try:
        return coaching_list(actor=actor).get(pk=session_id)
    except CoachingSession.DoesNotExist as exc:
        raise Http404 from exc


def coaching_notes_mine(*, actor: Actor, session: CoachingSession) -> QuerySet[CoachingNote]:
    """The actor's own private notes on a session; never anyone else's."""
    coaching_get(actor=actor, session_id=session.pk)
    return CoachingNote.objects.filter(
        organisation_id=actor.organisation_id, session=session, author_id=actor.user_id
    )


def coachee_choices(*, actor: Actor, team: Team) -> QuerySet[Membership]:
    """People the acting lead can coach in this team (the team's members other than its leads)."""
    return (
        team_member_memberships(actor=actor, team=team)
        .filter(pk__in=TeamMembership.objects.filter(team=team, is_lead=False).values("membership_id"))
        .exclude(pk=actor.pk)
    )


def lead_lead_choices(*, actor: Actor) -> QuerySet[Membership]:
    return Membership.objects.filter(pk__in=leads_of(membership=actor)).select_related("user")


@dataclass(frozen=True)
class CoachingAgenda:
    goals: list[tuple[Goal, GoalProgress]]
    actions: list[ActionItem]
    panels: list[Panel]
    prompts: tuple[Any, ...]
    follow_ups: list[ActionItem]


def coaching_agenda(*, actor: Actor, session: CoachingSession) -> CoachingAgenda:
    """The pre-filled agenda: the person's goals and latest check-ins, their open actions, the parts
    other apps add (customer comments, roster fairness) and the coaching questions."""
    coaching_get(actor=actor, session_id=session.pk)
    person = session.coachee
    goals = Goal.objects.filter(
        organisation_id=actor.organisation_id, level=GoalLevel.PERSON, person=person, status=GoalStatus.ACTIVE
    )
    open_actions = ActionItem.objects.filter(
        organisation_id=actor.organisation_id, owner=person, status=ActionStatus.OPEN
    ).filter(
        Q(is_private=False) | Q(source_type=ActionSource.COACHING, source_id__in=_coaching_ids_of(actor))
    )
    follow_ups = ActionItem.objects.filter(
        organisation_id=actor.organisation_id, source_type=ActionSource.COACHING, source_id=session.pk
    ).select_related("owner__user")
    return CoachingAgenda(
        goals=goals_with_progress(goals),
        actions=list(open_actions.select_related("team")[:20]),
        panels=agenda_panels(actor=actor, person=person),
        prompts=COACHING_PROMPTS,
        follow_ups=list(follow_ups),
    )


# --- meetings ----------------------------------------------------------------------------------------

DEFAULT_MINUTES: dict[str, int] = {MeetingKind.HUDDLE: 10, MeetingKind.WEEKLY: 45, MeetingKind.OTHER: 30}


def meeting_list(*, actor: Actor, team: Team) -> QuerySet[Meeting]:
    require(actor, Capability.VIEW_TEAMS)
    return (
        Meeting.objects.filter(organisation_id=actor.organisation_id, team=team)
        .annotate(item_count=Count("items", distinct=True), rating_avg=Avg("ratings__score"))
        .order_by("-starts_at", "-pk")
    )


def meeting_get(*, actor: Actor, team: Team, meeting_id: int) -> Meeting:
    try:
        return meeting_list(actor=actor, team=team).get(pk=meeting_id)
    except Meeting.DoesNotExist as exc:
        raise Http404 from exc


def agenda_items(*, actor: Actor, meeting: Meeting) -> QuerySet[AgendaItem]:
    """The agenda in priority order: most votes first, then the order items were added."""
    require(actor, Capability.VIEW_TEAMS)
    return (
        AgendaItem.objects.filter(organisation_id=actor.organisation_id, meeting=meeting)
        .annotate(
            vote_count=Count("votes", distinct=True),
            my_vote=Count("votes", filter=Q(votes__membership=actor), distinct=True),
        )
        .select_related("added_by")
        .order_by("is_handled", "-vote_count", "created_at", "pk")
    )


def meeting_my_rating(*, actor: Actor, meeting: Meeting) -> int | None:
    return (
        MeetingRating.objects.filter(meeting=meeting, membership=actor)
        .values_list("score", flat=True)
        .first()
    )


def meeting_actions(*, actor: Actor, meeting: Meeting) -> QuerySet[ActionItem]:
    return action_list(actor=actor, team=meeting.team).filter(
        source_type=ActionSource.MEETING, source_id=meeting.pk
    )


def huddle_today(*, actor: Actor, team: Team, today: date | None = None) -> Meeting | None:
    today = today or timezone.localdate()
    return (
        meeting_list(actor=actor, team=team)
        .filter(kind=MeetingKind.HUDDLE, starts_at__date=today)
        .order_by("starts_at")
        .first()
    )


@dataclass(frozen=True)
class HuddleBoard:
    today: date
    meeting: Meeting | None
    open_actions: list[ActionItem]
    overdue_count: int
    panels: list[Panel]


def huddle_board(*, actor: Actor, team: Team, today: date | None = None) -> HuddleBoard:
    today = today or timezone.localdate()
    actions = list(action_list(actor=actor, team=team, status=ActionStatus.OPEN)[:30])
    return HuddleBoard(
        today=today,
        meeting=huddle_today(actor=actor, team=team, today=today),
        open_actions=actions,
        overdue_count=sum(1 for a in actions if a.due_on < today),
        panels=huddle_panels(actor=actor, team=team, on=today),
    )


# --- retrospectives ----------------------------------------------------------------------------------


def retro_list(*, actor: Actor, team: Team) -> QuerySet[Retrospective]:
    require(actor, Capability.VIEW_TEAMS)
    return (
        Retrospective.objects.filter(organisation_id=actor.organisation_id, team=team)
        .annotate(item_count=Count("items"))
        .order_by("-held_on", "-pk")
    )


def retro_get(*, actor: Actor, team: Team, retro_id: int) -> Retrospective:
    try:
        return retro_list(actor=actor, team=team).get(pk=retro_id)
    except Retrospective.DoesNotExist as exc:
        raise Http404 from exc


def retro_items(*, actor: Actor, retro: Retrospective) -> QuerySet[RetroItem]:
    require(actor, Capability.VIEW_TEAMS)
    return (
        RetroItem.objects.filter(organisation_id=actor.organisation_id, retro=retro)
        .annotate(
            dot_count=Count("dots", distinct=True),
            my_dots=Count("dots", filter=Q(dots__membership=actor), distinct=True),
        )
        .select_related("action")
        .order_by("-dot_count", "created_at", "pk")
    )


def retro_dots_left(*, actor: Actor, retro: Retrospective) -> int:
    used = RetroDot.objects.filter(item__retro=retro, membership=actor).count()
    return max(0, retro.dots_per_person - used)


IDEA_SERVICE = ("aspa.voice.services", "idea_create")


def roadmap_idea_hook() -> Any | None:
    """The staff-idea service (`aspa.voice.services.idea_create(actor=, title=, body=, team=)`), whose
    ideas feed the roadmap; looked up by name so teamwork works without it. None when absent."""
    module_name, function = IDEA_SERVICE
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return None
    return getattr(module, function, None)


# --- self-direction ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SelfDirectionRow:
    area: Area
    target: int | None
    average: Decimal | None
    answers: int
    mine: int | None

    @property
    def gap(self) -> Decimal | None:
        if self.target is None or self.average is None:
            return None
        return max(Decimal(0), Decimal(self.target) - self.average)


def self_direction(*, actor: Actor, team: Team) -> list[SelfDirectionRow]:
    """Per rubric area: the team's target, the members' average view of now (and how many answered),
    and the actor's own answer."""
    require(actor, Capability.VIEW_TEAMS)
    targets = dict(
        SelfDirectionTarget.objects.filter(organisation_id=actor.organisation_id, team=team).values_list(
            "area", "level"
        )
    )
    stats = {
        row["area"]: row
        for row in SelfDirectionAssessment.objects.filter(organisation_id=actor.organisation_id, team=team)
        .values("area")
        .annotate(avg=Avg("level"), n=Count("pk"))
    }
    mine = dict(
        SelfDirectionAssessment.objects.filter(team=team, membership=actor).values_list("area", "level")
    )
    rows = []
    for area in AREAS:
        stat = stats.get(area.key)
        average = Decimal(str(round(stat["avg"], 1))) if stat else None
        rows.append(
            SelfDirectionRow(
                area=area,
                target=targets.get(area.key),
                average=average,
                answers=stat["n"] if stat else 0,
                mine=mine.get(area.key),
            )
        )
    return rows


def coachee_choices_all(*, actor: Actor) -> QuerySet[Membership]:
    """Everyone the actor leads directly (members of the teams they lead), for planning sessions."""
    return (
        Membership.objects.filter(
            organisation_id=actor.organisation_id,
            is_active=True,
            team_memberships__team_id__in=_lead_team_ids(actor.pk),
            team_memberships__is_lead=False,
        )
        .exclude(pk=actor.pk)
        .select_related("user")
        .distinct()
        .order_by("user__full_name")
    )


def coaching_team_for(*, actor: Actor, coachee: Membership) -> Team | None:
    """The team in which the actor leads the coachee (the first by name when there are several)."""
    return (
        Team.objects.filter(
            organisation_id=actor.organisation_id,
            pk__in=_lead_team_ids(actor.pk),
            team_memberships__membership=coachee,
        )
        .order_by("name")
        .first()
    )


def goal_people_choices(*, actor: Actor) -> QuerySet[Membership]:
    """The people the actor may set personal goals for: themselves and their reports."""
    return (
        Membership.objects.filter(pk__in={actor.pk} | reports_of(membership=actor))
        .select_related("user")
        .order_by("user__full_name")
    )


def coaching_participants(*, actor: Actor, session: CoachingSession) -> QuerySet[Membership]:
    coaching_get(actor=actor, session_id=session.pk)
    ids = [p for p in (session.lead_id, session.coachee_id, session.manager_id) if p]
    return Membership.objects.filter(pk__in=ids).select_related("user").order_by("user__full_name")
