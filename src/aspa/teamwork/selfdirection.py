"""The self-direction rubric (itseohjautuvuuden tavoitetaso): five areas, levels 1–5 each.

Plain data: the descriptions are what members read when they assess where their team is now.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

LEVELS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Area:
    key: str
    label: str | Promise
    levels: tuple[str | Promise, str | Promise, str | Promise, str | Promise, str | Promise]


AREAS: tuple[Area, ...] = (
    Area(
        "information",
        _("Information"),
        (
            _("The lead passes information on when asked."),
            _("The team gets the key figures once a week."),
            _("Everyone sees the forecast, service level and feedback every day."),
            _("The team looks for the information it needs on its own."),
            _("The team shares what it learns with other teams."),
        ),
    ),
    Area(
        "decisions",
        _("Decisions"),
        (
            _("The lead decides; the team is told."),
            _("The lead decides after hearing the team."),
            _("The team decides everyday matters; the lead the rest."),
            _("The team decides within agreed frames (the decision matrix)."),
            _("The team develops its own frames with management."),
        ),
    ),
    Area(
        "planning",
        _("Planning"),
        (
            _("Shifts and tasks are handed to the team ready."),
            _("The team's wishes are asked for."),
            _("The team swaps shifts and shares tasks itself."),
            _("The team plans its week against the forecast."),
            _("The team plans its work and development for months ahead."),
        ),
    ),
    Area(
        "competence",
        _("Competence"),
        (
            _("Learning happens in trainings others choose."),
            _("Everyone knows which skills they need next."),
            _("Members teach each other in daily work."),
            _("The team covers its skill gaps itself."),
            _("The team builds competence for the whole organisation."),
        ),
    ),
    Area(
        "feedback",
        _("Feedback"),
        (
            _("Feedback comes from the lead, now and then."),
            _("Customer feedback is read together regularly."),
            _("Members give each other feedback openly."),
            _("The team asks for feedback and acts on it itself."),
            _("Feedback loops run without the lead's help."),
        ),
    ),
)
AREA_KEYS = tuple(a.key for a in AREAS)


def area_get(key: str) -> Area:
    for area in AREAS:
        if area.key == key:
            return area
    raise KeyError(key)
