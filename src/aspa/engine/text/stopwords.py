"""Finnish stop words, shipped as ``data/stopwords_fi.txt`` (one word per line)."""

from __future__ import annotations

import functools
from importlib import resources


@functools.lru_cache(maxsize=1)
def stopwords_fi() -> frozenset[str]:
    """The shipped Finnish stop words (lower-case surface and base forms)."""
    text = resources.files("aspa.engine.text").joinpath("data/stopwords_fi.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )
