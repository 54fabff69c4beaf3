"""JSON API: the matrix (read), "may I?" and agreements, scoped like the pages."""

from __future__ import annotations

from django.urls import reverse

from aspa.core.roles import Role
from aspa.teamwork import services
from aspa.teamwork.decisions import SWAP_APPROVE, Level, Subject
from aspa.teamwork.models import AgreementStatus
from tests.factories import MembershipFactory
from tests.teamwork.factories import AgreementFactory


def test_matrix_and_check_follow_changes(member_of, client_for, team):
    agent, lead = member_of(Role.AGENT), member_of(Role.LEAD)
    client = client_for(agent)
    check = reverse("api:decision_check", kwargs={"team_id": team.pk, "decision": SWAP_APPROVE})
    assert client.get(check).json()["allowed"] is False
    services.decision_matrix_update(
        actor=lead, team=team, cells={(SWAP_APPROVE, Subject.AGENT): (Level.DECIDES, None)}
    )
    assert client.get(check).json() == {"decision": SWAP_APPROVE, "allowed": True, "level": "decides"}
    body = client.get(reverse("api:decision_matrix", kwargs={"team_id": team.pk})).json()
    assert body["version"] == 1
    row = next(r for r in body["decisions"] if r["decision"] == SWAP_APPROVE)
    assert row["my_level"] == "decides"
    assert {c["subject"]: c["outcome"] for c in row["cells"]}[Subject.AGENT] == "acts"


def test_unknown_decision_is_404(member_of, client_for, team):
    url = reverse("api:decision_check", kwargs={"team_id": team.pk, "decision": "no.such"})
    assert client_for(member_of(Role.AGENT)).get(url).status_code == 404


def test_agreements_list_and_isolation(member_of, client_for, team, other_org):
    AgreementFactory(team=team, title="Kamerat päällä", status=AgreementStatus.AGREED)
    url = reverse("api:agreement_list", kwargs={"team_id": team.pk})
    body = client_for(member_of(Role.AGENT)).get(url).json()
    assert [a["title"] for a in body["items"]] == ["Kamerat päällä"]
    stranger = MembershipFactory(organisation=other_org, role=Role.ADMIN)
    response = client_for(stranger).get(url)
    assert response.status_code == 404 and "Kamerat" not in response.content.decode()
