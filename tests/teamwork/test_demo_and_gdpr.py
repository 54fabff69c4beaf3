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
