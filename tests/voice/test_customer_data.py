"""A customer's own data request: find, export and erase by e-mail, phone or contact reference."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.voice.customer_data import (
    customer_data_erase,
    customer_data_export,
    customer_data_find,
    identifier_regex,
)
from aspa.voice.models import Feedback, Idea, Response, Story, SurveyLink
from tests.voice.factories import (
    FeedbackFactory,
    IdeaFactory,
    ResponseFactory,
    StoryFactory,
    SurveyFactory,
    link_for,
)

EMAIL = "maija.meikalainen@example.fi"


@pytest.fixture
def customer(org, other_org):
    """One customer's traces in `org`, an unrelated customer, and the same customer in another organisation."""
    survey = SurveyFactory(organisation=org, name="Palvelukysely")
    link = link_for(survey, token="t-1", contact_ref=EMAIL)
    answered = ResponseFactory(organisation=org, survey=survey, link=link, nps=3, comment="Liian pitkä jono.")
    by_text = ResponseFactory(
        organisation=org, comment="Soittakaa 040 123 4567, kiitos", answers={"Mitä muuta?": "ei muuta"}
    )
    by_answer = ResponseFactory(organisation=org, answers={"Yhteystieto": EMAIL.upper()})
    feedback = FeedbackFactory(organisation=org, text=f"Asiakas {EMAIL} pyysi takaisinsoittoa.")
    idea = IdeaFactory(organisation=org, title="Chat auki iltaisin", contact_email=EMAIL)
    story = StoryFactory(organisation=org, happened="Asiakas (p. 0401234567) soitti kolmesti.")
    unrelated = FeedbackFactory(organisation=org, text="Kaikki sujui hyvin, kiitos.")
    elsewhere = FeedbackFactory(organisation=other_org, text=f"Viesti osoitteesta {EMAIL}")
    return {
        "link": link,
        "answered": answered,
        "by_text": by_text,
        "by_answer": by_answer,
        "feedback": feedback,
        "idea": idea,
        "story": story,
        "unrelated": unrelated,
        "elsewhere": elsewhere,
    }


@pytest.mark.parametrize("written", ["040 123 4567", "0401234567", "+358 40 123 4567", "(040) 123-4567"])
def test_a_phone_number_matches_however_it_is_written(written):
    import re

    for asked in ("+358-40-1234567", "040 1234567"):
        assert re.fullmatch(identifier_regex(asked), written), (asked, written)
    assert not re.search(identifier_regex("040 1234567"), "040 123 4568")
    assert not re.search(identifier_regex("040 1234567"), "tilaus 10401234567")


def test_other_identifiers_match_literally():
    assert identifier_regex("a.b+c@example.fi") == r"a\.b\+c@example\.fi"


def test_find_every_trace_in_own_organisation_only(member_of, customer):
    admin = member_of(Role.ADMIN)
    found = customer_data_find(actor=admin, identifier=EMAIL)
    assert found.links == [customer["link"]]
    assert {r.pk for r in found.responses} == {customer["answered"].pk, customer["by_answer"].pk}
    assert found.feedback == [customer["feedback"]]  # not the other organisation's
    assert found.ideas == [customer["idea"]]
    assert found.total == 5
    by_phone = customer_data_find(actor=admin, identifier="+358 40 123 4567")
    assert by_phone.responses == [customer["by_text"]] and by_phone.stories == [customer["story"]]


def test_export_is_json_with_the_answers(member_of, customer):
    data = customer_data_export(customer_data_find(actor=member_of(Role.ADMIN), identifier=EMAIL))
    text = json.dumps(data)
    assert "Liian pitkä jono." in json.loads(text)["survey_answers"][0]["comment"]
    assert data["ideas"][0]["email_for_updates"] == EMAIL
    assert data["survey_links"][0]["survey"] == "Palvelukysely"


