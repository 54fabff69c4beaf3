"""Public pages: flood limits count per client (also behind the proxies of a scaled-out deployment); sizes."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from aspa.core.http import client_address
from aspa.core.roles import Role
from aspa.voice import services
from aspa.voice.models import Idea, IdeaStatus

PROXY = "10.0.0.5"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _post_idea(url: str, forwarded_for: str, title: str) -> int:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client.post(url, {"title": title}).status_code


def test_behind_a_proxy_one_flooding_customer_does_not_lock_out_the_others(org, settings):
    settings.ASPA_TRUSTED_PROXIES = 1
    url = reverse("voice:public_ideas", args=[org.slug])
    flood = [_post_idea(url, "198.51.100.7", f"Tulva {i}") for i in range(7)]
    assert flood[-1] == 429
    # Another customer arrives through the same proxy: its own limit, not the flooder's.
    assert _post_idea(url, "203.0.113.9", "Oma idea") == 200
    assert Idea.objects.filter(title="Oma idea").exists()


def test_a_forged_forwarded_for_does_not_escape_the_limit(org, settings):
    settings.ASPA_TRUSTED_PROXIES = 1
    url = reverse("voice:public_ideas", args=[org.slug])
    # The client writes its own X-Forwarded-For; the proxy appends the address it really saw.
    codes = [_post_idea(url, f"192.0.2.{i}, 198.51.100.7", f"Idea {i}") for i in range(7)]
    assert codes[-1] == 429
    assert Idea.objects.count() == 5


def test_without_a_trusted_proxy_the_header_is_ignored(org, settings):
    settings.ASPA_TRUSTED_PROXIES = 0
    url = reverse("voice:public_ideas", args=[org.slug])
    codes = [_post_idea(url, f"192.0.2.{i}", f"Idea {i}") for i in range(7)]
    assert codes[-1] == 429
    assert Idea.objects.count() == 5


@pytest.mark.parametrize(
    ("proxies", "header", "expected"),
    [
        (0, "192.0.2.1", PROXY),
        (1, "192.0.2.1", "192.0.2.1"),
        (1, "6.6.6.6, 192.0.2.1", "192.0.2.1"),
        (2, "6.6.6.6, 192.0.2.1, 10.0.0.9", "192.0.2.1"),
        (2, "192.0.2.1", PROXY),  # fewer hops than proxies: not what the proxies write, not trusted
        (1, "", PROXY),
    ],
)
def test_client_address(settings, proxies, header, expected):
    settings.ASPA_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == expected


def test_a_too_long_public_idea_is_refused_not_cut(org):
    url = reverse("voice:public_ideas", args=[org.slug])
    response = Client().post(url + "?lang=en", {"title": "Pitkä idea", "body": "x" * 5001})
    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()
    assert not Idea.objects.exists()
    assert Client().post(url, {"title": "Pitkä idea", "body": "x" * 5000}).status_code == 200
    assert len(Idea.objects.get().body) == 5000


def test_a_customer_title_with_line_breaks_cannot_break_the_status_mail(
    org, member_of, django_capture_on_commit_callbacks
):
    url = reverse("voice:public_ideas", args=[org.slug])
    title = "Chat auki\r\nBcc: kaikki@example.com\r\n\r\niltaisin"
    assert Client().post(url, {"title": title, "email": "asiakas@example.fi"}).status_code == 200
    idea = Idea.objects.get()
    services.idea_email_confirm(token=services.idea_email_token(idea))  # updates go to confirmed addresses
    idea.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_status_change(actor=member_of(Role.MANAGER), idea=idea, status=IdeaStatus.PLANNED)
    assert [m.to for m in mail.outbox] == [["asiakas@example.fi"]]
    message = mail.outbox[0].message()
    assert "\n" not in mail.outbox[0].subject and message["Bcc"] is None
    assert idea.title == "Chat auki Bcc: [email] iltaisin"
