"""What the voice app holds about a person, for GDPR export and erasure.

Erasure keeps the organisation's record (ideas, stories, answers and their counts stay) but cuts the
link to the person: their votes, comments and notifications are deleted, authorship and agent
attribution are cleared.
"""

from __future__ import annotations

from typing import Any

from aspa.org.models import User
from aspa.voice.models import Feedback, Idea, IdeaComment, IdeaVote, Notification, Response, Story


def export(user: User) -> dict[str, Any]:
    return {
        "ideas": [
            {"title": i.title, "body": i.body, "status": i.status, "created_at": i.created_at.isoformat()}
            for i in Idea.objects.filter(author__user=user)
        ],
        "idea_votes": [
            v.idea.title for v in IdeaVote.objects.filter(membership__user=user).select_related("idea")
        ],
        "idea_comments": [
            {"idea": c.idea.title, "body": c.body, "created_at": c.created_at.isoformat()}
            for c in IdeaComment.objects.filter(author__user=user).select_related("idea")
        ],
        "stories": [
            {"title": s.title, "created_at": s.created_at.isoformat()}
            for s in Story.objects.filter(author__user=user)
        ],
        "feedback_entered": Feedback.objects.filter(created_by__user=user).count(),
        "survey_answers_about_you": Response.objects.filter(agent__user=user).count(),
        "sentiment_corrections": Response.objects.filter(sentiment_corrected_by__user=user).count()
        + Feedback.objects.filter(sentiment_corrected_by__user=user).count(),
        "notifications": [
            {"message": n.message, "created_at": n.created_at.isoformat()}
            for n in Notification.objects.filter(recipient__user=user)
        ],
    }


def erase(user: User) -> None:
    IdeaVote.objects.filter(membership__user=user).delete()
    IdeaComment.objects.filter(author__user=user).delete()
    Notification.objects.filter(recipient__user=user).delete()
    Idea.objects.filter(author__user=user).update(author=None)
    Story.objects.filter(author__user=user).update(author=None)
    Feedback.objects.filter(created_by__user=user).update(created_by=None)
    Response.objects.filter(agent__user=user).update(agent=None)
    Response.objects.filter(sentiment_corrected_by__user=user).update(sentiment_corrected_by=None)
    Feedback.objects.filter(sentiment_corrected_by__user=user).update(sentiment_corrected_by=None)
