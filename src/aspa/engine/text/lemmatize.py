"""Finnish lemmatising and compound splitting, with Voikko when it is installed and Snowball otherwise.

Two backends share one small interface (:class:`Lemmatiser`):

- ``voikko``: Debian's ``libvoikko1`` + ``voikko-fi`` through the ``libvoikko`` ctypes binding. It
  gives dictionary base forms ("laskuissa" -> "lasku") and compound boundaries
  ("asiakaspalvelussa" -> "asiakas" + "palvelu"). Words Voikko does not know (slang, typos,
  names) fall back to their Snowball stem, so unknown inflected forms still group together.
- ``snowball``: the pure-Python Snowball Finnish stemmer (suffix stripping). Stems are not words
  ("ystävällinen" -> "ystävällin"), but every inflected form of a word maps to the same stem, which
  is what grouping and counting need. Compounds are split only against a lexicon the caller gives.

Both are deterministic: Voikko's analyses are ranked by a fixed key, not by the order it returns
them in, and results are cached per word form.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import Any, Literal, Protocol

import snowballstemmer

from aspa.engine.text.errors import (
    UNKNOWN_BACKEND,
    VOIKKO_UNAVAILABLE,
    BackendUnavailableError,
    TextInputError,
)

Backend = Literal["voikko", "snowball"]
# Parts shorter than this are not split off in the lexicon heuristic ("ja", "on" would split anything).
_MIN_PART = 3


class Lemmatiser(Protocol):
    """What the rest of the engine needs from a lemmatiser backend."""

    backend: Backend

    def lemma(self, word: str) -> str:
        """Base form (or stem) of one lower-case word."""
        ...

    def lemmatize(self, tokens: Iterable[str]) -> list[str]:
        """Base forms of many lower-case tokens, in order."""
        ...

    def compound_parts(self, word: str) -> tuple[str, ...]:
        """Base forms of the parts of a compound ("asiakaspalvelu" -> ("asiakas", "palvelu"))."""
        ...


@functools.lru_cache(maxsize=1)
def _snowball() -> Any:
    return snowballstemmer.stemmer("finnish")


def snowball_stem(word: str) -> str:
    """Snowball Finnish stem of a lower-case word.

    A colon ending ("eu:n", "sms:llä") is the case ending of an abbreviation: the stem is the part
    before it.
    """
    if ":" in word:
        return word.split(":", 1)[0]
    return str(_snowball().stemWord(word))


class SnowballLemmatiser:
    """Pure-Python fallback: Snowball Finnish stems, compounds split against an optional lexicon.

    Args:
        lexicon: known words (lower-case, any form). When given, a word splits into a head that is in
            the lexicon and a tail whose stem is the stem of a lexicon word, e.g. with "asiakas" and
            "palvelu" known, "asiakaspalvelusta" -> ("asiakas", stem of "palvelusta"). Without a
            lexicon compounds are left whole.
    """

    backend: Backend = "snowball"

    def __init__(self, lexicon: Iterable[str] | None = None) -> None:
        self.lexicon = frozenset(w.lower() for w in lexicon) if lexicon is not None else frozenset()
        self._lexicon_stems = frozenset(snowball_stem(w) for w in self.lexicon)
        self._cache: dict[str, str] = {}

    def lemma(self, word: str) -> str:
        """Snowball stem of ``word``."""
        found = self._cache.get(word)
        if found is None:
            found = self._cache[word] = snowball_stem(word)
        return found

    def lemmatize(self, tokens: Iterable[str]) -> list[str]:
        """Stems of ``tokens``, in order."""
        cache = self._cache
        out = []
        for token in tokens:
            found = cache.get(token)
            if found is None:
                found = cache[token] = snowball_stem(token)
            out.append(found)
        return out

    def compound_parts(self, word: str) -> tuple[str, ...]:
        """Split ``word`` at the longest lexicon head whose remaining tail stems to a lexicon stem."""
        if self.lexicon:
            # Longest head first: "kotivakuutus" should split as koti+vakuutus, not at a shorter head.
            for cut in range(len(word) - _MIN_PART, _MIN_PART - 1, -1):
                head, tail = word[:cut], word[cut:]
                tail_stem = self.lemma(tail)
                if head in self.lexicon and tail_stem in self._lexicon_stems:
                    return (self.lemma(head), tail_stem)
        return (self.lemma(word),)


class VoikkoLemmatiser:
    """Voikko base forms and compound parts; unknown words get their Snowball stem.

    Raises:
        BackendUnavailableError: the ``libvoikko`` binding, the shared library or the Finnish
            dictionary is missing.
    """

    backend: Backend = "voikko"

    def __init__(self) -> None:
        self._voikko = _voikko_handle()
        self._cache: dict[str, tuple[str, tuple[str, ...]]] = {}

    def _analyse(self, word: str) -> tuple[str, tuple[str, ...]]:
        found = self._cache.get(word)
        if found is not None:
            return found
        analyses = self._voikko.analyze(word) if word else []
        if not analyses:
            stem = snowball_stem(word)
            found = (stem, (stem,))
        else:
            # Voikko may give several readings ("kuusi": six / spruce). Rank them by a fixed key so
            # the choice does not depend on the dictionary's internal order: fewest compound parts
            # (least over-splitting), then a reading whose base form is the word itself, then the
            # base form alphabetically.
            ranked = sorted(
                ((_split_compound(word, a), a.get("BASEFORM", word).lower()) for a in analyses),
                key=lambda pair: (len(pair[0]), pair[1] != word, pair[1]),
            )
            parts, base = ranked[0]
            found = (base, parts)
        self._cache[word] = found
        return found

    def lemma(self, word: str) -> str:
        """Voikko base form of ``word`` (its Snowball stem when Voikko does not know it)."""
        return self._analyse(word)[0]

    def lemmatize(self, tokens: Iterable[str]) -> list[str]:
        """Base forms of ``tokens``, in order."""
        return [self._analyse(t)[0] for t in tokens]

    def compound_parts(self, word: str) -> tuple[str, ...]:
        """Base forms of the compound parts Voikko marks ("jonotusajat" -> ("jonotus", "aika"))."""
        return self._analyse(word)[1]


def _split_compound(word: str, analysis: dict[str, str]) -> tuple[str, ...]:
    """Compound parts from Voikko's STRUCTURE: '=' starts a part, every other mark is one letter.

    Modifier parts keep their surface form (Finnish compound modifiers are mostly nominative or
    genitive: "asiakas-", "kaupungin-"); the head takes the rest of the base form, so
    "asiakaspalvelussa" with base form "asiakaspalvelu" gives ("asiakas", "palvelu").
    """
    base = analysis.get("BASEFORM", word).lower()
    structure = analysis.get("STRUCTURE", "")
    parts: list[str] = []
    position = 0
    current: list[str] = []
    for mark in structure:
        if mark == "=":
            if current:
                parts.append("".join(current))
                current = []
            continue
        if position < len(word):
            current.append(word[position])
        position += 1
    if current:
        parts.append("".join(current))
    modifiers = [p.strip("-") for p in parts[:-1] if p.strip("-")]
    prefix = "".join(parts[:-1])
    if not modifiers or not base.startswith(prefix) or len(base) <= len(prefix):
        return (base,)
    return (*modifiers, base[len(prefix) :].strip("-"))


@functools.lru_cache(maxsize=1)
def _voikko_handle() -> Any:
    """One Voikko instance per process (loading the dictionary takes a moment)."""
    try:
        import libvoikko

        return libvoikko.Voikko("fi")
    except Exception as exc:  # the binding raises OSError or its own VoikkoException
        raise BackendUnavailableError(VOIKKO_UNAVAILABLE.format(detail=exc)) from exc


def voikko_available() -> bool:
    """Whether the Voikko backend can run here."""
    try:
        _voikko_handle()
    except BackendUnavailableError:
        return False
    return True


def make_lemmatiser(backend: str = "auto", lexicon: Sequence[str] | None = None) -> Lemmatiser:
    """A lemmatiser for ``backend``: ``"voikko"``, ``"snowball"`` or ``"auto"`` (Voikko if available).

    Raises:
        TextInputError: ``backend`` is none of the three.
        BackendUnavailableError: ``"voikko"`` was asked for and cannot run here.
    """
    if backend == "voikko":
        return VoikkoLemmatiser()
    if backend == "snowball":
        return SnowballLemmatiser(lexicon)
    if backend == "auto":
        return VoikkoLemmatiser() if voikko_available() else SnowballLemmatiser(lexicon)
    raise TextInputError(UNKNOWN_BACKEND.format(backend=backend))
