"""Errors raised by the Finnish text engine; messages are module constants so tests can import them."""

from __future__ import annotations

VOIKKO_UNAVAILABLE = "Voikko is not available here (libvoikko or the Finnish dictionary is missing): {detail}"
UNKNOWN_BACKEND = "unknown lemmatiser backend {backend!r}; use 'auto', 'voikko' or 'snowball'"
NOT_FITTED = "{name} is not fitted yet: call fit() first"
EMPTY_CORPUS = "theme discovery needs at least {needed} texts with content words, got {got}"
THEMES_INVALID = "n_themes must be a whole number of at least 1, got {n_themes}"
MODEL_FILE_INVALID = "the sentiment model file {path} is missing or unreadable: {detail}"


class TextEngineError(Exception):
    """Base class of every error the text engine raises on purpose."""


class BackendUnavailableError(TextEngineError, RuntimeError):
    """The requested lemmatiser backend cannot run on this machine."""


class TextInputError(TextEngineError, ValueError):
    """An argument is out of its domain (unknown backend, too few texts, n_themes < 1)."""


class NotFittedError(TextEngineError, RuntimeError):
    """A model was used for prediction before ``fit`` was called."""


class ModelFileError(TextEngineError, OSError):
    """A shipped model file is missing or does not have the expected arrays."""
