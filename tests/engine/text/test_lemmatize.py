from __future__ import annotations

import pytest

from aspa.engine.text.errors import UNKNOWN_BACKEND, TextInputError
from aspa.engine.text.lemmatize import SnowballLemmatiser, make_lemmatiser, snowball_stem, voikko_available
from aspa.engine.text.tokenize import tokenize
from tests.engine.text.conftest import BACKENDS, VOIKKO_MISSING

needs_voikko = pytest.mark.skipif(not voikko_available(), reason=VOIKKO_MISSING)


def test_tokenize_keeps_inner_hyphens_and_colon_endings():
    assert tokenize("Sähkö-auto ja EU:n laskut, 12,50 €!") == ["sähkö-auto", "ja", "eu:n", "laskut", "12,50"]


@needs_voikko
def test_voikko_gives_base_forms():
    lem = make_lemmatiser("voikko")
    assert lem.backend == "voikko"
    assert lem.lemmatize(["laskut", "olivat", "pitkiä", "ystävällisiä"]) == [
        "lasku",
        "olla",
        "pitkä",
        "ystävällinen",
    ]


@needs_voikko
def test_voikko_splits_compounds_into_base_forms():
    lem = make_lemmatiser("voikko")
    assert lem.compound_parts("asiakaspalvelussa") == ("asiakas", "palvelu")
    assert lem.compound_parts("jonotusajat") == ("jonotus", "aika")
    assert lem.compound_parts("lasku") == ("lasku",)


@needs_voikko
def test_voikko_prefers_the_word_itself_among_readings():
    # "kuusi" is also a form of "kuu" (+ possessive); the reading that is the word itself wins.
    assert make_lemmatiser("voikko").lemma("kuusi") == "kuusi"


@needs_voikko
def test_voikko_falls_back_to_stem_for_unknown_words():
    assert make_lemmatiser("voikko").lemma("zxqvörkkeli") == snowball_stem("zxqvörkkeli")


def test_snowball_groups_inflected_forms():
    lem = make_lemmatiser("snowball")
    assert lem.backend == "snowball"
    assert len(set(lem.lemmatize(["lasku", "laskun", "laskut", "laskussa"]))) == 1
    assert lem.lemma("eu:ssa") == "eu"


def test_snowball_compounds_only_with_lexicon():
    assert SnowballLemmatiser().compound_parts("asiakaspalvelu") == (snowball_stem("asiakaspalvelu"),)
    with_lexicon = SnowballLemmatiser(["asiakas", "palvelu"])
    assert with_lexicon.compound_parts("asiakaspalvelusta") == (
        snowball_stem("asiakas"),
        snowball_stem("palvelu"),
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_lemmatiser_is_deterministic(backend):
    words = tokenize("Jonotusajat olivat pitkiä mutta asiakaspalvelija oli kuusi kertaa ystävällinen")
    first = make_lemmatiser(backend).lemmatize(words)
    assert make_lemmatiser(backend).lemmatize(list(reversed(words))) == list(reversed(first))


def test_unknown_backend_is_refused():
    with pytest.raises(TextInputError, match="unknown lemmatiser backend") as info:
        make_lemmatiser("hunspell")
    assert str(info.value) == UNKNOWN_BACKEND.format(backend="hunspell")
