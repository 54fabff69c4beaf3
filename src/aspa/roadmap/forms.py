"""Forms of the roadmap pages: shapes only; the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from aspa.core.forms import DECIMAL_INPUT
from aspa.org.models import Team
from aspa.roadmap.models import IMPACT_CHOICES, ExperimentDesign, ExperimentMetric, Outcome


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    team = forms.ModelChoiceField(label=_("Team that owns it"), queryset=Team.objects.none(), required=False)
    reach = forms.IntegerField(label=_("Reach: customers per quarter"), min_value=0, initial=0)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=IMPACT_CHOICES, coerce=float, initial=1.0)
    confidence = forms.IntegerField(label=_("Confidence (%)"), min_value=0, max_value=100, initial=50)
    effort = forms.FloatField(label=_("Effort (person-weeks)"), min_value=0.1, initial=1.0, **DECIMAL_INPUT)
    cost = forms.DecimalField(label=_("Cost (€)"), min_value=0, decimal_places=2, initial=0, **DECIMAL_INPUT)
    yearly_value = forms.DecimalField(
        label=_("Expected yearly value (€)"), min_value=0, decimal_places=2, initial=0, **DECIMAL_INPUT
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class ExperimentForm(forms.Form):
    hypothesis = forms.CharField(
        label=_("Hypothesis"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("If we …, then … will improve, because …"),
    )
    metric = forms.ChoiceField(label=_("Metric it should move"), choices=ExperimentMetric.choices)
    design = forms.ChoiceField(label=_("Comparison"), choices=ExperimentDesign.choices)
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams in the test"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    control_teams = forms.ModelMultipleChoiceField(
        label=_("Control teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    queue_refs = forms.CharField(
        label=_("Queues (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    starts_on = forms.DateField(
        label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams  # type: ignore[attr-defined]
        self.fields["control_teams"].queryset = teams  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["queue_refs"] = data["queue_refs"].splitlines()
        data["teams"] = list(data["teams"])
        data["control_teams"] = list(data["control_teams"])
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("What we decided and why"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
