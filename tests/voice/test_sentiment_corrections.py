"""Leads correct the model's sentiment; corrections survive re-analysis and measure the model."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.voice import corrections, services
from aspa.voice.models import Feedback, Response
from tests.voice.factories import FeedbackFactory, ResponseFactory


def _feedback(org, text, model_label):
    return FeedbackFactory(organisation=org, text=text, sentiment=model_label, sentiment_model=model_label)


def test_a_lead_corrects_and_undoes(member_of, org):
    lead = member_of(Role.LEAD)
    item = _feedback(org, "Ihan ok palvelu, ei valittamista.", "negative")
    corrections.sentiment_correct(actor=lead, kind="feedback", pk=item.pk, sentiment="positive")
    item.refresh_from_db()
    assert (item.sentiment, item.sentiment_model, item.sentiment_corrected_by) == (
        "positive",
        "negative",
        lead,
    )
    assert AuditEntry.objects.filter(action="sentiment.correct").count() == 1

    corrections.sentiment_correct(actor=lead, kind="feedback", pk=item.pk, sentiment=corrections.MODEL_LABEL)
    item.refresh_from_db()
    assert item.sentiment == "negative" and item.sentiment_corrected_at is None
    assert AuditEntry.objects.filter(action="sentiment.reset").count() == 1


def test_an_agent_cannot_correct(member_of, org):
    item = _feedback(org, "Jono oli pitkä.", "negative")
    with pytest.raises(PermissionDenied):
        corrections.sentiment_correct(
            actor=member_of(Role.AGENT), kind="feedback", pk=item.pk, sentiment="positive"
        )
    item.refresh_from_db()
    assert item.sentiment == "negative" and item.sentiment_corrected_at is None


def test_another_organisations_text_is_not_found(member_of, other_org):
    item = _feedback(other_org, "Vieras palaute", "neutral")
    with pytest.raises(Http404):
        corrections.sentiment_correct(
            actor=member_of(Role.ADMIN), kind="feedback", pk=item.pk, sentiment="positive"
        )
    item.refresh_from_db()
    assert item.sentiment == "neutral"


def test_bad_label_or_kind_is_refused(member_of, org):
    lead = member_of(Role.LEAD)
    item = _feedback(org, "Kiitos!", "positive")
    with pytest.raises(ValidationError):
        corrections.sentiment_correct(actor=lead, kind="feedback", pk=item.pk, sentiment="angry")
    with pytest.raises(Http404):
        corrections.sentiment_correct(actor=lead, kind="story", pk=item.pk, sentiment="positive")


def test_correction_survives_reanalysis(member_of, org):
    lead = member_of(Role.LEAD)
    texts = [f"Asiakaspalvelija oli ystävällinen ja asia ratkesi nopeasti {i}" for i in range(40)] + [
        f"Jonotin puhelimessa liian kauan eikä kukaan vastannut {i}" for i in range(40)
    ]
    services.feedback_create_many(actor=lead, rows=[services.FeedbackIn(text=t) for t in texts])
    item = Feedback.objects.filter(organisation=org, text__startswith="Jonotin").first()
    assert item.sentiment_model  # scored on arrival
    flipped = "positive" if item.sentiment_model != "positive" else "neutral"
    corrections.sentiment_correct(actor=lead, kind="feedback", pk=item.pk, sentiment=flipped)

    services.themes_analyse(organisation_id=org.pk)
    item.refresh_from_db()
    assert item.sentiment == flipped and item.theme_id is not None
    other = Feedback.objects.filter(organisation=org).exclude(pk=item.pk).first()
    assert other.sentiment == other.sentiment_model != ""


def test_agreement_counts_only_checked_texts(member_of, org, other_org):
    lead = member_of(Role.LEAD)
    right = _feedback(org, "Hyvä palvelu", "positive")
    wrong = _feedback(org, "Ei hassumpi", "negative")
    _feedback(org, "Unchecked", "neutral")
    answer = ResponseFactory(
        organisation=org, comment="Kesti", sentiment="neutral", sentiment_model="neutral"
    )
    for kind, obj, label in (
        ("feedback", right, "positive"),
        ("feedback", wrong, "positive"),
        ("response", answer, "negative"),
    ):
        corrections.sentiment_correct(actor=lead, kind=kind, pk=obj.pk, sentiment=label)
    other = _feedback(other_org, "Muualla", "negative")
    corrections.sentiment_correct(
        actor=member_of(Role.ADMIN, organisation=other_org),
        kind="feedback",
        pk=other.pk,
        sentiment="positive",
    )

    result = corrections.sentiment_agreement(actor=member_of(Role.AGENT))
    assert result.n == 3 and result.accuracy == pytest.approx(1 / 3)
    # people negative: model said neutral; people positive: model said negative once, positive once
    assert result.confusion == ((0, 1, 0), (0, 0, 0), (1, 0, 1))
    assert [c.pk for c in corrections.corrections_list(actor=member_of(Role.AGENT))] == [
        answer.pk,
        wrong.pk,
        right.pk,
    ]


def test_pages_show_fix_to_leads_and_figures_to_everyone(member_of, client_for, org):
    lead = member_of(Role.LEAD)
    item = _feedback(org, "Palvelu oli kelvollinen.", "negative")
    ResponseFactory(
        organisation=org, comment="Nopea vastaus", sentiment="positive", sentiment_model="positive"
    )
    agent_client = client_for(member_of(Role.AGENT))
    lead_client = client_for(lead)
    assert 'name="sentiment"' not in agent_client.get(reverse("voice:feedback")).content.decode()
    assert 'name="sentiment"' in lead_client.get(reverse("voice:feedback")).content.decode()
    assert 'name="sentiment"' in lead_client.get(reverse("voice:responses")).content.decode()
    empty = agent_client.get(reverse("voice:sentiment")).content.decode()
    assert 'class="empty"' in empty

    back = reverse("voice:feedback") + "?page=1"
    response = lead_client.post(
        reverse("voice:sentiment_correct"),
        {"kind": "feedback", "pk": item.pk, "sentiment": "neutral", "next": back},
    )
    assert response.status_code == 302 and response["Location"] == back
    assert Feedback.objects.get(pk=item.pk).sentiment == "neutral"
    outside = lead_client.post(
        reverse("voice:sentiment_correct"),
        {"kind": "feedback", "pk": item.pk, "sentiment": "positive", "next": "https://evil.example/"},
    )
    assert outside["Location"] == reverse("voice:sentiment")

    page = agent_client.get(reverse("voice:sentiment")).content.decode()
    assert "Palvelu oli kelvollinen." in page and "Undo" not in page
    assert (
        agent_client.post(
            reverse("voice:sentiment_correct"), {"kind": "feedback", "pk": item.pk, "sentiment": "negative"}
        ).status_code
        == 403
    )
    assert Response.objects.get().sentiment_corrected_at is None


def test_corrections_are_in_the_leads_personal_data(member_of, org):
    from aspa.org.models import User
    from aspa.voice import personal_data

    lead = member_of(Role.LEAD)
    item = _feedback(org, "Ok", "negative")
    corrections.sentiment_correct(actor=lead, kind="feedback", pk=item.pk, sentiment="neutral")
    user = User.objects.get(pk=lead.user_id)
    assert personal_data.export(user)["sentiment_corrections"] == 1
    personal_data.erase(user)
    item.refresh_from_db()
    assert item.sentiment_corrected_by is None and item.sentiment == "neutral"  # the label stays


def test_the_audit_entry_does_not_quote_the_customer(member_of, org):
    item = FeedbackFactory(organisation=org, text="Soita minulle: maija@example.fi 040 123 4567")
    corrections.sentiment_correct(
        actor=member_of(Role.LEAD), kind="feedback", pk=item.pk, sentiment="neutral"
    )
    entry = AuditEntry.objects.get(action="sentiment.correct")
    assert entry.object_id == str(item.pk)
    assert "maija" not in entry.object_repr and "040" not in entry.object_repr
