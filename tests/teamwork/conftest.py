"""Tests that swap a metric provider or a hook part get the real registries back afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aspa.teamwork import hooks, metrics


@pytest.fixture(autouse=True)
def _restore_registries() -> Iterator[None]:
    saved = (dict(metrics._PROVIDERS), dict(hooks._AGENDA), dict(hooks._HUDDLE))
    yield
    for registry, before in zip((metrics._PROVIDERS, hooks._AGENDA, hooks._HUDDLE), saved, strict=True):
        registry.clear()
        registry.update(before)
