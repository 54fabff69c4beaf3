"""factory_boy factories for the teamwork models."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from aspa.teamwork.models import (
    ActionItem,
    Agreement,
    CharterVersion,
    CoachingSession,
    Goal,
    GoalLevel,
    Meeting,
    Objection,
    RetroCategory,
    RetroItem,
    Retrospective,
    RoleAssignment,
    TeamRole,
)
from tests.factories import OrganisationFactory, TeamFactory


class CharterVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CharterVersion

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    number = factory.Sequence(lambda n: n + 1)
    purpose = "Autamme asiakkaita, jotta kukaan ei jää yksin."
    customer_promise = "Vastaamme nopeasti."


class TeamRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamRole

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    name = factory.Sequence(lambda n: f"Rooli {n}")
    responsibilities = "Vastaa jostakin tärkeästä."


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    role = factory.SubFactory(TeamRoleFactory)
    organisation = factory.SelfAttribute("role.organisation")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    title = factory.Sequence(lambda n: f"Pelisääntö {n}")


class ObjectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objection

    agreement = factory.SubFactory(AgreementFactory)
    organisation = factory.SelfAttribute("agreement.organisation")
    text = "En voi elää tämän kanssa."


# --- the work stream ---------------------------------------------------------------------------------


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    title = factory.Sequence(lambda n: f"Toimenpide {n}")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    organisation = factory.SubFactory(OrganisationFactory)
    level = GoalLevel.ORGANISATION
    title = factory.Sequence(lambda n: f"Tavoite {n}")
    target_value = Decimal("80")
    due_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoachingSession

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    scheduled_for = factory.LazyFunction(timezone.now)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    starts_at = factory.LazyFunction(timezone.now)


class RetrospectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Retrospective

    team = factory.SubFactory(TeamFactory)
    organisation = factory.SelfAttribute("team.organisation")
    title = factory.Sequence(lambda n: f"Retro {n}")
    held_on = factory.LazyFunction(timezone.localdate)


class RetroItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RetroItem

    retro = factory.SubFactory(RetrospectiveFactory)
    organisation = factory.SelfAttribute("retro.organisation")
    category = RetroCategory.STRENGTHEN
    text = factory.Sequence(lambda n: f"Ajatus {n}")
