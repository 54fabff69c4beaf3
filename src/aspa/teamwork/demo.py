"""Demo part: the "Puhelinpalvelu" team gets a charter (two versions), a changed decision matrix,
a role board with a rotating role, and agreements in every state. Written through the services, as the
team's lead, so the audit log and the matrix history look like real use. Idempotent: a team that
already has a charter is left alone.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from aspa.core.demo import DemoContext
from aspa.core.roles import Role
from aspa.org.models import Membership, Team
from aspa.teamwork import services
from aspa.teamwork.decisions import AGREEMENT_CHANGE, REFUND_GRANT, SWAP_APPROVE, Level, Subject
from aspa.teamwork.models import (
    ActionItem,
    ActionStatus,
    CharterVersion,
    CoachingKind,
    CoachingSession,
    Goal,
    GoalCheckIn,
    GoalLevel,
    MeetingKind,
    RetroCategory,
    Triage,
)

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


# --- the work stream: goals, coaching history, a week of huddles, a retrospective, actions -----------


def _backdate(model: Any, pk: int, **fields: Any) -> None:
    """Demo only: services stamp "now"; history needs earlier dates."""
    model.objects.filter(pk=pk).update(**fields)


def build_work(context: DemoContext) -> None:
    """Goals tied to metrics with check-ins, coaching history, last week's huddles, a retrospective with
    dots, actions (some overdue) and self-direction answers for "Puhelinpalvelu". Idempotent."""
    rng = context.rng
    team = Team.objects.filter(organisation__slug="demo", name=TEAM_NAME).first()
    if team is None or Goal.objects.filter(team=team).exists():
        return
    members = list(
        Membership.objects.filter(team_memberships__team=team, is_active=True)
        .select_related("user", "organisation")
        .order_by("user__email")
    )
    lead = next(m for m in members if m.team_memberships.filter(team=team, is_lead=True).exists())
    agents = [m for m in members if m.pk != lead.pk and m.role == Role.AGENT]
    demo_agent = next((m for m in agents if m.user.email == "agent@demo.aspa.fi"), agents[0])
    coachees = [demo_agent, *[a for a in agents if a.pk != demo_agent.pk][:3]]
    manager = Membership.objects.filter(
        organisation=team.organisation, role=Role.MANAGER, is_active=True
    ).first()
    now = timezone.now()
    today = timezone.localdate()

    # Goals: organisation → team → person, each on a metric, with check-ins over six weeks.
    org_goal = None
    if manager is not None:
        org_goal = services.goal_create(
            actor=manager,
            level=GoalLevel.ORGANISATION,
            title="Asiakkaat suosittelevat meitä: NPS 45",
            description="Suositteluhalukkuus nousee koko asiakaspalvelussa.",
            metric="nps",
            baseline=Decimal("32"),
            target_value=Decimal("45"),
            achievable_note="Kärkitiimit ovat jo yli 40:n.",
            due_on=today + timedelta(days=180),
        )
    team_goals = [
        services.goal_create(
            actor=lead,
            level=GoalLevel.TEAM,
            team=team,
            parent=org_goal,
            title="Kerralla kuntoon: FCR 78 %",
            metric="fcr",
            baseline=Decimal("68"),
            target_value=Decimal("78"),
            achievable_note="Uusi tietopankki ja takaisinsoitot tukevat.",
            due_on=today + timedelta(days=120),
        ),
        services.goal_create(
            actor=lead,
            level=GoalLevel.TEAM,
            team=team,
            parent=org_goal,
            title="Palvelutaso 80/20 joka arkipäivä",
            metric="service_level",
            baseline=Decimal("71"),
            target_value=Decimal("80"),
            due_on=today + timedelta(days=90),
        ),
    ]
    personal = []
    for i, person in enumerate(coachees):
        personal.append(
            services.goal_create(
                actor=person,
                level=GoalLevel.PERSON,
                person=person,
                parent=team_goals[0],
                title=["Ratkaisen laskutusasiat yhdellä puhelulla", "Tyytyväisyys omiin puheluihin 4,5"][
                    i % 2
                ],
                metric=["fcr", "csat"][i % 2],
                baseline=Decimal(["65", "82"][i % 2]),
                target_value=Decimal(["80", "90"][i % 2]),
                achievable_note="Sovittu valmennuskeskustelussa.",
                due_on=today + timedelta(days=60 + 7 * i),
                is_shared=i == 3,
            )
        )
    for goal in [*team_goals, *personal]:
        start = goal.baseline or Decimal(0)
        step = (goal.target_value - start) / 8
        for week in range(6, 0, -1):
            value = start + step * (6 - week + 1) + Decimal(rng.randint(-10, 10)) / 10
            author = goal.person or lead
            check_in = services.goal_check_in(
                actor=author,
                goal=goal,
                value=value.quantize(Decimal("0.1")),
                confidence=rng.randint(2, 5),
                comment=rng.choice(
                    ["Menee hyvin", "Ruuhkaviikko", "Uusi ohje auttoi", "Takaisinsoitot toimivat", ""]
                ),
            )
            _backdate(GoalCheckIn, check_in.pk, created_at=now - timedelta(weeks=week))

    # Coaching history: monthly 1:1s (a 1+1+1 with the manager now and then) and the next one planned.
    for i, person in enumerate(coachees):
        previous = None
        for month in (3, 2, 1):
            kind = (
                CoachingKind.ONE_PLUS
                if manager is not None and month == 2 and i == 0
                else CoachingKind.ONE_ON_ONE
            )
            session = services.coaching_session_create(
                actor=lead,
                team=team,
                coachee=person,
                scheduled_for=now - timedelta(weeks=4 * month, hours=rng.randint(0, 4)),
                kind=kind,
                manager=manager if kind == CoachingKind.ONE_PLUS else None,
                repeat_every_weeks=4,
            )
            if previous is not None:
                _backdate(CoachingSession, session.pk, previous_id=previous.pk)
            services.coaching_agreements_save(
                actor=lead,
                session=session,
                agreements=rng.choice(
                    [
                        "Kokeillaan takaisinsoittoa pitkissä laskutusasioissa.",
                        "Kuuntelet kaksi omaa puhelua viikossa ja poimit yhden opin.",
                        "Pyydät apua chatista, kun puhelu venyy.",
                    ]
                ),
            )
            services.coaching_note_add(
                actor=lead, session=session, text="Vahvuus: rauhallisuus. Tsemppaa lisää."
            )
            action = services.coaching_action_add(
                actor=lead,
                session=session,
                title=rng.choice(
                    ["Kuuntele kaksi omaa puhelua", "Kokeile takaisinsoittoa", "Lue uusi laskutusohje"]
                ),
                owner=person,
                due_on=today + timedelta(days=14),
            )
            _backdate(ActionItem, action.pk, due_on=session.scheduled_for.date() + timedelta(days=14))
            if month > 1 or i > 0:
                services.action_status_set(actor=lead, action=action, status=ActionStatus.DONE)
            following = services.coaching_session_hold(actor=lead, session=session)
            if following is not None and month > 1:
                following.delete()  # the next month's session is written explicitly in this loop
            _backdate(CoachingSession, session.pk, held_at=session.scheduled_for)
            previous = session

    # A week of huddles (Monday to Friday of the last week) and today's.
    monday = today - timedelta(days=today.weekday() + 7)
    topics = [
        "Eilisen palaute",
        "Jonotilanne aamupäivällä",
        "Uusi hinnasto",
        "Tauot klo 10–11",
        "Katko verkkopankissa",
        "Perehdytettävä aloittaa",
        "Takaisinsoittojen jono",
    ]
    days = [monday + timedelta(days=d) for d in range(5)] + [today]
    for day in days:
        starts = timezone.make_aware(datetime.combine(day, time(8, 15)))
        host = rng.choice(members)
        meeting = services.meeting_create(actor=host, team=team, kind=MeetingKind.HUDDLE, starts_at=starts)
        for title in rng.sample(topics, 3):
            item = services.agenda_item_add(
                actor=rng.choice(members), meeting=meeting, title=title, timebox_minutes=3
            )
            for voter in rng.sample(members, rng.randint(0, 4)):
                services.agenda_vote_toggle(actor=voter, item=item)
            if day != today:
                services.agenda_item_update(
                    actor=host,
                    item=item,
                    triage=rng.choice([Triage.JUST_DO_IT, Triage.PREPARE]),
                    decision=rng.choice(["", "Sovittu: toimitaan heti.", "Valmistellaan perjantaiksi."]),
                    is_handled=True,
                )
        if day != today:
            for rater in rng.sample(members, min(5, len(members))):
                services.meeting_rate(actor=rater, meeting=meeting, score=rng.randint(3, 5))
            action = services.meeting_action_add(
                actor=host,
                meeting=meeting,
                title=rng.choice(
                    ["Päivitä tietopankin hinnasto", "Kysy IT:ltä katkon syy", "Varaa perehdytyshuone"]
                ),
                owner=rng.choice(members),
                due_on=today,
            )
            # Some of last week's actions are now overdue: the huddle board and the reminder show them.
            _backdate(ActionItem, action.pk, due_on=day + timedelta(days=3))
    services.meeting_create(
        actor=lead,
        team=team,
        kind=MeetingKind.WEEKLY,
        title="Viikkopalaveri",
        starts_at=timezone.make_aware(
            datetime.combine(today + timedelta(days=(3 - today.weekday()) % 7 or 7), time(13))
        ),
    )

    # A retrospective with the four fields, anonymous and named thoughts, dots, and its result.
    retro = services.retro_create(
        actor=lead,
        team=team,
        title="Syksyn retrospektiivi",
        held_on=today - timedelta(days=2),
        dots_per_person=3,
    )
    thoughts = [
        (RetroCategory.STRENGTHEN, "Toisten auttaminen chatissa", False),
        (RetroCategory.STRENGTHEN, "Aamupalaverin lyhyys", False),
        (RetroCategory.REDUCE, "Päällekkäiset raportit", True),
        (RetroCategory.CREATE, "Asiakasraati kerran kuussa", False),
        (RetroCategory.CREATE, "Takaisinsoittojen oma jono", True),
        (RetroCategory.GIVE_UP, "Tulostetut vuorolistat", True),
    ]
    items = [
        services.retro_item_add(actor=rng.choice(members), retro=retro, category=c, text=t, anonymous=anon)
        for c, t, anon in thoughts
    ]
    for voter in members:
        for thought in rng.sample(items, 3):
            services.retro_dot_add(actor=voter, item=thought)
    services.retro_item_to_action(
        actor=lead, item=items[4], owner=rng.choice(agents), due_on=today + timedelta(days=21)
    )

    # Self-direction: the team's targets and every member's view of now.
    services.self_direction_target_set(
        actor=lead,
        team=team,
        levels={"information": 4, "decisions": 4, "planning": 3, "competence": 4, "feedback": 4},
    )
    for member in members:
        services.self_direction_assess(
            actor=member,
            team=team,
            levels={
                "information": rng.randint(3, 4),
                "decisions": rng.randint(2, 3),
                "planning": rng.randint(2, 4),
                "competence": rng.randint(3, 4),
                "feedback": rng.randint(2, 3),
            },
        )
