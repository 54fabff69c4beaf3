from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aspa.core import ratelimit
from aspa.core.http import client_address
from aspa.core.roles import INVITABLE_ROLES, Role
from aspa.org.models import Team

ERR_LOGIN_BLOCKED = _("Too many failed attempts. Wait a few minutes and try again.")
ERR_RESET_BLOCKED = _("Too many attempts from your address. Wait a few minutes and try again.")


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean(self) -> dict[str, Any]:
        email = (self.data.get("username") or "").strip().lower()
        address = client_address(self.request) if self.request else ""
        if ratelimit.login_blocked(email=email, address=address):
            raise ValidationError(ERR_LOGIN_BLOCKED, code="rate_limited")
        try:
            cleaned = super().clean()
        except ValidationError:
            ratelimit.login_failed(email=email, address=address)
            raise
        ratelimit.login_succeeded(email=email, address=address)
        return cleaned


class ResetRequestForm(PasswordResetForm):
    """Django's reset form with a flood limit per e-mail and per client address."""

    def __init__(self, *args: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        email: str = self.cleaned_data["email"]
        address = client_address(self.request) if self.request else ""
        if ratelimit.password_reset_hit(email=email.strip().lower(), address=address):
            raise ValidationError(ERR_RESET_BLOCKED, code="rate_limited")
        return email


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, actor: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = INVITABLE_ROLES.get(actor.role, ())
        role_field = self.fields["role"]
        team_field = self.fields["team"]
        assert isinstance(role_field, forms.ChoiceField) and isinstance(team_field, forms.ModelChoiceField)
        role_field.choices = [(r, Role(r).label) for r in allowed]
        team_field.queryset = teams
        team_field.empty_label = _("No team")


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords differ."))
        elif p1:
            try:
                password_validation.validate_password(p1)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class TeamMemberForm(forms.Form):
    membership: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Person"), queryset=None)
    is_lead = forms.BooleanField(label=_("Leads the team"), required=False)

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people
        field.label_from_instance = lambda m: f"{m.user.full_name} ({m.user.email})"  # type: ignore[method-assign,assignment]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)


class EraseForm(forms.Form):
    confirm = forms.CharField(label=_("Type the person's e-mail address to confirm"))

    def __init__(self, *args: Any, expected: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.expected.lower():
            raise ValidationError(_("The address does not match."), code="mismatch")
        return value


class ApiTokenForm(forms.Form):
    """Name a new personal API token and choose how long it lives."""

    EXPIRY_CHOICES = [
        ("30", _("30 days")),
        ("90", _("90 days")),
        ("365", _("One year")),
        ("never", _("Never (until revoked)")),
    ]

    name = forms.CharField(label=_("Name"), max_length=100)
    expires = forms.ChoiceField(label=_("Expires after"), choices=EXPIRY_CHOICES, initial="90")

    def expires_at(self) -> datetime | None:
        value = self.cleaned_data["expires"]
        return None if value == "never" else timezone.now() + timedelta(days=int(value))
