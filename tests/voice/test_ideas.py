import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from aspa.core.roles import Role
from aspa.voice import selectors, services
from aspa.voice.models import Idea, IdeaOrigin, IdeaStatus, IdeaVote, Notification
from tests.voice.factories import IdeaFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_staff_idea_votes_and_comments(member_of):
    author, voter = member_of(Role.AGENT), member_of(Role.AGENT)
    idea = services.idea_create(actor=author, title="Takaisinsoitto jonoon", body="Ei jonotusta")
    assert services.idea_vote_toggle(actor=voter, idea=idea) is True
    assert services.idea_vote_toggle(actor=voter, idea=idea) is False
    services.idea_vote_toggle(actor=voter, idea=idea)
    with pytest.raises(ValidationError) as exc:
        services.idea_vote_toggle(actor=author, idea=idea)
    assert exc.value.messages == [services.ERR_OWN_VOTE]
    services.idea_comment_add(actor=voter, idea=idea, body="Hyvä!")
    listed = selectors.idea_get(actor=voter, idea_id=idea.pk)
    assert (listed.n_votes, listed.n_comments, listed.voted) == (1, 1, True)


def test_status_change_tells_submitter_and_voters(member_of, django_capture_on_commit_callbacks):
    author, voter, lead = member_of(Role.AGENT), member_of(Role.AGENT), member_of(Role.LEAD)
    idea = services.idea_create(actor=author, title="Chat auki iltaisin")
    services.idea_vote_toggle(actor=voter, idea=idea)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_change(actor=lead, idea=idea, status=IdeaStatus.PLANNED)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {author.pk, voter.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([author.user.email, voter.user.email])
    assert "Chat auki iltaisin" in mail.outbox[0].body


def test_agent_cannot_change_status_and_nobody_is_told(member_of):
    idea = IdeaFactory(organisation=member_of(Role.AGENT).organisation)
    with pytest.raises(PermissionDenied):
        services.idea_status_change(actor=member_of(Role.AGENT), idea=idea, status=IdeaStatus.DONE)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW and Notification.objects.count() == 0


def test_cannot_vote_in_another_organisation(member_of, other_org):
    idea = IdeaFactory(organisation=other_org)
    with pytest.raises(ValidationError):
        services.idea_vote_toggle(actor=member_of(Role.AGENT), idea=idea)
    assert IdeaVote.objects.count() == 0


def test_similar_titles_by_lemma_overlap(org):
    IdeaFactory(organisation=org, title="Takaisinsoitto puhelinjonoon")
    IdeaFactory(organisation=org, title="Laskun erittely selkeämmäksi")
    found = selectors.idea_similar(organisation_id=org.pk, title="takaisinsoitot jonoihin")
    assert [i.title for i in found] == ["Takaisinsoitto puhelinjonoon"]


def test_similar_fragment_is_scoped(member_of, client_for, other_org):
    IdeaFactory(organisation=other_org, title="Takaisinsoitto salaa")
    response = client_for(member_of(Role.AGENT)).get(
        reverse("voice:idea_similar"), {"title": "takaisinsoitto"}
    )
    assert response.status_code == 200 and "salaa" not in response.content.decode()


def test_customer_sends_an_idea_without_logging_in(org, django_capture_on_commit_callbacks, member_of):
    url = reverse("voice:public_ideas", args=[org.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            url, {"title": "Palvelu ruotsiksi", "body": "Soita 040 123 4567", "email": "a@example.fi"}
        )
    assert response.status_code == 200
    idea = Idea.objects.get()
    assert idea.origin == IdeaOrigin.CUSTOMER and "[phone]" in idea.body
    # The address gets a confirmation link first, and nothing else until it is confirmed.
    [confirm] = mail.outbox
    assert confirm.to == ["a@example.fi"] and "Palvelu ruotsiksi" in confirm.body
    link = next(word for word in confirm.body.split() if "/voice/ideas/confirm/" in word)
    manager = member_of(Role.MANAGER)
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_change(actor=manager, idea=idea, status=IdeaStatus.PLANNED)
    assert len(mail.outbox) == 1  # unconfirmed: no update mailed

    path = link.split("testserver", 1)[1]
    assert Client().get(path).status_code == 200  # a mail scanner's GET confirms nothing
    assert Idea.objects.get().contact_email_confirmed_at is None
    assert Client().post(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_change(actor=manager, idea=Idea.objects.get(), status=IdeaStatus.DONE)
    assert [m.to for m in mail.outbox] == [["a@example.fi"], ["a@example.fi"]]


def test_a_forged_or_reused_confirmation_link_confirms_nothing(org):
    idea = services.idea_create_public(organisation=org, title="Idea", email="b@example.fi")
    token = services.idea_email_token(idea)
    bad = Client().post(reverse("voice:idea_email_confirm", args=[token[:-2] + "xx"]))
    assert bad.status_code == 400
    idea.contact_email = "other@example.fi"  # the address changed: the old link no longer fits
    idea.save()
    assert Client().post(reverse("voice:idea_email_confirm", args=[token])).status_code == 400
    assert Idea.objects.get().contact_email_confirmed_at is None


def test_public_idea_flood_is_refused(org):
    client = Client()
    url = reverse("voice:public_ideas", args=[org.slug])
    codes = [client.post(url, {"title": f"Idea {i}"}).status_code for i in range(7)]
    assert codes[-1] == 429
    assert Idea.objects.count() == 5


def test_notifications_page_lists_only_mine(member_of, client_for, org):
    me, other = member_of(Role.AGENT), member_of(Role.AGENT)
    Notification.objects.create(organisation=org, recipient=me, message="Minun viestini")
    Notification.objects.create(organisation=org, recipient=other, message="Toisen viesti")
    client = client_for(me)
    body = client.get(reverse("voice:notifications")).content.decode()
    assert "Minun viestini" in body and "Toisen viesti" not in body
    client.post(reverse("voice:notifications"))
    assert Notification.objects.get(recipient=me).read_at is not None
    assert Notification.objects.get(recipient=other).read_at is None


@pytest.mark.parametrize(("lang", "attr"), [("sv", 'lang="sv"'), ("en", 'lang="en"')])
def test_public_idea_page_language_from_the_link(org, lang, attr):
    body = Client().get(reverse("voice:public_ideas", args=[org.slug]) + f"?lang={lang}").content.decode()
    assert attr in body


def test_public_idea_page_lets_the_customer_pick_a_language_and_has_an_icon(org):
    # Only ?lang= in the shared link chose the language: a Swedish-speaking customer had no way to switch.
    body = Client().get(reverse("voice:public_ideas", args=[org.slug])).content.decode()
    assert 'href="?lang=sv" lang="sv" hreflang="sv">Svenska</a>' in body
    assert 'href="?lang=fi" lang="fi" hreflang="fi" aria-current="true">Suomi</a>' in body
    assert 'rel="icon"' in body  # the browser's /favicon.ico request was a 404 on every public page


def test_unknown_organisation_is_404(db):
    assert Client().get(reverse("voice:public_ideas", args=["ei-ole"])).status_code == 404
