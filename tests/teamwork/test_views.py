"""Team pages: reading, editing the matrix through the page, agreements, visibility and isolation."""

from __future__ import annotations

from django.urls import reverse

from aspa.core.roles import Role
from aspa.teamwork import selectors
from aspa.teamwork.decisions import SWAP_APPROVE, Level, Subject
from aspa.teamwork.models import Agreement, AgreementStatus, CharterConsent, DecisionCell, Objection, TeamRole
from tests.factories import MembershipFactory
from tests.teamwork.factories import AgreementFactory, CharterVersionFactory


def _matrix_post(client, team, **overrides):
    """The matrix form as the page submits it: every cell with its current value, plus overrides."""
    page = client.get(reverse("teamwork:matrix", args=[team.pk]))
    data = {
        name: field.initial if field.initial is not None else ""
        for name, field in page.context["form"].fields.items()
    }
    data.update(overrides)
    return client.post(reverse("teamwork:matrix", args=[team.pk]), data)


def test_lead_lets_agents_approve_swaps_through_the_page(member_of, client_for, team):
    lead, agent = member_of(Role.LEAD), member_of(Role.AGENT)
    assert not selectors.decision_allowed(actor=agent, team=team, decision=SWAP_APPROVE)
    response = _matrix_post(
        client_for(lead),
        team,
        **{f"level__{SWAP_APPROVE}__{Subject.AGENT}": Level.DECIDES, "note": "Palaveri"},
    )
    assert response.status_code == 302
    assert selectors.decision_allowed(actor=agent, team=team, decision=SWAP_APPROVE)
    history = client_for(agent).get(reverse("teamwork:matrix_history", args=[team.pk]))
    assert "Palaveri" in history.content.decode()


def test_agent_sees_the_matrix_read_only_and_cannot_post(member_of, client_for, team):
    agent = member_of(Role.AGENT)
    client = client_for(agent)
    page = client.get(reverse("teamwork:matrix", args=[team.pk]))
    assert page.status_code == 200 and page.context["grid"] is None
    response = client.post(
        reverse("teamwork:matrix", args=[team.pk]), {f"level__{SWAP_APPROVE}__{Subject.AGENT}": Level.DECIDES}
    )
    assert response.status_code == 403
    assert not DecisionCell.objects.exists()


def test_matrix_form_errors_rerender_with_400(member_of, client_for, team):
    lead = member_of(Role.LEAD)
    response = _matrix_post(client_for(lead), team)  # nothing changed
    assert response.status_code == 400
    assert "Nothing was changed." in response.content.decode()


def test_hub_shows_everything_to_members(member_of, client_for, team):
    agent = member_of(Role.AGENT)
    CharterVersionFactory(team=team, purpose="Tarkoituksemme on auttaa")
    AgreementFactory(team=team, title="Kamerat päällä", status=AgreementStatus.AGREED)
    body = client_for(agent).get(reverse("teamwork:team", args=[team.pk])).content.decode()
    assert "Tarkoituksemme on auttaa" in body and "Kamerat päällä" in body


def test_outsider_in_the_org_reads_but_cannot_take_part(org, member_of, client_for, team):
    outsider = member_of(Role.AGENT, in_team=False)
    version = CharterVersionFactory(team=team)
    agreement = AgreementFactory(team=team, status=AgreementStatus.DISCUSSED)
    client = client_for(outsider)
    assert client.get(reverse("teamwork:team", args=[team.pk])).status_code == 200
    assert (
        client.post(reverse("teamwork:charter", args=[team.pk]), {"version": version.pk}).status_code == 403
    )
    assert client.post(reverse("teamwork:agreements", args=[team.pk]), {"title": "X"}).status_code == 403
    response = client.post(
        reverse("teamwork:agreement", args=[team.pk, agreement.pk]),
        {"action": "object", "objection-text": "Ei"},
    )
    assert response.status_code == 403
    assert not CharterConsent.objects.exists() and not Objection.objects.exists()
    assert Agreement.objects.count() == 1


