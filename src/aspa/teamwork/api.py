"""JSON endpoints for a team's decision matrix (read, and "may I?") and agreements (read).

Same selectors as the pages: tenant-scoped, 404 for another organisation's team.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from aspa.core.api import ERROR_RESPONSES, PagePagination
from aspa.core.tenancy import Actor
from aspa.teamwork import selectors
from aspa.teamwork.decisions import LEVEL_OUTCOME, decision_type_get
from aspa.teamwork.models import ActionItem, Agreement, Goal

router = Router(tags=["teamwork"])


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined]


class CellOut(Schema):
    subject: str
    level: str
    outcome: str
    amount_limit: Decimal | None
    is_default: bool


class DecisionRowOut(Schema):
    decision: str
    label: str
    has_amount: bool
    my_level: str
    cells: list[CellOut]


class MatrixOut(Schema):
    team_id: int
    version: int
    decisions: list[DecisionRowOut]


class AllowedOut(Schema):
    decision: str
    allowed: bool
    level: str


class AgreementOut(Schema):
    id: int
    title: str
    text: str
    status: str
    created_at: datetime
    agreed_at: datetime | None
    review_on: date | None
    open_objections: int


@router.get(
    "/teams/{team_id}/decisions",
    response={200: MatrixOut, **ERROR_RESPONSES},
    summary="A team's decision matrix",
)
def decision_matrix(request: HttpRequest, team_id: int) -> dict[str, Any]:
    """Every decision type × who, with the delegation level and what it means (acts / needs approval / …)."""
    actor = _actor(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    rows = selectors.decision_matrix(actor=actor, team=team)
    return {
        "team_id": team.pk,
        "version": selectors.decision_matrix_version(team=team),
        "decisions": [
            {
                "decision": row.decision_type.key,
                "label": str(row.decision_type.label),
                "has_amount": row.decision_type.has_amount,
                "my_level": selectors.decision_level(actor=actor, team=team, decision=row.decision_type.key),
                "cells": [
                    {
                        "subject": c.subject,
                        "level": c.level,
                        "outcome": LEVEL_OUTCOME[c.level],
                        "amount_limit": c.amount_limit,
                        "is_default": c.is_default,
                    }
                    for c in row.cells
                ],
            }
            for row in rows
        ],
    }


@router.get(
    "/teams/{team_id}/decisions/{decision}",
    response={200: AllowedOut, **ERROR_RESPONSES},
    summary="May I make this decision in this team?",
)
def decision_check(
    request: HttpRequest, team_id: int, decision: str, amount: Decimal | None = None
) -> dict[str, Any]:
    actor = _actor(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    try:
        decision_type_get(decision)
    except KeyError as exc:
        raise Http404 from exc
    return {
        "decision": decision,
        "allowed": selectors.decision_allowed(actor=actor, team=team, decision=decision, amount=amount),
        "level": selectors.decision_level(actor=actor, team=team, decision=decision),
    }


@router.get(
    "/teams/{team_id}/agreements",
    response={200: list[AgreementOut], **ERROR_RESPONSES},
    summary="A team's agreements",
)
@paginate(PagePagination)
def agreement_list(request: HttpRequest, team_id: int, status: str = "") -> QuerySet[Agreement]:
    actor = _actor(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    return selectors.agreement_list(actor=actor, team=team, status=status)


# --- the work stream: actions and goals --------------------------------------------------------------


class ActionOut(Schema):
    id: int
    team_id: int
    title: str
    note: str
    owner_id: int | None
    due_on: date
    status: str
    source_type: str
    source_id: int | None
    overdue: bool


class GoalOut(Schema):
    id: int
    level: str
    team_id: int | None
    person_id: int | None
    parent_id: int | None
    title: str
    metric: str
    baseline: Decimal | None
    target_value: Decimal
    unit: str
    due_on: date
    status: str
    is_shared: bool
    value: Decimal | None
    percent: int | None
    value_source: str = ""
    value_from: date | None = None
    value_until: date | None = None
    value_n: int | None = None


def _action_out(action: ActionItem) -> dict[str, Any]:
    return {
        "id": action.pk,
        "team_id": action.team_id,
        "title": action.title,
        "note": action.note,
        "owner_id": action.owner_id,
        "due_on": action.due_on,
        "status": action.status,
        "source_type": action.source_type,
        "source_id": action.source_id,
        "overdue": selectors.action_is_overdue(action),
    }


def _goal_out(goal: Goal, progress: selectors.GoalProgress) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "level": goal.level,
        "team_id": goal.team_id,
        "person_id": goal.person_id,
        "parent_id": goal.parent_id,
        "title": goal.title,
        "metric": goal.metric,
        "baseline": goal.baseline,
        "target_value": goal.target_value,
        "unit": goal.unit,
        "due_on": goal.due_on,
        "status": goal.status,
        "is_shared": goal.is_shared,
        "value": progress.value,
        "percent": progress.percent,
        "value_source": progress.source,
        "value_from": progress.reading.start if progress.reading else None,
        "value_until": progress.reading.end if progress.reading else None,
        "value_n": progress.reading.n if progress.reading else None,
    }


@router.get("/actions/mine", response={200: list[ActionOut], **ERROR_RESPONSES}, summary="My open actions")
@paginate(PagePagination)
def action_list_mine(request: HttpRequest) -> list[dict[str, Any]]:
    return [_action_out(a) for a in selectors.action_list_mine(actor=_actor(request))]


@router.get(
    "/teams/{team_id}/actions", response={200: list[ActionOut], **ERROR_RESPONSES}, summary="A team's actions"
)
@paginate(PagePagination)
def team_action_list(request: HttpRequest, team_id: int, status: str = "") -> list[dict[str, Any]]:
    actor = _actor(request)
    team = selectors.team_get(actor=actor, team_id=team_id)
    return [_action_out(a) for a in selectors.action_list(actor=actor, team=team, status=status)]


@router.get("/goals", response={200: list[GoalOut], **ERROR_RESPONSES}, summary="Goals I may see")
@paginate(PagePagination)
def goal_list(request: HttpRequest, q: str = "", level: str = "") -> list[dict[str, Any]]:
    """Organisation and team goals, and the personal goals of the people whose lead (or lead's lead) you
    are, your own, and shared ones; `q` searches titles and descriptions."""
    goals = selectors.goal_list(actor=_actor(request), query=q[:100], level=level)
    return [_goal_out(g, p) for g, p in selectors.goals_with_progress(goals)]


@router.get(
    "/goals/{goal_id}", response={200: GoalOut, **ERROR_RESPONSES}, summary="One goal and its progress"
)
def goal_detail(request: HttpRequest, goal_id: int) -> dict[str, Any]:
    goal = selectors.goal_get(actor=_actor(request), goal_id=goal_id)
    return _goal_out(goal, selectors.goal_progress(goal))
