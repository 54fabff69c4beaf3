"""Reads for the roster setup pages; always scoped by the actor's organisation (and the team)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, require
from aspa.org.models import Membership, Team
from aspa.wfm import roster_build
from aspa.wfm.models import AgentContract, FairnessPriority, ShiftType, TeamWorkRules
from aspa.wfm.roster_services import can_plan
from aspa.wfm.roster_setup import can_prioritise, can_set_fairness, default_rules, require_setup_access


def setup_team_get(*, actor: Actor, team_id: int) -> Team:
    """The team, if in the actor's organisation (else 404) and the actor may see its setup (else 403)."""
    require(actor, Capability.VIEW_WFM)
    team = Team.objects.filter(pk=team_id, organisation_id=actor.organisation_id).first()
    if team is None:
        raise Http404
    require_setup_access(actor, team)
    return team


def team_shift_type_get(*, actor: Actor, team: Team, shift_type_id: int) -> ShiftType:
    row = ShiftType.objects.filter(pk=shift_type_id, organisation_id=actor.organisation_id, team=team).first()
    if row is None:
        raise Http404
    return row


def team_member_get(*, actor: Actor, team: Team, membership_id: int) -> Membership:
    member = (
        Membership.objects.filter(
            pk=membership_id, organisation_id=actor.organisation_id, team_memberships__team=team
        )
        .select_related("user")
        .first()
    )
    if member is None:
        raise Http404
    return member


def priority_get(*, actor: Actor, priority_id: int) -> FairnessPriority:
    require(actor, Capability.VIEW_WFM)
    row = (
        FairnessPriority.objects.filter(pk=priority_id, organisation_id=actor.organisation_id)
        .select_related("team")
        .first()
    )
    if row is None:
        raise Http404
    require_setup_access(actor, row.team)
    return row


def team_members(*, actor: Actor, team: Team) -> list[Membership]:
    return list(
        Membership.objects.filter(
            organisation_id=actor.organisation_id, team_memberships__team=team, is_active=True
        )
        .select_related("user")
        .distinct()
        .order_by("user__full_name", "pk")
    )


@dataclass(frozen=True)
class PersonRow:
    membership: Membership
    contract: AgentContract | None


@dataclass(frozen=True)
class SetupView:
    team: Team
    shift_types: list[ShiftType]
    rules: dict[str, Any]
    rules_are_default: bool
    people: list[PersonRow]
    priorities: list[FairnessPriority]
    skills: list[str]
    can_plan: bool
    can_prioritise: bool
    can_set_fairness: bool


def setup_view(*, actor: Actor, team: Team) -> SetupView:
    require_setup_access(actor, team)
    stored = TeamWorkRules.objects.filter(team=team, organisation_id=actor.organisation_id).first()
    rules = default_rules() if stored is None else {k: getattr(stored, k) for k in default_rules()}
    members = team_members(actor=actor, team=team)
    contracts = {c.membership_id: c for c in AgentContract.objects.filter(membership__in=members)}
    today = timezone.localdate()
    priorities = list(
        FairnessPriority.objects.filter(team=team, organisation_id=actor.organisation_id)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("membership__user", "set_by")
    )
    return SetupView(
        team=team,
        shift_types=[
            t
            for t in ShiftType.objects.filter(organisation_id=actor.organisation_id)
            .filter(Q(team=team) | Q(team__isnull=True))
            .order_by("start_time", "code")
        ],
        rules=rules,
        rules_are_default=stored is None,
        people=[PersonRow(m, contracts.get(m.pk)) for m in members],
        priorities=priorities,
        skills=roster_build.team_skills(team),
        can_plan=can_plan(actor, team),
        can_prioritise=can_prioritise(actor, team),
        can_set_fairness=can_set_fairness(actor, team),
    )
