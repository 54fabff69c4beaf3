"""Shared vocabulary of the isolation walk (tests/core/test_access_walk.py).

Each app that adds URLs adds a `tests/<app>/access_rules.py` with
- `ACCESS: dict[str, Access]` for its URL names,
- optionally `setup(world: World) -> None`, which creates objects of organisation A, registers URL kwargs in
  `world.kwargs[name]`, and adds strings that must never leak to another organisation to `world.secrets`,
- optionally `snapshot(world: World) -> object`, a value that must not change when a forbidden write is tried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aspa.core.roles import Role

ALL = frozenset(Role.values)
INSIDE = frozenset({Role.AGENT, Role.LEAD, Role.PLANNER, Role.MANAGER, Role.ADMIN})
NO_ASSESSOR = ALL - {Role.ASSESSOR}
NOBODY: frozenset[str] = frozenset()
INVITERS = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN})
RUNNERS = frozenset({Role.LEAD, Role.PLANNER, Role.MANAGER, Role.ADMIN})


@dataclass(frozen=True)
class Access:
    """Who may GET / POST a URL. `public`: anonymous visitors are served too (login page, invitations)."""

    get: frozenset[str] = NOBODY
    post: frozenset[str] = NOBODY
    public: bool = False
    get_allowed: bool = True  # False for POST-only endpoints (GET answers 405)
    object_of_org: bool = False  # the URL names an object of organisation A
    api: bool = False  # JSON API: anonymous gets 401 instead of a login redirect
    skip_reason: str = ""


@dataclass
class World:
    org_a: Any
    org_b: Any
    members: dict[str, Any]
    outsider: Any
    kwargs: dict[str, Callable[[], dict[str, Any]]]
    secrets: list[str]
    objects: dict[str, Any] = field(default_factory=dict)
