"""URL arguments of the voice pages for the axe walk (tests/e2e/test_axe.py): demo objects of the admin's org."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aspa.voice import services
from aspa.voice.models import Feedback, Idea, Story, Survey, Theme


def _survey(scene: Any) -> Survey:
    return Survey.objects.filter(organisation=scene.admin.organisation).order_by("pk").first()  # type: ignore[return-value]


def _idea(scene: Any) -> Idea:
    return Idea.objects.filter(organisation=scene.admin.organisation).order_by("pk").first()  # type: ignore[return-value]


def _story(scene: Any) -> Story:
    return Story.objects.filter(organisation=scene.admin.organisation).order_by("pk").first()  # type: ignore[return-value]


def _theme(scene: Any) -> Theme:
    return Theme.objects.filter(organisation=scene.admin.organisation, is_active=True).order_by("pk").first()  # type: ignore[return-value]


def _unmasked(scene: Any) -> Feedback:
    # The demo keeps a few texts stored without masking (voice.demo.UNMASKED_FEEDBACK).
    return Feedback.objects.filter(organisation=scene.admin.organisation, text__contains="@").first()  # type: ignore[return-value]


def _token(scene: Any) -> str:
    # A fresh, unused link each time: the page shows the survey form (the one a customer sees).
    [(_link, token)] = services.link_create_bulk(
        actor=scene.admin, survey=_survey(scene), specs=[services.LinkSpec(contact_ref="axe", language="sv")]
    )
    return token


def page_kwargs() -> dict[str, Callable[[Any], dict[str, Any]]]:
    return {
        "voice:survey": lambda s: {"survey_id": _survey(s).pk},
        "voice:survey_links_csv": lambda s: {"survey_id": _survey(s).pk},
        "voice:answer": lambda s: {"token": _token(s)},
        "voice:public_ideas": lambda s: {"slug": s.admin.organisation.slug},
        "voice:idea_email_confirm": lambda s: {"token": "axe-token"},
        "voice:story": lambda s: {"story_id": _story(s).pk},
        "voice:theme": lambda s: {"theme_id": _theme(s).pk},
        "voice:feedback_mask": lambda s: {"feedback_id": _unmasked(s).pk},
        "voice:idea": lambda s: {"idea_id": _idea(s).pk},
        "voice:idea_vote": lambda s: {"idea_id": _idea(s).pk},
        "voice:idea_comment": lambda s: {"idea_id": _idea(s).pk},
        "voice:idea_status": lambda s: {"idea_id": _idea(s).pk},
    }
