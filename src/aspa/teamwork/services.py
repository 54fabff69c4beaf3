"""Writes of the teamwork app. Each runs in one transaction and leaves an audit entry.

Who may write is decided by the team's decision matrix (`require_decision`) or, for taking part
(proposing, objecting, agreeing to the charter), by being a member of the team.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from aspa.core.audit import audit_record
from aspa.core.roles import Role
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
from aspa.teamwork.metrics import METRICS
from aspa.teamwork.models import (
    ActionItem,
    ActionSource,
    ActionStatus,
    AgendaItem,
    AgendaVote,
    Agreement,
    AgreementStatus,
    CharterConsent,
    CharterVersion,
    CoachingKind,
    CoachingNote,
    CoachingSession,
    CoachingStatus,
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
    RetroCategory,
    RetroDot,
    RetroItem,
    Retrospective,
    RoleAssignment,
    SelfDirectionAssessment,
    SelfDirectionTarget,
    TeamRole,
    Triage,
)
from aspa.teamwork.selectors import (
    DEFAULT_MINUTES,
    actions_overdue,
    decision_allowed,
    decision_cells,
    decision_matrix_version,
    goal_may_edit,
    is_team_lead,
    is_team_member,
    leads_of,
    reports_of,
    require_decision,
    roadmap_idea_hook,
    self_direction,
)
from aspa.teamwork.selfdirection import AREA_KEYS, area_get

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


# =====================================================================================================
# The work stream: action items, goals, coaching, meetings, retrospectives, self-direction
# =====================================================================================================

ERR_TITLE_REQUIRED = "Say in a few words what is to be done."
ERR_OWNER_NOT_MEMBER = "The owner must be a member of the team."
ERR_DUE_IN_PAST = "The due date cannot be in the past."
ERR_NOT_ACTION_HOLDER = "Only the owner, the person who wrote the action or the team's lead can change it."
ERR_UNKNOWN_STATUS = "Unknown status."
ERR_GOAL_SCOPE = "Choose the team for a team goal and the person for a personal goal."
ERR_GOAL_FORBIDDEN = "You cannot set goals at this level."
ERR_PERSONAL_GOAL_FORBIDDEN = "Only the person or their lead can set a personal goal."
ERR_UNKNOWN_METRIC = "Unknown metric."
ERR_CONFIDENCE = "Confidence is a number from 1 to 5."
ERR_GOAL_NOT_EDITABLE = "You cannot check in on this goal."
ERR_ONLY_PERSON_SHARES = "Only the person can share their own goal."
ERR_PARENT_SCOPE = "A goal can serve only an organisation or team goal of the same organisation."
ERR_NOT_TEAM_LEAD = "Only a lead of the team can plan coaching sessions."
ERR_COACHEE_NOT_MEMBER = "The person must be a member of the team."
ERR_MANAGER_REQUIRED = "A 1+1+1 session needs the lead's lead."
ERR_MANAGER_NOT_LEADS_LEAD = "The third person must be the lead's own lead."
ERR_NOT_PARTICIPANT = "Only the people in the session can do this."
ERR_SESSION_NOT_PLANNED = "This session has already been held or cancelled."
ERR_REPEAT_RANGE = "Repeat every 0–12 weeks."
ERR_VOTE_CLOSED = "This item has been handled."
ERR_SCORE = "The rating is a number from 1 to 5."
ERR_RETRO_CLOSED = "This retrospective is closed."
ERR_NO_DOTS_LEFT = "You have used all your dots."
ERR_NO_DOT_HERE = "You have no dot on this item."
ERR_ALREADY_ACTION = "This item is already an action."
ERR_ALREADY_IDEA = "This item is already an idea."
ERR_NO_IDEAS = "Ideas are not in use in Aspa yet."
ERR_UNKNOWN_AREA = "Unknown area."
ERR_LEVEL_RANGE = "The level is a number from 1 to 5."
ERR_NO_GAP = "There is no gap to close in this area."
ERR_TIMEBOX = "A timebox is 1–120 minutes."

ACTION_TITLE_MAX = 140


def _check_level(level: int, message: str = ERR_LEVEL_RANGE) -> None:
    if not 1 <= level <= 5:
        raise ValidationError(_(message), code="range")


# --- action items ------------------------------------------------------------------------------------


def _action_create(
    *,
    actor: Actor,
    team: Team,
    title: str,
    owner: Membership,
    due_on: date,
    note: str = "",
    source_type: str = ActionSource.OTHER,
    source_id: int | None = None,
    is_private: bool = False,
) -> ActionItem:
    """The one place an action item is written (callers have checked who may act)."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": _(ERR_TITLE_REQUIRED)}, code="title")
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _(ERR_DUE_IN_PAST)}, code="due")
    if not TeamMembership.objects.filter(team=team, membership=owner, membership__is_active=True).exists():
        raise ValidationError({"owner": _(ERR_OWNER_NOT_MEMBER)}, code="owner")
    action = ActionItem.objects.create(
        organisation_id=team.organisation_id,
        team=team,
        title=title[:ACTION_TITLE_MAX],
        note=note.strip()[:500],
        owner=owner,
        due_on=due_on,
        source_type=source_type,
        source_id=source_id,
        is_private=is_private,
        created_by=actor.user,
    )
    audit_record(
        organisation=actor.organisation,
        actor=actor.user,
        action="action.create",
        target=action,
        changes={"owner": owner.user.full_name, "due_on": due_on.isoformat(), "source": source_type},
    )
    return action


