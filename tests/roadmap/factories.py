"""Factories of the roadmap models."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from aspa.roadmap.models import Experiment, ExperimentMetric, RoadmapItem
from tests.factories import OrganisationFactory


class RoadmapItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoadmapItem

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Kohde {n}")
    reach = 100
    impact = 1.0
    confidence = 50
    effort = 1.0


class ExperimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experiment

    organisation = factory.LazyAttribute(lambda o: o.item.organisation)
    item = factory.SubFactory(RoadmapItemFactory)
    hypothesis = "Takaisinsoitto nostaa tyytyväisyyttä."
    metric = ExperimentMetric.CSAT
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=10))
