"""Finnish tokenising: words (with inner hyphens and colon endings such as ``EU:n``) and numbers.

Lower-casing is done here so every later step (lemmas, stems, features) sees one form.
"""

from __future__ import annotations

import re

# A word is letters, optionally joined by '-' or ':' or an apostrophe to more letters
# ("sähkö-auto", "EU:ssa", "rock'n'roll"); digits form their own tokens.
_TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-:'’][^\W\d_]+)*|\d+(?:[.,:]\d+)*")

# Personal forms of the Finnish negative verb: "en tykkää", "ei toiminut", "emme saaneet".
NEGATION_WORDS = frozenset(
    {"en", "et", "ei", "emme", "ette", "eivät", "älä", "älkää", "eikä", "enkä", "etkä"}
)


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-case word and number tokens, in order; punctuation is dropped."""
    return _TOKEN_RE.findall(text.lower())