def action_create(
    *, actor: Actor, team: Team, title: str, owner: Membership, due_on: date, note: str = ""
) -> ActionItem:
    """Any team member writes an action for any member (small by design: a short title, a note)."""
    _same_org(actor=actor, team=team)
    _require_member(actor=actor, team=team)
    with transaction.atomic():
        return _action_create(actor=actor, team=team, title=title, owner=owner, due_on=due_on, note=note)


def action_status_set(*, actor: Actor, action: ActionItem, status: str) -> ActionItem:
    """Mark done, drop or reopen: the owner, the writer or a lead of the team."""
    _same_org(actor=actor, team=action.team)
    if not (
        action.owner_id == actor.pk
        or action.created_by_id == actor.user_id
        or is_team_lead(actor=actor, team=action.team)
    ):
        raise PermissionDenied(_(ERR_NOT_ACTION_HOLDER))
    if status not in ActionStatus.values:
        raise ValidationError(_(ERR_UNKNOWN_STATUS), code="status")
    with transaction.atomic():
        locked = ActionItem.objects.select_for_update().get(pk=action.pk)
        old = locked.status
        locked.status = status
        locked.closed_at = None if status == ActionStatus.OPEN else timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="action.status",
            target=locked,
            changes={"status": [old, status]},
        )
    return locked


def _send_reminder(*, subject: str, body: str, to: str) -> None:
    send_mail(subject=subject, message=body, from_email=None, recipient_list=[to])


def actions_remind_overdue(*, organisation_id: int | None = None, today: date | None = None) -> int:
    """E-mail each owner one list of their overdue actions (at most once a day); returns mails sent.

    Run daily by cron (`manage.py teamwork_remind_overdue`) or Celery beat (the job kind
    "teamwork.overdue_reminders"). Mail goes out after the commit that marks the actions reminded.
    """
    today = today or timezone.localdate()
    by_owner: dict[int, list[ActionItem]] = {}
    for action in actions_overdue(organisation_id=organisation_id, today=today):
        by_owner.setdefault(action.owner_id or 0, []).append(action)
    sent = 0
    with transaction.atomic():
        for actions in by_owner.values():
            user = actions[0].owner.user if actions[0].owner else None
            if user is None or not user.email or user.erased_at is not None:
                continue
            ActionItem.objects.filter(pk__in=[a.pk for a in actions]).update(reminded_on=today)
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject = ngettext(
                    "You have %(count)d overdue action", "You have %(count)d overdue actions", len(actions)
                ) % {"count": len(actions)}
                lines = [
                    _("%(title)s (%(team)s), due %(due)s")
                    % {
                        "title": a.title,
                        "team": a.team.name,
                        "due": date_format(a.due_on, "SHORT_DATE_FORMAT"),
                    }
                    for a in actions
                ]
                body = "\n".join([_("These actions are past their due date:"), "", *lines])
            transaction.on_commit(partial(_send_reminder, subject=subject, body=body, to=user.email))
            sent += 1
    return sent


