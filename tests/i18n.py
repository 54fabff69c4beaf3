"""Pages speak Finnish by default; tests that look for a text on a page look for its Finnish form."""

from __future__ import annotations

from django.utils import translation


def fi(text: str) -> str:
    with translation.override("fi"):
        return translation.gettext(text)
