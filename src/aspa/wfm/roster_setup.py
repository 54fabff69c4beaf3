"""Roster setup of a team: shift types, work rules, people's contracts and skills, fairness priorities.

Who may do what:
- shift types, work rules and contracts: planners (MANAGE_WFM) of the organisation and the team's leads
  (the same people who plan the team's rosters, ``roster_services.can_plan``);
- fairness priorities: whoever the team's decision matrix lets decide ``priority.grant``. By default the
  team's lead decides after consulting the team, members recommend and planners are informed; a team can
  hand the decision to the whole team. Every priority keeps its reason, who set it and until when.
- fairness weights (wishes and burdens: nights, weekends, public holidays, unpopular shifts): whoever the
  decision matrix lets decide ``fairness.weights``, the same pattern as priorities. By default planners
  decide and the lead after consulting the team; members recommend. How burdens are shared is a
  question of justice in the team, not a labour-law limit, so it is the team's call and audited.
- shift types are edited in place while no published roster uses them; once one does, only the name
  and the "unpopular" mark may change, because times and lengths are history the ledger and the
  people's pay were computed from (make a new type for new times).

Work rules default to the Finnish Working Hours Act (työaikalaki 872/2019): 11 h daily rest (§ 25), 35 h
weekly rest (§ 27), at most 48 h a week (§ 18). Below the Act's floors (9 h daily rest with the
employee's consent, 24 h weekly rest) or above its ceiling the values are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aspa.core.audit import audit_record
from aspa.core.tenancy import Actor
from aspa.org.models import Membership, Team
from aspa.teamwork.selectors import decision_allowed, require_decision
from aspa.wfm import roster_build
from aspa.wfm.models import (
    AgentContract,
    FairnessPriority,
    RosterStatus,
    Shift,
    ShiftKind,
    ShiftType,
    TeamWorkRules,
)
from aspa.wfm.roster_build import BURDEN_FIELDS, default_burden_weights
from aspa.wfm.roster_services import _same_org, can_plan, is_team_member, require_plan

PRIORITY_GRANT = "priority.grant"
FAIRNESS_CHANGE = "fairness.weights"

# Finnish Working Hours Act limits (minutes) that no team setting may go beyond.
LAW_MIN_DAILY_REST = 9 * 60
LAW_MIN_WEEKLY_REST = 24 * 60
LAW_MAX_WEEK = 48 * 60
MAX_CONSECUTIVE_DAYS = 13
MAX_FAIRNESS_WEIGHT = 100
MIN_SHIFT_MINUTES, MAX_SHIFT_MINUTES = 60, 16 * 60
PRIORITY_WEIGHTS = (2, 3, 4, 5)

ERR_CODE_TAKEN = gettext_noop("The team already has a shift type with this code.")
ERR_SHIFT_LENGTH = gettext_noop("A shift lasts from %(min)s to %(max)s minutes.")
ERR_BREAK_TOO_LONG = gettext_noop("The paid break must be shorter than the shift.")
ERR_SHIFT_KIND = gettext_noop("Unknown kind of shift.")
ERR_SHIFT_IN_USE = gettext_noop("This shift type is used in rosters; it cannot be removed.")
ERR_SHIFT_NOT_TEAMS = gettext_noop("Only the team's own shift types can be removed here.")
ERR_DAILY_REST = gettext_noop(
    "Daily rest must be at least %(min)s minutes (Working Hours Act § 25) and at most a day."
)
ERR_WEEKLY_REST = gettext_noop(
    "Weekly rest must be at least %(min)s minutes (Working Hours Act § 27) and at most three days."
)
ERR_WEEK_MAX = gettext_noop("Working time may be at most %(max)s minutes a week (Working Hours Act § 18).")
ERR_CONSECUTIVE = gettext_noop("Consecutive working days must be from 1 to %(max)s, or empty.")
ERR_FAIRNESS_WEIGHT = gettext_noop("The fairness weight must be from 0 to %(max)s.")
ERR_BURDEN_WEIGHT = gettext_noop("The weight must be from 0 to %(max)s.")
ERR_SHIFT_PUBLISHED = gettext_noop(
    "A published roster uses this shift type: only its name and the unpopular mark can change. "
    "Add a new shift type for other times."
)
ERR_CONTRACT_RANGE = gettext_noop(
    "The minimum must not exceed the maximum, and the maximum the team's weekly limit."
)
ERR_UNKNOWN_SKILL = gettext_noop("Unknown skill: %(skill)s.")
ERR_NOT_MEMBER = gettext_noop("The person is not a member of this team.")
ERR_REASON_MISSING = gettext_noop("Give the reason for the priority: the team sees it.")
ERR_PRIORITY_WEIGHT = gettext_noop("The priority weight must be from 2 to 5.")
ERR_PRIORITY_PAST = gettext_noop("The end day must not be in the past.")
ERR_SETUP_FORBIDDEN = gettext_noop(
    "Only planners, the team's leads and those the team lets set priorities see this."
)


def can_prioritise(actor: Actor | None, team: Team) -> bool:
    return (
        actor is not None
        and team.organisation_id == actor.organisation_id
        and decision_allowed(actor=actor, team=team, decision=PRIORITY_GRANT)
    )


def can_set_fairness(actor: Actor | None, team: Team) -> bool:
    return (
        actor is not None
        and team.organisation_id == actor.organisation_id
        and decision_allowed(actor=actor, team=team, decision=FAIRNESS_CHANGE)
    )


def require_setup_access(actor: Actor, team: Team) -> None:
    """The setup page is for the people who plan the team or decide its priorities or fairness weights."""
    if not (can_plan(actor, team) or can_prioritise(actor, team) or can_set_fairness(actor, team)):
        raise PermissionDenied(_(ERR_SETUP_FORBIDDEN))


def default_rules() -> dict[str, Any]:
    """The Working Hours Act defaults, as stored by :class:`TeamWorkRules`."""
    return {
        "min_daily_rest_minutes": 11 * 60,
        "min_weekly_rest_minutes": 35 * 60,
        "max_minutes_per_week": LAW_MAX_WEEK,
        "max_consecutive_days": None,
        "fairness_weight": 1,
        **default_burden_weights(),
    }


# --- Shift types -------------------------------------------------------------------------------------


def shift_type_create(
    *,
    actor: Actor,
    team: Team,
    code: str,
    name: str,
    start_time: dt.time,
    length_minutes: int,
    paid_break_minutes: int = 0,
    kind: str = ShiftKind.DAY,
    unpopular: bool = False,
) -> ShiftType:
    _same_org(actor, team)
    require_plan(actor, team)
    errors = _shift_errors(length_minutes=length_minutes, paid_break_minutes=paid_break_minutes, kind=kind)
    with transaction.atomic():
        if ShiftType.objects.filter(organisation_id=team.organisation_id, team=team, code=code).exists():
            errors["code"] = _(ERR_CODE_TAKEN)
        if errors:
            raise ValidationError(errors)
        shift_type = ShiftType.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            code=code,
            name=name,
            start_time=start_time,
            length_minutes=length_minutes,
            paid_break_minutes=paid_break_minutes,
            kind=kind,
            unpopular=unpopular,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.shift_type.create",
            target=shift_type,
            changes={"code": [None, code], "start_time": [None, start_time.isoformat()]},
        )
    return shift_type


def _shift_errors(*, length_minutes: int, paid_break_minutes: int, kind: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not MIN_SHIFT_MINUTES <= length_minutes <= MAX_SHIFT_MINUTES:
        errors["length_minutes"] = _(ERR_SHIFT_LENGTH) % {"min": MIN_SHIFT_MINUTES, "max": MAX_SHIFT_MINUTES}
    if not 0 <= paid_break_minutes < length_minutes:
        errors["paid_break_minutes"] = _(ERR_BREAK_TOO_LONG)
    if kind not in ShiftKind.values:
        errors["kind"] = _(ERR_SHIFT_KIND)
    return errors


# What a shift type's published history depends on: times, length (pay) and kind (the night ledger).
SHIFT_HISTORY_FIELDS = ("code", "start_time", "length_minutes", "paid_break_minutes", "kind")


# Rosters people were given (superseded ones too): their shifts are history.
HISTORY_STATUSES = (RosterStatus.PUBLISHED, RosterStatus.SUPERSEDED)


def shift_type_in_published_roster(shift_type: ShiftType) -> bool:
    return Shift.objects.filter(shift_type=shift_type, roster__status__in=HISTORY_STATUSES).exists()


def shift_type_update(
    *,
    actor: Actor,
    team: Team,
    shift_type: ShiftType,
    code: str,
    name: str,
    start_time: dt.time,
    length_minutes: int,
    paid_break_minutes: int = 0,
    kind: str = ShiftKind.DAY,
    unpopular: bool = False,
) -> ShiftType:
    """Edit a team's shift type in place.

    A type used only in drafts may change freely: the drafts' shifts get the new times in the same
    transaction (their coverage figures are from the old times until the period is solved again).
    Once a published roster uses it, the people's shifts, hours and fairness ledger were computed
    from its times: then only the name and the unpopular mark (which steers future rosters only)
    may change.
    """
    _require_team_shift_type(actor, team, shift_type)
    errors = _shift_errors(length_minutes=length_minutes, paid_break_minutes=paid_break_minutes, kind=kind)
    values: dict[str, Any] = {
        "code": code,
        "name": name,
        "start_time": start_time,
        "length_minutes": length_minutes,
        "paid_break_minutes": paid_break_minutes,
        "kind": kind,
        "unpopular": unpopular,
    }
    with transaction.atomic():
        row = ShiftType.objects.select_for_update().get(pk=shift_type.pk)
        before = {k: getattr(row, k) for k in values}
        changed = {k for k, v in values.items() if before[k] != v}
        if changed & set(SHIFT_HISTORY_FIELDS) and shift_type_in_published_roster(row):
            errors.setdefault("__all__", _(ERR_SHIFT_PUBLISHED))
        if (
            "code" in changed
            and ShiftType.objects.filter(organisation_id=team.organisation_id, team=team, code=code)
            .exclude(pk=row.pk)
            .exists()
        ):
            errors["code"] = _(ERR_CODE_TAKEN)
        if errors:
            raise ValidationError(errors)
        for key in changed:
            setattr(row, key, values[key])
        row.save()
        if changed & {"start_time", "length_minutes"}:
            drafts = list(Shift.objects.select_for_update().filter(shift_type=row))
            for shift in drafts:
                shift.starts_at, shift.ends_at = roster_build.shift_times(shift.day, row)
            Shift.objects.bulk_update(drafts, ["starts_at", "ends_at"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.shift_type.update",
            target=row,
            changes={k: [_audit_value(before[k]), _audit_value(values[k])] for k in sorted(changed)},
        )
    return row


def _audit_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.time) else value


def _require_team_shift_type(actor: Actor, team: Team, shift_type: ShiftType) -> None:
    """The planner may change this team's shift types, and this one is the team's."""
    _same_org(actor, team)
    _same_org(actor, shift_type)
    require_plan(actor, team)
    if shift_type.team_id != team.pk:
        raise ValidationError(_(ERR_SHIFT_NOT_TEAMS))


def shift_type_delete(*, actor: Actor, team: Team, shift_type: ShiftType) -> None:
    _require_team_shift_type(actor, team, shift_type)
    with transaction.atomic():
        if Shift.objects.filter(shift_type=shift_type).exists():
            raise ValidationError(_(ERR_SHIFT_IN_USE))
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.shift_type.delete",
            target=shift_type,
            changes={"code": [shift_type.code, None]},
        )
        shift_type.delete()


# --- Work rules --------------------------------------------------------------------------------------


def work_rules_update(
    *,
    actor: Actor,
    team: Team,
    min_daily_rest_minutes: int,
    min_weekly_rest_minutes: int,
    max_minutes_per_week: int,
    max_consecutive_days: int | None,
) -> TeamWorkRules:
    """Store the team's labour rules; each value is checked against the Working Hours Act.

    The fairness weights are not labour rules: :func:`fairness_update` sets them.
    """
    _same_org(actor, team)
    require_plan(actor, team)
    errors: dict[str, str] = {}
    if not LAW_MIN_DAILY_REST <= min_daily_rest_minutes <= 24 * 60:
        errors["min_daily_rest_minutes"] = _(ERR_DAILY_REST) % {"min": LAW_MIN_DAILY_REST}
    if not LAW_MIN_WEEKLY_REST <= min_weekly_rest_minutes <= 72 * 60:
        errors["min_weekly_rest_minutes"] = _(ERR_WEEKLY_REST) % {"min": LAW_MIN_WEEKLY_REST}
    if not 60 <= max_minutes_per_week <= LAW_MAX_WEEK:
        errors["max_minutes_per_week"] = _(ERR_WEEK_MAX) % {"max": LAW_MAX_WEEK}
    if max_consecutive_days is not None and not 1 <= max_consecutive_days <= MAX_CONSECUTIVE_DAYS:
        errors["max_consecutive_days"] = _(ERR_CONSECUTIVE) % {"max": MAX_CONSECUTIVE_DAYS}
    if errors:
        raise ValidationError(errors)
    values = {
        "min_daily_rest_minutes": min_daily_rest_minutes,
        "min_weekly_rest_minutes": min_weekly_rest_minutes,
        "max_minutes_per_week": max_minutes_per_week,
        "max_consecutive_days": max_consecutive_days,
    }
    return _rules_store(actor=actor, team=team, values=values, action="wfm.work_rules.update")


def fairness_update(
    *,
    actor: Actor,
    team: Team,
    fairness_weight: int,
    burden_weight_nights: int,
    burden_weight_weekends: int,
    burden_weight_holidays: int,
    burden_weight_unpopular: int,
) -> TeamWorkRules:
    """Store how much the optimiser weighs fairness of wishes and the sharing of each burden.

    A decision of the team's matrix (``fairness.weights``), like priorities; 0 switches a term off.
    """
    _same_org(actor, team)
    require_decision(actor=actor, team=team, decision=FAIRNESS_CHANGE)
    values = {
        "fairness_weight": fairness_weight,
        "burden_weight_nights": burden_weight_nights,
        "burden_weight_weekends": burden_weight_weekends,
        "burden_weight_holidays": burden_weight_holidays,
        "burden_weight_unpopular": burden_weight_unpopular,
    }
    errors: dict[str, str] = {}
    if not 0 <= fairness_weight <= MAX_FAIRNESS_WEIGHT:
        errors["fairness_weight"] = _(ERR_FAIRNESS_WEIGHT) % {"max": MAX_FAIRNESS_WEIGHT}
    for key in BURDEN_FIELDS.values():
        if not 0 <= values[key] <= MAX_FAIRNESS_WEIGHT:
            errors[key] = _(ERR_BURDEN_WEIGHT) % {"max": MAX_FAIRNESS_WEIGHT}
    if errors:
        raise ValidationError(errors)
    return _rules_store(actor=actor, team=team, values=values, action="wfm.fairness.update")


def _rules_store(*, actor: Actor, team: Team, values: dict[str, Any], action: str) -> TeamWorkRules:
    with transaction.atomic():
        rules = TeamWorkRules.objects.select_for_update().filter(team=team).first()
        before = default_rules() if rules is None else {k: getattr(rules, k) for k in values}
        if rules is None:
            rules = TeamWorkRules(organisation_id=team.organisation_id, team=team)
        for key, value in values.items():
            setattr(rules, key, value)
        rules.save()
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action=action,
            target=rules,
            changes={k: [before[k], v] for k, v in values.items() if before[k] != v},
        )
    return rules


# --- Contracts and skills ----------------------------------------------------------------------------


def contract_update(
    *,
    actor: Actor,
    team: Team,
    membership: Membership,
    min_minutes_per_week: int,
    max_minutes_per_week: int,
    skills: list[str],
    known_skills: list[str],
) -> AgentContract:
    """A person's weekly working time and queue skills (``known_skills``: the team's queues' skills)."""
    _same_org(actor, team)
    _same_org(actor, membership)
    require_plan(actor, team)
    if not is_team_member(membership, team):
        raise ValidationError(_(ERR_NOT_MEMBER))
    rules = TeamWorkRules.objects.filter(team=team).first()
    week_limit = rules.max_minutes_per_week if rules is not None else LAW_MAX_WEEK
    errors: dict[str, str] = {}
    if not 0 <= min_minutes_per_week <= max_minutes_per_week <= week_limit:
        errors["max_minutes_per_week"] = _(ERR_CONTRACT_RANGE)
    unknown = sorted(set(skills) - set(known_skills))
    if unknown:
        errors["skills"] = _(ERR_UNKNOWN_SKILL) % {"skill": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        contract = AgentContract.objects.select_for_update().filter(membership=membership).first()
        before = (
            {
                "min": contract.min_minutes_per_week,
                "max": contract.max_minutes_per_week,
                "skills": contract.skills,
            }
            if contract is not None
            else {"min": None, "max": None, "skills": None}
        )
        if contract is None:
            contract = AgentContract(organisation_id=membership.organisation_id, membership=membership)
        contract.min_minutes_per_week = min_minutes_per_week
        contract.max_minutes_per_week = max_minutes_per_week
        contract.skills = sorted(set(skills))
        contract.save()
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.contract.update",
            target=contract,
            changes={
                "min": [before["min"], min_minutes_per_week],
                "max": [before["max"], max_minutes_per_week],
                "skills": [before["skills"], contract.skills],
            },
        )
    return contract


