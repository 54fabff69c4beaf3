"""The demo generator: deterministic, realistic data for `make demo` and manual testing.

Each app adds its own part with `demo_register`; parts run in `order`, inside one transaction, with
one shared `random.Random(seed)` so the same seed gives the same organisation every time.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

DEMO_PASSWORD = "aspa-demo-2026"  # noqa: S105 - printed for the demo on purpose


@dataclass
class DemoContext:
    rng: random.Random
    seed: int
    # Filled by the parts: organisations by slug, memberships by login e-mail, teams by name, ...
    objects: dict[str, Any] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (organisation, role, e-mail)


@dataclass(frozen=True)
class DemoPart:
    name: str
    order: int
    build: Callable[[DemoContext], None]


_PARTS: dict[str, DemoPart] = {}


def demo_register(*, name: str, order: int, build: Callable[[DemoContext], None]) -> None:
    _PARTS[name] = DemoPart(name=name, order=order, build=build)


def demo_seed(*, seed: int = 1) -> DemoContext:
    context = DemoContext(rng=random.Random(seed), seed=seed)
    with transaction.atomic():
        for part in sorted(_PARTS.values(), key=lambda p: p.order):
            part.build(context)
    return context
