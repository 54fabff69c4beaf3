"""What the browser tests share: translated texts, logging in and out, the demo logins."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from playwright.sync_api import Page, expect

from aspa.core.demo import DEMO_PASSWORD


def t(lang: str, message: Any, **params: Any) -> str:
    """`message` as a visitor sees it in `lang` (the catalogue the server uses), placeholders filled."""
    with translation.override(lang):
        text = str(translation.gettext(message) if isinstance(message, str) else message)
    return text % params if params else text


def label(lang: str, message: str) -> re.Pattern[str]:
    """A form label in `lang`, with or without Django's label suffix (":")."""
    return re.compile(rf"^\s*{re.escape(t(lang, message))}\s*:?\s*$")


def demo_email(role: str) -> str:
    return f"{role}@demo.aspa.fi"


def log_in(page: Page, email: str, *, lang: str = "fi", password: str = DEMO_PASSWORD) -> None:
    """Fill and send the login form (the page must show it) and wait for the home page."""
    submit_login(page, email, lang=lang, password=password)
    expect(page).to_have_url(_home_url(page))
    # The home page speaks the person's saved language, whatever the login page spoke: match markup only.
    expect(page.locator('form[action="/accounts/logout/"] button')).to_be_visible()


def submit_login(page: Page, email: str, *, lang: str = "fi", password: str = DEMO_PASSWORD) -> None:
    if "/accounts/login/" not in page.url:
        page.goto("/accounts/login/")
    page.get_by_label(label(lang, "E-mail address")).fill(email)
    page.get_by_label(label(lang, "Password")).fill(password)
    page.get_by_role("button", name=t(lang, "Log in"), exact=True).click()


def log_out(page: Page, *, lang: str = "fi") -> None:
    page.get_by_role("button", name=t(lang, "Log out"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t(lang, "Log in to Aspa"))
    expect(page.locator("html")).to_have_attribute("lang", lang)


def _home_url(page: Page) -> str:
    origin = page.url.split("/", 3)[:3]
    return "/".join(origin) + "/"


def has_horizontal_overflow(page: Page) -> bool:
    return bool(
        page.evaluate("() => document.documentElement.scrollWidth > document.documentElement.clientWidth")
    )
