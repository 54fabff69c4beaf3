"""GDPR: each module registers what it holds about a person, so export and erasure cover everything.

An exporter returns JSON-serialisable data; an eraser pseudonymises or deletes the person's rows while
keeping aggregates (counts, sums) intact. Both run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Exporter = Callable[[Any], Any]
Eraser = Callable[[Any], None]


@dataclass(frozen=True)
class PersonalDataSource:
    name: str
    export: Exporter
    erase: Eraser


_SOURCES: dict[str, PersonalDataSource] = {}


def personal_data_register(*, name: str, export: Exporter, erase: Eraser) -> None:
    _SOURCES[name] = PersonalDataSource(name=name, export=export, erase=erase)


def personal_data_sources() -> list[PersonalDataSource]:
    return [_SOURCES[k] for k in sorted(_SOURCES)]
