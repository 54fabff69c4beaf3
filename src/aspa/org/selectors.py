"""Reads about organisations, people and teams, always scoped to the acting membership."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, require
from aspa.org.models import ApiToken, Invitation, Membership, Team, TeamMembership, User


def memberships_of(*, user: Any) -> QuerySet[Membership]:
    """The organisations a person may act in (a coach has several)."""
    return (
        Membership.objects.filter(user=user, is_active=True, user__erased_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def membership_active_for(*, user: Any, organisation_id: int | None) -> Membership | None:
    """The membership the session acts as: the chosen organisation, else the first one."""
    memberships = memberships_of(user=user).select_related("user")
    if organisation_id is not None:
        chosen = memberships.filter(organisation_id=organisation_id).first()
        if chosen is not None:
            return chosen
    return memberships.first()


def person_list(*, actor: Actor, query: str = "", team_id: int | None = None) -> QuerySet[Membership]:
    require(actor, Capability.VIEW_PEOPLE)
    qs = (
        Membership.objects.filter(organisation_id=actor.organisation_id, is_active=True)
        .select_related("user")
        .prefetch_related(
            Prefetch("team_memberships", queryset=TeamMembership.objects.select_related("team"))
        )
        .order_by("user__full_name")
    )
    if query:
        qs = qs.filter(Q(user__full_name__icontains=query) | Q(user__email__icontains=query))
    if team_id:
        qs = qs.filter(team_memberships__team_id=team_id)
    return qs


def person_get(*, actor: Actor, membership_id: int) -> Membership:
    """One member of the actor's organisation; 404 for anyone else's (no existence leak)."""
    require(actor, Capability.VIEW_PEOPLE)
    try:
        return person_list(actor=actor).get(pk=membership_id)
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def team_list(*, actor: Actor) -> QuerySet[Team]:
    require(actor, Capability.VIEW_TEAMS)
    return Team.objects.filter(organisation_id=actor.organisation_id).prefetch_related(
        Prefetch(
            "team_memberships",
            queryset=TeamMembership.objects.filter(membership__is_active=True).select_related(
                "membership__user"
            ),
        )
    )


def team_get(*, actor: Actor, team_id: int) -> Team:
    try:
        return team_list(actor=actor).get(pk=team_id)
    except Team.DoesNotExist as exc:
        raise Http404 from exc


def teams_of(*, actor: Actor) -> QuerySet[Team]:
    """The teams the acting person belongs to (not gated: everyone sees their own teams)."""
    return Team.objects.filter(
        organisation_id=actor.organisation_id, team_memberships__membership=actor
    ).distinct()


def invitation_list(*, actor: Actor) -> QuerySet[Invitation]:
    require(actor, Capability.INVITE)
    return Invitation.objects.filter(organisation_id=actor.organisation_id).select_related(
        "team", "invited_by"
    )


def invitation_get_by_token(*, token_hash: str) -> Invitation | None:
    """Public lookup by the secret in the link (the link itself is the credential)."""
    return Invitation.objects.filter(token_hash=token_hash).select_related("organisation", "team").first()


def user_by_email(*, email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


def api_token_list(*, actor: Actor) -> QuerySet[ApiToken]:
    """The acting person's own tokens in the active organisation (nobody sees another person's)."""
    return ApiToken.objects.filter(user_id=actor.user_id, organisation_id=actor.organisation_id)


def api_token_actor(*, token_hash: str) -> tuple[ApiToken, Membership] | None:
    """The token and the membership it acts as, or None when the token must not authenticate.

    Revoked and expired tokens, ended memberships and erased or deactivated accounts all give None.
    """
    token = (
        ApiToken.objects.filter(token_hash=token_hash, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .first()
    )
    if token is None:
        return None
    membership = (
        Membership.objects.filter(
            user_id=token.user_id,
            organisation_id=token.organisation_id,
            is_active=True,
            user__is_active=True,
            user__erased_at__isnull=True,
        )
        .select_related("organisation", "user")
        .first()
    )
    return (token, membership) if membership is not None else None
