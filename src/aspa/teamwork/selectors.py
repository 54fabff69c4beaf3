"""Reads of the teamwork app, and the decision matrix's enforcement API for every other app.

Visibility (documented decision): a team's charter, matrix, role board and agreements are open to
everyone in the same organisation who may see teams (inside roles and coaches) — members of the team
read and take part, the rest of the organisation reads only (transparency between teams; writes need
team membership or a matrix right). Assessors see nothing; another organisation gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.core.roles import Capability, Role
from aspa.core.tenancy import Actor, actor_can, require
from aspa.org.models import Membership, Team, TeamMembership
from aspa.teamwork.decisions import (
    ACTING_LEVELS,
    LEVEL_OUTCOME,
    DecisionType,
    Level,
    Subject,
    decision_type_get,
    decision_types,
    level_strength,
)
from aspa.teamwork.models import (
    Agreement,
    AgreementStatus,
    CharterConsent,
    CharterVersion,
    DecisionCell,
    DecisionChange,
    Objection,
    RoleAssignment,
    TeamRole,
)

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