def test_erase_clears_references_and_texts_keeps_scores(member_of, customer):
    admin = member_of(Role.ADMIN)
    counts = customer_data_erase(actor=admin, identifier=EMAIL)
    assert counts == {
        "survey_links": 1,
        "survey_answers": 2,
        "feedback": 1,
        "ideas": 1,
        "customer_stories": 0,
    }
    assert SurveyLink.objects.get(pk=customer["link"].pk).contact_ref == ""
    answered = Response.objects.get(pk=customer["answered"].pk)
    assert answered.nps == 3 and answered.comment == "Liian pitkä jono."  # the score stays
    assert Response.objects.get(pk=customer["by_answer"].pk).answers == {"Yhteystieto": "[removed]"}
    assert Feedback.objects.get(pk=customer["feedback"].pk).text == "Asiakas [removed] pyysi takaisinsoittoa."
    idea = Idea.objects.get(pk=customer["idea"].pk)
    assert idea.contact_email == "" and idea.title == "Chat auki iltaisin"
    assert Feedback.objects.get(pk=customer["elsewhere"].pk).text.endswith(
        EMAIL
    )  # other organisation untouched
    assert Feedback.objects.get(pk=customer["unrelated"].pk).text == "Kaikki sujui hyvin, kiitos."
    assert customer_data_find(actor=admin, identifier=EMAIL).total == 0
    entry = AuditEntry.objects.get(action="customer_data.erase")
    assert EMAIL not in json.dumps(entry.changes) + entry.object_repr

    customer_data_erase(actor=admin, identifier="040 123 4567")
    assert Story.objects.get(pk=customer["story"].pk).happened == "Asiakas (p. [removed]) soitti kolmesti."
    assert Response.objects.get(pk=customer["by_text"].pk).comment == "Soittakaa [removed], kiitos"


@pytest.mark.parametrize("role", [Role.AGENT, Role.LEAD, Role.PLANNER, Role.MANAGER])
def test_only_an_administrator_handles_requests(member_of, customer, role):
    with pytest.raises(PermissionDenied):
        customer_data_find(actor=member_of(role), identifier=EMAIL)
    with pytest.raises(PermissionDenied):
        customer_data_erase(actor=member_of(role), identifier=EMAIL)
    assert Idea.objects.get(pk=customer["idea"].pk).contact_email == EMAIL


def test_too_short_identifier_is_refused(member_of, customer):
    with pytest.raises(ValidationError):
        customer_data_erase(actor=member_of(Role.ADMIN), identifier=" fi ")
    assert Feedback.objects.get(pk=customer["feedback"].pk).text.startswith("Asiakas maija")


def test_page_finds_exports_and_erases_after_confirmation(member_of, client_for, customer):
    client = client_for(member_of(Role.ADMIN))
    url = reverse("voice:customer_data")
    assert client.get(url).status_code == 200

    found = client.post(url, {"identifier": EMAIL, "action": "find"})
    assert found.status_code == 200 and "Chat auki iltaisin" in found.content.decode()

    export = client.post(url, {"identifier": EMAIL, "action": "export"})
    assert export["Content-Disposition"].startswith("attachment;")
    assert json.loads(export.content)["identifier"] == EMAIL

    unconfirmed = client.post(url, {"identifier": EMAIL, "action": "erase"})
    assert unconfirmed.status_code == 200 and 'id="id_confirm_error"' in unconfirmed.content.decode()
    assert Idea.objects.get(pk=customer["idea"].pk).contact_email == EMAIL

    erased = client.post(url, {"identifier": EMAIL, "action": "erase", "confirm": "on"})
    assert erased.status_code == 302
    assert Idea.objects.get(pk=customer["idea"].pk).contact_email == ""


def test_page_keeps_input_on_error(member_of, client_for):
    page = client_for(member_of(Role.ADMIN)).post(reverse("voice:customer_data"), {"identifier": "abc"})
    html = page.content.decode()
    assert page.status_code == 200 and 'value="abc"' in html and 'id="id_identifier_error"' in html


def test_erase_reaches_the_audit_log(member_of, customer, other_org):
    """Entries written before feedback stopped being labelled by its text quote the customer; erasure cuts it."""
    org = customer["feedback"].organisation
    quoted = AuditEntry.objects.create(
        organisation=org,
        action="sentiment.correct",
        object_type="voice.feedback",
        object_id=str(customer["feedback"].pk),
        object_repr=customer["feedback"].text[:60],
        changes={"note": f"asked by {EMAIL}"},
    )
    elsewhere = AuditEntry.objects.create(
        organisation=other_org, action="feedback.mask", object_type="voice.feedback", object_repr=EMAIL
    )

    customer_data_erase(actor=member_of(Role.ADMIN), identifier=EMAIL)

    own = AuditEntry.objects.filter(organisation=org)
    assert not [e.pk for e in own if EMAIL in (e.object_repr + json.dumps(e.changes)).lower()]
    quoted.refresh_from_db()
    assert quoted.object_repr.startswith("Asiakas [removed]")
    assert quoted.changes == {"note": "asked by [removed]"}
    elsewhere.refresh_from_db()
    assert elsewhere.object_repr == EMAIL  # another organisation's log is not touched