# --- goals -------------------------------------------------------------------------------------------


def goal_create(
    *,
    actor: Actor,
    level: str,
    title: str,
    target_value: Decimal,
    due_on: date,
    team: Team | None = None,
    person: Membership | None = None,
    parent: Goal | None = None,
    description: str = "",
    metric: str = "",
    unit: str = "",
    baseline: Decimal | None = None,
    achievable_note: str = "",
    is_shared: bool = False,
) -> Goal:
    """Write a SMART goal. Organisation goals: managers and administrators. Team goals are part of the
    charter: whoever may change the team's charter. Personal goals: the person or their lead."""
    if metric and metric not in METRICS:
        raise ValidationError({"metric": _(ERR_UNKNOWN_METRIC)}, code="metric")
    if level == GoalLevel.ORGANISATION:
        if actor.role not in (Role.MANAGER, Role.ADMIN):
            raise PermissionDenied(_(ERR_GOAL_FORBIDDEN))
        team = person = None
    elif level == GoalLevel.TEAM:
        if team is None:
            raise ValidationError({"team": _(ERR_GOAL_SCOPE)}, code="scope")
        _same_org(actor=actor, team=team)
        require_decision(actor=actor, team=team, decision=CHARTER_CHANGE)
        person = None
    elif level == GoalLevel.PERSON:
        if person is None:
            raise ValidationError({"person": _(ERR_GOAL_SCOPE)}, code="scope")
        if person.organisation_id != actor.organisation_id:
            raise PermissionDenied
        if person.pk != actor.pk and person.pk not in reports_of(membership=actor):
            raise PermissionDenied(_(ERR_PERSONAL_GOAL_FORBIDDEN))
        team = None
    else:
        raise ValidationError({"level": _(ERR_GOAL_SCOPE)}, code="scope")
    if parent is not None and (
        parent.organisation_id != actor.organisation_id or parent.level == GoalLevel.PERSON
    ):
        raise ValidationError({"parent": _(ERR_PARENT_SCOPE)}, code="parent")
    if not title.strip():
        raise ValidationError({"title": _(ERR_TITLE_REQUIRED)}, code="title")
    with transaction.atomic():
        goal = Goal.objects.create(
            organisation_id=actor.organisation_id,
            level=level,
            team=team,
            person=person,
            parent=parent,
            title=title.strip(),
            description=description.strip(),
            metric=metric,
            baseline=baseline,
            target_value=target_value,
            unit=unit.strip() or (METRICS[metric].unit if metric else ""),
            achievable_note=achievable_note.strip(),
            due_on=due_on,
            is_shared=is_shared and level == GoalLevel.PERSON,
            created_by=actor.user,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="goal.create",
            target=goal,
            changes={"level": level, "metric": metric, "target": str(target_value)},
        )
    return goal


def goal_check_in(
    *, actor: Actor, goal: Goal, value: Decimal, confidence: int, comment: str = ""
) -> GoalCheckIn:
    """Record where a goal stands now, with the owner's confidence (1–5) of reaching it."""
    if not goal_may_edit(actor=actor, goal=goal):
        raise PermissionDenied(_(ERR_GOAL_NOT_EDITABLE))
    _check_level(confidence, ERR_CONFIDENCE)
    with transaction.atomic():
        check_in = GoalCheckIn.objects.create(
            organisation_id=goal.organisation_id,
            goal=goal,
            value=value,
            confidence=confidence,
            comment=comment.strip(),
            author=actor.user,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="goal.check_in",
            target=goal,
            changes={"value": str(value), "confidence": confidence},
        )
    return check_in


