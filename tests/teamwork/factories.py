"""factory_boy factories for the teamwork models."""

from __future__ import annotations

import factory

from aspa.teamwork.models import Agreement, CharterVersion, Objection, RoleAssignment, TeamRole
from tests.factories import TeamFactory


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
