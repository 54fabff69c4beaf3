"""URL arguments of the teamwork work-stream pages for the axe walk (tests/e2e/test_axe.py).

The demo's Puhelinpalvelu team (the scene's team) has goals, huddles, a retrospective and actions. The
coaching pages are private to their participants, so the walk gets a session of its own: the admin
coaching the demo agent, so that both walking roles may open it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from aspa.teamwork.models import ActionItem, CoachingSession, Goal, GoalLevel, Meeting, Retrospective


def _session(scene: Any) -> CoachingSession:
    session, _ = CoachingSession.objects.get_or_create(
        organisation=scene.admin.organisation,
        team=scene.team,
        lead=scene.admin,
        coachee=scene.agent,
        defaults={"scheduled_for": timezone.now(), "agreements": "Kokeillaan takaisinsoittoa."},
    )
    return session


def _team(scene: Any) -> dict[str, Any]:
    return {"team_id": scene.team.pk}


def page_kwargs() -> dict[str, Callable[[Any], dict[str, Any]]]:
    return {
        **{
            f"teamwork:{name}": _team
            for name in ("team_actions", "huddle", "meetings", "retros", "self_direction")
        },
        "teamwork:action_status": lambda s: {"action_id": ActionItem.objects.filter(team=s.team).first().pk},  # type: ignore[union-attr]
        "teamwork:goal": lambda s: {
            "goal_id": Goal.objects.filter(team=s.team, level=GoalLevel.TEAM).first().pk  # type: ignore[union-attr]
        },
        "teamwork:coaching_session": lambda s: {"session_id": _session(s).pk},
        "teamwork:meeting": lambda s: {
            "team_id": s.team.pk,
            "meeting_id": Meeting.objects.filter(team=s.team).order_by("-starts_at").first().pk,  # type: ignore[union-attr]
        },
        "teamwork:retro": lambda s: {
            "team_id": s.team.pk,
            "retro_id": Retrospective.objects.filter(team=s.team).first().pk,  # type: ignore[union-attr]
        },
    }