def goal_share_set(*, actor: Actor, goal: Goal, shared: bool) -> Goal:
    """Share a personal goal with the organisation, or make it private again: the person alone decides."""
    if goal.level != GoalLevel.PERSON or goal.person_id != actor.pk:
        raise PermissionDenied(_(ERR_ONLY_PERSON_SHARES))
    with transaction.atomic():
        goal.is_shared = shared
        goal.save(update_fields=["is_shared"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="goal.share",
            target=goal,
            changes={"shared": shared},
        )
    return goal


def goal_status_set(*, actor: Actor, goal: Goal, status: str) -> Goal:
    if not goal_may_edit(actor=actor, goal=goal):
        raise PermissionDenied(_(ERR_GOAL_NOT_EDITABLE))
    if status not in GoalStatus.values:
        raise ValidationError(_(ERR_UNKNOWN_STATUS), code="status")
    with transaction.atomic():
        old = goal.status
        goal.status = status
        goal.save(update_fields=["status"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="goal.status",
            target=goal,
            changes={"status": [old, status]},
        )
    return goal


# --- coaching ----------------------------------------------------------------------------------------


def _require_participant(*, actor: Actor, session: CoachingSession) -> None:
    if session.organisation_id != actor.organisation_id or actor.pk not in (
        session.lead_id,
        session.coachee_id,
        session.manager_id,
    ):
        raise PermissionDenied(_(ERR_NOT_PARTICIPANT))


def coaching_session_create(
    *,
    actor: Actor,
    team: Team,
    coachee: Membership,
    scheduled_for: datetime,
    kind: str = CoachingKind.ONE_ON_ONE,
    manager: Membership | None = None,
    repeat_every_weeks: int = 0,
) -> CoachingSession:
    """A lead plans a 1:1 with a member of their team, or a 1+1+1 with their own lead as the third."""
    _same_org(actor=actor, team=team)
    if not is_team_lead(actor=actor, team=team):
        raise PermissionDenied(_(ERR_NOT_TEAM_LEAD))
    if (
        coachee.pk == actor.pk
        or not TeamMembership.objects.filter(
            team=team, membership=coachee, membership__is_active=True
        ).exists()
    ):
        raise ValidationError({"coachee": _(ERR_COACHEE_NOT_MEMBER)}, code="coachee")
    if not 0 <= repeat_every_weeks <= 12:
        raise ValidationError({"repeat_every_weeks": _(ERR_REPEAT_RANGE)}, code="repeat")
    if kind == CoachingKind.ONE_PLUS:
        if manager is None:
            raise ValidationError({"manager": _(ERR_MANAGER_REQUIRED)}, code="manager")
        if manager.pk not in leads_of(membership=actor):
            raise ValidationError({"manager": _(ERR_MANAGER_NOT_LEADS_LEAD)}, code="manager")
    else:
        manager = None
    with transaction.atomic():
        session = CoachingSession.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            kind=kind,
            lead=actor,
            coachee=coachee,
            manager=manager,
            scheduled_for=scheduled_for,
            repeat_every_weeks=repeat_every_weeks,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="coaching.plan",
            target=session,
            changes={"kind": kind, "when": scheduled_for.isoformat()},
        )
    return session


def coaching_agreements_save(*, actor: Actor, session: CoachingSession, agreements: str) -> CoachingSession:
    """The shared agreements of the session: any participant writes them, all participants read them."""
    _require_participant(actor=actor, session=session)
    with transaction.atomic():
        session.agreements = agreements.strip()
        session.save(update_fields=["agreements"])
        # The text itself stays out of the audit log: it is for the participants only.
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="coaching.agreements", target=session
        )
    return session


def coaching_note_add(*, actor: Actor, session: CoachingSession, text: str) -> CoachingNote:
    """A private note: stored with its author, read by nobody else."""
    _require_participant(actor=actor, session=session)
    if not text.strip():
        raise ValidationError({"text": _(ERR_TITLE_REQUIRED)}, code="text")
    with transaction.atomic():
        note = CoachingNote.objects.create(
            organisation_id=session.organisation_id, session=session, author=actor.user, text=text.strip()
        )
        # That a note was written, never what it says: the audit log is read by others.
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="coaching.note", target=session
        )
    return note


