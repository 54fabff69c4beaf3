"""Factories for workforce planning: queues, history, forecasts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

from aspa.wfm.models import ContactInterval, Forecast, ForecastInterval, ForecastStatus, Queue
from tests.factories import OrganisationFactory

HELSINKI = ZoneInfo("Europe/Helsinki")
WEEKDAYS_8_18 = {str(d): [["08:00", "18:00"]] for d in range(5)}


class QueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Queue

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Jono {n}")
    interval_minutes = 60
    opening_hours = factory.LazyFunction(lambda: dict(WEEKDAYS_8_18))
    aht_seconds = 180
    shrinkage = 0.3


class ForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forecast

    queue = factory.SubFactory(QueueFactory)
    organisation = factory.SelfAttribute("queue.organisation")
    status = ForecastStatus.PUBLISHED
    model_name = "dow_tod_mean_8w"
    interval_minutes = factory.SelfAttribute("queue.interval_minutes")


def history_rows(queue: Queue, *, days: int, first: dt.date = dt.date(2025, 3, 3), per_hour: int = 20) -> int:
    """Weekday 8–18 hourly history with a Monday peak; returns the number of rows written."""
    rows = []
    for i in range(days):
        day = first + dt.timedelta(days=i)
        if day.weekday() >= 5:
            continue
        for hour in range(8, 18):
            offered = per_hour + (5 if day.weekday() == 0 else 0) + (hour % 3)
            rows.append(
                ContactInterval(
                    queue=queue,
                    start=dt.datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI),
                    offered=offered,
                    handled=offered - 1,
                    abandoned=1,
                    aht_seconds=180.0,
                )
            )
    ContactInterval.objects.bulk_create(rows)
    return len(rows)


def forecast_with_intervals(
    queue: Queue, *, status: str = ForecastStatus.PUBLISHED, day=dt.date(2025, 6, 2)
) -> Forecast:
    forecast = ForecastFactory(
        queue=queue,
        status=status,
        starts_at=dt.datetime(day.year, day.month, day.day, 8, tzinfo=HELSINKI),
        ends_at=dt.datetime(day.year, day.month, day.day, 18, tzinfo=HELSINKI),
        horizon_days=1,
    )
    add_day_intervals(forecast, day)
    return forecast


def add_day_intervals(forecast: Forecast, day: dt.date) -> None:
    """Hourly intervals 8-18 of `day`: 20 contacts (80 % band 15-26), 3 agents required, 5 scheduled."""
    ForecastInterval.objects.bulk_create(
        [
            ForecastInterval(
                forecast=forecast,
                start=dt.datetime(day.year, day.month, day.day, hour, tzinfo=HELSINKI),
                point=20.0,
                lower=15.0,
                upper=26.0,
                adjusted=20.0,
                required_agents=3,
                scheduled_agents=5,
            )
            for hour in range(8, 18)
        ]
    )
