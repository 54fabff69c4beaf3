from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_messages() -> Iterator[None]:
    """Services' messages are compared with their English msgids (the module constants), whatever the
    Finnish catalogue already translates."""
    with translation.override("en"):
        yield
