"""Forms of the roster setup pages. Field checks only; the Working Hours Act limits live in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from aspa.org.models import Membership
from aspa.wfm.models import ShiftKind
from aspa.wfm.roster_setup import PRIORITY_WEIGHTS

ACTION_SHIFT_TYPE, ACTION_RULES, ACTION_PRIORITY = "shift_type", "rules", "priority"
ACTION_FAIRNESS = "fairness"


class ShiftTypeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=20, help_text=_("Short, e.g. A for a morning shift."))
    name = forms.CharField(label=_("Name"), max_length=80)
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    length_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=1, max_value=24 * 60, initial=480
    )
    paid_break_minutes = forms.IntegerField(label=_("Paid break (minutes)"), min_value=0, initial=0)
    kind = forms.ChoiceField(label=_("Kind"), choices=ShiftKind.choices, initial=ShiftKind.DAY)
    unpopular = forms.BooleanField(
        label=_("Unpopular"),
        required=False,
        help_text=_("The roster shares unpopular shifts out evenly, like nights and weekends."),
    )


class WorkRulesForm(forms.Form):
    min_daily_rest_minutes = forms.IntegerField(
        label=_("Daily rest (minutes)"), min_value=0, help_text=_("The law: 11 hours (660 minutes).")
    )
    min_weekly_rest_minutes = forms.IntegerField(
        label=_("Weekly rest (minutes)"), min_value=0, help_text=_("The law: 35 hours (2100 minutes).")
    )
    max_minutes_per_week = forms.IntegerField(
        label=_("Maximum working time a week (minutes)"),
        min_value=0,
        help_text=_("The law: 48 hours (2880 minutes)."),
    )
    max_consecutive_days = forms.IntegerField(
        label=_("Maximum consecutive working days"), min_value=0, required=False
    )


class FairnessForm(forms.Form):
    fairness_weight = forms.IntegerField(
        label=_("Fairness of wishes"),
        min_value=0,
        help_text=_("How much the worst-off person's denied wishes count against the total; 0 turns it off."),
    )
    burden_weight_nights = forms.IntegerField(
        label=_("Sharing nights"),
        min_value=0,
        help_text=_("Per full-time equivalent, with the team's history; only people who can work nights."),
    )
    burden_weight_weekends = forms.IntegerField(label=_("Sharing weekends"), min_value=0)
    burden_weight_holidays = forms.IntegerField(label=_("Sharing public holidays"), min_value=0)
    burden_weight_unpopular = forms.IntegerField(
        label=_("Sharing unpopular shifts"),
        min_value=0,
        help_text=_("Shift types marked unpopular. 0 turns a weight off; 1 to 5 suits most teams."),
    )


class ContractForm(forms.Form):
    min_minutes_per_week = forms.IntegerField(label=_("Minimum minutes a week"), min_value=0)
    max_minutes_per_week = forms.IntegerField(label=_("Maximum minutes a week"), min_value=0)
    skills = forms.MultipleChoiceField(
        label=_("Skills"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args: Any, skills: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["skills"]).choices = [(s, s) for s in skills]


class PriorityForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Person"), queryset=Membership.objects.none())
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Why the team gives this priority; planners see it."),
    )
    weight = forms.TypedChoiceField(
        label=_("Weight"), coerce=int, choices=[(w, str(w)) for w in PRIORITY_WEIGHTS], initial=2
    )
    ends_on = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, members: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["membership"])
        field.queryset = Membership.objects.filter(pk__in=[m.pk for m in members]).select_related("user")
        field.label_from_instance = lambda m: m.user.full_name  # type: ignore[assignment,method-assign]
