"""Who may reach the voice pages: every member reads and gives feedback; leads, managers and admins
manage surveys, imports and idea statuses; customers answer by link and send ideas without logging in."""

from __future__ import annotations

from typing import Any

from aspa.core.roles import Role
from aspa.voice.models import (
    Feedback,
    Idea,
    IdeaComment,
    IdeaVote,
    Notification,
    Response,
    Story,
    Survey,
    SurveyLink,
)
from tests.access import INSIDE, Access, World
from tests.voice.factories import (
    FeedbackFactory,
    IdeaFactory,
    StoryFactory,
    SurveyFactory,
    ThemeFactory,
    link_for,
)

MANAGERS = frozenset({Role.LEAD, Role.MANAGER, Role.ADMIN})

ACCESS: dict[str, Access] = {
    "voice:dashboard": Access(get=INSIDE),
    "voice:analyse": Access(post=MANAGERS, get_allowed=False),
    "voice:surveys": Access(get=INSIDE, post=MANAGERS),
    "voice:survey": Access(get=INSIDE, post=MANAGERS, object_of_org=True),
    "voice:survey_links_csv": Access(post=MANAGERS, get_allowed=False, object_of_org=True),
    "voice:answer": Access(public=True, object_of_org=True),
    "voice:public_ideas": Access(public=True, object_of_org=True),
    "voice:idea_email_confirm": Access(public=True),
    "voice:responses": Access(get=INSIDE, post=MANAGERS),
    "voice:feedback": Access(get=INSIDE, post=INSIDE),
    "voice:feedback_import": Access(post=INSIDE, get_allowed=False),
    "voice:feedback_personal_data": Access(get=MANAGERS),
    "voice:feedback_mask": Access(post=MANAGERS, get_allowed=False, object_of_org=True),
    "voice:customer_data": Access(get=frozenset({Role.ADMIN}), post=frozenset({Role.ADMIN})),
    "voice:sentiment": Access(get=INSIDE),
    "voice:sentiment_correct": Access(post=MANAGERS, get_allowed=False),
    "voice:theme": Access(get=INSIDE, object_of_org=True),
    "voice:stories": Access(get=INSIDE, post=INSIDE),
    "voice:story": Access(get=INSIDE, object_of_org=True),
    "voice:ideas": Access(get=INSIDE, post=INSIDE),
    "voice:idea_similar": Access(get=INSIDE),
    "voice:idea": Access(get=INSIDE, object_of_org=True),
    "voice:idea_vote": Access(post=INSIDE, get_allowed=False, object_of_org=True),
    "voice:idea_comment": Access(post=INSIDE, get_allowed=False, object_of_org=True),
    "voice:idea_status": Access(post=MANAGERS, get_allowed=False, object_of_org=True),
    "voice:notifications": Access(get=INSIDE, post=INSIDE),
    "api:voice_links_create": Access(
        skip_reason="POST-only JSON; roles and isolation in tests/voice/test_api.py", post=MANAGERS, api=True
    ),
    "api:voice_responses_create": Access(
        skip_reason="POST-only JSON; roles and isolation in tests/voice/test_api.py", post=MANAGERS, api=True
    ),
    "api:voice_feedback_create": Access(
        skip_reason="POST-only JSON; roles and isolation in tests/voice/test_api.py", post=INSIDE, api=True
    ),
    "api:voice_scores": Access(get=INSIDE, api=True),
}


def setup(world: World) -> None:
    org = world.org_a
    survey = SurveyFactory(organisation=org, name="Salainen Alfakysely")
    link_for(survey, token="alfa-walk-token")
    story = StoryFactory(organisation=org, title="Salainen Alfatarina")
    idea = IdeaFactory(organisation=org, title="Salainen Alfaidea")
    theme = ThemeFactory(organisation=org, label="salainen alfateema")
    feedback = FeedbackFactory(organisation=org, theme=theme, text="Salainen alfapalaute, soita 040 123 4567")
    world.kwargs.update(
        {
            "voice:survey": lambda: {"survey_id": survey.pk},
            "voice:survey_links_csv": lambda: {"survey_id": survey.pk},
            "voice:answer": lambda: {"token": "alfa-walk-token"},
            "voice:public_ideas": lambda: {"slug": org.slug},
            "voice:idea_email_confirm": lambda: {"token": "walk-token"},
            "voice:story": lambda: {"story_id": story.pk},
            "voice:theme": lambda: {"theme_id": theme.pk},
            "voice:feedback_mask": lambda: {"feedback_id": feedback.pk},
            "voice:idea": lambda: {"idea_id": idea.pk},
            "voice:idea_vote": lambda: {"idea_id": idea.pk},
            "voice:idea_comment": lambda: {"idea_id": idea.pk},
            "voice:idea_status": lambda: {"idea_id": idea.pk},
            "api:voice_links_create": lambda: {"survey_id": survey.pk},
        }
    )
    world.secrets += [
        "Salainen Alfakysely",
        "Salainen Alfatarina",
        "Salainen Alfaidea",
        "salainen alfateema",
        "Salainen alfapalaute",
    ]
    world.objects.update(voice_survey=survey, voice_idea=idea, voice_story=story)


def snapshot(world: World) -> Any:
    org = world.org_a
    return (
        sorted(Survey.objects.filter(organisation=org).values_list("pk", "name")),
        SurveyLink.objects.filter(organisation=org).count(),
        Response.objects.filter(organisation=org).count(),
        sorted(Feedback.objects.filter(organisation=org).values_list("pk", "text")),
        Story.objects.filter(organisation=org).count(),
        sorted(Idea.objects.filter(organisation=org).values_list("pk", "title", "status")),
        IdeaVote.objects.filter(idea__organisation=org).count(),
        IdeaComment.objects.filter(idea__organisation=org).count(),
        Notification.objects.filter(organisation=org, read_at__isnull=True).count(),
    )
