"""Demo organisations, teams and people with Finnish names."""

from __future__ import annotations

from aspa.core.demo import DEMO_PASSWORD, DemoContext
from aspa.core.roles import Role
from aspa.org.models import Membership, Organisation, Team, TeamMembership, User

FIRST_NAMES = [
    "Aino",
    "Eino",
    "Helmi",
    "Väinö",
    "Sofia",
    "Onni",
    "Ella",
    "Leo",
    "Olivia",
    "Elias",
    "Aada",
    "Oliver",
    "Lilja",
    "Eetu",
    "Pihla",
    "Juho",
    "Venla",
    "Matias",
    "Iida",
    "Lauri",
    "Emma",
    "Aleksi",
    "Kerttu",
    "Niko",
    "Siiri",
    "Tuomas",
    "Veera",
    "Joonas",
    "Hanna",
    "Mikko",
    "Päivi",
    "Jari",
    "Tiina",
    "Sari",
    "Heikki",
    "Minna",
]
LAST_NAMES = [
    "Korhonen",
    "Virtanen",
    "Mäkinen",
    "Nieminen",
    "Mäkelä",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Lehtinen",
    "Saarinen",
    "Salminen",
    "Heinonen",
    "Niemi",
    "Heikkilä",
    "Kinnunen",
    "Salonen",
    "Turunen",
    "Salo",
    "Laitinen",
    "Tuominen",
    "Rantanen",
    "Karjalainen",
    "Jokinen",
    "Mattila",
]
TEAMS = [
    ("Puhelinpalvelu", "Henkilöasiakkaiden puhelinpalvelu, arkisin 8–18."),
    ("Chat ja viestit", "Chat, sähköposti ja verkkopalvelun viestit."),
    ("Yritysasiakkaat", "Yritysasiakkaiden palvelu ja laskutuskysymykset."),
]
# One login per role, printed by `make demo`.
ROLE_LOGINS = [
    (Role.ADMIN, "admin", "Anna Administraattori"),
    (Role.MANAGER, "manager", "Marja Palvelupäällikkö"),
    (Role.PLANNER, "planner", "Petri Suunnittelija"),
    (Role.LEAD, "lead", "Liisa Valmentaja"),
    (Role.AGENT, "agent", "Aku Asiakasneuvoja"),
    (Role.COACH, "coach", "Kaisa Konsultti"),
    (Role.ASSESSOR, "assessor", "Arto Arvioija"),
]


def _user(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=full_name)
    return user


def build(context: DemoContext) -> None:
    rng = context.rng
    org, _ = Organisation.objects.get_or_create(slug="demo", defaults={"name": "Aspa Demo Oy"})
    other, _ = Organisation.objects.get_or_create(slug="toinen", defaults={"name": "Toinen Palvelukeskus Oy"})
    context.objects["organisation"] = org
    context.objects["other_organisation"] = other
    teams = []
    for name, description in TEAMS:
        team, _ = Team.objects.get_or_create(
            organisation=org, name=name, defaults={"description": description}
        )
        teams.append(team)
    context.objects["teams"] = teams

    members: dict[str, Membership] = {}
    for role, local, full_name in ROLE_LOGINS:
        email = f"{local}@demo.aspa.fi"
        user = _user(email, full_name)
        membership, _ = Membership.objects.get_or_create(organisation=org, user=user, defaults={"role": role})
        members[email] = membership
        context.logins.append((org.name, str(role.label), email))
    lead = members["lead@demo.aspa.fi"]
    TeamMembership.objects.get_or_create(team=teams[0], membership=lead, defaults={"is_lead": True})
    TeamMembership.objects.get_or_create(team=teams[0], membership=members["agent@demo.aspa.fi"])
    TeamMembership.objects.get_or_create(team=teams[0], membership=members["planner@demo.aspa.fi"])

    # About 35 more agents and leads, spread over the three teams.
    names = {(f, s) for f in FIRST_NAMES for s in LAST_NAMES}
    pool = sorted(names)
    rng.shuffle(pool)
    for i, (first, last) in enumerate(pool[:35]):
        email = f"{first}.{last}@demo.aspa.fi".lower().replace("ä", "a").replace("ö", "o")
        role = Role.LEAD if i in (3, 17) else Role.AGENT
        user = _user(email, f"{first} {last}")
        membership, _ = Membership.objects.get_or_create(organisation=org, user=user, defaults={"role": role})
        team = teams[i % len(teams)] if role == Role.AGENT else teams[1 + (i == 17)]
        TeamMembership.objects.get_or_create(
            team=team, membership=membership, defaults={"is_lead": role == Role.LEAD}
        )
        members[email] = membership
    context.objects["members"] = members

    # The second organisation shows isolation; the coach works in both.
    other_admin = _user("admin@toinen.aspa.fi", "Olli Omistaja")
    Membership.objects.get_or_create(organisation=other, user=other_admin, defaults={"role": Role.ADMIN})
    other_team, _ = Team.objects.get_or_create(organisation=other, name="Asiakaspalvelu")
    for first, last in pool[35:40]:
        email = f"{first}.{last}@toinen.aspa.fi".lower().replace("ä", "a").replace("ö", "o")
        m, _ = Membership.objects.get_or_create(organisation=other, user=_user(email, f"{first} {last}"))
        TeamMembership.objects.get_or_create(team=other_team, membership=m)
    Membership.objects.get_or_create(
        organisation=other, user=members["coach@demo.aspa.fi"].user, defaults={"role": Role.COACH}
    )
    context.logins.append((other.name, str(Role.ADMIN.label), "admin@toinen.aspa.fi"))
