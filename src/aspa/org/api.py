"""JSON endpoints for the acting person, people, teams and invitations (mounted under /api/v1/).

Thin like the views: every endpoint calls the same selector or service as its HTML page, with the
Membership that authenticated the request (`request.auth`) as the actor.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import field_validator

from aspa.core.api import ERROR_RESPONSES, PagePagination
from aspa.core.roles import ROLE_CAPABILITIES, Role
from aspa.core.tenancy import Actor
from aspa.org import selectors, services
from aspa.org.models import Invitation, Membership, Team

router = Router(tags=["organisation"])

ERR_UNKNOWN_TEAM = "Unknown team."


def _actor(request: HttpRequest) -> Actor:
    return request.auth  # type: ignore[attr-defined]


class TeamBrief(Schema):
    id: int
    name: str


class PersonTeam(Schema):
    id: int
    name: str
    is_lead: bool


class PersonOut(Schema):
    """A member of the organisation; `id` is the membership id used in /people/{id}."""

    id: int
    name: str
    email: str
    role: str
    role_label: str
    title: str
    joined_at: datetime
    teams: list[PersonTeam]

    @staticmethod
    def resolve_name(obj: Membership) -> str:
        return obj.user.full_name

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_teams(obj: Membership) -> list[dict[str, Any]]:
        # Reads the prefetched team memberships of person_list: no query per person.
        return [
            {"id": tm.team_id, "name": tm.team.name, "is_lead": tm.is_lead}
            for tm in obj.team_memberships.all()
        ]


class OrganisationOut(Schema):
    id: int
    name: str
    slug: str


class MeOut(Schema):
    membership_id: int
    person_id: int
    name: str
    email: str
    language: str
    organisation: OrganisationOut
    role: str
    role_label: str
    capabilities: list[str]
    teams: list[TeamBrief]


class TeamMemberOut(Schema):
    membership_id: int
    name: str
    is_lead: bool


class TeamOut(Schema):
    id: int
    name: str
    description: str
    created_at: datetime
    members: list[TeamMemberOut]

    @staticmethod
    def resolve_members(obj: Team) -> list[dict[str, Any]]:
        # Reads the prefetched (active) team memberships of team_list.
        return [
            {"membership_id": tm.membership_id, "name": tm.membership.user.full_name, "is_lead": tm.is_lead}
            for tm in obj.team_memberships.all()
        ]


class InvitationOut(Schema):
    id: int
    email: str
    role: str
    role_label: str
    team: TeamBrief | None
    status: str
    invited_by: str | None
    created_at: datetime
    expires_at: datetime

    @staticmethod
    def resolve_role_label(obj: Invitation) -> str:
        return str(obj.get_role_display())

    @staticmethod
    def resolve_status(obj: Invitation) -> str:
        if obj.accepted_at:
            return "accepted"
        if obj.revoked_at:
            return "revoked"
        return "open" if obj.expires_at > timezone.now() else "expired"

    @staticmethod
    def resolve_invited_by(obj: Invitation) -> str | None:
        return obj.invited_by.full_name if obj.invited_by else None


class InvitationIn(Schema):
    email: str
    role: Role = Role.AGENT
    team_id: int | None = None

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        try:
            validate_email(value.strip())
        except ValidationError as exc:
            raise ValueError(" ".join(exc.messages)) from exc
        return value.strip()


class InvitationCreatedOut(Schema):
    invitation: InvitationOut
    link: str


@router.get("/me", response={200: MeOut, **ERROR_RESPONSES}, summary="The acting person and organisation")
def me(request: HttpRequest) -> dict[str, Any]:
    actor = _actor(request)
    return {
        "membership_id": actor.pk,
        "person_id": actor.user_id,
        "name": actor.user.full_name,
        "email": actor.user.email,
        "language": actor.user.language,
        "organisation": actor.organisation,
        "role": actor.role,
        "role_label": str(actor.get_role_display()),
        "capabilities": sorted(ROLE_CAPABILITIES.get(actor.role, frozenset())),
        "teams": list(selectors.teams_of(actor=actor)),
    }


@router.get("/people", response={200: list[PersonOut], **ERROR_RESPONSES}, summary="People")
@paginate(PagePagination)
def person_list(request: HttpRequest, q: str = "", team: int | None = None) -> QuerySet[Membership]:
    """Active members of the organisation; `q` searches names and e-mail addresses."""
    return selectors.person_list(actor=_actor(request), query=q.strip(), team_id=team)


@router.get("/people/{membership_id}", response={200: PersonOut, **ERROR_RESPONSES}, summary="One person")
def person_detail(request: HttpRequest, membership_id: int) -> Membership:
    return selectors.person_get(actor=_actor(request), membership_id=membership_id)


@router.get("/teams", response={200: list[TeamOut], **ERROR_RESPONSES}, summary="Teams")
@paginate(PagePagination)
def team_list(request: HttpRequest) -> QuerySet[Team]:
    return selectors.team_list(actor=_actor(request))


@router.get("/teams/{team_id}", response={200: TeamOut, **ERROR_RESPONSES}, summary="One team")
def team_detail(request: HttpRequest, team_id: int) -> Team:
    return selectors.team_get(actor=_actor(request), team_id=team_id)


@router.get("/invitations", response={200: list[InvitationOut], **ERROR_RESPONSES}, summary="Invitations")
@paginate(PagePagination)
def invitation_list(request: HttpRequest) -> QuerySet[Invitation]:
    return selectors.invitation_list(actor=_actor(request))


@router.post(
    "/invitations",
    response={201: InvitationCreatedOut, **ERROR_RESPONSES},
    summary="Invite someone",
)
def invitation_create(request: HttpRequest, payload: InvitationIn) -> Status[dict[str, Any]]:
    """Send an invitation e-mail. The response carries the invitation link; it is never shown again."""
    actor = _actor(request)
    team = None
    if payload.team_id is not None:
        try:
            team = selectors.team_get(actor=actor, team_id=payload.team_id)
        except Http404 as exc:
            raise ValidationError({"team_id": _(ERR_UNKNOWN_TEAM)}, code="team") from exc
    template = request.build_absolute_uri(reverse("org:invitation_accept", kwargs={"token": "TOKEN"}))
    invitation, link = services.invitation_create(
        actor=actor,
        email=payload.email,
        role=payload.role,
        team=team,
        accept_url_template=template.replace("TOKEN", "{token}"),
    )
    return Status(201, {"invitation": invitation, "link": link})
