"""Roster setup: shift types, work rules (Working Hours Act limits), contracts and skills, fairness priorities."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from aspa.core.models import AuditEntry
from aspa.core.roles import Role
from aspa.wfm import roster_build, roster_setup
from aspa.wfm.models import AgentContract, FairnessPriority, Shift, ShiftType, TeamWorkRules
from tests.factories import MembershipFactory, TeamMembershipFactory
from tests.i18n import fi
from tests.wfm.roster_factories import PERIOD_START, published_roster, roster_world

RULES = {
    "min_daily_rest_minutes": 11 * 60,
    "min_weekly_rest_minutes": 35 * 60,
    "max_minutes_per_week": 40 * 60,
    "max_consecutive_days": 6,
}
FAIRNESS = {
    "fairness_weight": 3,
    "burden_weight_nights": 5,
    "burden_weight_weekends": 4,
    "burden_weight_holidays": 0,
    "burden_weight_unpopular": 1,
}


def _planner(team):
    return MembershipFactory(organisation=team.organisation, role=Role.PLANNER)


def _lead(team):
    lead = MembershipFactory(organisation=team.organisation, role=Role.LEAD)
    TeamMembershipFactory(team=team, membership=lead, is_lead=True)
    return lead


def _agent(team):
    agent = MembershipFactory(organisation=team.organisation, role=Role.AGENT)
    TeamMembershipFactory(team=team, membership=agent)
    return agent


# --- Shift types -------------------------------------------------------------------------------------


def test_planner_adds_a_shift_type_the_solver_uses(team):
    row = roster_setup.shift_type_create(
        actor=_planner(team),
        team=team,
        code="Y",
        name="Yö",
        start_time=dt.time(22),
        length_minutes=600,
        kind="night",
    )
    assert [t.code for t in roster_build.shift_types_of(team)] == ["Y"]
    assert roster_build.engine_shift(row).kind == "night"
    assert AuditEntry.objects.filter(action="wfm.shift_type.create").exists()


@pytest.mark.parametrize(
    ("field", "kwargs", "message"),
    [
        ("length_minutes", {"length_minutes": 30}, roster_setup.ERR_SHIFT_LENGTH),
        ("paid_break_minutes", {"paid_break_minutes": 480}, roster_setup.ERR_BREAK_TOO_LONG),
    ],
)
def test_shift_type_is_validated_and_nothing_written(team, field, kwargs, message):
    values = {"code": "A", "name": "Aamu", "start_time": dt.time(8), "length_minutes": 480, **kwargs}
    with pytest.raises(ValidationError) as exc:
        roster_setup.shift_type_create(actor=_planner(team), team=team, **values)
    assert field in exc.value.message_dict
    assert message.split("%")[0] in exc.value.message_dict[field][0]
    assert not ShiftType.objects.exists()


def test_shift_type_code_is_unique_in_the_team(team):
    planner = _planner(team)
    roster_setup.shift_type_create(
        actor=planner, team=team, code="A", name="Aamu", start_time=dt.time(8), length_minutes=480
    )
    with pytest.raises(ValidationError) as exc:
        roster_setup.shift_type_create(
            actor=planner, team=team, code="A", name="Toinen", start_time=dt.time(9), length_minutes=480
        )
    assert exc.value.message_dict["code"] == [roster_setup.ERR_CODE_TAKEN]
    assert ShiftType.objects.count() == 1


def test_agent_cannot_add_shift_types(team):
    with pytest.raises(PermissionDenied):
        roster_setup.shift_type_create(
            actor=_agent(team), team=team, code="A", name="Aamu", start_time=dt.time(8), length_minutes=480
        )
    assert not ShiftType.objects.exists()


def test_other_org_cannot_add_shift_types(team, other_org):
    outsider = MembershipFactory(organisation=other_org, role=Role.PLANNER)
    with pytest.raises((PermissionDenied, ValidationError)):
        roster_setup.shift_type_create(
            actor=outsider, team=team, code="A", name="Aamu", start_time=dt.time(8), length_minutes=480
        )
    assert not ShiftType.objects.exists()


def test_shift_type_in_a_roster_is_not_removed(team):
    world = roster_world(team, agents=1)
    published_roster(world.period, [(world.agents[0], PERIOD_START, world.early)])
    with pytest.raises(ValidationError) as exc:
        roster_setup.shift_type_delete(actor=_planner(team), team=team, shift_type=world.early)
    assert roster_setup.ERR_SHIFT_IN_USE in exc.value.messages
    roster_setup.shift_type_delete(actor=_planner(team), team=team, shift_type=world.late)
    assert list(ShiftType.objects.values_list("code", flat=True)) == ["A"]


# --- Work rules --------------------------------------------------------------------------------------


def test_lead_sets_work_rules_the_solver_uses(team):
    roster_setup.work_rules_update(actor=_lead(team), team=team, **RULES)
    rules, weight = roster_build.engine_rules(team)
    assert rules.max_minutes_per_week == 40 * 60 and rules.max_consecutive_days == 6 and weight == 1


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_daily_rest_minutes", 8 * 60),
        ("min_weekly_rest_minutes", 20 * 60),
        ("max_minutes_per_week", 50 * 60),
        ("max_consecutive_days", 20),
    ],
)
def test_work_rules_beyond_the_law_are_refused(team, field, value):
    with pytest.raises(ValidationError) as exc:
        roster_setup.work_rules_update(actor=_planner(team), team=team, **{**RULES, field: value})
    assert list(exc.value.message_dict) == [field]
    assert not TeamWorkRules.objects.exists()


def test_agent_cannot_change_work_rules(team):
    with pytest.raises(PermissionDenied):
        roster_setup.work_rules_update(actor=_agent(team), team=team, **RULES)
    assert not TeamWorkRules.objects.exists()


# --- Contracts ---------------------------------------------------------------------------------------


def test_planner_sets_a_contract_with_skills(team):
    agent = _agent(team)
    roster_setup.contract_update(
        actor=_planner(team),
        team=team,
        membership=agent,
        min_minutes_per_week=1200,
        max_minutes_per_week=2250,
        skills=["puhelin"],
        known_skills=["chat", "puhelin"],
    )
    contract = AgentContract.objects.get(membership=agent)
    assert (contract.min_minutes_per_week, contract.skills) == (1200, ["puhelin"])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"min_minutes_per_week": 2000, "max_minutes_per_week": 1000}, "max_minutes_per_week"),
        ({"max_minutes_per_week": 3000}, "max_minutes_per_week"),
        ({"skills": ["kirje"]}, "skills"),
    ],
)
def test_contract_is_validated_and_nothing_written(team, kwargs, field):
    values = {"min_minutes_per_week": 0, "max_minutes_per_week": 2250, "skills": [], **kwargs}
    with pytest.raises(ValidationError) as exc:
        roster_setup.contract_update(
            actor=_planner(team), team=team, membership=_agent(team), known_skills=["puhelin"], **values
        )
    assert field in exc.value.message_dict
    assert not AgentContract.objects.exists()


def test_contract_only_for_members_of_the_team(team):
    stranger = MembershipFactory(organisation=team.organisation, role=Role.AGENT)
    with pytest.raises(ValidationError):
        roster_setup.contract_update(
            actor=_planner(team),
            team=team,
            membership=stranger,
            min_minutes_per_week=0,
            max_minutes_per_week=2250,
            skills=[],
            known_skills=[],
        )
    assert not AgentContract.objects.exists()


# --- Fairness priorities -----------------------------------------------------------------------------


def test_lead_gives_a_priority_with_a_reason_and_the_solver_sees_it(team):
    world = roster_world(team, agents=2)
    lead = _lead(team)
    roster_setup.priority_grant(
        actor=lead, team=team, membership=world.agents[0], reason="Omainen hoidettavana", weight=3
    )
    priority = FairnessPriority.objects.get()
    assert priority.set_by == lead.user and priority.reason == "Omainen hoidettavana"
    agent = next(
        a for a in roster_build.build(world.period).problem.agents if a.id == str(world.agents[0].pk)
    )
    assert agent.priority is not None and agent.priority.weight == 3
    assert AuditEntry.objects.filter(action="wfm.priority.grant").exists()


def test_priority_needs_a_reason(team):
    with pytest.raises(ValidationError) as exc:
        roster_setup.priority_grant(actor=_lead(team), team=team, membership=_agent(team), reason="  ")
    assert exc.value.message_dict["reason"] == [roster_setup.ERR_REASON_MISSING]
    assert not FairnessPriority.objects.exists()


@pytest.mark.parametrize("role", [Role.AGENT, Role.PLANNER])
def test_by_default_agents_and_planners_do_not_decide_priorities(team, role):
    actor = MembershipFactory(organisation=team.organisation, role=role)
    TeamMembershipFactory(team=team, membership=actor)
    with pytest.raises(PermissionDenied):
        roster_setup.priority_grant(actor=actor, team=team, membership=_agent(team), reason="Syy")
    assert not FairnessPriority.objects.exists()


def test_team_can_let_its_members_decide_priorities(team):
    from aspa.teamwork.decisions import Level, Subject
    from aspa.teamwork.models import DecisionCell

    DecisionCell.objects.create(
        organisation=team.organisation,
        team=team,
        decision=roster_setup.PRIORITY_GRANT,
        subject=Subject.MEMBERS,
        level=Level.DECIDES,
    )
    agent = _agent(team)
    roster_setup.priority_grant(actor=agent, team=team, membership=_agent(team), reason="Sovittu tiimissä")
    assert FairnessPriority.objects.count() == 1


def test_priority_end_removes_it(team):
    lead = _lead(team)
    priority = roster_setup.priority_grant(
        actor=lead, team=team, membership=_agent(team), reason="Syy", ends_on=timezone.localdate()
    )
    with pytest.raises(PermissionDenied):
        roster_setup.priority_end(actor=_agent(team), priority=priority)
    assert FairnessPriority.objects.count() == 1
    roster_setup.priority_end(actor=lead, priority=priority)
    assert not FairnessPriority.objects.exists()


# --- Fairness weights --------------------------------------------------------------------------------


def test_planner_sets_fairness_weights_the_solver_uses(team):
    world = roster_world(team, agents=2)
    roster_setup.fairness_update(actor=_planner(team), team=team, **FAIRNESS)
    problem = roster_build.build(world.period).problem
    assert problem.fairness_weight == 3
    assert dict(problem.burden_weights) == {"nights": 5, "weekends": 4, "holidays": 0, "unpopular": 1}
    entry = AuditEntry.objects.get(action="wfm.fairness.update")
    assert entry.changes["burden_weight_nights"] == [2, 5]


def test_defaults_share_burdens_out_without_any_setting(team):
    world = roster_world(team, agents=2)
    assert dict(roster_build.build(world.period).problem.burden_weights) == {
        "nights": 2,
        "weekends": 2,
        "holidays": 2,
        "unpopular": 1,
    }


@pytest.mark.parametrize("field", ["fairness_weight", "burden_weight_nights", "burden_weight_unpopular"])
def test_fairness_weights_out_of_range_are_refused(team, field):
    with pytest.raises(ValidationError) as exc:
        roster_setup.fairness_update(actor=_planner(team), team=team, **{**FAIRNESS, field: 1000})
    assert list(exc.value.message_dict) == [field]
    assert not TeamWorkRules.objects.exists()


def test_fairness_weights_follow_the_decision_matrix(team):
    from aspa.teamwork.decisions import Level, Subject
    from aspa.teamwork.models import DecisionCell

    agent = _agent(team)
    with pytest.raises(PermissionDenied):
        roster_setup.fairness_update(actor=agent, team=team, **FAIRNESS)
    assert not TeamWorkRules.objects.exists()
    DecisionCell.objects.create(
        organisation=team.organisation,
        team=team,
        decision=roster_setup.FAIRNESS_CHANGE,
        subject=Subject.MEMBERS,
        level=Level.DECIDES,
    )
    roster_setup.fairness_update(actor=agent, team=team, **FAIRNESS)
    assert TeamWorkRules.objects.get().burden_weight_weekends == 4


def test_unpopular_shift_types_reach_the_solver(team):
    world = roster_world(team, agents=2)
    world.late.unpopular = True
    world.late.save()
    assert roster_build.build(world.period).problem.unpopular_shifts == {world.late.code}


# --- Editing shift types ------------------------------------------------------------------------------


def _edit(shift_type, **changes):
    fields = ("code", "name", "start_time", "length_minutes", "paid_break_minutes", "kind", "unpopular")
    return {**{f: getattr(shift_type, f) for f in fields}, **changes}


def test_shift_type_used_only_in_drafts_is_edited_in_place(team):
    world = roster_world(team, agents=1)
    published_roster(world.period, [(world.agents[0], PERIOD_START, world.early)], status="draft")
    row = roster_setup.shift_type_update(
        actor=_planner(team),
        team=team,
        shift_type=world.early,
        **_edit(world.early, start_time=dt.time(7), length_minutes=420, unpopular=True),
    )
    row.refresh_from_db()
    assert (row.start_time, row.length_minutes, row.unpopular) == (dt.time(7), 420, True)
    shift = Shift.objects.get(shift_type=row)
    assert timezone.localtime(shift.starts_at).time() == dt.time(7)
    assert shift.ends_at - shift.starts_at == dt.timedelta(minutes=420)
    entry = AuditEntry.objects.get(action="wfm.shift_type.update")
    assert entry.changes["start_time"][1] == "07:00:00" and "name" not in entry.changes


@pytest.mark.parametrize("status", ["published", "superseded"])
def test_shift_type_in_a_published_roster_keeps_its_times(team, status):
    world = roster_world(team, agents=1)
    published_roster(world.period, [(world.agents[0], PERIOD_START, world.early)], status=status)
    before = (world.early.start_time, world.early.length_minutes)
    with pytest.raises(ValidationError) as exc:
        roster_setup.shift_type_update(
            actor=_planner(team), team=team, shift_type=world.early, **_edit(world.early, length_minutes=420)
        )
    assert roster_setup.ERR_SHIFT_PUBLISHED in exc.value.messages
    world.early.refresh_from_db()
    assert (world.early.start_time, world.early.length_minutes) == before
    assert not AuditEntry.objects.filter(action="wfm.shift_type.update").exists()
    # The name and the unpopular mark only steer what comes next: they may change.
    roster_setup.shift_type_update(
        actor=_planner(team),
        team=team,
        shift_type=world.early,
        **_edit(world.early, name="Aamuvuoro", unpopular=True),
    )
    world.early.refresh_from_db()
    assert (world.early.name, world.early.unpopular) == ("Aamuvuoro", True)


def test_shift_type_edit_keeps_codes_unique_and_lengths_valid(team):
    world = roster_world(team, agents=1)
    with pytest.raises(ValidationError) as exc:
        roster_setup.shift_type_update(
            actor=_planner(team),
            team=team,
            shift_type=world.early,
            **_edit(world.early, code=world.late.code, length_minutes=10),
        )
    assert set(exc.value.message_dict) == {"code", "length_minutes"}
    world.early.refresh_from_db()
    assert world.early.code != world.late.code


def test_agent_and_other_org_cannot_edit_shift_types(team, other_org):
    world = roster_world(team, agents=1)
    with pytest.raises(PermissionDenied):
        roster_setup.shift_type_update(
            actor=_agent(team), team=team, shift_type=world.early, **_edit(world.early, name="X")
        )
    outsider = MembershipFactory(organisation=other_org, role=Role.PLANNER)
    with pytest.raises(PermissionDenied):
        roster_setup.shift_type_update(
            actor=outsider, team=team, shift_type=world.early, **_edit(world.early, name="X")
        )
    world.early.refresh_from_db()
    assert world.early.name != "X"


# --- Pages -------------------------------------------------------------------------------------------


def test_setup_page_for_planner_not_for_agent(team, client_for):
    url = reverse("wfm:roster_setup", kwargs={"team_id": team.pk})
    assert client_for(_agent(team)).get(url).status_code == 403
    response = client_for(_planner(team)).get(url)
    assert response.status_code == 200
    assert (
        fi(
            "The team uses the Finnish Working Hours Act defaults: 11 h daily rest, 35 h weekly rest, at most 48 h a week."
        )
        in response.content.decode()
    )


def test_setup_page_of_another_org_is_not_found(team, other_org, client_for):
    outsider = MembershipFactory(organisation=other_org, role=Role.PLANNER)
    url = reverse("wfm:roster_setup", kwargs={"team_id": team.pk})
    assert client_for(outsider).get(url).status_code == 404


def test_invalid_rules_re_render_with_400_and_the_input(team, client_for):
    url = reverse("wfm:roster_setup", kwargs={"team_id": team.pk})
    data = {**RULES, "min_daily_rest_minutes": 300, "action": "rules"}
    response = client_for(_planner(team)).post(url, data)
    assert response.status_code == 400
    assert 'value="300"' in response.content.decode()
    assert not TeamWorkRules.objects.exists()


def test_shift_type_form_adds_and_redirects(team, client_for):
    url = reverse("wfm:roster_setup", kwargs={"team_id": team.pk})
    data = {
        "action": "shift_type",
        "st-code": "A",
        "st-name": "Aamu",
        "st-start_time": "08:00",
        "st-length_minutes": "480",
        "st-paid_break_minutes": "30",
        "st-kind": "day",
    }
    response = client_for(_lead(team)).post(url, data)
    assert response.status_code == 302
    assert ShiftType.objects.get().paid_break_minutes == 30


def test_contract_page_saves(team, client_for):
    agent = _agent(team)
    url = reverse("wfm:contract_edit", kwargs={"team_id": team.pk, "membership_id": agent.pk})
    client = client_for(_planner(team))
    assert client.get(url).status_code == 200
    response = client.post(url, {"min_minutes_per_week": "600", "max_minutes_per_week": "1500"})
    assert response.status_code == 302
    assert AgentContract.objects.get(membership=agent).max_minutes_per_week == 1500


def test_fairness_form_saves_and_invalid_input_re_renders(team, client_for):
    url = reverse("wfm:roster_setup", kwargs={"team_id": team.pk})
    client = client_for(_planner(team))
    data = {"action": "fairness", **{f"fa-{k}": str(v) for k, v in FAIRNESS.items()}}
    response = client.post(url, {**data, "fa-burden_weight_nights": "1000"})
    assert response.status_code == 400
    assert 'value="1000"' in response.content.decode()
    assert not TeamWorkRules.objects.exists()
    assert client.post(url, data).status_code == 302
    assert TeamWorkRules.objects.get().burden_weight_nights == 5


def test_shift_type_edit_page_prefills_saves_and_re_renders_errors(team, client_for):
    world = roster_world(team, agents=1)
    url = reverse("wfm:shift_type_edit", kwargs={"team_id": team.pk, "shift_type_id": world.early.pk})
    client = client_for(_planner(team))
    page = client.get(url)
    assert page.status_code == 200 and f'value="{world.early.name}"' in page.content.decode()
    data = {
        "code": world.early.code,
        "name": "Aamuvuoro",
        "start_time": "07:30",
        "length_minutes": "5",
        "paid_break_minutes": "0",
        "kind": "day",
        "unpopular": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 400 and 'value="Aamuvuoro"' in response.content.decode()
    world.early.refresh_from_db()
    assert world.early.name != "Aamuvuoro"
    assert client.post(url, {**data, "length_minutes": "450"}).status_code == 302
    world.early.refresh_from_db()
    assert (world.early.name, world.early.length_minutes, world.early.unpopular) == ("Aamuvuoro", 450, True)


def test_shift_type_edit_page_is_for_planners_of_the_team(team, other_org, client_for):
    world = roster_world(team, agents=1)
    url = reverse("wfm:shift_type_edit", kwargs={"team_id": team.pk, "shift_type_id": world.early.pk})
    assert client_for(_agent(team)).get(url).status_code == 403
    assert (
        client_for(MembershipFactory(organisation=other_org, role=Role.PLANNER)).get(url).status_code == 404
    )
