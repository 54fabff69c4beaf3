"""Forms of the teamwork pages: input validation only; the services decide what is allowed."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from aspa.org.models import Membership, Team
from aspa.teamwork.decisions import DecisionType, Level, Subject
from aspa.teamwork.metrics import metric_choices
from aspa.teamwork.models import (
    CoachingKind,
    Goal,
    GoalLevel,
    MeetingKind,
    Objection,
    RetroCategory,
    TeamRole,
    Triage,
)
from aspa.teamwork.selectors import Cell, MatrixRow
from aspa.teamwork.selfdirection import AREAS


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


# --- the work stream ---------------------------------------------------------------------------------


def _members_field(field: Any, members: Any) -> None:
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = members
    field.label_from_instance = lambda m: m.user.full_name  # type: ignore[method-assign,assignment]


class ActionForm(forms.Form):
    """Small by design: a short title, an owner, a due date and an optional one-line note."""

    title = forms.CharField(label=_("What"), max_length=140, help_text=_("A short, concrete step."))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Membership.objects.none())
    due_on = forms.DateField(label=_("Due"), widget=DateInput())
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _members_field(self.fields["owner"], members)


class GoalForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=GoalLevel.choices)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Membership.objects.none(),
        required=False,
        help_text=_("For a personal goal."),
    )
    title = forms.CharField(label=_("Specific: the goal"), max_length=200)
    description = forms.CharField(
        label=_("Specifically, what changes?"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    metric = forms.ChoiceField(label=_("Measurable: metric"), required=False)
    baseline = forms.DecimalField(label=_("Starting value"), required=False, max_digits=12, decimal_places=2)
    target_value = forms.DecimalField(label=_("Target value"), max_digits=12, decimal_places=2)
    unit = forms.CharField(
        label=_("Unit"), max_length=20, required=False, help_text=_("For example %, s or pcs.")
    )
    achievable_note = forms.CharField(
        label=_("Achievable: why we can reach it"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    parent = forms.ModelChoiceField(
        label=_("Relevant: which goal this serves"), queryset=Goal.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Time-bound: due"), widget=DateInput())
    is_shared = forms.BooleanField(label=_("Share this personal goal with the organisation"), required=False)

    def __init__(self, *args: Any, teams: Any, people: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["team"]
        parent_field = self.fields["parent"]
        metric_field = self.fields["metric"]
        assert isinstance(team_field, forms.ModelChoiceField) and isinstance(
            parent_field, forms.ModelChoiceField
        )
        assert isinstance(metric_field, forms.ChoiceField)
        team_field.queryset = teams
        parent_field.queryset = parents
        _members_field(self.fields["person"], people)
        metric_field.choices = [("", _("No metric (counted by hand)")), *metric_choices()]


class CheckInForm(forms.Form):
    value = forms.DecimalField(label=_("Value now"), max_digits=12, decimal_places=2)
    confidence = forms.TypedChoiceField(
        label=_("How confident are you of reaching the goal?"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        initial=3,
        help_text=_("1 = not at all, 5 = certain"),
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CoachingForm(forms.Form):
    coachee = forms.ModelChoiceField(label=_("Person"), queryset=Membership.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=CoachingKind.choices)
    manager = forms.ModelChoiceField(
        label=_("Lead's lead (for 1+1+1)"), queryset=Membership.objects.none(), required=False
    )
    scheduled_for = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    repeat_every_weeks = forms.IntegerField(
        label=_("Repeat every (weeks)"),
        min_value=0,
        max_value=12,
        initial=4,
        help_text=_("0 = does not repeat."),
    )

    def __init__(self, *args: Any, coachees: Any, managers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _members_field(self.fields["coachee"], coachees)
        _members_field(self.fields["manager"], managers)


class AgreementsForm(forms.Form):
    agreements = forms.CharField(
        label=_("What we agreed (both of us see this)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note (only you see this)"), widget=forms.Textarea(attrs={"rows": 3})
    )


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=120, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label=_("Length (minutes)"), min_value=5, max_value=240, required=False)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    timebox_minutes = forms.IntegerField(label=_("Timebox (minutes)"), min_value=1, max_value=120, initial=5)


class AgendaUpdateForm(forms.Form):
    triage = forms.ChoiceField(label=_("Triage"), choices=Triage.choices, required=False)
    decision = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    is_handled = forms.BooleanField(label=_("Handled"), required=False)


class RetroForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    held_on = forms.DateField(label=_("Date"), widget=DateInput())
    dots_per_person = forms.IntegerField(label=_("Dots per person"), min_value=1, max_value=10, initial=3)


class RetroItemForm(forms.Form):
    category = forms.ChoiceField(label=_("Field"), choices=RetroCategory.choices)
    text = forms.CharField(label=_("Your thought"), max_length=300)
    anonymous = forms.BooleanField(
        label=_("Anonymously"), required=False, help_text=_("Your name is not stored at all.")
    )


class RetroActionForm(ActionForm):
    item = forms.TypedChoiceField(label=_("Item"), coerce=int)

    def __init__(self, *args: Any, items: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = items
        self.order_fields(["item", "title", "owner", "due_on", "note"])
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Empty: the item's own words.")


class LevelsForm(forms.Form):
    """One 1–5 choice per rubric area (the member's view of now, or the team's target)."""

    def __init__(
        self, *args: Any, initial_levels: dict[str, int | None], label_suffix_text: str, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        for area in AREAS:
            self.fields[area.key] = forms.TypedChoiceField(
                label=f"{area.label}: {label_suffix_text}",
                choices=[(str(i), f"{i} – {area.levels[i - 1]}") for i in range(1, 6)],
                coerce=int,
                initial=initial_levels.get(area.key) or None,
            )

    def levels(self) -> dict[str, int]:
        return {key: int(value) for key, value in self.cleaned_data.items()}
