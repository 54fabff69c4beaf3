"""Writes of the teamwork app. Each runs in one transaction and leaves an audit entry.

Who may write is decided by the team's decision matrix (`require_decision`) or, for taking part
(proposing, objecting, agreeing to the charter), by being a member of the team.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from aspa.core.audit import audit_record
from aspa.core.tenancy import Actor
from aspa.org.models import Membership, Team, TeamMembership
from aspa.teamwork.decisions import (
    ACTING_LEVELS,
    AGREEMENT_CHANGE,
    CHARTER_CHANGE,
    DECISIONS_CHANGE,
    ROLES_CHANGE,
    Level,
    Subject,
    decision_type_get,
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
from aspa.teamwork.selectors import (
    decision_allowed,
    decision_cells,
    decision_matrix_version,
    is_team_member,
    require_decision,
)

ERR_NOT_TEAM_MEMBER = "Only members of the team can do this."
ERR_UNKNOWN_CELL = "Unknown decision or level."
ERR_NO_LIMIT_HERE = "Only decisions about amounts take a limit."
ERR_NEGATIVE_LIMIT = "A limit cannot be negative."
ERR_LOCKOUT = "Someone must keep the right to change decision rights."
ERR_NOTHING_CHANGED = "Nothing was changed."
ERR_AGREEMENT_CLOSED = "This agreement is no longer open for discussion."
ERR_NOT_PROPOSED = "Only a proposed agreement can be moved to discussion."
ERR_NOT_DISCUSSED = "Discuss the agreement before marking it agreed."
ERR_UNRESOLVED_OBJECTION = "An objection is unresolved: resolve it before the team can consent."
ERR_REVIEW_IN_PAST = "The review date must be in the future."
ERR_OBJECTION_RESOLVED = "This objection has already been resolved."
ERR_NOT_OBJECTOR = "Only the person who objected, or someone who decides on agreements, can resolve this."
ERR_ROLE_EXISTS = "The team already has a role with this name."
ERR_ENDS_BEFORE_START = "The end date cannot be before the start date."
ERR_HOLDER_NOT_MEMBER = "The holder must be a member of the team."

DEFAULT_REVIEW_DAYS = 90


def _require_member(*, actor: Actor, team: Team) -> None:
    if not is_team_member(actor=actor, team=team):
        raise PermissionDenied(_(ERR_NOT_TEAM_MEMBER))


def _same_org(*, actor: Actor, team: Team) -> None:
    if team.organisation_id != actor.organisation_id:
        raise PermissionDenied


# --- decision matrix ---------------------------------------------------------------------------------

CellValue = tuple[str, Decimal | None]


def decision_matrix_update(
    *, actor: Actor, team: Team, cells: dict[tuple[str, str], CellValue], note: str = ""
) -> int:
    """Set cells (decision, subject) -> (level, limit) and record them as one new version.

    Only changed cells are written; a cell set back to its default loses its stored row. Returns the new
    version number. Editing the matrix is itself a decision ("decisions.change").
    """
    _same_org(actor=actor, team=team)
    require_decision(actor=actor, team=team, decision=DECISIONS_CHANGE)
    for (decision, subject), (level, limit) in cells.items():
        try:
            decision_type = decision_type_get(decision)
        except KeyError as exc:
            raise ValidationError(_(ERR_UNKNOWN_CELL), code="unknown") from exc
        if subject not in Subject.values or level not in Level.values:
            raise ValidationError(_(ERR_UNKNOWN_CELL), code="unknown")
        if limit is not None and not decision_type.has_amount:
            raise ValidationError(_(ERR_NO_LIMIT_HERE), code="limit")
        if limit is not None and limit < 0:
            raise ValidationError(_(ERR_NEGATIVE_LIMIT), code="limit")
    with transaction.atomic():
        # Lock the team row: two people saving the matrix at once get consecutive versions.
        Team.objects.select_for_update().get(pk=team.pk)
        current = {
            decision: decision_cells(team=team, decision=decision)
            for decision in {decision for decision, _subject in cells}
        }
        changed = {
            key: value
            for key, value in cells.items()
            if (current[key[0]][key[1]].level, current[key[0]][key[1]].amount_limit) != value
        }
        if not changed:
            raise ValidationError(_(ERR_NOTHING_CHANGED), code="unchanged")
        after_change = current.get(DECISIONS_CHANGE)
        if after_change is not None:
            levels = {s: c.level for s, c in after_change.items()}
            levels.update({s: lv for (d, s), (lv, _lim) in changed.items() if d == DECISIONS_CHANGE})
            if not any(level in ACTING_LEVELS for level in levels.values()):
                raise ValidationError(_(ERR_LOCKOUT), code="lockout")
        version = decision_matrix_version(team=team) + 1
        now = timezone.now()
        audit_changes = {}
        for (decision, subject), (level, limit) in sorted(changed.items()):
            old = current[decision][subject]
            decision_type = decision_type_get(decision)
            is_default = level == decision_type.default_level(subject) and limit == (
                decision_type.default_limits.get(subject)
            )
            if is_default:
                DecisionCell.objects.filter(team=team, decision=decision, subject=subject).delete()
            else:
                DecisionCell.objects.update_or_create(
                    team=team,
                    decision=decision,
                    subject=subject,
                    defaults={"organisation_id": team.organisation_id, "level": level, "amount_limit": limit},
                )
            DecisionChange.objects.create(
                organisation_id=team.organisation_id,
                team=team,
                version=version,
                decision=decision,
                subject=subject,
                old_level=old.level,
                new_level=level,
                old_limit=old.amount_limit,
                new_limit=limit,
                note=note.strip()[:300],
                changed_by=actor.user,
                changed_at=now,
            )
            audit_changes[f"{decision}/{subject}"] = [
                [old.level, str(old.amount_limit) if old.amount_limit is not None else None],
                [level, str(limit) if limit is not None else None],
            ]
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="decision_matrix.change",
            target=team,
            changes={"version": version, "cells": audit_changes, "note": note.strip()},
        )
    return version


# --- charter -----------------------------------------------------------------------------------------


def charter_version_create(
    *,
    actor: Actor,
    team: Team,
    purpose: str,
    customer_promise: str,
    goals: str = "",
    direction: str = "",
    direction_url: str = "",
    note: str = "",
) -> CharterVersion:
    """Write a new charter version (versions are never edited: members agree to a fixed text)."""
    _same_org(actor=actor, team=team)
    require_decision(actor=actor, team=team, decision=CHARTER_CHANGE)
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        latest = CharterVersion.objects.filter(team=team).aggregate(n=Max("number"))["n"] or 0
        version = CharterVersion.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            number=latest + 1,
            purpose=purpose.strip(),
            customer_promise=customer_promise.strip(),
            goals=goals.strip(),
            direction=direction.strip(),
            direction_url=direction_url.strip(),
            note=note.strip(),
            created_by=actor.user,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="charter.version_create",
            target=version,
            changes={"team": team.name, "number": version.number},
        )
    return version


def charter_agree(*, actor: Actor, version: CharterVersion) -> CharterConsent:
    """The acting member says "I agree" to this charter version (again: no change)."""
    team = version.team
    _same_org(actor=actor, team=team)
    _require_member(actor=actor, team=team)
    with transaction.atomic():
        consent, created = CharterConsent.objects.get_or_create(
            version=version, membership=actor, defaults={"organisation_id": team.organisation_id}
        )
        if created:
            audit_record(
                organisation=actor.organisation,
                actor=actor.user,
                action="charter.agree",
                target=version,
                changes={"number": version.number},
            )
    return consent


# --- role board --------------------------------------------------------------------------------------


def team_role_create(
    *, actor: Actor, team: Team, name: str, responsibilities: str, is_rotating: bool = False
) -> TeamRole:
    _same_org(actor=actor, team=team)
    require_decision(actor=actor, team=team, decision=ROLES_CHANGE)
    name = name.strip()
    if TeamRole.objects.filter(team=team, name__iexact=name).exists():
        raise ValidationError({"name": _(ERR_ROLE_EXISTS)}, code="exists")
    with transaction.atomic():
        role = TeamRole.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            name=name,
            responsibilities=responsibilities.strip(),
            is_rotating=is_rotating,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="team_role.create",
            target=role,
            changes={"team": team.name, "rotating": is_rotating},
        )
    return role


def role_assign(
    *, actor: Actor, role: TeamRole, membership: Membership, starts_on: date, ends_on: date | None = None
) -> RoleAssignment:
    """Give a role to a team member for a date range (a rotation is a series of such ranges)."""
    team = role.team
    _same_org(actor=actor, team=team)
    require_decision(actor=actor, team=team, decision=ROLES_CHANGE)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _(ERR_ENDS_BEFORE_START)}, code="dates")
    if not TeamMembership.objects.filter(
        team=team, membership=membership, membership__is_active=True
    ).exists():
        raise ValidationError({"membership": _(ERR_HOLDER_NOT_MEMBER)}, code="holder")
    with transaction.atomic():
        assignment = RoleAssignment.objects.create(
            organisation_id=team.organisation_id,
            role=role,
            membership=membership,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="team_role.assign",
            target=role,
            changes={
                "holder": membership.user.full_name,
                "from": starts_on.isoformat(),
                "until": ends_on.isoformat() if ends_on else None,
            },
        )
    return assignment


# --- agreements --------------------------------------------------------------------------------------


def agreement_propose(*, actor: Actor, team: Team, title: str, text: str = "") -> Agreement:
    """Any member of the team may propose an agreement."""
    _same_org(actor=actor, team=team)
    _require_member(actor=actor, team=team)
    with transaction.atomic():
        agreement = Agreement.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            title=title.strip(),
            text=text.strip(),
            proposed_by=actor.user,
        )
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="agreement.propose", target=agreement
        )
    return agreement


def agreement_discuss(*, actor: Actor, agreement: Agreement) -> Agreement:
    """Mark that the team has discussed a proposal (any member, e.g. in the meeting where it came up)."""
    _same_org(actor=actor, team=agreement.team)
    _require_member(actor=actor, team=agreement.team)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status != AgreementStatus.PROPOSED:
            raise ValidationError(_(ERR_NOT_PROPOSED), code="status")
        locked.status = AgreementStatus.DISCUSSED
        locked.save(update_fields=["status"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="agreement.discuss",
            target=locked,
            changes={"status": [AgreementStatus.PROPOSED, AgreementStatus.DISCUSSED]},
        )
    return locked


def objection_raise(*, actor: Actor, agreement: Agreement, text: str) -> Objection:
    """A member objects; consent is blocked until the objection is resolved."""
    _same_org(actor=actor, team=agreement.team)
    _require_member(actor=actor, team=agreement.team)
    with transaction.atomic():
        # Read the status under a lock: a page may show an agreement that was agreed a moment ago.
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status not in (AgreementStatus.PROPOSED, AgreementStatus.DISCUSSED):
            raise ValidationError(_(ERR_AGREEMENT_CLOSED), code="status")
        objection = Objection.objects.create(
            organisation_id=agreement.organisation_id,
            agreement=agreement,
            raised_by=actor.user,
            text=text.strip(),
        )
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="agreement.object", target=agreement
        )
    return objection


def objection_resolve(*, actor: Actor, objection: Objection, resolution: str) -> Objection:
    """Close an objection with how it was resolved: by its author, or by whoever decides on agreements."""
    agreement = objection.agreement
    _same_org(actor=actor, team=agreement.team)
    if objection.raised_by_id != actor.user_id and not decision_allowed(
        actor=actor, team=agreement.team, decision=AGREEMENT_CHANGE
    ):
        raise PermissionDenied(_(ERR_NOT_OBJECTOR))
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if locked.resolved_at is not None:
            raise ValidationError(_(ERR_OBJECTION_RESOLVED), code="resolved")
        locked.resolved_at = timezone.now()
        locked.resolved_by = actor.user
        locked.resolution = resolution.strip()
        locked.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="agreement.objection_resolve",
            target=agreement,
        )
    return locked


def agreement_agree(*, actor: Actor, agreement: Agreement, review_on: date | None = None) -> Agreement:
    """Record the team's consent: allowed by the matrix ("agreement.change"), blocked by open objections.

    Agreeing again to an agreed agreement is its review: it sets the next review date.
    """
    team = agreement.team
    _same_org(actor=actor, team=team)
    require_decision(actor=actor, team=team, decision=AGREEMENT_CHANGE)
    today = timezone.localdate()
    review_on = review_on or today + timedelta(days=DEFAULT_REVIEW_DAYS)
    if review_on <= today:
        raise ValidationError({"review_on": _(ERR_REVIEW_IN_PAST)}, code="review")
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status not in (AgreementStatus.DISCUSSED, AgreementStatus.AGREED):
            raise ValidationError(_(ERR_NOT_DISCUSSED), code="status")
        if locked.objections.filter(resolved_at__isnull=True).exists():
            raise ValidationError(_(ERR_UNRESOLVED_OBJECTION), code="objection")
        old_status = locked.status
        locked.status = AgreementStatus.AGREED
        locked.agreed_at = timezone.now()
        locked.agreed_by = actor.user
        locked.review_on = review_on
        locked.save(update_fields=["status", "agreed_at", "agreed_by", "review_on"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="agreement.agree" if old_status != AgreementStatus.AGREED else "agreement.review",
            target=locked,
            changes={"status": [old_status, locked.status], "review_on": review_on.isoformat()},
        )
    return locked


def agreement_retire(*, actor: Actor, agreement: Agreement) -> Agreement:
    """Give up an agreement (a decision of the same kind as agreeing to it)."""
    team = agreement.team
    _same_org(actor=actor, team=team)
    require_decision(actor=actor, team=team, decision=AGREEMENT_CHANGE)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.status == AgreementStatus.RETIRED:
            raise ValidationError(_(ERR_AGREEMENT_CLOSED), code="status")
        old_status = locked.status
        locked.status = AgreementStatus.RETIRED
        locked.save(update_fields=["status"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="agreement.retire",
            target=locked,
            changes={"status": [old_status, locked.status]},
        )
    return locked
