import pytest
from django.test import Client
from django.urls import reverse

from aspa.core.roles import Role
from aspa.voice.models import Feedback, Response, SurveyLink
from tests.voice.factories import SurveyFactory


def _post(client, name, payload, **kwargs):
    return client.post(reverse(name, kwargs=kwargs or None), payload, content_type="application/json")


def test_lead_creates_links_and_customer_answers(member_of, client_for, org, team):
    survey = SurveyFactory(organisation=org)
    response = _post(
        client_for(member_of(Role.LEAD)),
        "api:voice_links_create",
        {"links": [{"contact": "c-1", "team": team.name, "language": "sv"}, {"contact": "c-2"}]},
        survey_id=survey.pk,
    )
    assert response.status_code == 200
    urls = [x["url"] for x in response.json()]
    assert len(urls) == 2
    answered = Client().post(urls[0].replace("http://testserver", ""), {"nps": "10"})
    assert answered.status_code == 200 and Response.objects.get().team == team


def test_agent_gets_403_and_outsider_404_for_links(member_of, client_for, org, other_org):
    survey = SurveyFactory(organisation=org)
    payload = {"links": [{"contact": "c"}]}
    assert (
        _post(
            client_for(member_of(Role.AGENT)), "api:voice_links_create", payload, survey_id=survey.pk
        ).status_code
        == 403
    )
    outsider = member_of(Role.ADMIN, organisation=other_org)
    assert (
        _post(client_for(outsider), "api:voice_links_create", payload, survey_id=survey.pk).status_code == 404
    )
    assert _post(Client(), "api:voice_links_create", payload, survey_id=survey.pk).status_code == 401
    assert SurveyLink.objects.count() == 0


def test_responses_are_all_or_nothing_with_positions(member_of, client_for):
    manager = member_of(Role.MANAGER)
    manager.user.language = "en"
    manager.user.save()
    client = client_for(manager)
    bad = _post(client, "api:voice_responses_create", {"responses": [{"nps": 9}, {"nps": 12}]})
    assert bad.status_code == 422 and "Line 2" in bad.json()["detail"]
    assert Response.objects.count() == 0
    ok = _post(
        client, "api:voice_responses_create", {"responses": [{"nps": 9, "comment": "Kiitos"}, {"csat": 4}]}
    )
    assert ok.json() == {"created": 2, "skipped": 0}


@pytest.mark.parametrize("role", [Role.AGENT, Role.PLANNER])
def test_non_managers_cannot_post_responses(member_of, client_for, role):
    response = _post(client_for(member_of(role)), "api:voice_responses_create", {"responses": [{"nps": 9}]})
    assert response.status_code == 403 and Response.objects.count() == 0


def test_feedback_by_api_is_masked(member_of, client_for):
    response = _post(
        client_for(member_of(Role.AGENT)),
        "api:voice_feedback_create",
        {"feedback": [{"text": "Soita 0401234567"}]},
    )
    assert response.status_code == 200 and Feedback.objects.get().text == "Soita [phone]"


def test_scores(member_of, client_for, org):
    from tests.voice.factories import ResponseFactory

    ResponseFactory(organisation=org, nps=10)
    body = client_for(member_of(Role.AGENT)).get(reverse("api:voice_scores")).json()
    assert {x["metric"]: x["n"] for x in body} == {"nps": 1, "csat": 1, "ces": 1}


def test_item_errors_are_listed_under_the_list_field(member_of, client_for, team):
    manager = member_of(Role.MANAGER)
    manager.user.language = "en"
    manager.user.save()
    response = _post(
        client_for(manager),
        "api:voice_responses_create",
        {"responses": [{"nps": 9, "team": team.name}, {"nps": 9, "team": "Ei ole"}, {"csat": 9}]},
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert list(errors) == ["responses"]
    assert errors["responses"][0].startswith("Line 2:") and "Ei ole" in errors["responses"][0]
    assert errors["responses"][1].startswith("Line 3:")
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"nps": 9, "npss": 3}, "responses.0.npss"),
        ({"nps": 9, "answered_at": "2025-02-03T10:00:00"}, "responses.0.answered_at"),
        ({"nps": 9, "queue": "q" * 121}, "responses.0.queue"),
        ({"nps": 9, "comment": "x" * 5001}, "responses.0.comment"),
        ({"nps": 9, "answered_at": "2099-02-03T10:00:00+02:00"}, "responses.0.answered_at"),
    ],
    ids=["unknown-field", "no-offset", "queue-too-long", "comment-too-long", "in-future"],
)
def test_strict_items_are_refused_field_by_field(member_of, client_for, item, field):
    response = _post(client_for(member_of(Role.MANAGER)), "api:voice_responses_create", {"responses": [item]})
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    assert Response.objects.count() == 0


def test_answer_time_with_an_offset_is_kept_as_that_instant(member_of, client_for):
    response = _post(
        client_for(member_of(Role.MANAGER)),
        "api:voice_responses_create",
        {"responses": [{"nps": 9, "answered_at": "2025-02-03T10:00:00+02:00"}]},
    )
    assert response.status_code == 200
    assert Response.objects.get().answered_at.isoformat() == "2025-02-03T08:00:00+00:00"


