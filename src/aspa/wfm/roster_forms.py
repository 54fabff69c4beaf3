"""Forms of rostering: planning periods, wishes (phone-first), swaps."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from aspa.org.models import Team
from aspa.wfm.models import PlanningPeriod, Shift, ShiftType, SwapKind, WishKind

UNAVAILABLE = "unavailable"
WISH_CHOICES = [*WishKind.choices, (UNAVAILABLE, _("I cannot work this day"))]
WEIGHT_CHOICES = [(1, _("Nice to have")), (2, _("Important")), (3, _("Very important"))]


class PeriodForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    wish_deadline = forms.DateTimeField(
        label=_("Wishes due"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    time_limit_s = forms.IntegerField(
        label=_("Solver time limit (seconds)"), min_value=1, max_value=600, initial=20
    )

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["team"]).queryset = Team.objects.filter(
            pk__in=[t.pk for t in teams]
        ).order_by("name")


class WishForm(forms.Form):
    kind = forms.ChoiceField(label=_("Wish"), choices=WISH_CHOICES)
    day = forms.TypedChoiceField(
        label=_("Day"), required=False, coerce=dt.date.fromisoformat, empty_value=None
    )
    shift_type = forms.ModelChoiceField(
        label=_("Shift"), queryset=ShiftType.objects.none(), required=False, empty_label=_("Any shift")
    )
    time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text=_("For a preferred start or the time you must leave by."),
    )
    weight = forms.TypedChoiceField(label=_("Importance"), choices=WEIGHT_CHOICES, coerce=int, initial=1)

    def __init__(
        self, *args: Any, period: PlanningPeriod, shift_types: list[ShiftType], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        days = [period.starts_on + dt.timedelta(days=i) for i in range(period.days)]
        cast(forms.ChoiceField, self.fields["day"]).choices = [("", _("Every day (times only)"))] + [
            (d.isoformat(), formats.date_format(d, "D j.n.")) for d in days
        ]
        cast(forms.ModelChoiceField, self.fields["shift_type"]).queryset = ShiftType.objects.filter(
            pk__in=[t.pk for t in shift_types]
        )


class SwapOfferForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you want?"), choices=SwapKind.choices, initial=SwapKind.OFFER)
    note = forms.CharField(label=_("Note to colleagues"), max_length=300, required=False)


class SwapAcceptForm(forms.Form):
    give = forms.ModelChoiceField(
        label=_("Shift you give in exchange"), queryset=Shift.objects.none(), required=False
    )

    def __init__(self, *args: Any, shifts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        give = cast(forms.ModelChoiceField, self.fields["give"])
        give.queryset = shifts
        give.label_from_instance = _shift_label  # type: ignore[method-assign,assignment]


def _shift_label(shift: Shift) -> str:
    return f"{formats.date_format(shift.day, 'D j.n.')} {shift.shift_type.name}"