def coaching_action_add(
    *, actor: Actor, session: CoachingSession, title: str, owner: Membership, due_on: date, note: str = ""
) -> ActionItem:
    """A follow-up action agreed in the session, into the one action stream (private to the session)."""
    _require_participant(actor=actor, session=session)
    if owner.pk not in (session.lead_id, session.coachee_id, session.manager_id):
        raise ValidationError({"owner": _(ERR_NOT_PARTICIPANT)}, code="owner")
    with transaction.atomic():
        team = session.team
        if not TeamMembership.objects.filter(team=team, membership=owner).exists():
            # The lead's lead is seldom in the team: their follow-ups land in the coachee's team stream.
            return ActionItem.objects.create(
                organisation_id=team.organisation_id,
                team=team,
                title=title.strip()[:ACTION_TITLE_MAX],
                note=note.strip()[:500],
                owner=owner,
                due_on=due_on,
                source_type=ActionSource.COACHING,
                source_id=session.pk,
                is_private=True,
                created_by=actor.user,
            )
        return _action_create(
            actor=actor,
            team=team,
            title=title,
            owner=owner,
            due_on=due_on,
            note=note,
            source_type=ActionSource.COACHING,
            source_id=session.pk,
            is_private=True,
        )


def coaching_session_hold(*, actor: Actor, session: CoachingSession) -> CoachingSession | None:
    """Mark the session held; a repeating one plans its next session. Returns the next one, if any."""
    _require_participant(actor=actor, session=session)
    with transaction.atomic():
        locked = CoachingSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != CoachingStatus.PLANNED:
            raise ValidationError(_(ERR_SESSION_NOT_PLANNED), code="status")
        locked.status = CoachingStatus.HELD
        locked.held_at = timezone.now()
        locked.save(update_fields=["status", "held_at"])
        audit_record(organisation=actor.organisation, actor=actor.user, action="coaching.hold", target=locked)
        if not locked.repeat_every_weeks:
            return None
        return CoachingSession.objects.create(
            organisation_id=locked.organisation_id,
            team=locked.team,
            kind=locked.kind,
            lead=locked.lead,
            coachee=locked.coachee,
            manager=locked.manager,
            scheduled_for=locked.scheduled_for + timedelta(weeks=locked.repeat_every_weeks),
            repeat_every_weeks=locked.repeat_every_weeks,
            previous=locked,
        )


# --- meetings ----------------------------------------------------------------------------------------


def meeting_create(
    *, actor: Actor, team: Team, kind: str, starts_at: datetime, title: str = "", minutes: int | None = None
) -> Meeting:
    _same_org(actor=actor, team=team)
    _require_member(actor=actor, team=team)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            kind=kind,
            title=title.strip(),
            starts_at=starts_at,
            minutes=minutes or DEFAULT_MINUTES.get(kind, 30),
            created_by=actor.user,
        )
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="meeting.create", target=meeting
        )
    return meeting


def huddle_start(*, actor: Actor, team: Team, today: date | None = None) -> Meeting:
    """Today's huddle: the existing one, or a new one starting now (the daily rhythm)."""
    _same_org(actor=actor, team=team)
    _require_member(actor=actor, team=team)
    today = today or timezone.localdate()
    with transaction.atomic():
        Team.objects.select_for_update().get(pk=team.pk)
        existing = Meeting.objects.filter(team=team, kind=MeetingKind.HUDDLE, starts_at__date=today).first()
        if existing is not None:
            return existing
        return meeting_create(actor=actor, team=team, kind=MeetingKind.HUDDLE, starts_at=timezone.now())


