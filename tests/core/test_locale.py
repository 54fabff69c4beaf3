from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_finnish_by_default_even_for_an_english_browser(db):
    page = Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="fi"' in page.content.decode() and "Kirjaudu Aspaan" in page.content.decode()


def test_anonymous_visitor_can_switch_to_english(db):
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in to Aspa" in client.get(reverse("login")).content.decode()


def test_english_dates_are_written_day_first_with_a_24_hour_clock():
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.template import Context, Template
    from django.utils import translation

    moment = dt.datetime(2026, 11, 23, 14, 5, tzinfo=ZoneInfo("Europe/Helsinki"))
    template = Template(
        '{{ t|date:"SHORT_DATETIME_FORMAT" }}|{{ t|date:"DATE_FORMAT" }}|{{ t|date:"SHORT_DATE_FORMAT" }}'
    )
    with translation.override("en"):
        assert template.render(Context({"t": moment})) == "23/11/2026 14:05|23 November 2026|23/11/2026"
    with translation.override("fi"):
        assert template.render(Context({"t": moment})).startswith("23.11.2026 14.05")
