from __future__ import annotations

import pytest

from aspa.engine.text.lemmatize import voikko_available

VOIKKO_MISSING = (
    "libvoikko / voikko-fi not installed here: Voikko backend tests skipped (Snowball fallback still tested)"
)

BACKENDS = [
    pytest.param("voikko", marks=pytest.mark.skipif(not voikko_available(), reason=VOIKKO_MISSING)),
    "snowball",
]
