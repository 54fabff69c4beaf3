import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from aspa.core.roles import Role
from aspa.voice import services
from aspa.voice.models import Response, SurveyLink
from aspa.voice.ratelimit import PUBLIC_LIMIT
from tests.voice.factories import SurveyFactory, link_for


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(org):
    return SurveyFactory(organisation=org, ask_ces=True, questions=["Mitä parantaisimme?"])


def test_lead_creates_links_in_bulk_and_only_hashes_are_stored(member_of, survey, team):
    lead = member_of(Role.LEAD)
    pairs = services.link_create_bulk(
        actor=lead,
        survey=survey,
        specs=[services.LinkSpec(contact_ref="c1", team=team.name), services.LinkSpec(contact_ref="c2")],
    )
    assert len(pairs) == 2
    link, token = pairs[0]
    assert link.team == team and link.token_hash == services.hash_token(token)
    assert not SurveyLink.objects.filter(token_hash=token).exists()


def test_bulk_links_are_all_or_nothing(member_of, survey):
    with pytest.raises(ValidationError) as exc:
        services.link_create_bulk(
            actor=member_of(Role.LEAD),
            survey=survey,
            specs=[services.LinkSpec(contact_ref="ok"), services.LinkSpec(team="Ei ole")],
        )
    assert "Ei ole" in str(exc.value)
    assert SurveyLink.objects.count() == 0


def test_agent_cannot_create_links(member_of, survey):
    with pytest.raises(PermissionDenied):
        services.link_create_bulk(actor=member_of(Role.AGENT), survey=survey, specs=[services.LinkSpec()])
    assert SurveyLink.objects.count() == 0


def test_lead_cannot_create_links_for_another_organisations_survey(member_of, other_org):
    foreign = SurveyFactory(organisation=other_org)
    with pytest.raises(ValidationError):
        services.link_create_bulk(actor=member_of(Role.LEAD), survey=foreign, specs=[services.LinkSpec()])
    assert SurveyLink.objects.count() == 0


def test_customer_answers_once_without_logging_in(survey):
    link_for(survey, token="abc")
    client = Client()
    page = client.get(reverse("voice:answer", args=["abc"]))
    assert page.status_code == 200
    response = client.post(
        reverse("voice:answer", args=["abc"]),
        {
            "nps": "9",
            "csat": "5",
            "ces": "6",
            "comment": "Soittakaa 040 123 4567, palvelu oli ystävällistä",
            "q0": "Ei mitään",
        },
    )
    assert response.status_code == 200
    stored = Response.objects.get()
    assert (stored.nps, stored.csat, stored.ces) == (9, 5, 6)
    assert "040" not in stored.comment and "[phone]" in stored.comment
    assert stored.answers == {"Mitä parantaisimme?": "Ei mitään"}
    assert stored.sentiment in {"negative", "neutral", "positive"}
    again = client.post(reverse("voice:answer", args=["abc"]), {"nps": "0"})
    assert again.status_code == 410
    assert Response.objects.count() == 1


def test_service_refuses_a_spent_link(survey):
    link_for(survey, token="abc")
    services.link_answer(token="abc", nps=10)
    with pytest.raises(ValidationError) as exc:
        services.link_answer(token="abc", nps=0)
    assert exc.value.messages == [services.ERR_LINK_USED]
    assert Response.objects.count() == 1


def test_forged_token_is_refused_and_nothing_stored(survey):
    link_for(survey, token="real")
    response = Client().post(reverse("voice:answer", args=["forged"]), {"nps": "10"})
    assert response.status_code == 404
    with translation.override("fi"):  # a link without a language gets the Finnish page
        assert translation.gettext(services.ERR_LINK_INVALID) in response.content.decode()
    assert Response.objects.count() == 0


def test_expired_link_is_refused(survey):
    link_for(survey, token="old", expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError) as exc:
        services.link_answer(token="old", nps=5)
    assert exc.value.messages == [services.ERR_LINK_EXPIRED]
    assert Response.objects.count() == 0


def test_out_of_range_answers_are_refused(survey):
    link_for(survey, token="abc")
    with pytest.raises(ValidationError):
        services.link_answer(token="abc", nps=11)
    with pytest.raises(ValidationError) as exc:
        services.link_answer(token="abc")
    assert exc.value.messages == [services.ERR_NOTHING_ANSWERED]
    assert Response.objects.count() == 0
    assert SurveyLink.objects.get().used_at is None


def test_flood_from_one_address_is_refused(survey):
    client = Client()
    url = reverse("voice:answer", args=["nope"])
    codes = [client.post(url, {"nps": "5"}).status_code for _ in range(PUBLIC_LIMIT + 1)]
    assert codes[-1] == 429
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "word"), [("sv", 'lang="sv"'), ("en", 'lang="en"'), ("fi", 'lang="fi"')]
)
def test_page_speaks_the_links_language(survey, language, word):
    link_for(survey, token="t", language=language)
    assert word in Client().get(reverse("voice:answer", args=["t"])).content.decode()


def test_survey_create_needs_a_question(member_of):
    with pytest.raises(ValidationError) as exc:
        services.survey_create(
            actor=member_of(Role.MANAGER), name="Tyhjä", ask_nps=False, ask_csat=False, ask_text=False
        )
    assert exc.value.messages == [services.ERR_NO_QUESTIONS]


def test_links_csv_download(member_of, client_for, survey, team):
    client = client_for(member_of(Role.LEAD))
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = f"contact,channel,team,language\nc1,chat,{team.name},sv\nc2,phone,,fi\n".encode()
    response = client.post(
        reverse("voice:survey_links_csv", args=[survey.pk]), {"file": SimpleUploadedFile("l.csv", data)}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert body.count("/voice/s/") == 2
    assert SurveyLink.objects.filter(language="sv", channel="chat", team=team).count() == 1


def test_links_csv_with_bad_row_stores_nothing(member_of, client_for, survey):
    client = client_for(member_of(Role.LEAD))
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = b"contact,channel\nc1,phone\nc2,pigeon\n"
    response = client.post(
        reverse("voice:survey_links_csv", args=[survey.pk]), {"file": SimpleUploadedFile("l.csv", data)}
    )
    assert response.status_code == 400
    assert "pigeon" in response.content.decode()
    assert SurveyLink.objects.count() == 0


def test_survey_pages_list_the_question_kinds_one_by_one(member_of, client_for, survey):
    client = client_for(member_of(Role.LEAD))
    for url in (reverse("voice:surveys"), reverse("voice:survey", args=[survey.pk])):
        body = client.get(url).content.decode()
        assert '<span class="badge">NPS</span> <span class="badge">CSAT</span>' in body, url


def test_answers_list_puts_what_the_customer_said_before_channel_and_team(member_of, client_for, org):
    from tests.voice.factories import ResponseFactory

    ResponseFactory(organisation=org, nps=3, comment="Jonotin tunnin", answered_at=timezone.now())
    body = client_for(member_of(Role.LEAD)).get(reverse("voice:responses")).content.decode()
    row = body.split("<tbody>")[1]
    assert row.index("Jonotin tunnin") < row.index(translation.gettext("Phone"))
