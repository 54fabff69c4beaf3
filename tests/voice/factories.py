"""Factories of the voice models; tests build their own small data."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from aspa.voice.models import Feedback, Idea, Response, Story, Survey, SurveyLink, Theme
from aspa.voice.services import hash_token
from tests.factories import OrganisationFactory


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Survey

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Kysely {n}")


def link_for(survey: Survey, token: str = "tok-123", **kwargs) -> SurveyLink:  # noqa: S107 - a test token
    """A link whose raw token the test knows."""
    kwargs.setdefault("expires_at", timezone.now() + dt.timedelta(days=7))
    return SurveyLink.objects.create(
        organisation=survey.organisation, survey=survey, token_hash=hash_token(token), **kwargs
    )


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    organisation = factory.SubFactory(OrganisationFactory)
    nps = 9
    csat = 5
    ces = 6
    comment = ""


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    organisation = factory.SubFactory(OrganisationFactory)
    text = "Jonotin liian kauan puhelimessa."


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Tarina {n}")
    happened = "Asiakas soitti."
    felt = "Asiakas oli huolissaan."
    learned = "Opimme kuuntelemaan."


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Idea {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    organisation = factory.SubFactory(OrganisationFactory)
    label = "jonotus · aika · odottaa"
