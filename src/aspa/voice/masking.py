"""Masking personal data in free text: e-mail addresses, phone numbers, henkilötunnus and IBANs.

Customers write their details into comments ("soittakaa 040 123 4567"); what we keep for analysis
does not need them. The patterns are deliberately broad: a masked order number is a smaller harm than
a kept phone number.
"""

from __future__ import annotations

import re

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
HETU_MASK = "[henkilötunnus]"
IBAN_MASK = "[iban]"
REMOVED_MASK = "[removed]"  # what a customer's erased identifier becomes (aspa.voice.customer_data)
_PLACEHOLDER = re.compile(
    "|".join(re.escape(m) for m in (EMAIL_MASK, PHONE_MASK, HETU_MASK, IBAN_MASK, REMOVED_MASK))
)

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Finnish personal identity code: DDMMYY, century sign (+ - A-F U-Y), three digits, check character.
_HETU = re.compile(r"\b[0-3]\d[01]\d\d\d[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]\b", re.IGNORECASE)
# IBAN: two letters, two check digits, 11-30 alphanumerics, optionally in groups of four.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
# Phone: +358 or a leading 0, then 6-12 digits with optional spaces or dashes.
_PHONE = re.compile(r"(?<![\w+])(?:\+358|00358|0)[ -]?\(?\d{1,3}\)?(?:[ -]?\d){5,10}(?!\w)")


def mask_personal_data(text: str) -> str:
    """`text` with e-mail addresses, henkilötunnus, IBANs and phone numbers replaced by placeholders."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _HETU.sub(HETU_MASK, text)
    text = _IBAN.sub(IBAN_MASK, text)
    return _PHONE.sub(PHONE_MASK, text)


def without_placeholders(text: str) -> str:
    """`text` without the masks' placeholders, for text analysis: "[phone]" is not what a text is about,
    yet in feedback full of masked numbers it would become a theme's top word."""
    return _PLACEHOLDER.sub(" ", text)
