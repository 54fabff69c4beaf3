"""Extension points other apps fill in later: parts of a coaching agenda and of the huddle board.

voice's data gives "what customers said" (about a person, or to the team lately), wfm's roster fairness,
today's forecast and the service level: `aspa.teamwork.providers` reads them through those apps'
selectors and registers the providers from TeamworkConfig.ready(). Registering looks like:

    from aspa.teamwork.hooks import agenda_part_register
    agenda_part_register(key="voice.comments", title=_("Recent customer comments"), order=30, provide=fn)

A provider gets the acting member and the person (or the team) and returns `Panel` lines, or None for
"nothing to show". A key without a provider is shown as a placeholder saying which app will fill it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Panel:
    key: str
    title: str | Promise
    lines: list[str] = field(default_factory=list)
    placeholder: str | Promise = ""


AgendaProvider = Callable[..., list[str] | None]


@dataclass(frozen=True)
class _Part:
    key: str
    title: str | Promise
    order: int
    placeholder: str | Promise
    provide: AgendaProvider | None


_AGENDA: dict[str, _Part] = {}
_HUDDLE: dict[str, _Part] = {}


def agenda_part_register(
    *,
    key: str,
    title: str | Promise,
    order: int,
    provide: AgendaProvider | None,
    placeholder: str | Promise = "",
) -> None:
    """Add a coaching-agenda part; `provide(actor=..., person=...)` returns lines or None."""
    _AGENDA[key] = _Part(key, title, order, placeholder, provide)


def huddle_panel_register(
    *,
    key: str,
    title: str | Promise,
    order: int,
    provide: AgendaProvider | None,
    placeholder: str | Promise = "",
) -> None:
    """Add a huddle-board panel; `provide(actor=..., team=..., on=...)` returns lines or None."""
    _HUDDLE[key] = _Part(key, title, order, placeholder, provide)


def _panels(registry: dict[str, _Part], **kwargs: Any) -> list[Panel]:
    panels = []
    for part in sorted(registry.values(), key=lambda p: (p.order, p.key)):
        lines = part.provide(**kwargs) if part.provide is not None else None
        panels.append(Panel(part.key, part.title, list(lines or []), "" if lines else part.placeholder))
    return panels


def agenda_panels(**kwargs: Any) -> list[Panel]:
    return _panels(_AGENDA, **kwargs)


def huddle_panels(**kwargs: Any) -> list[Panel]:
    return _panels(_HUDDLE, **kwargs)


# Placeholders for when no provider is registered (aspa.teamwork.providers replaces them by key).
agenda_part_register(
    key="voice.comments",
    title=_("Recent customer comments about their work"),
    order=30,
    provide=None,
    placeholder=_("Customer comments appear here once customer feedback is collected in Aspa."),
)
agenda_part_register(
    key="wfm.fairness",
    title=_("Roster fairness"),
    order=40,
    provide=None,
    placeholder=_("Roster fairness appears here once rosters are made in Aspa."),
)
huddle_panel_register(
    key="wfm.forecast",
    title=_("Today's forecast"),
    order=10,
    provide=None,
    placeholder=_("Today's forecast appears here once a forecast is published for the team's queues."),
)
huddle_panel_register(
    key="wfm.service_level",
    title=_("Service level"),
    order=20,
    provide=None,
    placeholder=_("Yesterday's service level appears here once contact history is imported."),
)
huddle_panel_register(
    key="voice.yesterday",
    title=_("What customers said"),
    order=30,
    provide=None,
    placeholder=_("Yesterday's customer feedback appears here once feedback is collected in Aspa."),
)
