"""Sentiment features that do not depend on the lemmatiser backend.

The model must give the same answer with or without Voikko, so it uses only what every machine
has: lower-case word tokens and bigrams, Snowball stems and stem bigrams (pure Python, always
installed), negation-marked stems ("ei toiminut" -> ``n|toimi``), character 2-5-grams inside whitespace-split
chunks (punctuation kept, so "!" and "?" count, and the n-grams catch inflected and compound forms
that no lemmatiser knows) and AFINN-fi lexicon hits looked up by surface form and by stem.

Every feature is a string key ``"<block>|<value>"``; blocks are weighted separately (sublinear TF x
IDF, L2-normalised per block) like a union of scikit-learn TF-IDF vectorisers. The keys here are
used both to build the vocabulary in training and to score texts at run time, which keeps the two
in step by construction.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib import resources

from aspa.engine.text.lemmatize import snowball_stem
from aspa.engine.text.tokenize import NEGATION_WORDS, tokenize

BLOCKS = ("w", "c", "s", "a")
# Text-level features for the stacker of :mod:`aspa.engine.text.sentiment`, in this order.
META_FEATURES = (
    "characters",
    "tokens",
    "ends_exclamation",
    "ends_question",
    "ends_ellipsis",
    "ends_period",
    "afinn_positive_hits",
    "afinn_negative_hits",
    "afinn_sum",
    "afinn_min",
    "afinn_max",
    "upper_case_share",
    "exclamation_marks",
)
# Length caps of the meta features: XED lines are short (about 30 characters), survey answers are
# not, and a linear stacker must not extrapolate a length effect to texts ten times longer.
META_MAX_CHARACTERS = 120
META_MAX_TOKENS = 20
CHAR_MIN, CHAR_MAX = 2, 5
# How many words after a negation word count as negated ("en ole koskaan tyytyväinen").
NEGATION_SCOPE = 3


@functools.lru_cache(maxsize=1)
def afinn_fi() -> dict[str, int]:
    """AFINN-fi-165 (Nielsen 2011, Apache-2.0): surface word -> score -5..5, plus Snowball stems.

    Stems are added only where they do not clash with a surface entry, so "ihana" keeps its own
    score and "ihanaa" / "ihanalla" reach it through the stem.
    """
    text = resources.files("aspa.engine.text").joinpath("data/afinn_fi_165.tsv").read_text(encoding="utf-8")
    scores: dict[str, int] = {}
    for line in text.splitlines():
        term, _, value = line.rpartition("\t")
        if term and " " not in term:
            scores[term.lower()] = int(value)
    stems: dict[str, list[int]] = {}
    for term, points in scores.items():
        stems.setdefault(snowball_stem(term), []).append(points)
    for stem, values in stems.items():
        # An ambiguous stem (words of opposite sign) gets its rounded mean.
        scores.setdefault("@" + stem, round(sum(values) / len(values)))
    return scores


def char_keys(chunk: str) -> list[str]:
    """Character n-grams of one whitespace chunk padded with spaces, like scikit-learn's char_wb."""
    padded = f" {chunk} "
    keys: list[str] = []
    for n in range(CHAR_MIN, CHAR_MAX + 1):
        keys.extend("c|" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return keys


@functools.lru_cache(maxsize=200_000)
def stem_of(token: str) -> str:
    """Snowball stem of a lower-case token, cached (feedback repeats its words)."""
    return snowball_stem(token)


def token_keys(token: str, negated: bool) -> list[str]:
    """Word, stem and lexicon keys of one token; negated tokens get a negation-marked stem and score."""
    stem = stem_of(token)
    keys = ["w|" + token, "s|" + stem]
    if negated:
        keys.append("s|~" + stem)
    score = afinn_signed(token, negated)
    if score:
        keys.append(f"a|{score:+d}")
        keys.append("a|pos" if score > 0 else "a|neg")
    return keys


@functools.lru_cache(maxsize=200_000)
def afinn_signed(token: str, negated: bool) -> int:
    """AFINN-fi score of a lower-case token (by surface form, else by stem), sign flipped when negated; 0 if absent."""
    lexicon = afinn_fi()
    score = lexicon.get(token)
    if score is None:
        score = lexicon.get("@" + stem_of(token))
    if not score:
        return 0
    return -score if negated else score


def meta_features(text: str) -> list[float]:
    """The :data:`META_FEATURES` of ``text``: length (capped), final punctuation, AFINN-fi hits, case.

    The AFINN hits are the same as the ``a|`` keys of :func:`token_keys` (negation flips a score).
    """
    stripped = text.strip()
    tokens = tokenize(stripped)
    scores = [s for s in (afinn_signed(t, negated) for t, negated, _ in token_stream(tokens)) if s]
    return [
        float(min(len(stripped), META_MAX_CHARACTERS)),
        float(min(len(tokens), META_MAX_TOKENS)),
        float(stripped.endswith("!")),
        float(stripped.endswith("?")),
        float(stripped.endswith(("...", "\u2026"))),
        float(stripped.endswith(".")),
        float(sum(s > 0 for s in scores)),
        float(sum(s < 0 for s in scores)),
        float(sum(scores)),
        float(min(scores, default=0)),
        float(max(scores, default=0)),
        sum(c.isupper() for c in stripped) / max(len(stripped), 1),
        float(stripped.count("!")),
    ]


def text_keys(text: str) -> list[str]:
    """All feature keys of ``text`` (with repeats: counts are term frequencies)."""
    lowered = text.lower()
    keys: list[str] = []
    for chunk in lowered.split():
        keys.extend(char_keys(chunk))
    for token, negated, previous in token_stream(tokenize(lowered)):
        keys.extend(token_keys(token, negated))
        if previous is not None:
            keys.append(bigram_key(previous, token))
            keys.append(stem_bigram_key(previous, token))
    return keys


def bigram_key(previous: str, token: str) -> str:
    """Key of a word bigram."""
    return f"w|{previous} {token}"


def stem_bigram_key(previous: str, token: str) -> str:
    """Key of the bigram of two words' stems ("huonoa palvelua" and "huono palvelu" share one)."""
    return f"s|{stem_of(previous)} {stem_of(token)}"


def token_stream(tokens: list[str]) -> Iterator[tuple[str, bool, str | None]]:
    """Each token with whether it is in a negation's scope and the token before it (or None)."""
    scope = 0
    previous: str | None = None
    for token in tokens:
        negated = scope > 0
        scope = NEGATION_SCOPE if token in NEGATION_WORDS else max(scope - 1, 0)
        yield token, negated, previous
        previous = token