def agenda_item_add(*, actor: Actor, meeting: Meeting, title: str, timebox_minutes: int = 5) -> AgendaItem:
    """Anyone in the team adds a topic."""
    _same_org(actor=actor, team=meeting.team)
    _require_member(actor=actor, team=meeting.team)
    if not 1 <= timebox_minutes <= 120:
        raise ValidationError({"timebox_minutes": _(ERR_TIMEBOX)}, code="timebox")
    if not title.strip():
        raise ValidationError({"title": _(ERR_TITLE_REQUIRED)}, code="title")
    with transaction.atomic():
        item = AgendaItem.objects.create(
            organisation_id=meeting.organisation_id,
            meeting=meeting,
            title=title.strip()[:200],
            added_by=actor.user,
            timebox_minutes=timebox_minutes,
        )
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="meeting.item_add", target=item
        )
    return item


def agenda_vote_toggle(*, actor: Actor, item: AgendaItem) -> bool:
    """The quick scan at the start: one vote per person per topic; voting again takes it back.
    Returns whether the actor's vote is now on the item."""
    _same_org(actor=actor, team=item.meeting.team)
    _require_member(actor=actor, team=item.meeting.team)
    if item.is_handled:
        raise ValidationError(_(ERR_VOTE_CLOSED), code="handled")
    with transaction.atomic():
        deleted, _rows = AgendaVote.objects.filter(item=item, membership=actor).delete()
        if deleted:
            return False
        AgendaVote.objects.create(organisation_id=item.organisation_id, item=item, membership=actor)
        return True


def agenda_item_update(
    *,
    actor: Actor,
    item: AgendaItem,
    triage: str | None = None,
    timebox_minutes: int | None = None,
    decision: str | None = None,
    is_handled: bool | None = None,
) -> AgendaItem:
    """Triage ("just do it" / "needs preparation"), timebox, the decision made, handled."""
    _same_org(actor=actor, team=item.meeting.team)
    _require_member(actor=actor, team=item.meeting.team)
    if triage is not None and triage not in Triage.values:
        raise ValidationError({"triage": _(ERR_UNKNOWN_STATUS)}, code="triage")
    if timebox_minutes is not None and not 1 <= timebox_minutes <= 120:
        raise ValidationError({"timebox_minutes": _(ERR_TIMEBOX)}, code="timebox")
    with transaction.atomic():
        changes: dict[str, Any] = {}
        for field, value in (
            ("triage", triage),
            ("timebox_minutes", timebox_minutes),
            ("decision", decision.strip() if decision is not None else None),
            ("is_handled", is_handled),
        ):
            if value is not None and getattr(item, field) != value:
                changes[field] = [getattr(item, field), value]
                setattr(item, field, value)
        if changes:
            item.save(update_fields=list(changes))
            audit_record(
                organisation=actor.organisation,
                actor=actor.user,
                action="meeting.item",
                target=item,
                changes=changes,
            )
    return item


def meeting_action_add(
    *, actor: Actor, meeting: Meeting, title: str, owner: Membership, due_on: date, note: str = ""
) -> ActionItem:
    _same_org(actor=actor, team=meeting.team)
    _require_member(actor=actor, team=meeting.team)
    with transaction.atomic():
        return _action_create(
            actor=actor,
            team=meeting.team,
            title=title,
            owner=owner,
            due_on=due_on,
            note=note,
            source_type=ActionSource.MEETING,
            source_id=meeting.pk,
        )


def meeting_rate(*, actor: Actor, meeting: Meeting, score: int) -> MeetingRating:
    """One click after the meeting: how useful was it (1–5)? Rating again replaces the earlier one."""
    _same_org(actor=actor, team=meeting.team)
    _require_member(actor=actor, team=meeting.team)
    _check_level(score, ERR_SCORE)
    with transaction.atomic():
        rating, _created = MeetingRating.objects.update_or_create(
            meeting=meeting,
            membership=actor,
            defaults={
                "organisation_id": meeting.organisation_id,
                "score": score,
                "created_at": timezone.now(),
            },
        )
    return rating


# --- retrospectives ----------------------------------------------------------------------------------


