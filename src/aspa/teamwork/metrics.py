"""The metrics a goal can follow, and where their values come from.

A goal names a metric by key (``"nps"``). Each metric has a *provider* registered with
`metric_provider_register`: `aspa.teamwork.providers` registers the real ones at start-up, reading
the voice selectors (NPS/CSAT/CES/FCR) and the wfm selectors (service level, forecast accuracy).
Where a provider has no data for the goal's scope (or none is registered), the goal's latest check-in
is its value. `goal_progress` in the selectors asks `metric_reading(...)` first, so a goal's progress
updates by itself as soon as there is data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    unit: str
    higher_is_better: bool = True


@dataclass(frozen=True)
class MetricReading:
    """A provider's value with what it rests on: the days start..end (both included) and n (answers,
    intervals or contacts — the provider's `n_label` says which). Hand-made readings may lack them."""

    value: Decimal
    start: date | None = None
    end: date | None = None
    n: int | None = None
    n_label: str | Promise = ""


class MetricProvider(Protocol):
    """Returns the metric for the scope (a person, else a team, else the organisation) over the period
    that ends on `on`, or None when there is no data (then the goal's check-ins count)."""

    def __call__(
        self, *, organisation_id: int, team_id: int | None, membership_id: int | None, on: date
    ) -> MetricReading | Decimal | None: ...


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("nps", _("NPS (net promoter score)"), ""),
        Metric("csat", _("CSAT (customer satisfaction)"), "%"),
        Metric("ces", _("CES (customer effort score)"), "", higher_is_better=False),
        Metric("service_level", _("Service level (answered within target)"), "%"),
        Metric("fcr", _("FCR (first contact resolution)"), "%"),
        Metric("forecast_accuracy", _("Forecast accuracy"), "%"),
    )
}

_PROVIDERS: dict[str, MetricProvider] = {}


def metric_provider_register(key: str, provider: MetricProvider) -> None:
    if key not in METRICS:
        raise KeyError(key)
    _PROVIDERS[key] = provider


def metric_provider_unregister(key: str) -> None:
    _PROVIDERS.pop(key, None)


def metric_choices() -> list[tuple[str, str]]:
    return [(m.key, str(m.label)) for m in METRICS.values()]


def metric_reading(
    *, key: str, organisation_id: int, team_id: int | None, membership_id: int | None, on: date
) -> MetricReading | None:
    """The provider's reading, or None when the metric is measured by hand (manual check-ins) or the
    provider has no data for the scope."""
    provider = _PROVIDERS.get(key)
    if provider is None:
        return None
    got = provider(organisation_id=organisation_id, team_id=team_id, membership_id=membership_id, on=on)
    if got is None or isinstance(got, MetricReading):
        return got
    return MetricReading(value=Decimal(got))


def metric_value(
    *, key: str, organisation_id: int, team_id: int | None, membership_id: int | None, on: date
) -> Decimal | None:
    """The provider's value, or None when the metric is measured by hand (manual check-ins)."""
    reading = metric_reading(
        key=key, organisation_id=organisation_id, team_id=team_id, membership_id=membership_id, on=on
    )
    return reading.value if reading is not None else None