# --- Fairness priorities -----------------------------------------------------------------------------


def priority_grant(
    *,
    actor: Actor,
    team: Team,
    membership: Membership,
    reason: str,
    weight: int = 2,
    ends_on: dt.date | None = None,
) -> FairnessPriority:
    """Give a person priority for wishes (a decision of the team's matrix), with the reason recorded."""
    _same_org(actor, team)
    _same_org(actor, membership)
    require_decision(actor=actor, team=team, decision=PRIORITY_GRANT)
    errors: dict[str, str] = {}
    if not is_team_member(membership, team):
        errors["membership"] = _(ERR_NOT_MEMBER)
    if not reason.strip():
        errors["reason"] = _(ERR_REASON_MISSING)
    if weight not in PRIORITY_WEIGHTS:
        errors["weight"] = _(ERR_PRIORITY_WEIGHT)
    if ends_on is not None and ends_on < timezone.localdate():
        errors["ends_on"] = _(ERR_PRIORITY_PAST)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        priority = FairnessPriority.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            membership=membership,
            reason=reason.strip(),
            weight=weight,
            ends_on=ends_on,
            set_by=actor.user,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.priority.grant",
            target=priority,
            changes={"membership": [None, membership.pk], "weight": [None, weight]},
        )
    return priority


def priority_end(*, actor: Actor, priority: FairnessPriority) -> None:
    """Remove a priority (the audit log keeps that it existed)."""
    _same_org(actor, priority)
    require_decision(actor=actor, team=priority.team, decision=PRIORITY_GRANT)
    with transaction.atomic():
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.priority.end",
            target=priority,
            changes={"membership": [priority.membership_id, None]},
        )
        priority.delete()