def test_feedback_and_links_are_strict_too(member_of, client_for, org):
    client = client_for(member_of(Role.LEAD))
    feedback = _post(
        client, "api:voice_feedback_create", {"feedback": [{"text": "Hyvä", "recieved_at": "x"}]}
    )
    assert feedback.status_code == 422 and "feedback.0.recieved_at" in feedback.json()["errors"]
    survey = SurveyFactory(organisation=org)
    links = _post(
        client, "api:voice_links_create", {"links": [{"contact": "c", "language": "de"}]}, survey_id=survey.pk
    )
    assert links.status_code == 422 and "links.0.language" in links.json()["errors"]
    unknown = _post(
        client, "api:voice_links_create", {"links": [{"contact": "c", "team": "Ei ole"}]}, survey_id=survey.pk
    )
    assert unknown.status_code == 422 and "links" in unknown.json()["errors"]
    assert Feedback.objects.count() == 0 and SurveyLink.objects.count() == 0


@pytest.mark.parametrize("days", ["0", "-5", "3651"])
def test_scores_window_out_of_range_is_422(member_of, client_for, days):
    response = client_for(member_of(Role.AGENT)).get(reverse("api:voice_scores"), {"days": days})
    assert response.status_code == 422 and "days" in response.json()["errors"]


def test_schema_documents_body_errors_limits_and_retries():
    paths = Client().get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/v1/voice/responses",
        "/api/v1/voice/feedback",
        "/api/v1/voice/surveys/{survey_id}/links",
    ):
        operation = paths[path]["post"]
        assert {"400", "413", "422"} <= set(operation["responses"]), path
        assert "idempotent" in operation["description"].lower(), path
    days = next(p for p in paths["/api/v1/voice/scores"]["get"]["parameters"] if p["name"] == "days")
    assert (days["schema"]["minimum"], days["schema"]["maximum"]) == (1, 3650)


def test_only_leads_and_up_may_keep_personal_data_unmasked(member_of, client_for):
    payload = {"feedback": [{"text": "Soita 0401234567"}], "mask": False}
    refused = _post(client_for(member_of(Role.AGENT)), "api:voice_feedback_create", payload)
    assert refused.status_code == 403 and Feedback.objects.count() == 0
    kept = _post(client_for(member_of(Role.LEAD)), "api:voice_feedback_create", payload)
    assert kept.status_code == 200 and Feedback.objects.get().text == "Soita 0401234567"


def test_agents_forms_always_mask(member_of, client_for):
    from aspa.voice.models import Story

    agent = client_for(member_of(Role.AGENT))
    page = agent.get(reverse("voice:feedback")).content.decode()
    assert 'name="mask"' not in page
    assert 'name="mask"' in client_for(member_of(Role.LEAD)).get(reverse("voice:feedback")).content.decode()
    # A forged "mask off" from an agent is ignored: the field is not theirs.
    agent.post(reverse("voice:feedback"), {"text": "Soita 0401234567", "channel": "phone"})
    assert Feedback.objects.get().text == "Soita [phone]"
    agent.post(
        reverse("voice:stories"),
        {
            "title": "T",
            "happened": "Asiakas 040 123 4567 soitti",
            "felt": "f",
            "learned": "l",
            "channel": "phone",
        },
    )
    assert Story.objects.get().happened == "Asiakas [phone] soitti"


def test_answers_and_feedback_with_your_own_ids_are_not_doubled_by_a_retry(member_of, client_for, other_org):
    lead = client_for(member_of(Role.LEAD))
    batch = {
        "responses": [{"nps": 9, "external_id": "crm-1"}, {"nps": 3, "external_id": "crm-2"}, {"nps": 7}]
    }
    first = _post(lead, "api:voice_responses_create", batch)
    assert first.json() == {"created": 3, "skipped": 0}
    retry = _post(lead, "api:voice_responses_create", batch)
    assert retry.json() == {"created": 1, "skipped": 2}  # the one without an id is stored again
    assert Response.objects.filter(external_id="crm-1").count() == 1 and Response.objects.count() == 4

    # Another organisation may use the same ids.
    other = client_for(member_of(Role.LEAD, organisation=other_org))
    assert _post(other, "api:voice_responses_create", batch).json()["created"] == 3

    fb = {"feedback": [{"text": "Jono oli pitkä", "external_id": "t-9"}]}
    assert _post(lead, "api:voice_feedback_create", fb).json() == {"created": 1, "skipped": 0}
    assert _post(lead, "api:voice_feedback_create", fb).json() == {"created": 0, "skipped": 1}


def test_an_id_twice_in_one_batch_is_refused_whole(member_of, client_for):
    batch = {"responses": [{"nps": 9, "external_id": "x"}, {"nps": 3, "external_id": "x"}]}
    refused = _post(client_for(member_of(Role.LEAD)), "api:voice_responses_create", batch)
    assert refused.status_code == 422 and "x" in str(refused.json()) and Response.objects.count() == 0


def test_csv_reimport_skips_rows_with_known_ids(member_of, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    lead = client_for(member_of(Role.LEAD))
    csv_text = "nps,comment,external_id\n9,Hyvä,a1\n4,Huono,a2\n"

    def upload():
        return lead.post(
            reverse("voice:responses"),
            {"file": SimpleUploadedFile("v.csv", csv_text.encode(), content_type="text/csv")},
            follow=True,
        )

    upload()
    page = upload().content.decode()
    assert Response.objects.count() == 2
    assert "external_id" in page  # the message says why nothing new came in
