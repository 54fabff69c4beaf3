"""The decision matrix: defaults, enforcement API, editing (versioned, audited) and its own guard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.teamwork import services
from aspa.teamwork.decisions import (
    AGREEMENT_CHANGE,
    DECISIONS_CHANGE,
    REFUND_GRANT,
    ROSTER_PUBLISH,
    SWAP_APPROVE,
    Level,
    Subject,
    decision_type_register,
    decision_types,
)
from aspa.teamwork.models import DecisionCell, DecisionChange
from aspa.teamwork.selectors import (
    ERR_DECISION_DENIED,
    decision_allowed,
    decision_level,
    decision_matrix,
    require_decision,
)
from tests.factories import MembershipFactory, TeamFactory


def test_defaults_lead_approves_swaps_planner_publishes_roster(member_of, team):
    agent, lead, planner = member_of(Role.AGENT), member_of(Role.LEAD), member_of(Role.PLANNER, in_team=False)
    assert decision_allowed(actor=lead, team=team, decision=SWAP_APPROVE)
    assert not decision_allowed(actor=agent, team=team, decision=SWAP_APPROVE)
    assert decision_level(actor=agent, team=team, decision=SWAP_APPROVE) == Level.INFORMED
    assert decision_allowed(actor=planner, team=team, decision=ROSTER_PUBLISH)
    assert not decision_allowed(actor=lead, team=team, decision=ROSTER_PUBLISH)
    assert decision_level(actor=lead, team=team, decision=ROSTER_PUBLISH) == Level.RECOMMENDS


def test_changing_a_cell_lets_agents_approve_swaps(member_of, team):
    agent, lead = member_of(Role.AGENT), member_of(Role.LEAD)
    assert decision_allowed(actor=agent, team=team, decision=SWAP_APPROVE) is False
    with pytest.raises(PermissionDenied):
        require_decision(actor=agent, team=team, decision=SWAP_APPROVE)

    version = services.decision_matrix_update(
        actor=lead,
        team=team,
        cells={(SWAP_APPROVE, Subject.AGENT): (Level.DECIDES, None)},
        note="Tiimin päätös",
    )

    assert version == 1
    assert decision_allowed(actor=agent, team=team, decision=SWAP_APPROVE) is True
    require_decision(actor=agent, team=team, decision=SWAP_APPROVE)  # no exception
    change = DecisionChange.objects.get(team=team)
    assert (change.old_level, change.new_level, change.changed_by, change.note) == (
        Level.NONE,
        Level.DECIDES,
        lead.user,
        "Tiimin päätös",
    )
    entry = AuditEntry.objects.get(action="decision_matrix.change")
    assert entry.changes["cells"]["swap.approve/agent"] == [["none", None], ["decides", None]]


def test_lead_of_another_team_and_non_members_get_no_team_rights(org, member_of, team):
    other_team = TeamFactory(organisation=org)
    lead_elsewhere = MembershipFactory(organisation=org, role=Role.LEAD)
    other_team.team_memberships.create(membership=lead_elsewhere, is_lead=True)
    assert not decision_allowed(actor=lead_elsewhere, team=team, decision=SWAP_APPROVE)


def test_other_organisation_never_allowed(other_org, team):
    manager = MembershipFactory(organisation=other_org, role=Role.MANAGER)
    assert not decision_allowed(actor=manager, team=team, decision=DECISIONS_CHANGE)
    with pytest.raises(PermissionDenied):
        services.decision_matrix_update(
            actor=manager, team=team, cells={(SWAP_APPROVE, Subject.AGENT): (Level.DECIDES, None)}
        )
    assert not DecisionCell.objects.exists()


def test_inactive_membership_has_no_rights(member_of, team):
    lead = member_of(Role.LEAD)
    lead.is_active = False
    lead.save()
    assert not decision_allowed(actor=lead, team=team, decision=SWAP_APPROVE)


def test_refund_limits_by_amount(member_of, team):
    agent, lead = member_of(Role.AGENT), member_of(Role.LEAD)
    assert decision_allowed(actor=agent, team=team, decision=REFUND_GRANT, amount=Decimal("50"))
    assert not decision_allowed(actor=agent, team=team, decision=REFUND_GRANT, amount=Decimal("50.01"))
    assert decision_allowed(actor=lead, team=team, decision=REFUND_GRANT, amount=Decimal("400"))
    services.decision_matrix_update(
        actor=lead, team=team, cells={(REFUND_GRANT, Subject.MEMBERS): (Level.DECIDES, Decimal("120"))}
    )
    assert decision_allowed(actor=agent, team=team, decision=REFUND_GRANT, amount=Decimal("100"))
    with pytest.raises(PermissionDenied):
        require_decision(actor=agent, team=team, decision=REFUND_GRANT, amount=Decimal("121"))


def test_agent_cannot_change_decision_rights(member_of, team):
    agent = member_of(Role.AGENT)
    with pytest.raises(PermissionDenied) as exc:
        services.decision_matrix_update(
            actor=agent, team=team, cells={(SWAP_APPROVE, Subject.AGENT): (Level.DECIDES, None)}
        )
    assert str(exc.value) == ERR_DECISION_DENIED % {"decision": "Change decision rights"}
    assert not DecisionCell.objects.exists() and not DecisionChange.objects.exists()


def test_manager_outside_the_team_may_change_decision_rights(member_of, team):
    manager = member_of(Role.MANAGER, in_team=False)
    assert services.decision_matrix_update(
        actor=manager, team=team, cells={(SWAP_APPROVE, Subject.AGENT): (Level.CONSULTS, None)}
    )


def test_nobody_can_lose_the_right_to_change_rights(member_of, team):
    lead = member_of(Role.LEAD)
    cells = {(DECISIONS_CHANGE, s): (Level.RECOMMENDS, None) for s in Subject.values}
    with pytest.raises(ValidationError) as exc:
        services.decision_matrix_update(actor=lead, team=team, cells=cells)
    assert exc.value.messages == [services.ERR_LOCKOUT]
    assert not DecisionCell.objects.exists()


def test_unchanged_and_invalid_cells_are_refused(member_of, team):
    lead = member_of(Role.LEAD)
    with pytest.raises(ValidationError) as exc:
        services.decision_matrix_update(
            actor=lead, team=team, cells={(SWAP_APPROVE, Subject.LEAD): (Level.DECIDES, None)}
        )
    assert exc.value.messages == [services.ERR_NOTHING_CHANGED]
    with pytest.raises(ValidationError) as exc:
        services.decision_matrix_update(
            actor=lead, team=team, cells={("no.such", Subject.LEAD): (Level.DECIDES, None)}
        )
    assert exc.value.messages == [services.ERR_UNKNOWN_CELL]
    with pytest.raises(ValidationError) as exc:
        services.decision_matrix_update(
            actor=lead, team=team, cells={(SWAP_APPROVE, Subject.AGENT): (Level.DECIDES, Decimal("5"))}
        )
    assert exc.value.messages == [services.ERR_NO_LIMIT_HERE]
    assert not DecisionChange.objects.exists()


def test_versions_count_up_and_resetting_to_default_drops_the_cell(member_of, team):
    lead = member_of(Role.LEAD)
    cell = (AGREEMENT_CHANGE, Subject.MEMBERS)
    assert services.decision_matrix_update(actor=lead, team=team, cells={cell: (Level.CONSULTS, None)}) == 1
    assert DecisionCell.objects.filter(team=team).count() == 1
    assert services.decision_matrix_update(actor=lead, team=team, cells={cell: (Level.RECOMMENDS, None)}) == 2
    assert not DecisionCell.objects.filter(team=team).exists()
    assert list(DecisionChange.objects.filter(team=team).values_list("version", flat=True)) == [2, 1]


def test_matrices_are_per_team(org, member_of, team):
    lead, agent = member_of(Role.LEAD), member_of(Role.AGENT)
    other = TeamFactory(organisation=org)
    other.team_memberships.create(membership=agent)
    services.decision_matrix_update(
        actor=lead, team=team, cells={(SWAP_APPROVE, Subject.AGENT): (Level.DECIDES, None)}
    )
    assert decision_allowed(actor=agent, team=team, decision=SWAP_APPROVE)
    assert not decision_allowed(actor=agent, team=other, decision=SWAP_APPROVE)


def test_other_apps_register_decision_types(member_of, team):
    decision_type_register(
        key="test.thing", label="Test thing", defaults={Subject.MEMBERS: Level.DECIDES}, order=999
    )
    try:
        agent = member_of(Role.AGENT)
        assert decision_allowed(actor=agent, team=team, decision="test.thing")
        assert "test.thing" in [row.decision_type.key for row in decision_matrix(actor=agent, team=team)]
    finally:
        from aspa.teamwork import decisions

        decisions._REGISTRY.pop("test.thing")
    assert "test.thing" not in [d.key for d in decision_types()]


def test_register_refuses_unknown_levels():
    with pytest.raises(ValueError):
        decision_type_register(key="x.y", label="X", defaults={Subject.MEMBERS: "boss"})
