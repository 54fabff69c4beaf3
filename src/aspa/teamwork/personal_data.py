"""What the teamwork app holds about a person, for GDPR export and erasure.

Erasure keeps the team's record (agreements, objections, charter versions, matrix history, meeting
decisions and team actions stay readable to the team) but removes the link to the person; what is about
them personally is deleted: "I agree" marks, role-board periods, personal goals with their check-ins,
private coaching notes, coaching sessions in which they were coached, votes, dots, ratings and
self-direction answers. Anonymous retro contributions hold no author, so there is nothing to find.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from aspa.org.models import User
from aspa.teamwork.models import (
    ActionItem,
    AgendaItem,
    AgendaVote,
    Agreement,
    CharterConsent,
    CharterVersion,
    CoachingNote,
    CoachingSession,
    DecisionChange,
    Goal,
    GoalCheckIn,
    GoalLevel,
    Meeting,
    MeetingRating,
    Objection,
    RetroDot,
    RetroItem,
    Retrospective,
    RoleAssignment,
    SelfDirectionAssessment,
    SelfDirectionTarget,
)


def _date(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    return {
        "charter_agreed": [
            {"team": c.version.team.name, "version": c.version.number, "agreed_at": c.agreed_at.isoformat()}
            for c in CharterConsent.objects.filter(membership__user=user).select_related("version__team")
        ],
        "charter_versions_written": [
            {"team": v.team.name, "version": v.number, "created_at": v.created_at.isoformat()}
            for v in CharterVersion.objects.filter(created_by=user).select_related("team")
        ],
        "roles_held": [
            {
                "team": a.role.team.name,
                "role": a.role.name,
                "from": a.starts_on.isoformat(),
                "until": a.ends_on.isoformat() if a.ends_on else None,
            }
            for a in RoleAssignment.objects.filter(membership__user=user).select_related("role__team")
        ],
        "agreements_proposed": [
            {"team": a.team.name, "title": a.title, "proposed_at": a.created_at.isoformat()}
            for a in Agreement.objects.filter(proposed_by=user).select_related("team")
        ],
        "objections": [
            {
                "agreement": o.agreement.title,
                "text": o.text,
                "raised_at": o.raised_at.isoformat(),
                "resolved_at": o.resolved_at.isoformat() if o.resolved_at else None,
            }
            for o in Objection.objects.filter(raised_by=user).select_related("agreement")
        ],
        "decision_rights_changed": [
            {"version": c.version, "decision": c.decision, "who": c.subject, "at": c.changed_at.isoformat()}
            for c in DecisionChange.objects.filter(changed_by=user)
        ],
        "actions": [
            {
                "team": a.team.name,
                "title": a.title,
                "note": a.note,
                "due_on": a.due_on.isoformat(),
                "status": a.status,
                "source": a.source_type,
            }
            for a in ActionItem.objects.filter(Q(owner__user=user) | Q(created_by=user)).select_related(
                "team"
            )
        ],
        "personal_goals": [
            {
                "title": g.title,
                "description": g.description,
                "metric": g.metric,
                "target": str(g.target_value),
                "unit": g.unit,
                "due_on": g.due_on.isoformat(),
                "shared": g.is_shared,
                "check_ins": [
                    {
                        "value": str(c.value),
                        "confidence": c.confidence,
                        "comment": c.comment,
                        "at": c.created_at.isoformat(),
                    }
                    for c in g.check_ins.all()
                ],
            }
            for g in Goal.objects.filter(person__user=user, level=GoalLevel.PERSON).prefetch_related(
                "check_ins"
            )
        ],
        "check_ins_written": [
            {"goal": c.goal.title, "value": str(c.value), "confidence": c.confidence, "comment": c.comment}
            for c in GoalCheckIn.objects.filter(author=user).select_related("goal")
        ],
        "coaching_sessions": [
            {
                "kind": s.kind,
                "when": s.scheduled_for.isoformat(),
                "status": s.status,
                "shared_agreements": s.agreements,
            }
            for s in CoachingSession.objects.filter(
                Q(lead__user=user) | Q(coachee__user=user) | Q(manager__user=user)
            )
        ],
        "private_coaching_notes": [
            {"session": n.session_id, "text": n.text, "at": n.created_at.isoformat()}
            for n in CoachingNote.objects.filter(author=user)
        ],
        "agenda_topics": [
            {"topic": i.title, "at": i.created_at.isoformat()}
            for i in AgendaItem.objects.filter(added_by=user)
        ],
        "meeting_ratings": [
            {"meeting": str(r.meeting), "score": r.score}
            for r in MeetingRating.objects.filter(membership__user=user).select_related("meeting")
        ],
        "retro_contributions": [
            {"retro": i.retro.title, "field": i.category, "text": i.text}
            for i in RetroItem.objects.filter(author=user).select_related("retro")
        ],
        "self_direction_answers": [
            {"team": a.team.name, "area": a.area, "level": a.level, "at": _date(a.assessed_at)}
            for a in SelfDirectionAssessment.objects.filter(membership__user=user).select_related("team")
        ],
    }


def erase(user: User) -> None:
    CharterConsent.objects.filter(membership__user=user).delete()
    RoleAssignment.objects.filter(membership__user=user).delete()
    CharterVersion.objects.filter(created_by=user).update(created_by=None)
    Agreement.objects.filter(proposed_by=user).update(proposed_by=None)
    Agreement.objects.filter(agreed_by=user).update(agreed_by=None)
    Objection.objects.filter(raised_by=user).update(raised_by=None)
    Objection.objects.filter(resolved_by=user).update(resolved_by=None)
    DecisionChange.objects.filter(changed_by=user).update(changed_by=None)
    # Personal: deleted.
    Goal.objects.filter(person__user=user, level=GoalLevel.PERSON).delete()
    CoachingNote.objects.filter(author=user).delete()
    CoachingSession.objects.filter(coachee__user=user).delete()
    ActionItem.objects.filter(owner__user=user, is_private=True).delete()
    AgendaVote.objects.filter(membership__user=user).delete()
    MeetingRating.objects.filter(membership__user=user).delete()
    RetroDot.objects.filter(membership__user=user).delete()
    SelfDirectionAssessment.objects.filter(membership__user=user).delete()
    # The team's record: kept, unlinked from the person.
    CoachingSession.objects.filter(manager__user=user).update(manager=None)
    ActionItem.objects.filter(owner__user=user).update(owner=None)
    ActionItem.objects.filter(created_by=user).update(created_by=None)
    GoalCheckIn.objects.filter(author=user).update(author=None)
    Goal.objects.filter(created_by=user).update(created_by=None)
    AgendaItem.objects.filter(added_by=user).update(added_by=None)
    Meeting.objects.filter(created_by=user).update(created_by=None)
    RetroItem.objects.filter(author=user).update(author=None)
    Retrospective.objects.filter(created_by=user).update(created_by=None)
    SelfDirectionTarget.objects.filter(set_by=user).update(set_by=None)
