"""Writes about organisations, people, teams and invitations. Each runs in one transaction."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from aspa.core.audit import audit_record
from aspa.core.roles import INVITABLE_ROLES, Capability, Role
from aspa.core.tenancy import ERR_FORBIDDEN, Actor, require
from aspa.org.models import ApiToken, Invitation, Membership, Organisation, Team, TeamMembership, User

ERR_ROLE_NOT_INVITABLE = "You cannot invite someone with the role %(role)s."
ERR_ALREADY_MEMBER = "%(email)s is already a member of this organisation."
ERR_INVITATION_CLOSED = "This invitation has expired, been revoked or already been used."
ERR_INVITATION_EMAIL = "This invitation was sent to another e-mail address."
ERR_LAST_ADMIN = "The organisation must keep at least one administrator."
ERR_TEAM_EXISTS = "A team with this name already exists."
ERR_NOT_MEMBER = "You are not a member of that organisation."
ERR_SELF_ROLE = "You cannot change your own role."


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_create(
    *, actor: Actor, email: str, role: str, team: Team | None = None, accept_url_template: str
) -> tuple[Invitation, str]:
    """Invite a person by e-mail. Returns the invitation and the one-time link (shown once to the inviter).

    `accept_url_template` contains "{token}"; the raw token is never stored, only its hash.
    """
    require(actor, Capability.INVITE)
    email = email.strip().lower()
    if role not in INVITABLE_ROLES.get(actor.role, ()):
        raise PermissionDenied(_(ERR_ROLE_NOT_INVITABLE) % {"role": Role(role).label})
    if team is not None and team.organisation_id != actor.organisation_id:
        raise PermissionDenied(_("Unknown team."))
    if Membership.objects.filter(organisation_id=actor.organisation_id, user__email__iexact=email).exists():
        raise ValidationError(_(ERR_ALREADY_MEMBER) % {"email": email}, code="already_member")
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            organisation_id=actor.organisation_id,
            email=email,
            role=role,
            team=team,
            token_hash=_hash_token(token),
            invited_by=actor.user,
            expires_at=timezone.now() + timedelta(days=settings.ASPA_INVITATION_DAYS),
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="invitation.create",
            target=invitation,
            changes={"role": role, "team": str(team) if team else None},
        )
        url = accept_url_template.format(token=token)
        organisation_name = actor.organisation.name
        inviter = actor.user.full_name

        def _send() -> None:
            with override(settings.LANGUAGE_CODE):
                send_mail(
                    subject=_("Invitation to Aspa: %(org)s") % {"org": organisation_name},
                    message=_(
                        "%(inviter)s invited you to join %(org)s in Aspa.\n\nAccept the invitation: %(url)s\n"
                    )
                    % {"inviter": inviter, "org": organisation_name, "url": url},
                    from_email=None,
                    recipient_list=[email],
                )

        transaction.on_commit(_send)
    return invitation, url


def invitation_revoke(*, actor: Actor, invitation: Invitation) -> None:
    require(actor, Capability.INVITE)
    if invitation.organisation_id != actor.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            organisation=actor.organisation, actor=actor.user, action="invitation.revoke", target=invitation
        )


def invitation_accept(
    *, token: str, full_name: str, password: str | None, existing_user: User | None = None
) -> Membership:
    """Turn an open invitation into a membership: a new account, or a logged-in person's existing one."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token_hash=_hash_token(token)).first()
        if invitation is None or not invitation.is_open:
            raise ValidationError(_(ERR_INVITATION_CLOSED), code="closed")
        if existing_user is not None:
            if existing_user.email.lower() != invitation.email.lower():
                raise ValidationError(_(ERR_INVITATION_EMAIL), code="email")
            user = existing_user
        else:
            user = User.objects.filter(email__iexact=invitation.email).first() or User(email=invitation.email)
            if user.pk is not None:
                # An account exists: the person must log in to accept, not reset it by invitation.
                raise ValidationError(_(ERR_INVITATION_EMAIL), code="exists")
            user.full_name = full_name.strip()
            user.set_password(password)
            user.full_clean(exclude=["password"])
            user.save()
        if Membership.objects.filter(organisation=invitation.organisation, user=user).exists():
            raise ValidationError(_(ERR_ALREADY_MEMBER) % {"email": user.email}, code="already_member")
        membership = Membership.objects.create(
            organisation=invitation.organisation, user=user, role=invitation.role
        )
        if invitation.team_id:
            TeamMembership.objects.create(team_id=invitation.team_id, membership=membership)
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_record(
            organisation=invitation.organisation,
            actor=user,
            action="invitation.accept",
            target=membership,
            changes={"role": invitation.role},
        )
    return membership


