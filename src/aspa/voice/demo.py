"""Demo part of voice: a survey with a few hundred answers in realistic Finnish, feedback, stories and
ideas with votes, and the themes found in them.

Deterministic from `context.rng`; skipped when the demo survey already exists. Answers of the first
team get better over the last EXPERIMENT_DAYS (the demo experiment in aspa.roadmap measures that).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aspa.core.demo import DemoContext
from aspa.voice.models import (
    Channel,
    Feedback,
    Idea,
    IdeaComment,
    IdeaOrigin,
    IdeaStatus,
    IdeaVote,
    Response,
    Source,
    Story,
    Survey,
)

SURVEY_NAME = "Palvelukysely kontaktin jälkeen"
N_RESPONSES = 420
DAYS = 180
EXPERIMENT_DAYS = 28

QUEUES = {
    Channel.PHONE: "Puhelin henkilöasiakkaat",
    Channel.CHAT: "Chat",
    Channel.EMAIL: "Sähköposti",
}

# (sentence, tone) - tone -1 negative, 0 neutral, +1 positive. Combined one to three per comment.
SENTENCES: list[tuple[str, int]] = [
    ("Jonotin puhelimessa yli puoli tuntia ennen kuin pääsin puhumaan kenellekään.", -1),
    ("Puhelinjonossa odottaminen kesti aivan liian kauan.", -1),
    ("Jonotusaika oli pitkä, mutta asia hoitui lopulta.", 0),
    ("Takaisinsoittopalvelu toimi hyvin, ei tarvinnut odottaa linjalla.", 1),
    ("Pääsin jonosta läpi parissa minuutissa, hienoa.", 1),
    ("Jonossa kerrottiin arvioitu odotusaika, se auttoi paljon.", 1),
    ("Puhelu katkesi jonossa kaksi kertaa ja jouduin soittamaan uudelleen.", -1),
    ("Asiakasneuvoja oli todella ystävällinen ja kärsivällinen.", 1),
    ("Sain ystävällistä ja asiantuntevaa palvelua, kiitos Liisalle.", 1),
    ("Neuvoja kuunteli ja ymmärsi heti, mistä oli kyse.", 1),
    ("Palvelu oli ystävällistä, vaikka asiani oli hankala.", 1),
    ("Neuvoja vaikutti kiireiseltä eikä oikein kuunnellut.", -1),
    ("Asiakaspalvelija oli tyly ja keskeytti minut monta kertaa.", -1),
    ("Chatissa vastattiin nopeasti ja asia ratkesi saman tien.", 1),
    ("Chat on kätevä, kun ei tarvitse jonottaa puhelimessa.", 1),
    ("Chatissa jouduin selittämään asiani kolmelle eri henkilölle.", -1),
    ("Chat-botti ei ymmärtänyt kysymystäni ollenkaan.", -1),
    ("Chatin kautta sain ohjeet, mutta vastaus tuli hitaasti.", 0),
    ("Lasku oli väärin jo toista kertaa peräkkäin.", -1),
    ("Laskussa oli veloitus palvelusta, jota en ole tilannut.", -1),
    ("En ymmärrä laskun erittelyä, se on liian monimutkainen.", -1),
    ("Laskuvirhe korjattiin nopeasti ja sain hyvityksen.", 1),
    ("Eräpäivän siirto onnistui helposti.", 1),
    ("Kysyin laskusta ja sain selkeän vastauksen.", 1),
    ("Verkkopalveluun kirjautuminen ei onnistunut koko päivänä.", -1),
    ("Verkkopalvelu kaatuu aina, kun yritän vaihtaa osoitetta.", -1),
    ("Sivuilta on vaikea löytää yhteystietoja.", -1),
    ("Verkkopalvelun ohjeet olivat selkeät ja löysin vastauksen itse.", 1),
    ("Mobiilisovellus toimii hyvin ja on helppokäyttöinen.", 1),
    ("Sovelluksen päivityksen jälkeen en näe enää laskujani.", -1),
    ("Asia ratkesi ensimmäisellä yhteydenotolla, kiitos.", 1),
    ("Jouduin soittamaan kolme kertaa samasta asiasta.", -1),
    ("Minulle luvattiin soittaa takaisin, mutta kukaan ei soittanut.", -1),
    ("Sain kirjallisen vahvistuksen sähköpostiin heti puhelun jälkeen.", 1),
    ("Sähköpostiin vastattiin vasta viikon päästä.", -1),
    ("Sähköpostivastaus oli ystävällinen mutta ei vastannut kysymykseeni.", 0),
    ("Palvelu oli nopeaa ja sujuvaa.", 1),
    ("Kaikki meni hyvin, ei valitettavaa.", 1),
    ("Ihan tavallinen asiointi, ei mitään erityistä.", 0),
    ("Hinnat ovat nousseet, eikä sitä kerrottu etukäteen.", -1),
    ("Sopimuksen irtisanominen oli tehty turhan vaikeaksi.", -1),
    ("Neuvoja tarjosi minulle edullisemman vaihtoehdon, mukava yllätys.", 1),
    ("Palvelu ruotsiksi ei onnistunut, vaikka sitä pyysin.", -1),
    ("Aukioloajat voisivat olla pidemmät, illalla ei saa palvelua.", -1),
    ("Odotin, mutta neuvoja pahoitteli viivettä ja hoiti asian hyvin.", 0),
    ("Tunnistautuminen puhelimessa kesti kauan ja oli hankalaa.", -1),
]

STORIES = [
    (
        "Iäkäs asiakas ja kadonnut lasku",
        "Asiakas soitti kolmannen kerran samasta laskusta, joka ei näkynyt verkkopalvelussa. Neuvoja lähetti "
        "laskun postitse ja kirjasi muistutuksen.",
        "Asiakas oli turhautunut ja pelkäsi perintää; lopuksi hän kiitti, että joku otti asian omakseen.",
        "Paperilaskun pyytäminen pitää olla helppoa, ja ensimmäisen yhteydenoton pitää riittää.",
    ),
    (
        "Chatissa kolme neuvojaa",
        "Asiakas siirrettiin chatissa kolme kertaa, ja hän joutui kertomaan asiansa alusta joka kerta.",
        "Asiakas koki, ettei häntä kuunneltu.",
        "Chatin siirroissa keskusteluhistoria kulkee mukana, ja siirrosta kerrotaan asiakkaalle.",
    ),
    (
        "Takaisinsoitto pelasti aamun",
        "Maanantaiaamun ruuhkassa asiakas valitsi takaisinsoiton ja sai soiton 20 minuutissa.",
        "Asiakas oli yllättynyt ja tyytyväinen, kun ei tarvinnut roikkua jonossa.",
        "Takaisinsoittoa kannattaa tarjota jo jonon alussa.",
    ),
    (
        "Väärä veloitus yritysasiakkaalla",
        "Yritysasiakkaan laskulla oli kahden kuukauden ylimääräinen veloitus.",
        "Asiakas oli vihainen ja harkitsi sopimuksen irtisanomista.",
        "Laskutusvirheiden hyvitys pitää voida tehdä heti puhelun aikana.",
    ),
]

IDEAS = [
    (
        "Takaisinsoitto kaikkiin puhelinjonoihin",
        "Tarjotaan takaisinsoittoa jo jonon alussa.",
        IdeaStatus.PLANNED,
    ),
    (
        "Arvioitu jonotusaika puhelinjonoon",
        "Kerrotaan soittajalle arvioitu odotusaika.",
        IdeaStatus.UNDER_REVIEW,
    ),
    ("Chatin keskusteluhistoria siirtoihin", "Siirrossa historia kulkee mukana.", IdeaStatus.NEW),
    ("Selkeämpi laskun erittely", "Laskuun selkokielinen yhteenveto.", IdeaStatus.NEW),
    (
        "Hyvitysvaltuudet neuvojille",
        "Neuvoja voi hyvittää pienen laskuvirheen heti.",
        IdeaStatus.UNDER_REVIEW,
    ),
    ("Iltapalvelu chatissa", "Chat auki arkisin klo 20 asti.", IdeaStatus.NEW),
    ("Verkkopalvelun osoitteenmuutos kuntoon", "Osoitteenmuutoksen virhe korjataan.", IdeaStatus.IN_PROGRESS),
    ("Palvelu ruotsiksi puhelimessa", "Ruotsinkielinen valinta puhelinvalikkoon.", IdeaStatus.NEW),
    ("Yhteystiedot etusivulle", "Puhelinnumero ja chat näkyviin etusivulle.", IdeaStatus.DONE),
    ("Jonotusajan näyttäminen chatissa", "Chat kertoo jonon pituuden.", IdeaStatus.NEW),
    (
        "Kirjallinen vahvistus jokaisesta puhelusta",
        "Yhteenveto sähköpostiin puhelun jälkeen.",
        IdeaStatus.DECLINED,
    ),
    ("Paperilaskun tilaus verkkopalvelusta", "Asiakas voi tilata paperilaskun itse.", IdeaStatus.NEW),
]


def _comment(rng: object, mood: int) -> str:
    pool = [s for s, tone in SENTENCES if tone == mood] or [s for s, _ in SENTENCES]
    others = [s for s, _ in SENTENCES]
    parts = [rng.choice(pool)]  # type: ignore[attr-defined]
    if rng.random() < 0.45:  # type: ignore[attr-defined]
        parts.append(rng.choice(pool if rng.random() < 0.7 else others))  # type: ignore[attr-defined]
    return " ".join(dict.fromkeys(parts))


def build(context: DemoContext) -> None:
    org = context.objects.get("organisation")
    teams = context.objects.get("teams") or []
    members = context.objects.get("members") or {}
    if org is None or Survey.objects.filter(organisation=org, name=SURVEY_NAME).exists():
        return
    rng = context.rng
    survey = Survey.objects.create(
        organisation=org,
        name=SURVEY_NAME,
        ask_ces=True,
        ask_fcr=True,
        questions=["Mitä voisimme tehdä paremmin?"],
    )
    now = timezone.now()
    agents = [m for m in members.values() if m.role == "agent"]
    responses = []
    for _i in range(N_RESPONSES):
        days_ago = rng.random() * DAYS
        at = now - dt.timedelta(days=days_ago, minutes=rng.randrange(600))
        channel = rng.choice([Channel.PHONE, Channel.PHONE, Channel.CHAT, Channel.EMAIL])
        team = teams[rng.randrange(len(teams))] if teams else None
        # The first team's experiment (call-backs) lifts its answers in the last EXPERIMENT_DAYS.
        lift = 1.2 if team is not None and teams and team == teams[0] and days_ago < EXPERIMENT_DAYS else 0.0
        quality = rng.gauss(0.3 + lift, 1.0)
        nps = max(0, min(10, round(7 + 2.2 * quality)))
        csat = max(1, min(5, round(3.8 + 0.9 * quality)))
        ces = max(1, min(7, round(5 + 1.2 * quality)))
        mood = 1 if quality > 0.6 else (-1 if quality < -0.3 else 0)
        responses.append(
            Response(
                organisation=org,
                survey=survey,
                source=Source.LINK,
                channel=channel,
                queue_ref=QUEUES[channel],
                team=team,
                agent=rng.choice(agents) if agents and rng.random() < 0.5 else None,
                nps=nps,
                csat=csat,
                ces=ces,
                fcr=quality > -0.2,
                comment=_comment(rng, mood) if rng.random() < 0.7 else "",
                language="fi",
                answered_at=at,
            )
        )
    Response.objects.bulk_create(responses)
    Feedback.objects.bulk_create(
        Feedback(
            organisation=org,
            source=rng.choice([Source.FORM, Source.API, Source.CSV]),
            channel=rng.choice([Channel.WEB, Channel.EMAIL, Channel.SOCIAL]),
            team=teams[rng.randrange(len(teams))] if teams else None,
            text=_comment(rng, rng.choice([-1, -1, 0, 1])),
            received_at=now - dt.timedelta(days=rng.random() * 60),
        )
        for _i in range(80)
    )
    author = members.get("lead@demo.aspa.fi")
    for title, happened, felt, learned in STORIES:
        Story.objects.create(
            organisation=org,
            title=title,
            happened=happened,
            felt=felt,
            learned=learned,
            author=author,
            team=teams[0] if teams else None,
        )
    voters = list(members.values())
    for n, (title, body, status) in enumerate(IDEAS):
        idea_author = voters[n % len(voters)] if voters and n % 4 else None
        idea = Idea.objects.create(
            organisation=org,
            title=title,
            body=body,
            status=status,
            origin=IdeaOrigin.STAFF if idea_author else IdeaOrigin.CUSTOMER,
            author=idea_author,
            created_at=now - dt.timedelta(days=60 - n * 4),
        )
        for voter in rng.sample(voters, k=min(len(voters), rng.randrange(1, 9))) if voters else []:
            if voter != idea_author:
                IdeaVote.objects.create(idea=idea, membership=voter)
        if voters and n % 3 == 0:
            IdeaComment.objects.create(idea=idea, author=rng.choice(voters), body="Hyvä ajatus, kokeillaan!")
    from aspa.voice.services import themes_analyse

    themes_analyse(organisation_id=org.pk)
