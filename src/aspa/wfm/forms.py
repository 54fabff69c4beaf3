from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from aspa.core.forms import DECIMAL_INPUT
from aspa.org.models import Team
from aspa.wfm import importing, planning
from aspa.wfm.models import Channel, IntervalLength, Queue

WEEKDAYS = [
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
]


class QueueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    interval_minutes = forms.TypedChoiceField(
        label=_("Interval length"), choices=IntervalLength.choices, coerce=int, initial=15
    )
    service_level_percent = forms.FloatField(
        label=_("Service-level target (%)"), min_value=1, max_value=99, initial=80, **DECIMAL_INPUT
    )
    service_level_seconds = forms.IntegerField(
        label=_("Answered within (seconds)"), min_value=0, max_value=7 * 24 * 3600, initial=20
    )
    aht_seconds = forms.IntegerField(
        label=_("Average handle time (seconds)"), min_value=1, max_value=24 * 3600, initial=180
    )
    shrinkage_percent = forms.FloatField(
        label=_("Shrinkage (%)"),
        min_value=0,
        max_value=95,
        initial=30,
        help_text=_("Share of paid time not spent on contacts: breaks, meetings, training, absence."),
        **DECIMAL_INPUT,
    )
    skill = forms.SlugField(
        label=_("Skill needed"), max_length=60, required=False, help_text=_("A short name, e.g. puhelin.")
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams that serve it"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, teams: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team_field = self.fields["teams"]
        assert isinstance(team_field, forms.ModelMultipleChoiceField)
        team_field.queryset = teams
        for day, label in enumerate(WEEKDAYS):
            self.fields[f"hours_{day}"] = forms.CharField(
                label=label,
                required=False,
                max_length=60,
                help_text=_("Opening hours, e.g. 8-18 or 8.00-12.00, 13.00-16.00; empty when closed."),
            )

    @classmethod
    def initial_for(cls, queue: Queue) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": queue.name,
            "channel": queue.channel,
            "interval_minutes": queue.interval_minutes,
            "service_level_percent": queue.service_level_percent,
            "service_level_seconds": queue.service_level_seconds,
            "aht_seconds": queue.aht_seconds,
            "shrinkage_percent": round(queue.shrinkage * 100, 2),
            "skill": queue.skill,
            "teams": list(queue.teams.all()),
        }
        for day in range(7):
            initial[f"hours_{day}"] = planning.format_hours(queue.opening_hours.get(str(day), []))
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        hours: dict[str, list[list[str]]] = {}
        for day in range(7):
            try:
                ranges = planning.parse_hours(cleaned.get(f"hours_{day}", "") or "")
            except planning.OpeningHoursError as exc:
                self.add_error(f"hours_{day}", _(planning.ERR_OPENING_HOURS) % {"value": exc.value})
                continue
            if ranges:
                hours[str(day)] = ranges
        cleaned["opening_hours"] = hours
        return cleaned

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values in the shape the queue services take."""
        c = self.cleaned_data
        return {
            "name": c["name"].strip(),
            "channel": c["channel"],
            "interval_minutes": c["interval_minutes"],
            "opening_hours": c["opening_hours"],
            "service_level_percent": c["service_level_percent"],
            "service_level_seconds": c["service_level_seconds"],
            "aht_seconds": c["aht_seconds"],
            "shrinkage": round(c["shrinkage_percent"] / 100.0, 4),
            "skill": c["skill"],
            "teams": c["teams"],
        }


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("History file (CSV or Excel)"),
        help_text=_(
            "One row per interval (start, offered, handled, abandoned, AHT) or one row per contact. "
            "Semicolons, decimal commas and dates like 31.1.2025 8.15 are fine."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )


FIELD_CHOICES_LABELS = {
    "start": _("Start (date and time)"),
    "time": _("Time of day (if in its own column)"),
    "offered": _("Offered"),
    "handled": _("Handled"),
    "abandoned": _("Abandoned"),
    "aht": _("Average handle time (seconds or m:ss)"),
    "answered": _("Answered at (empty = abandoned)"),
    "duration": _("Handle duration (seconds or m:ss)"),
    "answered_in_sl": _("Answered within the service-level target (count; optional)"),
}


class MappingForm(forms.Form):
    """Which column holds which field; the fields of both kinds are shown, the kind decides which count."""

    kind = forms.ChoiceField(
        label=_("The file has"),
        choices=[
            (importing.KIND_INTERVALS, _("one row per interval (counts)")),
            (importing.KIND_CONTACTS, _("one row per contact")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, header: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            ("", _("— not in the file —")),
            *((str(i), name or f"#{i + 1}") for i, name in enumerate(header)),
        ]
        for name in dict.fromkeys(importing.INTERVAL_FIELDS + importing.CONTACT_FIELDS):
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=FIELD_CHOICES_LABELS[name], choices=choices, required=False
            )

    @staticmethod
    def initial_from(mapping: importing.ColumnMapping) -> dict[str, Any]:
        initial: dict[str, Any] = {"kind": mapping.kind}
        for name, index in mapping.columns.items():
            initial[f"col_{name}"] = str(index)
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind:
            allowed = (
                importing.INTERVAL_FIELDS if kind == importing.KIND_INTERVALS else importing.CONTACT_FIELDS
            )
            columns = {name: int(cleaned[f"col_{name}"]) for name in allowed if cleaned.get(f"col_{name}")}
            mapping = importing.ColumnMapping(kind=kind, columns=columns)
            for name in importing.missing_fields(mapping):
                self.add_error(f"col_{name}", _("Choose the column for this field."))
            cleaned["mapping"] = mapping
        return cleaned


class ForecastStartForm(forms.Form):
    horizon_days = forms.IntegerField(label=_("Horizon (days)"), min_value=1, max_value=90, initial=14)


class AdjustForm(forms.Form):
    """A percentage change over a continuous range: whole days, or from a time on the first day until a
    time on the last day."""

    first_day = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last_day = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: the first day only."),
    )
    from_time = forms.TimeField(
        label=_("From (time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("On the first day; empty: from its start."),
    )
    until_time = forms.TimeField(
        label=_("Until (time)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("On the last day; empty: until its end."),
    )
    percent = forms.FloatField(
        label=_("Change (%)"), min_value=-100, max_value=500, help_text=_("E.g. 15 or -10."), **DECIMAL_INPUT
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why: a campaign, an invoice run, a known outage …"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first: dt.date | None = cleaned.get("first_day")
        if first is None:
            return cleaned
        last: dt.date = cleaned.get("last_day") or first
        if last < first:
            self.add_error("last_day", _("The last day must not be before the first day."))
            return cleaned
        zone = ZoneInfo(settings.TIME_ZONE)
        begin_t: dt.time = cleaned.get("from_time") or dt.time(0)
        end_t: dt.time | None = cleaned.get("until_time")
        cleaned["starts_at"] = dt.datetime.combine(first, begin_t, tzinfo=zone)
        if end_t is None or end_t == dt.time(0):
            cleaned["ends_at"] = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
        else:
            cleaned["ends_at"] = dt.datetime.combine(last, end_t, tzinfo=zone)
        return cleaned
