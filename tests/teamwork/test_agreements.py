"""Agreements: proposed → discussed → agreed by consent; objections block; the matrix decides who agrees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from aspa.core.roles import Role
from aspa.teamwork import services
from aspa.teamwork.decisions import AGREEMENT_CHANGE, Level, Subject
from aspa.teamwork.models import Agreement, AgreementStatus, Objection
from tests.factories import MembershipFactory


@pytest.fixture
def discussed(member_of, team):
    agent = member_of(Role.AGENT)
    agreement = services.agreement_propose(actor=agent, team=team, title="Kamerat päällä")
    return services.agreement_discuss(actor=agent, agreement=agreement)


def test_full_flow_with_objection(member_of, team):
    agent, other, lead = member_of(Role.AGENT), member_of(Role.AGENT), member_of(Role.LEAD)
    agreement = services.agreement_propose(
        actor=agent, team=team, title="Tauot vuorotellen", text="Klo 10 ja 14"
    )
    assert agreement.status == AgreementStatus.PROPOSED
    services.agreement_discuss(actor=other, agreement=agreement)
    objection = services.objection_raise(actor=other, agreement=agreement, text="Liian aikaisin")

    with pytest.raises(ValidationError) as exc:
        services.agreement_agree(actor=lead, agreement=agreement)
    assert exc.value.messages == [services.ERR_UNRESOLVED_OBJECTION]
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DISCUSSED

    services.objection_resolve(actor=other, objection=objection, resolution="Klo 10.30")
    agreed = services.agreement_agree(actor=lead, agreement=agreement)
    assert agreed.status == AgreementStatus.AGREED
    assert agreed.review_on == timezone.localdate() + timedelta(days=services.DEFAULT_REVIEW_DAYS)
    assert agreed.agreed_by == lead.user


def test_agent_cannot_mark_agreed_until_the_matrix_says_so(discussed, member_of, team):
    agent, lead = member_of(Role.AGENT), member_of(Role.LEAD)
    with pytest.raises(PermissionDenied):
        services.agreement_agree(actor=agent, agreement=discussed)
    assert Agreement.objects.get(pk=discussed.pk).status == AgreementStatus.DISCUSSED

    services.decision_matrix_update(
        actor=lead, team=team, cells={(AGREEMENT_CHANGE, Subject.MEMBERS): (Level.CONSULTS, None)}
    )
    assert services.agreement_agree(actor=agent, agreement=discussed).status == AgreementStatus.AGREED


def test_lead_cannot_agree_when_the_matrix_takes_it_away(discussed, member_of, team):
    lead, manager = member_of(Role.LEAD), member_of(Role.MANAGER, in_team=False)
    services.decision_matrix_update(
        actor=manager, team=team, cells={(AGREEMENT_CHANGE, Subject.LEAD): (Level.RECOMMENDS, None)}
    )
    with pytest.raises(PermissionDenied):
        services.agreement_agree(actor=lead, agreement=discussed)


def test_proposal_must_be_discussed_first(member_of, team):
    agent, lead = member_of(Role.AGENT), member_of(Role.LEAD)
    agreement = services.agreement_propose(actor=agent, team=team, title="X")
    with pytest.raises(ValidationError) as exc:
        services.agreement_agree(actor=lead, agreement=agreement)
    assert exc.value.messages == [services.ERR_NOT_DISCUSSED]
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.PROPOSED


def test_review_date_in_the_past_is_refused(discussed, member_of):
    with pytest.raises(ValidationError) as exc:
        services.agreement_agree(
            actor=member_of(Role.LEAD), agreement=discussed, review_on=timezone.localdate()
        )
    assert exc.value.messages == [services.ERR_REVIEW_IN_PAST]
    assert Agreement.objects.get(pk=discussed.pk).agreed_at is None


def test_only_team_members_propose_and_object(org, discussed, member_of, team):
    outsider = member_of(Role.AGENT, in_team=False)
    with pytest.raises(PermissionDenied) as exc:
        services.agreement_propose(actor=outsider, team=team, title="Ulkopuolelta")
    assert str(exc.value) == services.ERR_NOT_TEAM_MEMBER
    with pytest.raises(PermissionDenied):
        services.objection_raise(actor=outsider, agreement=discussed, text="Ei")
    assert Agreement.objects.count() == 1 and not Objection.objects.exists()


def test_other_organisation_cannot_touch_agreements(other_org, discussed):
    stranger = MembershipFactory(organisation=other_org, role=Role.ADMIN)
    with pytest.raises(PermissionDenied):
        services.agreement_agree(actor=stranger, agreement=discussed)
    with pytest.raises(PermissionDenied):
        services.agreement_retire(actor=stranger, agreement=discussed)
    assert Agreement.objects.get(pk=discussed.pk).status == AgreementStatus.DISCUSSED


def test_only_the_objector_or_a_decider_resolves(discussed, member_of):
    objector, bystander, lead = member_of(Role.AGENT), member_of(Role.AGENT), member_of(Role.LEAD)
    objection = services.objection_raise(actor=objector, agreement=discussed, text="Ei käy")
    with pytest.raises(PermissionDenied):
        services.objection_resolve(actor=bystander, objection=objection, resolution="Ohitetaan")
    assert Objection.objects.get(pk=objection.pk).resolved_at is None
    services.objection_resolve(actor=lead, objection=objection, resolution="Muutettiin sanamuotoa")
    with pytest.raises(ValidationError) as exc:
        services.objection_resolve(actor=lead, objection=objection, resolution="Uudestaan")
    assert exc.value.messages == [services.ERR_OBJECTION_RESOLVED]


def test_no_objections_once_agreed_and_retire(discussed, member_of):
    agent, lead = member_of(Role.AGENT), member_of(Role.LEAD)
    services.agreement_agree(actor=lead, agreement=discussed)
    with pytest.raises(ValidationError) as exc:
        services.objection_raise(actor=agent, agreement=discussed, text="Myöhässä")
    assert exc.value.messages == [services.ERR_AGREEMENT_CLOSED]
    with pytest.raises(PermissionDenied):
        services.agreement_retire(actor=agent, agreement=discussed)
    assert services.agreement_retire(actor=lead, agreement=discussed).status == AgreementStatus.RETIRED
