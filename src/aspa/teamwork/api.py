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
from aspa.teamwork.models import Agreement

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