def retro_create(
    *, actor: Actor, team: Team, title: str, held_on: date, dots_per_person: int = 3
) -> Retrospective:
    _same_org(actor=actor, team=team)
    _require_member(actor=actor, team=team)
    if not 1 <= dots_per_person <= 10:
        raise ValidationError({"dots_per_person": _(ERR_LEVEL_RANGE)}, code="dots")
    with transaction.atomic():
        retro = Retrospective.objects.create(
            organisation_id=team.organisation_id,
            team=team,
            title=title.strip(),
            held_on=held_on,
            dots_per_person=dots_per_person,
            created_by=actor.user,
        )
        audit_record(organisation=actor.organisation, actor=actor.user, action="retro.create", target=retro)
    return retro


def _open_retro(retro: Retrospective) -> None:
    if retro.is_closed:
        raise ValidationError(_(ERR_RETRO_CLOSED), code="closed")


def retro_item_add(
    *, actor: Actor, retro: Retrospective, category: str, text: str, anonymous: bool = False
) -> RetroItem:
    """A contribution to one of the four fields. Anonymous ones are stored without any author — not
    even in the audit log, which records only that the retro received an item."""
    _same_org(actor=actor, team=retro.team)
    _require_member(actor=actor, team=retro.team)
    _open_retro(retro)
    if category not in RetroCategory.values:
        raise ValidationError({"category": _(ERR_UNKNOWN_STATUS)}, code="category")
    if not text.strip():
        raise ValidationError({"text": _(ERR_TITLE_REQUIRED)}, code="text")
    with transaction.atomic():
        item = RetroItem.objects.create(
            organisation_id=retro.organisation_id,
            retro=retro,
            category=category,
            text=text.strip()[:300],
            author=None if anonymous else actor.user,
        )
        if not anonymous:
            audit_record(organisation=actor.organisation, actor=actor.user, action="retro.item", target=retro)
    return item


def retro_dot_add(*, actor: Actor, item: RetroItem) -> RetroDot:
    """Put one of the actor's dots on an item (several on one item are allowed)."""
    retro = item.retro
    _same_org(actor=actor, team=retro.team)
    _require_member(actor=actor, team=retro.team)
    _open_retro(retro)
    with transaction.atomic():
        # Lock the person's membership row: two quick clicks cannot spend the same last dot twice.
        Membership.objects.select_for_update().get(pk=actor.pk)
        if RetroDot.objects.filter(item__retro=retro, membership=actor).count() >= retro.dots_per_person:
            raise ValidationError(_(ERR_NO_DOTS_LEFT), code="dots")
        return RetroDot.objects.create(organisation_id=item.organisation_id, item=item, membership=actor)


def retro_dot_remove(*, actor: Actor, item: RetroItem) -> None:
    _same_org(actor=actor, team=item.retro.team)
    _open_retro(item.retro)
    with transaction.atomic():
        dot = RetroDot.objects.filter(item=item, membership=actor).first()
        if dot is None:
            raise ValidationError(_(ERR_NO_DOT_HERE), code="dots")
        dot.delete()


def retro_item_to_action(
    *, actor: Actor, item: RetroItem, owner: Membership, due_on: date, title: str = ""
) -> ActionItem:
    """The retro's result: an item becomes an action in the team's stream."""
    retro = item.retro
    _same_org(actor=actor, team=retro.team)
    _require_member(actor=actor, team=retro.team)
    with transaction.atomic():
        locked = RetroItem.objects.select_for_update().get(pk=item.pk)
        if locked.action_id is not None:
            raise ValidationError(_(ERR_ALREADY_ACTION), code="exists")
        action = _action_create(
            actor=actor,
            team=retro.team,
            title=title or locked.text,
            owner=owner,
            due_on=due_on,
            source_type=ActionSource.RETRO,
            source_id=retro.pk,
        )
        locked.action = action
        locked.save(update_fields=["action"])
    return action


