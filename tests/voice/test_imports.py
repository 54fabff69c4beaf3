import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from aspa.core.roles import Role
from aspa.voice import importing, services
from aspa.voice.models import Feedback, Response, Source


def test_responses_csv_all_rows_stored(member_of, team):
    rows = importing.responses_from_csv(
        f"answered_at;channel;team;nps;csat;ces;fcr;comment\n2026-01-05 10:00;chat;{team.name};9;5;7;kyllä;Nopea chat\n"
        "2026-01-06;phone;;3;;;ei;Jonotin liian kauan\n"
    )
    created = services.response_create_many(
        actor=member_of(Role.MANAGER), rows=rows, source=Source.CSV, line_offset=1
    )
    assert len(created) == 2
    first = Response.objects.get(channel="chat")
    assert (first.team, first.nps, first.fcr, first.source) == (team, 9, True, Source.CSV)


@translation.override("en")
def test_responses_csv_errors_name_lines_and_store_nothing(member_of):
    with pytest.raises(ValidationError) as exc:
        importing.responses_from_csv("nps,csat\n9,5\nx,4\n7,2\n")
    assert exc.value.messages == ["Line 3: nps is not a whole number: x"]
    rows = importing.responses_from_csv("nps,csat,team\n9,5,\n11,4,\n7,2,Tuntematon\n")
    with pytest.raises(ValidationError) as exc:
        services.response_create_many(actor=member_of(Role.MANAGER), rows=rows, line_offset=1)
    messages = exc.value.messages
    assert messages[0].startswith("Line 3:") and messages[1].startswith("Line 4:")
    assert Response.objects.count() == 0


def test_agent_cannot_import_responses(member_of):
    with pytest.raises(PermissionDenied):
        services.response_create_many(actor=member_of(Role.AGENT), rows=[services.ResponseIn(nps=5)])
    assert Response.objects.count() == 0


def test_feedback_form_masks_and_scores(member_of, client_for):
    client = client_for(member_of(Role.AGENT))
    response = client.post(
        reverse("voice:feedback"),
        {"text": "Laskussa virhe, tili FI21 1234 5600 0007 85", "channel": "web", "mask": "on"},
    )
    assert response.status_code == 302
    stored = Feedback.objects.get()
    assert "[iban]" in stored.text and stored.sentiment


def test_feedback_form_errors_rerender_with_input(member_of, client_for):
    client = client_for(member_of(Role.AGENT))
    response = client.post(
        reverse("voice:feedback"), {"text": "Hyvä palvelu", "channel": "web", "team": "Ei ole"}
    )
    assert response.status_code == 400
    assert "Hyvä palvelu" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_feedback_csv_import_is_all_or_nothing(member_of, client_for):
    agent = member_of(Role.AGENT)
    agent.user.language = "en"
    agent.user.save()
    client = client_for(agent)
    data = b"text,channel\nHyv\xc3\xa4 palvelu,web\n,web\n"
    response = client.post(reverse("voice:feedback_import"), {"file": SimpleUploadedFile("f.csv", data)})
    assert response.status_code == 400
    assert "Line 3" in response.content.decode()
    assert Feedback.objects.count() == 0
    ok = client.post(
        reverse("voice:feedback_import"), {"file": SimpleUploadedFile("f.csv", b"text\nKiitos\nJonotin\n")}
    )
    assert ok.status_code == 302 and Feedback.objects.count() == 2
    # One piece is "1 piece of feedback", not "1 pieces" (Finnish inflects the same way: 1 palaute).
    one = client.post(
        reverse("voice:feedback_import"),
        {"file": SimpleUploadedFile("f.csv", b"text\nKiitos\n")},
        follow=True,
    )
    assert "1 piece of feedback imported." in one.content.decode()


def test_feedback_cannot_name_another_organisations_team(member_of, other_org):
    from tests.factories import TeamFactory

    foreign = TeamFactory(organisation=other_org, name="Vieras")
    with pytest.raises(ValidationError):
        services.feedback_create_many(
            actor=member_of(Role.AGENT), rows=[services.FeedbackIn(text="x", team=foreign.name)]
        )
    assert Feedback.objects.count() == 0


def test_existing_feedback_can_be_masked_by_a_lead(member_of, org):
    from tests.voice.factories import FeedbackFactory

    feedback = FeedbackFactory(organisation=org, text="Minun hetu 131052-308T")
    with pytest.raises(PermissionDenied):
        services.feedback_mask(actor=member_of(Role.AGENT), feedback=feedback)
    feedback.refresh_from_db()
    assert "131052" in feedback.text
    services.feedback_mask(actor=member_of(Role.LEAD), feedback=feedback)
    feedback.refresh_from_db()
    assert feedback.text == "Minun hetu [henkilötunnus]"
