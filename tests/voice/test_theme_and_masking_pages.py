"""The theme page (texts with sentiment, weekly trend) and the page that masks personal data in stored feedback."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.voice import theme_selectors
from aspa.voice.masking import PHONE_MASK
from aspa.voice.models import Feedback
from tests.factories import OrganisationFactory
from tests.voice.factories import FeedbackFactory, ResponseFactory, ThemeFactory

PHONE_TEXT = "Soittakaa minulle numeroon 040 123 4567, kiitos."


def test_theme_page_shows_texts_with_sentiment_and_trend(org, member_of, client_for):
    agent = member_of(Role.AGENT)
    theme = ThemeFactory(organisation=org, label="jonotus · aika", terms=["jonotus", "aika"])
    now = timezone.now()
    ResponseFactory(
        organisation=org, theme=theme, comment="Jonotin tunnin.", sentiment="negative", answered_at=now
    )
    ResponseFactory(organisation=org, theme=theme, comment="", answered_at=now)  # no text: not listed
    FeedbackFactory(
        organisation=org,
        theme=theme,
        text="Jono eteni nopeasti.",
        sentiment="positive",
        received_at=now - dt.timedelta(weeks=6),
    )
    page = client_for(agent).get(reverse("voice:theme", args=[theme.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Jonotin tunnin." in body and "Jono eteni nopeasti." in body and "jonotus · aika" in body
    assert "voice-negative" in body and "<caption>" in body
    detail = theme_selectors.theme_detail(actor=agent, theme_id=theme.pk, now=now)
    assert [t.text for t in detail.texts] == ["Jonotin tunnin.", "Jono eteni nopeasti."]
    assert dict((v, n) for v, _l, n in detail.sentiments) == {"negative": 1, "neutral": 0, "positive": 1}
    assert detail.trend == 0 and sum(w.total for w in detail.weeks) == 2
    assert detail.weeks[-1].negative == 1


def test_theme_of_another_organisation_is_not_found(member_of, client_for):
    theme = ThemeFactory(organisation=OrganisationFactory(), label="vieras teema")
    page = client_for(member_of(Role.ADMIN)).get(reverse("voice:theme", args=[theme.pk]))
    assert page.status_code == 404


def test_manager_masks_personal_data_in_stored_feedback(org, member_of, client_for):
    manager = member_of(Role.MANAGER)
    dirty = FeedbackFactory(organisation=org, text=PHONE_TEXT)
    FeedbackFactory(organisation=org, text="Ei henkilötietoja.")
    client = client_for(manager)
    listing = client.get(reverse("voice:feedback_personal_data"))
    body = listing.content.decode()
    assert listing.status_code == 200 and "040 123 4567" in body and "Ei henkilötietoja." not in body
    assert PHONE_MASK in body and "data-confirm" in body
    answer = client.post(reverse("voice:feedback_mask", args=[dirty.pk]))
    assert answer.status_code == 302
    dirty.refresh_from_db()
    assert dirty.text == f"Soittakaa minulle numeroon {PHONE_MASK}, kiitos."
    assert AuditEntry.objects.filter(action="feedback.mask").count() == 1
    assert "040 123 4567" not in client.get(reverse("voice:feedback_personal_data")).content.decode()


def test_agent_may_not_see_or_mask_personal_data(org, member_of, client_for):
    agent = member_of(Role.AGENT)
    dirty = FeedbackFactory(organisation=org, text=PHONE_TEXT)
    client = client_for(agent)
    assert client.get(reverse("voice:feedback_personal_data")).status_code == 403
    assert client.post(reverse("voice:feedback_mask", args=[dirty.pk])).status_code == 403
    dirty.refresh_from_db()
    assert dirty.text == PHONE_TEXT and not AuditEntry.objects.filter(action="feedback.mask").exists()


def test_manager_cannot_mask_another_organisations_feedback(member_of, client_for):
    foreign = FeedbackFactory(organisation=OrganisationFactory(), text=PHONE_TEXT)
    answer = client_for(member_of(Role.ADMIN)).post(reverse("voice:feedback_mask", args=[foreign.pk]))
    assert answer.status_code == 404
    assert Feedback.objects.get(pk=foreign.pk).text == PHONE_TEXT
