"""Demo part: the "Puhelinpalvelu" team gets a charter (two versions), a changed decision matrix,
a role board with a rotating role, and agreements in every state. Written through the services, as the
team's lead, so the audit log and the matrix history look like real use. Idempotent: a team that
already has a charter is left alone.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from aspa.core.demo import DemoContext
from aspa.org.models import Membership, Team
from aspa.teamwork import services
from aspa.teamwork.decisions import AGREEMENT_CHANGE, REFUND_GRANT, SWAP_APPROVE, Level, Subject
from aspa.teamwork.models import CharterVersion

TEAM_NAME = "Puhelinpalvelu"


def build(context: DemoContext) -> None:
    rng = context.rng
    team = next((t for t in context.objects.get("teams", []) if t.name == TEAM_NAME), None)
    if team is None:
        team = Team.objects.filter(organisation__slug="demo", name=TEAM_NAME).first()
    if team is None or CharterVersion.objects.filter(team=team).exists():
        return
    members = list(
        Membership.objects.filter(team_memberships__team=team, is_active=True)
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    lead = next(m for m in members if m.team_memberships.filter(team=team, is_lead=True).exists())
    others = [m for m in members if m.pk != lead.pk]
    rng.shuffle(others)

    first = services.charter_version_create(
        actor=lead,
        team=team,
        purpose="Autamme henkilöasiakkaita puhelimessa, kun asia on kiireellinen tai mutkikas. Ilman meitä "
        "asiakas jäisi yksin laskun, katkon tai muuton keskellä.",
        customer_promise="Vastaamme nopeasti ja hoidamme asian kerralla loppuun.",
        goals="Palvelutaso 80/20, NPS yli 40.",
        note="Ensimmäinen versio",
    )
    for m in [lead, *others[:6]]:
        services.charter_agree(actor=m, version=first)
    second = services.charter_version_create(
        actor=lead,
        team=team,
        purpose=first.purpose,
        customer_promise="Vastaamme nopeasti, kerromme rehellisesti mitä tapahtuu seuraavaksi ja hoidamme "
        "asian kerralla loppuun – tai soitamme itse takaisin sovittuna aikana.",
        goals="Palvelutaso 80/20, NPS yli 45, kerralla ratkaistut yli 75 %.",
        direction="Strategian teema 'Asiakas ei joudu kysymään kahdesti'.",
        note="Palvelulupaukseen takaisinsoitto; tavoitteisiin FCR",
    )
    for m in [lead, *others[:3]]:
        services.charter_agree(actor=m, version=second)

    services.decision_matrix_update(
        actor=lead,
        team=team,
        cells={
            (SWAP_APPROVE, Subject.MEMBERS): (Level.CONSULTS, None),
            (REFUND_GRANT, Subject.MEMBERS): (Level.DECIDES, Decimal("100")),
        },
        note="Sovittu tiimipalaverissa: vaihdot keskenään, hyvitykset 100 euroon asti",
    )
    services.decision_matrix_update(
        actor=lead,
        team=team,
        cells={(AGREEMENT_CHANGE, Subject.MEMBERS): (Level.CONSULTS, None)},
        note="Pelisäännöistä päätetään yhdessä",
    )

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    huddle = services.team_role_create(
        actor=lead,
        team=team,
        name="Aamupalaverin vetäjä",
        responsibilities="Vetää päivittäisen 10 minuutin palaverin, käy läpi ennusteen ja eilisen palautteen.",
        is_rotating=True,
    )
    for week, holder in enumerate(others[:4]):
        start = monday + timedelta(weeks=week - 1)
        services.role_assign(
            actor=lead, role=huddle, membership=holder, starts_on=start, ends_on=start + timedelta(days=6)
        )
    queue = services.team_role_create(
        actor=lead,
        team=team,
        name="Jonovahti",
        responsibilities="Seuraa jonoa ja pyytää apua chatista, kun odotus ylittää 2 minuuttia.",
        is_rotating=True,
    )
    for week, holder in enumerate(others[4:7]):
        start = monday + timedelta(weeks=week)
        services.role_assign(
            actor=lead, role=queue, membership=holder, starts_on=start, ends_on=start + timedelta(days=6)
        )
    mentor = services.team_role_create(
        actor=lead,
        team=team,
        name="Perehdyttäjä",
        responsibilities="Perehdyttää uudet asiakasneuvojat ja on heidän tukenaan ensimmäiset kuusi viikkoa.",
    )
    services.role_assign(actor=lead, role=mentor, membership=others[0], starts_on=monday - timedelta(days=60))

    proposer = others[1]
    agreed = services.agreement_propose(
        actor=proposer, team=team, title="Kamerat päällä etäpalavereissa", text="Paitsi jos yhteys pätkii."
    )
    services.agreement_discuss(actor=lead, agreement=agreed)
    services.agreement_agree(actor=lead, agreement=agreed, review_on=today + timedelta(days=60))

    helped = services.agreement_propose(
        actor=others[2], team=team, title="Pyydä apua, kun puhelu venyy yli 15 minuuttia"
    )
    services.agreement_discuss(actor=others[2], agreement=helped)
    objection = services.objection_raise(
        actor=others[3], agreement=helped, text="15 minuuttia on liian tiukka yritysasioissa."
    )
    services.objection_resolve(
        actor=others[3], objection=objection, resolution="Sovittiin 20 minuuttia yritysasioille."
    )
    services.agreement_agree(actor=lead, agreement=helped, review_on=today + timedelta(days=30))

    blocked = services.agreement_propose(
        actor=others[4], team=team, title="Tauot vuorotellen klo 10 ja 14", text="Ettei jono kasva."
    )
    services.agreement_discuss(actor=lead, agreement=blocked)
    services.objection_raise(
        actor=others[5], agreement=blocked, text="Aamuvuorolaisille klo 10 on liian aikaisin."
    )

    services.agreement_propose(
        actor=others[rng.randrange(len(others))], team=team, title="Perjantaisin lyhyt onnistumisten kierros"
    )
