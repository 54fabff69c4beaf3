"""Finnish text analytics: tokens, lemmas and compounds, stop words, themes and sentiment.

No Django here and nothing downloaded at run time: Voikko is used when Debian's ``libvoikko1`` and
``voikko-fi`` are installed (``make_lemmatiser("auto")``), the pure-Python Snowball stemmer
otherwise; the sentiment model and word lists ship in ``data/``. The sentiment model does not
depend on which lemmatiser is in use (see :mod:`aspa.engine.text.features`).
"""

from aspa.engine.text.errors import (
    BackendUnavailableError,
    ModelFileError,
    NotFittedError,
    TextEngineError,
    TextInputError,
)
from aspa.engine.text.lemmatize import (
    Lemmatiser,
    SnowballLemmatiser,
    VoikkoLemmatiser,
    make_lemmatiser,
    voikko_available,
)
from aspa.engine.text.sentiment import LABELS, SentimentModel, SentimentScores, sentiment
from aspa.engine.text.stopwords import stopwords_fi
from aspa.engine.text.themes import NO_THEME, Theme, ThemeModel
from aspa.engine.text.tokenize import tokenize

__all__ = [
    "LABELS",
    "NO_THEME",
    "BackendUnavailableError",
    "Lemmatiser",
    "ModelFileError",
    "NotFittedError",
    "SentimentModel",
    "SentimentScores",
    "SnowballLemmatiser",
    "TextEngineError",
    "TextInputError",
    "Theme",
    "ThemeModel",
    "VoikkoLemmatiser",
    "make_lemmatiser",
    "sentiment",
    "stopwords_fi",
    "tokenize",
    "voikko_available",
]
