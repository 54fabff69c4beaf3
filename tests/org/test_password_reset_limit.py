"""The public password-reset page cannot be used to flood a person's inbox."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from aspa.core.roles import Role


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_resets_for_one_email_are_limited(member_of):
    agent = member_of(Role.AGENT)
    codes = []
    for i in range(6):
        # Each request from another address: the per-e-mail limit holds on its own.
        client = Client(REMOTE_ADDR=f"192.0.2.{i}")
        codes.append(client.post(reverse("password_reset"), {"email": agent.user.email}).status_code)
    assert codes[:3] == [302, 302, 302]
    assert codes[3:] == [200, 200, 200]  # the form again, with the error
    assert len(mail.outbox) == 3


def test_resets_from_one_address_are_limited(db):
    client = Client(REMOTE_ADDR="198.51.100.7")
    codes = [
        client.post(reverse("password_reset"), {"email": f"henkilo{i}@example.fi"}).status_code
        for i in range(22)
    ]
    assert codes[:20] == [302] * 20
    assert codes[20:] == [200, 200]
    response = client.post(reverse("password_reset"), {"email": "uusi@example.fi"})
    assert response.context["form"].has_error("email", "rate_limited")
