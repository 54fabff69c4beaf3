"""The main navigation. Apps register their entries in AppConfig.ready(); only modules that exist appear."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise

from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, actor_can


@dataclass(frozen=True)
class NavEntry:
    label: str | Promise
    url_name: str
    capability: Capability | None
    order: int


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    current: bool


_REGISTRY: dict[str, NavEntry] = {}


def nav_register(*, label: str | Promise, url_name: str, capability: Capability | None, order: int) -> None:
    _REGISTRY[url_name] = NavEntry(label=label, url_name=url_name, capability=capability, order=order)


def navigation_for(*, actor: Actor, path: str) -> list[NavItem]:
    items = []
    for entry in sorted(_REGISTRY.values(), key=lambda e: e.order):
        if entry.capability is not None and not actor_can(actor, entry.capability):
            continue
        url = reverse(entry.url_name)
        current = path == url if url == "/" else path.startswith(url)
        items.append(NavItem(label=str(entry.label), url=url, current=current))
    return items