def test_other_organisation_gets_404(other_org, client_for, team):
    stranger = MembershipFactory(organisation=other_org, role=Role.ADMIN)
    agreement = AgreementFactory(team=team)
    client = client_for(stranger)
    for url in (
        reverse("teamwork:team", args=[team.pk]),
        reverse("teamwork:matrix", args=[team.pk]),
        reverse("teamwork:agreement", args=[team.pk, agreement.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.post(reverse("teamwork:agreements", args=[team.pk]), {"title": "X"}).status_code == 404
    assert Agreement.objects.count() == 1


def test_agreement_flow_through_the_pages(member_of, client_for, team):
    agent, lead = member_of(Role.AGENT), member_of(Role.LEAD)
    response = client_for(agent).post(
        reverse("teamwork:agreements", args=[team.pk]), {"title": "Kamerat päällä"}
    )
    agreement = Agreement.objects.get()
    url = reverse("teamwork:agreement", args=[team.pk, agreement.pk])
    assert response.status_code == 302 and response["Location"] == url
    client_for(agent).post(url, {"action": "discuss"})
    client_for(agent).post(url, {"action": "object", "objection-text": "Huono yhteys kotona"})
    blocked = client_for(lead).post(url, {"action": "agree"})
    assert blocked.status_code == 400
    assert "An objection is unresolved" in blocked.content.decode()
    objection = Objection.objects.get()
    client_for(agent).post(
        url, {"action": "resolve", "resolve-objection": objection.pk, "resolve-resolution": "Ok"}
    )
    assert client_for(agent).post(url, {"action": "agree"}).status_code == 403
    assert Agreement.objects.get().status == AgreementStatus.DISCUSSED
    assert client_for(lead).post(url, {"action": "agree"}).status_code == 302
    assert Agreement.objects.get().status == AgreementStatus.AGREED


def test_agent_cannot_agree_by_default(member_of, client_for, team):
    agent = member_of(Role.AGENT)
    agreement = AgreementFactory(team=team, status=AgreementStatus.DISCUSSED)
    url = reverse("teamwork:agreement", args=[team.pk, agreement.pk])
    page = client_for(agent).get(url)
    assert not page.context["can_agree"]
    response = client_for(agent).post(url, {"action": "agree"})
    assert response.status_code == 403
    assert Agreement.objects.get().status == AgreementStatus.DISCUSSED


def test_role_board_page_add_and_assign(member_of, client_for, team):
    lead, agent = member_of(Role.LEAD), member_of(Role.AGENT)
    client = client_for(lead)
    url = reverse("teamwork:roles", args=[team.pk])
    assert client.post(url, {"form": "role", "role-name": "", "role-responsibilities": ""}).status_code == 400
    assert (
        client.post(
            url,
            {
                "form": "role",
                "role-name": "Jonovahti",
                "role-responsibilities": "Seuraa",
                "role-is_rotating": "on",
            },
        ).status_code
        == 302
    )
    role = TeamRole.objects.get()
    response = client.post(
        url,
        {
            "form": "assign",
            "assign-role": role.pk,
            "assign-membership": agent.pk,
            "assign-starts_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    assert (
        client_for(agent)
        .post(url, {"form": "role", "role-name": "X", "role-responsibilities": "Y"})
        .status_code
        == 403
    )
    assert TeamRole.objects.count() == 1


def test_charter_page_agree_and_new_version(member_of, client_for, team):
    lead, agent = member_of(Role.LEAD), member_of(Role.AGENT)
    edit = reverse("teamwork:charter_edit", args=[team.pk])
    assert client_for(agent).get(edit).status_code == 403
    bad = client_for(lead).post(edit, {"purpose": "", "customer_promise": "Lupaus"})
    assert bad.status_code == 400 and "Lupaus" in bad.content.decode()
    assert client_for(lead).post(edit, {"purpose": "Miksi", "customer_promise": "Lupaus"}).status_code == 302
    version = team.charter_versions.get()
    assert (
        client_for(agent)
        .post(reverse("teamwork:charter", args=[team.pk]), {"version": version.pk})
        .status_code
        == 302
    )
    assert CharterConsent.objects.filter(version=version, membership=agent).exists()


def test_index_lists_own_teams_first(org, member_of, client_for, team):
    from tests.factories import TeamFactory

    TeamFactory(organisation=org, name="Aakkosissa ensin")
    agent = member_of(Role.AGENT)
    response = client_for(agent).get(reverse("teamwork:index"))
    assert response.context["teams"][0].name == team.name


def test_assessor_sees_nothing(org, client_for, team):
    assessor = MembershipFactory(organisation=org, role=Role.ASSESSOR)
    assert client_for(assessor).get(reverse("teamwork:team", args=[team.pk])).status_code == 403


def test_hub_query_count_is_bounded(member_of, client_for, team, django_assert_max_num_queries):
    agent = member_of(Role.AGENT)
    for _ in range(5):
        AgreementFactory(team=team, status=AgreementStatus.AGREED)
    with django_assert_max_num_queries(60):
        client_for(agent).get(reverse("teamwork:team", args=[team.pk]))
