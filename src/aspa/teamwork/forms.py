"""Forms of the teamwork pages: input validation only; the services decide what is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from aspa.org.models import Membership
from aspa.teamwork.decisions import DecisionType, Level, Subject
from aspa.teamwork.models import Objection, TeamRole
from aspa.teamwork.selectors import Cell, MatrixRow


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


@dataclass(frozen=True)
class GridCell:
    cell: Cell
    level: BoundField
    limit: BoundField | None


@dataclass(frozen=True)
class GridRow:
    decision_type: DecisionType
    cells: list[GridCell]


def _level_name(decision: str, subject: str) -> str:
    return f"level__{decision}__{subject}"


def _limit_name(decision: str, subject: str) -> str:
    return f"limit__{decision}__{subject}"


class DecisionMatrixForm(forms.Form):
    """One select per cell (and a euro limit for amount decisions), prefilled with the current matrix."""

    note = forms.CharField(
        label=_("Why this change?"),
        max_length=300,
        required=False,
        help_text=_("For example: agreed in the team meeting on Tuesday."),
    )

    def __init__(self, *args: Any, matrix: list[MatrixRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.matrix = matrix
        for row in matrix:
            for cell in row.cells:
                label = _("%(who)s: %(decision)s") % {
                    "who": Subject(cell.subject).label,
                    "decision": row.decision_type.label,
                }
                self.fields[_level_name(cell.decision, cell.subject)] = forms.ChoiceField(
                    label=label, choices=Level.choices, initial=cell.level
                )
                if row.decision_type.has_amount:
                    self.fields[_limit_name(cell.decision, cell.subject)] = forms.DecimalField(
                        label=_("%(who)s: limit in euros for %(decision)s")
                        % {"who": Subject(cell.subject).label, "decision": row.decision_type.label},
                        required=False,
                        min_value=Decimal(0),
                        max_digits=12,
                        decimal_places=2,
                        initial=cell.amount_limit,
                    )

    def grid(self) -> list[GridRow]:
        return [
            GridRow(
                row.decision_type,
                [
                    GridCell(
                        cell,
                        self[_level_name(cell.decision, cell.subject)],
                        self[_limit_name(cell.decision, cell.subject)]
                        if row.decision_type.has_amount
                        else None,
                    )
                    for cell in row.cells
                ],
            )
            for row in self.matrix
        ]

    def cell_values(self) -> dict[tuple[str, str], tuple[str, Decimal | None]]:
        values = {}
        for row in self.matrix:
            for cell in row.cells:
                limit = (
                    self.cleaned_data.get(_limit_name(cell.decision, cell.subject))
                    if row.decision_type.has_amount
                    else None
                )
                values[(cell.decision, cell.subject)] = (
                    self.cleaned_data[_level_name(cell.decision, cell.subject)],
                    limit,
                )
        return values


class CharterForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why does this work exist? What would happen without us?"),
    )
    customer_promise = forms.CharField(
        label=_("Customer promise"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What every customer can count on from us."),
    )
    goals = forms.CharField(label=_("Team goals"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    direction = forms.CharField(
        label=_("Link to the organisation's direction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Which part of the organisation's strategy or vision this serves."),
    )
    direction_url = forms.URLField(
        label=_("Direction document (address)"), required=False, assume_scheme="https"
    )
    note = forms.CharField(label=_("What changed in this version?"), max_length=300, required=False)


class TeamRoleForm(forms.Form):
    name = forms.CharField(label=_("Role"), max_length=120)
    responsibilities = forms.CharField(label=_("Responsibilities"), widget=forms.Textarea(attrs={"rows": 3}))
    is_rotating = forms.BooleanField(label=_("The role rotates"), required=False)


class RoleAssignForm(forms.Form):
    role = forms.ModelChoiceField(label=_("Role"), queryset=TeamRole.objects.none())
    membership = forms.ModelChoiceField(label=_("Holder"), queryset=Membership.objects.none())
    starts_on = forms.DateField(label=_("From"), widget=DateInput())
    ends_on = forms.DateField(
        label=_("Until"), widget=DateInput(), required=False, help_text=_("Leave empty for no end date.")
    )

    def __init__(self, *args: Any, roles: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        member_field = self.fields["membership"]
        assert isinstance(role_field, forms.ModelChoiceField) and isinstance(
            member_field, forms.ModelChoiceField
        )
        role_field.queryset = roles
        member_field.queryset = members
        member_field.label_from_instance = lambda m: m.user.full_name  # type: ignore[method-assign,assignment]


class AgreementForm(forms.Form):
    title = forms.CharField(label=_("Agreement"), max_length=200, help_text=_("One sentence: what we do."))
    text = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Your objection"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What harm would this agreement do, and what would make it acceptable?"),
    )


class ResolveForm(forms.Form):
    objection = forms.ModelChoiceField(queryset=Objection.objects.none(), widget=forms.HiddenInput)
    resolution = forms.CharField(label=_("How was it resolved?"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, objections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objection"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = objections


class AgreeForm(forms.Form):
    review_on = forms.DateField(
        label=_("Review on"),
        widget=DateInput(),
        required=False,
        help_text=_("When the team looks at this agreement again. Empty: in three months."),
    )
