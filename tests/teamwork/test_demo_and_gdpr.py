"""The demo part and GDPR export/erasure of teamwork data."""

from __future__ import annotations

from aspa.core.demo import demo_seed
from aspa.core.roles import Role
from aspa.org.services import person_export
from aspa.teamwork import selectors, services
from aspa.teamwork.decisions import SWAP_APPROVE
from aspa.teamwork.models import (
    Agreement,
    AgreementStatus,
    CharterConsent,
    CharterVersion,
    DecisionCell,
    Objection,
)
from aspa.teamwork.personal_data import erase


def test_demo_team_has_charter_matrix_board_and_agreements(db):
    context = demo_seed(seed=5)
    team = next(t for t in context.objects["teams"] if t.name == "Puhelinpalvelu")
    assert CharterVersion.objects.filter(team=team).count() == 2
    assert DecisionCell.objects.filter(team=team).exists()
    statuses = set(Agreement.objects.filter(team=team).values_list("status", flat=True))
    assert statuses >= {AgreementStatus.PROPOSED, AgreementStatus.DISCUSSED, AgreementStatus.AGREED}
    agent = context.objects["members"]["agent@demo.aspa.fi"]
    assert selectors.decision_allowed(actor=agent, team=team, decision=SWAP_APPROVE)
    board = selectors.role_board(actor=agent, team=team)
    assert any(entry.role.is_rotating and entry.this_week for entry in board)
    counts = (CharterVersion.objects.count(), Agreement.objects.count())
    demo_seed(seed=5)
    assert (CharterVersion.objects.count(), Agreement.objects.count()) == counts  # idempotent


def test_export_and_erase(member_of, team):
    lead, agent = member_of(Role.LEAD), member_of(Role.AGENT)
    version = services.charter_version_create(actor=lead, team=team, purpose="P", customer_promise="L")
    services.charter_agree(actor=agent, version=version)
    agreement = services.agreement_propose(actor=agent, team=team, title="Kamerat")
    services.objection_raise(actor=agent, agreement=agreement, text="Oma vastalause")
    data = person_export(user=agent.user)["data"]["teamwork"]
    assert data["charter_agreed"][0]["version"] == 1
    assert data["objections"][0]["text"] == "Oma vastalause"
    erase(agent.user)
    assert not CharterConsent.objects.filter(membership=agent).exists()
    assert Agreement.objects.get().proposed_by is None
    assert Objection.objects.get().raised_by is None


def test_demo_work_stream(db):
    from aspa.teamwork.models import (
        ActionItem,
        CoachingSession,
        Goal,
        GoalCheckIn,
        Meeting,
        MeetingKind,
        RetroDot,
        RetroItem,
        SelfDirectionAssessment,
    )

    context = demo_seed(seed=5)
    team = next(t for t in context.objects["teams"] if t.name == "Puhelinpalvelu")
    agent = context.objects["members"]["agent@demo.aspa.fi"]
    lead = context.objects["members"]["lead@demo.aspa.fi"]
    assert Goal.objects.filter(team=team, metric__in=["fcr", "service_level"]).count() == 2
    mine = Goal.objects.get(person=agent)
    assert GoalCheckIn.objects.filter(goal=mine).count() == 6
    assert selectors.goal_progress(mine).value is not None
    assert CoachingSession.objects.filter(coachee=agent, status="held").count() == 3
    assert CoachingSession.objects.filter(coachee=agent, status="planned").count() == 1
    assert Meeting.objects.filter(team=team, kind=MeetingKind.HUDDLE).count() == 6
    assert selectors.huddle_board(actor=agent, team=team).meeting is not None
    assert RetroItem.objects.filter(retro__team=team, author__isnull=True).count() == 3
    assert RetroDot.objects.filter(item__retro__team=team).exists()
    assert ActionItem.objects.filter(team=team, source_type="retro").count() == 1
    assert selectors.actions_overdue(organisation_id=team.organisation_id).exists()
    assert SelfDirectionAssessment.objects.filter(team=team).exists()
    assert any(r.gap for r in selectors.self_direction(actor=lead, team=team))
    counts = (Goal.objects.count(), Meeting.objects.count(), CoachingSession.objects.count())
    demo_seed(seed=5)
    assert (Goal.objects.count(), Meeting.objects.count(), CoachingSession.objects.count()) == counts


def test_export_and_erase_work_stream(member_of, team):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from aspa.teamwork.models import ActionItem, CoachingNote, Goal, GoalLevel, RetroItem

    lead, agent = member_of(Role.LEAD), member_of(Role.AGENT)
    due = timezone.localdate() + timedelta(days=10)
    goal = services.goal_create(
        actor=agent,
        level=GoalLevel.PERSON,
        person=agent,
        title="Oma tavoite",
        target_value=Decimal(5),
        due_on=due,
    )
    services.goal_check_in(actor=agent, goal=goal, value=Decimal(3), confidence=4, comment="Oma kommentti")
    shared = services.action_create(actor=lead, team=team, title="Tiimin asia", owner=agent, due_on=due)
    session = services.coaching_session_create(
        actor=lead, team=team, coachee=agent, scheduled_for=timezone.now()
    )
    services.coaching_note_add(actor=agent, session=session, text="Oma muistiinpano")
    retro = services.retro_create(actor=lead, team=team, title="R", held_on=timezone.localdate())
    services.retro_item_add(actor=agent, retro=retro, category="create", text="Nimellä")
    services.retro_item_add(actor=agent, retro=retro, category="create", text="Nimettä", anonymous=True)
    data = person_export(user=agent.user)["data"]["teamwork"]
    assert data["personal_goals"][0]["check_ins"][0]["comment"] == "Oma kommentti"
    assert data["private_coaching_notes"][0]["text"] == "Oma muistiinpano"
    assert [r["text"] for r in data["retro_contributions"]] == ["Nimellä"]
    assert data["actions"][0]["title"] == "Tiimin asia"
    erase(agent.user)
    assert not Goal.objects.filter(person=agent).exists()
    assert not CoachingNote.objects.exists()
    shared.refresh_from_db()
    assert shared.owner is None  # the team's action stays, unlinked
    assert set(RetroItem.objects.values_list("text", "author")) == {("Nimellä", None), ("Nimettä", None)}
    assert ActionItem.objects.count() == 1
