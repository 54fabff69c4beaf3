"""Demo part of voice: a survey with some thousands of answers over half a year in varied Finnish,
feedback, stories and ideas with votes, and the themes found in them.

Deterministic from `context.rng`; skipped when the demo survey already exists. Answers of the first
team get better from the call-back experiment on, the second team's barely move during the chat
experiment (aspa.roadmap's demo measures both). Rows go in with bulk_create: the browser tests seed
the demo once per session.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

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
N_RESPONSES = 3000
N_FEEDBACK = 240
DAYS = 180
# The call-back experiment (aspa.roadmap's demo) started this many days ago and lifted the first team's
# answers from then on; it ran for EXPERIMENT_DAYS and was adopted. The chat-history experiment of the
# second team (CHAT_EXPERIMENT_*) moved nothing measurable.
EXPERIMENT_DAYS = 28
EXPERIMENT_STARTED_DAYS_AGO = 63
CHAT_EXPERIMENT_STARTED_DAYS_AGO = 52
CHAT_EXPERIMENT_DAYS = 28

QUEUES = {
    Channel.PHONE: "Puhelin henkilöasiakkaat",
    Channel.CHAT: "Chat",
    Channel.EMAIL: "Sähköposti",
}

# Theme -> (sentence, tone); tone -1 negative, 0 neutral, +1 positive. A comment combines one to three
# sentences, mostly of one theme, with an optional opening and closing so that no two read alike.
THEMED: dict[str, list[tuple[str, int]]] = {
    "jonotus": [
        ("Jonotin puhelimessa yli puoli tuntia ennen kuin pääsin puhumaan kenellekään.", -1),
        ("Puhelinjonossa odottaminen kesti aivan liian kauan.", -1),
        ("Jonotusaika oli pitkä, mutta asia hoitui lopulta.", 0),
        ("Takaisinsoittopalvelu toimi hyvin, ei tarvinnut odottaa linjalla.", 1),
        ("Pääsin jonosta läpi parissa minuutissa, hienoa.", 1),
        ("Jonossa kerrottiin arvioitu odotusaika, se auttoi paljon.", 1),
        ("Puhelu katkesi jonossa kaksi kertaa ja jouduin soittamaan uudelleen.", -1),
        ("Maanantaiaamuna jono oli niin pitkä, että luovutin.", -1),
        ("Odotin, mutta neuvoja pahoitteli viivettä ja hoiti asian hyvin.", 0),
    ],
    "ystävällisyys": [
        ("Asiakasneuvoja oli todella ystävällinen ja kärsivällinen.", 1),
        ("Sain ystävällistä ja asiantuntevaa palvelua, kiitos Liisalle.", 1),
        ("Neuvoja kuunteli ja ymmärsi heti, mistä oli kyse.", 1),
        ("Palvelu oli ystävällistä, vaikka asiani oli hankala.", 1),
        ("Neuvoja vaikutti kiireiseltä eikä oikein kuunnellut.", -1),
        ("Asiakaspalvelija oli tyly ja keskeytti minut monta kertaa.", -1),
        ("Neuvoja tarjosi minulle edullisemman vaihtoehdon, mukava yllätys.", 1),
    ],
    "ratkaisu": [
        ("Asia ratkesi ensimmäisellä yhteydenotolla, kiitos.", 1),
        ("Jouduin soittamaan kolme kertaa samasta asiasta.", -1),
        ("Minulle luvattiin soittaa takaisin, mutta kukaan ei soittanut.", -1),
        ("Asiani siirrettiin toiselle osastolle eikä se vieläkään ole ratkennut.", -1),
        ("Kaikki hoitui yhdellä puhelulla, ei tarvinnut soitella uudelleen.", 1),
        ("Sain kirjallisen vahvistuksen sähköpostiin heti puhelun jälkeen.", 1),
    ],
    "lasku": [
        ("Lasku oli väärin jo toista kertaa peräkkäin.", -1),
        ("Laskussa oli veloitus palvelusta, jota en ole tilannut.", -1),
        ("En ymmärrä laskun erittelyä, se on liian monimutkainen.", -1),
        ("Laskuvirhe korjattiin nopeasti ja sain hyvityksen.", 1),
        ("Eräpäivän siirto onnistui helposti.", 1),
        ("Kysyin laskusta ja sain selkeän vastauksen.", 1),
        ("Hinnat ovat nousseet, eikä sitä kerrottu etukäteen.", -1),
    ],
    "verkkopalvelu": [
        ("Verkkopalveluun kirjautuminen ei onnistunut koko päivänä.", -1),
        ("Verkkopalvelu kaatuu aina, kun yritän vaihtaa osoitetta.", -1),
        ("Sivuilta on vaikea löytää yhteystietoja.", -1),
        ("Verkkopalvelun ohjeet olivat selkeät ja löysin vastauksen itse.", 1),
        ("Mobiilisovellus toimii hyvin ja on helppokäyttöinen.", 1),
        ("Sovelluksen päivityksen jälkeen en näe enää laskujani.", -1),
    ],
    "chat": [
        ("Chatissa vastattiin nopeasti ja asia ratkesi saman tien.", 1),
        ("Chat on kätevä, kun ei tarvitse jonottaa puhelimessa.", 1),
        ("Chatissa jouduin selittämään asiani kolmelle eri henkilölle.", -1),
        ("Chat-botti ei ymmärtänyt kysymystäni ollenkaan.", -1),
        ("Chatin kautta sain ohjeet, mutta vastaus tuli hitaasti.", 0),
        ("Sähköpostiin vastattiin vasta viikon päästä.", -1),
    ],
    "yleinen": [
        ("Palvelu oli nopeaa ja sujuvaa.", 1),
        ("Kaikki meni hyvin, ei valitettavaa.", 1),
        ("Ihan tavallinen asiointi, ei mitään erityistä.", 0),
        ("Aukioloajat voisivat olla pidemmät, illalla ei saa palvelua.", -1),
        ("Palvelu ruotsiksi onnistui huonosti, vaikka sitä pyysin.", -1),
    ],
}
SENTENCES: list[tuple[str, int]] = [pair for pairs in THEMED.values() for pair in pairs]
# How often each theme is the topic of a comment (waiting dominates in a contact centre).
THEME_WEIGHTS = {
    "jonotus": 5,
    "ystävällisyys": 4,
    "ratkaisu": 3,
    "lasku": 3,
    "verkkopalvelu": 2,
    "chat": 2,
    "yleinen": 2,
}
OPENINGS = {
    -1: ["", "", "", "Harmittaa. ", "Valitettavasti näin: ", "Rehellisesti sanottuna "],
    0: ["", "", "", "No, ", "Kokonaisuutena "],
    1: ["", "", "", "Kiitos! ", "Hyvä kokemus. ", "Olen tyytyväinen. "],
}
CLOSINGS = {
    -1: ["", "", "", " Toivottavasti tähän puututaan.", " Harkitsen palveluntarjoajan vaihtoa."],
    0: ["", "", "", " Muuten ihan ok."],
    1: ["", "", "", " Jatkakaa samaan malliin!", " Suosittelen."],
}
UNMASKED_FEEDBACK = [
    ("Lasku on taas väärin. Soittakaa minulle numeroon 040 123 4567, en jaksa jonottaa.", 3),
    ("Laskuni ei näy verkkopalvelussa. Lähettäkää se osoitteeseen maija.meikalainen@example.fi.", 9),
    ("Hyvitys tilille FI21 1234 5600 0007 85 olisi kiva saada pian.", 15),
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
        IdeaStatus.DONE,  # adopted after the demo experiment (aspa.roadmap's demo)
    ),
    (
        "Arvioitu jonotusaika puhelinjonoon",
        "Kerrotaan soittajalle arvioitu odotusaika.",
        IdeaStatus.UNDER_REVIEW,
    ),
    ("Chatin keskusteluhistoria siirtoihin", "Siirrossa historia kulkee mukana.", IdeaStatus.PLANNED),
    ("Selkeämpi laskun erittely", "Laskuun selkokielinen yhteenveto.", IdeaStatus.NEW),
    (
        "Hyvitysvaltuudet neuvojille",
        "Neuvoja voi hyvittää pienen laskuvirheen heti.",
        IdeaStatus.PLANNED,
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


def _comment(rng: Any, mood: int) -> str:
    theme = rng.choices(list(THEME_WEIGHTS), weights=list(THEME_WEIGHTS.values()))[0]
    pool = [s for s, tone in THEMED[theme] if tone == mood] or [s for s, _tone in THEMED[theme]]
    parts = [rng.choice(pool)]
    if rng.random() < 0.45:
        other = THEMED[theme] if rng.random() < 0.6 else SENTENCES
        same_mood = [s for s, tone in other if tone == mood]
        parts.append(rng.choice(same_mood if same_mood and rng.random() < 0.8 else [s for s, _t in other]))
    text = " ".join(dict.fromkeys(parts))
    opening = rng.choice(OPENINGS[mood])
    if opening:
        # After "Kiitos! " the sentence starts anew; after "No, " it goes on in lower case.
        text = opening + (text if opening.rstrip()[-1] in ".!" else text[0].lower() + text[1:])
    return text + rng.choice(CLOSINGS[mood])


def _lift(teams: list[Any], team: Any, days_ago: float) -> float:
    """How much better an answer is thanks to the demo experiments (see the module constants)."""
    if team is None:
        return 0.0
    if team == teams[0] and days_ago < EXPERIMENT_STARTED_DAYS_AGO:
        return 1.2  # call-backs: adopted after the experiment, so the lift stays
    if len(teams) > 1 and team == teams[1] and days_ago < CHAT_EXPERIMENT_STARTED_DAYS_AGO:
        return 0.0  # chat history in transfers: no effect a survey can tell apart from noise
    return 0.0


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
        lift = _lift(teams, team, days_ago)
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
        for _i in range(N_FEEDBACK)
    )
    # Typed in by hand with masking turned off: the personal data clean-up page has work to do.
    Feedback.objects.bulk_create(
        Feedback(
            organisation=org,
            source=Source.FORM,
            channel=Channel.EMAIL,
            text=text,
            received_at=now - dt.timedelta(days=days),
        )
        for text, days in UNMASKED_FEEDBACK
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
