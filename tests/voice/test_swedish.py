"""The public customer pages in Swedish: locale/sv holds exactly their texts, and a link in Swedish
(or ?lang=sv on the idea page) renders them."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.translation import trans_real

from aspa.voice import services
from aspa.voice.models import Idea, Response
from aspa.voice.views import ERR_TOO_MANY
from tests.voice.factories import SurveyFactory, link_for

ROOT = Path(__file__).resolve().parents[2]
SV_PO = ROOT / "locale" / "sv" / "LC_MESSAGES" / "django.po"
PUBLIC_TEMPLATES = (
    "answer.html",
    "public_message.html",
    "public_base.html",
    "public_ideas.html",
    "idea_email_confirm.html",
)
# Texts of the public pages that come from Python (forms, views, services), not from the templates.
PUBLIC_CODE_MSGIDS = {
    "How likely are you to recommend us to a friend or colleague?",
    "How satisfied were you with the service?",
    "How easy was it to get your matter handled?",
    "Was your matter resolved?",
    "Yes",
    "No",
    "What would you like to tell us?",
    "Thank you for your answer!",
    "Thank you! Your idea was sent.",
    "Title",
    "Description",
    "Your e-mail (optional)",
    "Only to tell you what became of the idea.",
    ERR_TOO_MANY,
    services.ERR_LINK_INVALID,
    services.ERR_LINK_USED,
    services.ERR_LINK_EXPIRED,
    services.ERR_SURVEY_CLOSED,
    services.ERR_NOTHING_ANSWERED,
    services.ERR_OUT_OF_RANGE,
    services.ERR_IDEA_TITLE,
    services.ERR_IDEA_EMAIL_LINK,
    services.MSG_IDEA_EMAIL_SUBJECT,
    services.MSG_IDEA_EMAIL,
    "We sent a confirmation link to your e-mail: open it to hear what becomes of the idea.",
    "Thank you: we will tell you when the idea moves on.",
}


@pytest.fixture(scope="module", autouse=True)
def _compiled_swedish():
    """`make messages` compiles the catalogue; do it here too when the .mo is missing or stale."""
    mo = SV_PO.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < SV_PO.stat().st_mtime:
        polib.pofile(str(SV_PO)).save_as_mofile(str(mo))
        trans_real._translations = {}  # forget a Swedish catalogue loaded before the file existed


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _template_msgids() -> set[str]:
    found: set[str] = set()
    for name in PUBLIC_TEMPLATES:
        source = (ROOT / "src/aspa/templates/voice" / name).read_text(encoding="utf-8")
        found |= set(re.findall(r'{% translate "([^"]+)" %}', source))
        for body in re.findall(r"{% blocktranslate[^%]*%}(.*?){% endblocktranslate %}", source):
            found.add(re.sub(r"{{ (\w+) }}", r"%(\1)s", body))
    return found


def test_catalogue_holds_exactly_the_public_texts_all_translated():
    po = polib.pofile(str(SV_PO))
    msgids = {e.msgid for e in po if not e.obsolete}
    assert msgids == _template_msgids() | PUBLIC_CODE_MSGIDS
    assert all(e.msgstr and "fuzzy" not in e.flags for e in po)
    for entry in po:
        assert set(re.findall(r"%\(\w+\)s", entry.msgid)) == set(re.findall(r"%\(\w+\)s", entry.msgstr))


def test_swedish_link_renders_the_survey_in_swedish(org):
    survey = SurveyFactory(organisation=org, ask_fcr=True)
    link_for(survey, token="sv-token", language="sv")
    page = Client().get(reverse("voice:answer", args=["sv-token"]))
    body = page.content.decode()
    assert page.status_code == 200 and 'lang="sv"' in body
    assert "Berätta hur vi lyckades" in body and "Blev ditt ärende löst?" in body and "Skicka" in body
    assert "Kerro" not in body and "Tell us" not in body


def test_swedish_thanks_and_spent_link(org):
    survey = SurveyFactory(organisation=org)
    link_for(survey, token="sv-once", language="sv")
    client = Client()
    url = reverse("voice:answer", args=["sv-once"])
    assert "Tack för ditt svar!" in client.post(url, {"nps": "9"}).content.decode()
    again = client.post(url, {"nps": "3"})
    assert again.status_code == 410 and "Enkäten har redan besvarats" in again.content.decode()
    assert Response.objects.count() == 1


def test_swedish_validation_message(org):
    survey = SurveyFactory(organisation=org)
    link_for(survey, token="sv-empty", language="sv")
    page = Client().post(reverse("voice:answer", args=["sv-empty"]), {"comment": " "})
    assert page.status_code == 400 and "Svara på minst en fråga." in page.content.decode()
    assert Response.objects.count() == 0


def test_public_idea_page_in_swedish(org):
    url = reverse("voice:public_ideas", args=[org.slug]) + "?lang=sv"
    page = Client().get(url)
    body = page.content.decode()
    assert 'lang="sv"' in body and "Skicka oss en idé" in body and "Din e-postadress (frivillig)" in body
    sent = Client().post(url, {"title": "Kundservice på svenska", "body": ""})
    assert "Tack! Din idé har skickats." in sent.content.decode()
    assert Idea.objects.filter(title="Kundservice på svenska").count() == 1