def retro_item_to_idea(*, actor: Actor, item: RetroItem) -> Any:
    """The retro's result as a development idea for the roadmap (through the ideas app, if present)."""
    retro = item.retro
    _same_org(actor=actor, team=retro.team)
    _require_member(actor=actor, team=retro.team)
    create = roadmap_idea_hook()
    if create is None:
        raise ValidationError(_(ERR_NO_IDEAS), code="no_ideas")
    with transaction.atomic():
        locked = RetroItem.objects.select_for_update().get(pk=item.pk)
        if locked.idea_id is not None:
            raise ValidationError(_(ERR_ALREADY_IDEA), code="exists")
        idea = create(
            actor=actor,
            title=locked.text,
            body=_("From the retrospective %(retro)s (%(field)s).")
            % {"retro": retro.title, "field": RetroCategory(locked.category).label},
            team=retro.team,
        )
        locked.idea_id = idea.pk
        locked.save(update_fields=["idea_id"])
        audit_record(organisation=actor.organisation, actor=actor.user, action="retro.to_idea", target=retro)
    return idea


def retro_close(*, actor: Actor, retro: Retrospective) -> Retrospective:
    _same_org(actor=actor, team=retro.team)
    _require_member(actor=actor, team=retro.team)
    with transaction.atomic():
        retro.is_closed = True
        retro.save(update_fields=["is_closed"])
        audit_record(organisation=actor.organisation, actor=actor.user, action="retro.close", target=retro)
    return retro


# --- self-direction ----------------------------------------------------------------------------------


def self_direction_assess(*, actor: Actor, team: Team, levels: dict[str, int]) -> None:
    """A member's view of where the team is now, per area (their newest answer replaces the old)."""
    _same_org(actor=actor, team=team)
    _require_member(actor=actor, team=team)
    for area, level in levels.items():
        if area not in AREA_KEYS:
            raise ValidationError(_(ERR_UNKNOWN_AREA), code="area")
        _check_level(level)
    with transaction.atomic():
        for area, level in levels.items():
            SelfDirectionAssessment.objects.update_or_create(
                team=team,
                membership=actor,
                area=area,
                defaults={
                    "organisation_id": team.organisation_id,
                    "level": level,
                    "assessed_at": timezone.now(),
                },
            )
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="self_direction.assess", target=team
        )


def self_direction_target_set(*, actor: Actor, team: Team, levels: dict[str, int]) -> None:
    """The team's target levels: part of the charter, so whoever may change the charter sets them."""
    _same_org(actor=actor, team=team)
    require_decision(actor=actor, team=team, decision=CHARTER_CHANGE)
    for area, level in levels.items():
        if area not in AREA_KEYS:
            raise ValidationError(_(ERR_UNKNOWN_AREA), code="area")
        _check_level(level)
    with transaction.atomic():
        for area, level in levels.items():
            SelfDirectionTarget.objects.update_or_create(
                team=team,
                area=area,
                defaults={
                    "organisation_id": team.organisation_id,
                    "level": level,
                    "set_by": actor.user,
                    "set_at": timezone.now(),
                },
            )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="self_direction.target",
            target=team,
            changes={"levels": levels},
        )


def self_direction_goal_from_gap(*, actor: Actor, team: Team, area: str, due_on: date | None = None) -> Goal:
    """Turn the gap in one area into a team goal: from the members' average now to the target."""
    try:
        rubric_area = area_get(area)
    except KeyError as exc:
        raise ValidationError(_(ERR_UNKNOWN_AREA), code="area") from exc
    row = next(r for r in self_direction(actor=actor, team=team) if r.area.key == area)
    if row.gap is None or row.gap <= 0 or row.target is None:
        raise ValidationError(_(ERR_NO_GAP), code="gap")
    return goal_create(
        actor=actor,
        level=GoalLevel.TEAM,
        team=team,
        title=_("Self-direction, %(area)s: from %(now)s to %(target)s")
        % {"area": rubric_area.label, "now": row.average, "target": row.target},
        description=str(rubric_area.levels[row.target - 1]),
        baseline=row.average,
        target_value=Decimal(row.target),
        unit=_("level"),
        due_on=due_on or timezone.localdate() + timedelta(days=90),
    )