def membership_role_change(*, actor: Actor, membership: Membership, role: str) -> Membership:
    require(actor, Capability.MANAGE_ROLES)
    if membership.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if membership.pk == actor.pk:
        raise ValidationError(_(ERR_SELF_ROLE), code="self")
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if (
            locked.role == Role.ADMIN
            and role != Role.ADMIN
            and not Membership.objects.filter(
                organisation_id=actor.organisation_id, role=Role.ADMIN, is_active=True
            )
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ValidationError(_(ERR_LAST_ADMIN), code="last_admin")
        old = locked.role
        locked.role = role
        locked.save(update_fields=["role"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="role.change",
            target=locked,
            changes={"role": [old, role]},
        )
    return locked


def team_create(*, actor: Actor, name: str, description: str = "") -> Team:
    require(actor, Capability.MANAGE_TEAMS)
    name = name.strip()
    if Team.objects.filter(organisation_id=actor.organisation_id, name__iexact=name).exists():
        raise ValidationError({"name": _(ERR_TEAM_EXISTS)}, code="exists")
    with transaction.atomic():
        team = Team.objects.create(organisation_id=actor.organisation_id, name=name, description=description)
        audit_record(organisation=actor.organisation, actor=actor.user, action="team.create", target=team)
    return team


def team_member_set(
    *, actor: Actor, team: Team, membership: Membership, member: bool, is_lead: bool = False
) -> None:
    """Add a person to a team (or update their lead flag), or remove them."""
    require(actor, Capability.MANAGE_TEAMS)
    if team.organisation_id != actor.organisation_id or membership.organisation_id != actor.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        if member:
            TeamMembership.objects.update_or_create(
                team=team, membership=membership, defaults={"is_lead": is_lead}
            )
            action = "team.member_add"
        else:
            TeamMembership.objects.filter(team=team, membership=membership).delete()
            action = "team.member_remove"
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action=action,
            target=team,
            changes={"person": str(membership.user), "is_lead": is_lead if member else None},
        )


def user_language_set(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Unknown language."), code="language")
    user.language = language
    user.save(update_fields=["language"])
    return user


def organisation_switch_check(*, user: User, organisation_id: int) -> Membership:
    membership = (
        Membership.objects.filter(user=user, organisation_id=organisation_id, is_active=True)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise PermissionDenied(_(ERR_NOT_MEMBER))
    return membership


def organisation_create(*, name: str, slug: str, admin: User) -> Organisation:
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, slug=slug)
        membership = Membership.objects.create(organisation=organisation, user=admin, role=Role.ADMIN)
        audit_record(organisation=organisation, actor=admin, action="organisation.create", target=membership)
    return organisation


ERR_ERASE_SELF = "You cannot erase yourself; ask another administrator."


def person_export(*, user: User) -> dict[str, object]:
    """Everything Aspa holds about the person, from every registered module (GDPR art. 15 and 20)."""
    from aspa.core.personal_data import personal_data_sources

    return {
        "exported_at": timezone.now().isoformat(),
        "person": {"id": user.pk, "email": user.email},
        "data": {source.name: source.export(user) for source in personal_data_sources()},
    }


def person_erase(*, actor: Actor, membership: Membership) -> None:
    """Erase a person (GDPR art. 17): pseudonymise the account, keep aggregates.

    If the person still belongs to other organisations, only this organisation's membership ends: one
    organisation's administrator cannot erase an account another organisation relies on.
    """
    from aspa.core.personal_data import personal_data_sources

    require(actor, Capability.ERASE_PERSON)
    if membership.organisation_id != actor.organisation_id:
        raise PermissionDenied
    if membership.user_id == actor.user_id:
        raise ValidationError(_(ERR_ERASE_SELF), code="self")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=membership.user_id)
        others = Membership.objects.filter(user=user, is_active=True).exclude(
            organisation_id=actor.organisation_id
        )
        if others.exists():
            TeamMembership.objects.filter(membership=membership).delete()
            Membership.objects.filter(pk=membership.pk).update(is_active=False)
            ApiToken.objects.filter(
                user=user, organisation_id=actor.organisation_id, revoked_at__isnull=True
            ).update(revoked_at=timezone.now())
            audit_record(
                organisation=actor.organisation, actor=actor.user, action="person.remove", target=membership
            )
            return
        for source in personal_data_sources():
            source.erase(user)
        user.full_name = _("Erased person #%(id)s") % {"id": user.pk}
        user.email = f"erased-{user.pk}@erased.invalid"
        user.set_unusable_password()
        user.is_active = False
        user.erased_at = timezone.now()
        user.save()
        audit_record(organisation=actor.organisation, actor=actor.user, action="person.erase", target=user)


API_TOKEN_PREFIX = "aspa_"  # noqa: S105
API_TOKEN_MAX_ACTIVE = 20
# Writing last_used_at on every request would turn each API read into a write; a minute is precise enough.
API_TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
ERR_TOKEN_NAME = "Give the token a name."  # noqa: S105
ERR_TOKEN_EXPIRY = "The expiry must be in the future."  # noqa: S105
ERR_TOKEN_LIMIT = "You already have %(count)s active tokens; revoke one first."  # noqa: S105


def api_token_hash(raw_token: str) -> str:
    return _hash_token(raw_token)


def api_token_create(*, actor: Actor, name: str, expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token for the actor in the active organisation.

    Returns the token row and the raw token; the raw token is never stored and cannot be shown again.
    """
    require(actor, Capability.USE_API)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _(ERR_TOKEN_NAME)}, code="name")
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _(ERR_TOKEN_EXPIRY)}, code="expiry")
    active = ApiToken.objects.filter(
        user_id=actor.user_id, organisation_id=actor.organisation_id, revoked_at__isnull=True
    ).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    if active.count() >= API_TOKEN_MAX_ACTIVE:
        raise ValidationError(_(ERR_TOKEN_LIMIT) % {"count": API_TOKEN_MAX_ACTIVE}, code="limit")
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user_id=actor.user_id,
            organisation_id=actor.organisation_id,
            name=name[:100],
            token_hash=_hash_token(raw),
            prefix=raw[: len(API_TOKEN_PREFIX) + 4],
            expires_at=expires_at,
        )
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="api_token.create",
            target=token,
            changes={"name": token.name, "expires_at": expires_at.isoformat() if expires_at else None},
        )
    return token, raw


def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; revoking an already revoked token changes nothing."""
    if token.user_id != actor.user_id or token.organisation_id != actor.organisation_id:
        raise PermissionDenied(_(ERR_FORBIDDEN))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            audit_record(
                organisation=actor.organisation, actor=actor.user, action="api_token.revoke", target=locked
            )
    return locked


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was used (at most once a minute, see API_TOKEN_TOUCH_INTERVAL)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= API_TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
