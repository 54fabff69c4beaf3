import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from aspa.core.roles import Role
from aspa.roadmap import selectors, services
from aspa.roadmap.models import Experiment, ExperimentStatus, ItemStatus, Outcome, RoadmapItem
from aspa.roadmap.scoring import score
from aspa.teamwork.decisions import Level, Subject
from aspa.teamwork.services import decision_matrix_update
from aspa.voice import services as voice_services
from aspa.voice.models import IdeaStatus, Notification
from tests.roadmap.factories import ExperimentFactory, RoadmapItemFactory
from tests.voice.factories import ResponseFactory


def test_rice_and_business_case():
    s = score(
        reach=1000, impact=2.0, confidence=80, effort=4, cost=Decimal(6000), yearly_value=Decimal(12000)
    )
    assert s.rice == 400.0
    assert s.net_first_year == Decimal(6000) and s.payback_months == 6.0
    assert (
        score(
            reach=1, impact=1, confidence=50, effort=1, cost=Decimal(1), yearly_value=Decimal(0)
        ).payback_months
        is None
    )


def test_board_ranks_by_rice_and_shows_why(member_of, client_for, org, team):
    RoadmapItemFactory(organisation=org, title="Pieni", reach=10)
    RoadmapItemFactory(organisation=org, title="Iso", reach=5000, team=team)
    RoadmapItemFactory(organisation=org, title="Hylätty", reach=9999, status=ItemStatus.DROPPED)
    agent = member_of(Role.AGENT)
    ranked = selectors.board(actor=agent)
    assert [r.item.title for r in ranked] == ["Iso", "Pieni"]
    body = client_for(agent).get(reverse("roadmap:item", args=[ranked[0].item.pk])).content.decode()
    assert "RICE" in body and ("2500,0" in body or "2500.0" in body)


def test_item_page_gives_the_rank_the_board_shows(member_of, client_for, org):
    # The item page ranked over done and dropped items too: the board's first item read "Rank 2".
    from django.utils import translation

    done = RoadmapItemFactory(organisation=org, title="Valmis", reach=9000, status=ItemStatus.DONE)
    first = RoadmapItemFactory(organisation=org, title="Iso", reach=5000)
    client = client_for(member_of(Role.AGENT))
    assert selectors.board(actor=member_of(Role.AGENT))[0].item == first
    with translation.override("fi"):
        rank_1 = translation.gettext("Rank %(rank)s on the board.") % {"rank": 1}
        assert rank_1 in client.get(reverse("roadmap:item", args=[first.pk])).content.decode()
        # A done item keeps its rank among all items, as "show done and dropped too" lists it.
        assert rank_1 in client.get(reverse("roadmap:item", args=[done.pk])).content.decode()


def test_item_from_an_idea(member_of, org):
    lead = member_of(Role.LEAD)
    idea = voice_services.idea_create(actor=member_of(Role.AGENT), title="Takaisinsoitto")
    item = services.item_create(actor=lead, title=idea.title, idea=idea, reach=100)
    assert item.source == "idea" and item.idea == idea


def test_agent_cannot_create_items(member_of):
    with pytest.raises(PermissionDenied):
        services.item_create(actor=member_of(Role.AGENT), title="x")
    assert RoadmapItem.objects.count() == 0


def test_bad_scores_are_refused(member_of):
    with pytest.raises(ValidationError) as exc:
        services.item_create(actor=member_of(Role.LEAD), title="x", effort=0, confidence=120)
    assert set(exc.value.message_dict) == {"effort", "confidence"}
    assert RoadmapItem.objects.count() == 0


def test_accepting_follows_the_decision_matrix(member_of, org, team, django_capture_on_commit_callbacks):
    author = member_of(Role.AGENT)
    idea = voice_services.idea_create(actor=author, title="Hyvitysvaltuudet")
    item = RoadmapItemFactory(organisation=org, team=team, idea=idea)
    with pytest.raises(PermissionDenied):
        services.item_accept(actor=member_of(Role.AGENT), item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.PROPOSED
    with django_capture_on_commit_callbacks(execute=True):
        services.item_accept(actor=member_of(Role.LEAD), item=item)
    item.refresh_from_db()
    idea.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED and idea.status == IdeaStatus.PLANNED
    assert Notification.objects.filter(recipient=author).exists() and mail.outbox


def test_a_team_can_delegate_acceptance_to_members(member_of, org, team):
    manager = member_of(Role.MANAGER)
    decision_matrix_update(
        actor=manager, team=team, cells={("roadmap.accept", Subject.MEMBERS): (Level.DECIDES, None)}
    )
    item = RoadmapItemFactory(organisation=org, team=team)
    services.item_accept(actor=member_of(Role.AGENT), item=item)
    item.refresh_from_db()
    assert item.status == ItemStatus.ACCEPTED


def test_accept_needs_a_team(member_of, org):
    item = RoadmapItemFactory(organisation=org)
    with pytest.raises(ValidationError) as exc:
        services.item_accept(actor=member_of(Role.MANAGER), item=item)
    assert exc.value.messages == [services.ERR_NEEDS_TEAM]


@pytest.fixture
def accepted(org, team):
    return RoadmapItemFactory(organisation=org, team=team, status=ItemStatus.ACCEPTED)


def _answers(org, team, days_ago, csat, n):
    for i in range(n):
        ResponseFactory(
            organisation=org,
            team=team,
            csat=csat if i % 5 else 2,
            answered_at=timezone.now() - dt.timedelta(days=days_ago, hours=i % 20),
        )


def test_experiment_measures_before_vs_during(member_of, org, team, accepted):
    lead = member_of(Role.LEAD)
    today = timezone.localdate()
    experiment = services.experiment_create(
        actor=lead,
        item=accepted,
        hypothesis="Takaisinsoitto auttaa",
        metric="csat",
        design="before",
        teams=[team],
        starts_on=today - dt.timedelta(days=9),
        ends_on=today + dt.timedelta(days=5),
    )
    assert experiment.status == ExperimentStatus.RUNNING
    _answers(org, team, 15, 3, 40)  # before: 80 % of answers are 3 (not satisfied)
    _answers(org, team, 3, 5, 40)  # during: 80 % are 5
    services.experiment_measure(actor=lead, experiment=experiment)
    result = Experiment.objects.get().result
    assert result["baseline"] == 0.0 and result["variant"] == 80.0
    assert result["low"] > 0 and result["n_variant"] == 40


def test_experiment_test_vs_control_needs_control(member_of, accepted, team):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.experiment_create(
            actor=member_of(Role.LEAD),
            item=accepted,
            hypothesis="h",
            metric="nps",
            design="control",
            teams=[team],
            starts_on=today,
            ends_on=today,
        )
    assert Experiment.objects.count() == 0


def test_experiment_needs_an_accepted_item(member_of, org, team):
    item = RoadmapItemFactory(organisation=org, team=team)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        services.experiment_create(
            actor=member_of(Role.LEAD),
            item=item,
            hypothesis="h",
            metric="nps",
            design="before",
            teams=[team],
            starts_on=today,
            ends_on=today,
        )
    assert exc.value.messages == [services.ERR_NOT_ACCEPTED]


def test_measure_without_answers_explains(member_of, accepted, team):
    experiment = ExperimentFactory(item=accepted)
    experiment.teams.set([team])
    with pytest.raises(ValidationError):
        services.experiment_measure(actor=member_of(Role.LEAD), experiment=experiment)
    experiment.refresh_from_db()
    assert experiment.result == {}


def test_finish_reports_back_to_the_ideas_people(member_of, org, team, django_capture_on_commit_callbacks):
    author, voter = member_of(Role.AGENT), member_of(Role.AGENT)
    idea = voice_services.idea_create(actor=author, title="Takaisinsoitto kaikkiin jonoihin")
    voice_services.idea_vote_toggle(actor=voter, idea=idea)
    item = RoadmapItemFactory(organisation=org, team=team, idea=idea, status=ItemStatus.EXPERIMENT)
    experiment = ExperimentFactory(item=item)
    with django_capture_on_commit_callbacks(execute=True):
        services.experiment_finish(
            actor=member_of(Role.LEAD), experiment=experiment, outcome=Outcome.ADOPT, note="Otetaan käyttöön."
        )
    idea.refresh_from_db()
    item.refresh_from_db()
    assert idea.status == IdeaStatus.DONE and item.status == ItemStatus.DONE
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {author.pk, voter.pk}
    assert len(mail.outbox) == 2 and "Otetaan käyttöön." in mail.outbox[0].body
    with pytest.raises(ValidationError):
        services.experiment_finish(actor=member_of(Role.LEAD), experiment=experiment, outcome=Outcome.DROP)


def test_agent_cannot_finish(member_of, org, team):
    experiment = ExperimentFactory(item=RoadmapItemFactory(organisation=org, team=team))
    with pytest.raises(PermissionDenied):
        services.experiment_finish(actor=member_of(Role.AGENT), experiment=experiment, outcome=Outcome.DROP)
    experiment.refresh_from_db()
    assert experiment.outcome == ""


def test_experiment_page_shows_effect(member_of, client_for, org, team, accepted):
    experiment = ExperimentFactory(
        item=accepted,
        result={
            "baseline": 70.0,
            "variant": 80.0,
            "n_baseline": 50,
            "n_variant": 50,
            "difference": 10.0,
            "low": 2.0,
            "high": 18.0,
            "p_value": 0.01,
            "probability_of_improvement": 0.99,
            "warning": "",
            "baseline_period": ["2026-01-01", "2026-01-10"],
            "variant_period": ["2026-01-11", "2026-01-20"],
        },
    )
    response = client_for(member_of(Role.AGENT)).get(reverse("roadmap:experiment", args=[experiment.pk]))
    assert response.status_code == 200 and 'role="status"' in response.content.decode()
    # Every experiment's tab and history entry read just "Experiment".
    body = response.content.decode()
    title = body.split("<title>")[1].split("</title>")[0]
    assert experiment.item.title in title
    # Periods as dates of the reader's language, not the stored ISO strings.
    assert "1.1.2026 – 10.1.2026" in body and "2026-01-01" not in body


def test_probability_is_never_shown_as_certain():
    from aspa.roadmap.selectors import _probability_label

    assert _probability_label(0.999) == "> 99" and _probability_label(0.001) == "< 1"
    assert _probability_label(0.874) == "87"


def test_cross_tenant_item_is_404(member_of, client_for, other_org):
    item = RoadmapItemFactory(organisation=other_org)
    assert client_for(member_of(Role.MANAGER)).get(reverse("roadmap:item", args=[item.pk])).status_code == 404


def test_personal_data_export_and_erase(member_of, org):
    from aspa.org.models import User
    from aspa.org.services import person_export
    from aspa.roadmap import personal_data

    lead = member_of(Role.LEAD)
    proposed = RoadmapItemFactory(organisation=org, title="Oma ehdotus", created_by=lead)
    accepted = RoadmapItemFactory(organisation=org, title="Hyväksytty", accepted_by=lead)
    RoadmapItemFactory(organisation=org, title="Jonkun muun")
    ExperimentFactory(item=accepted, created_by=lead, hypothesis="Oma hypoteesi")
    user = User.objects.get(pk=lead.user_id)

    data = person_export(user=user)["data"]["roadmap"]
    assert sorted((i["title"], i["created_by_you"], i["accepted_by_you"]) for i in data["roadmap_items"]) == [
        ("Hyväksytty", False, True),
        ("Oma ehdotus", True, False),
    ]
    assert [e["hypothesis"] for e in data["experiments_started"]] == ["Oma hypoteesi"]

    personal_data.erase(user)
    proposed.refresh_from_db()
    accepted.refresh_from_db()
    assert proposed.created_by is None and accepted.accepted_by is None
    assert Experiment.objects.get().created_by is None
    assert RoadmapItem.objects.count() == 3  # the organisation's roadmap stays


def test_experiment_dates_render_in_the_format_a_date_input_accepts():
    from django.utils import translation

    from aspa.org.models import Team
    from aspa.roadmap.forms import ExperimentForm

    form = ExperimentForm(
        initial={"starts_on": dt.date(2026, 1, 5), "ends_on": dt.date(2026, 2, 2)}, teams=Team.objects.none()
    )
    with translation.override("fi"):
        html = str(form["starts_on"]) + str(form["ends_on"])
    assert 'value="2026-01-05"' in html and 'value="2026-02-02"' in html


def test_board_and_item_group_thousands_the_readers_way(member_of, client_for, org):
    # "6000" and "-2000 €" read poorly; Finnish groups with a (no-break) space: "6 000", "−2 000 €".
    from django.utils import formats, translation

    item = RoadmapItemFactory(organisation=org, title="Iso", reach=6000, cost=Decimal(12000))
    client = client_for(member_of(Role.AGENT))
    board = client.get(reverse("roadmap:board")).content.decode()
    page = client.get(reverse("roadmap:item", args=[item.pk])).content.decode()
    with translation.override("fi"):
        reach = formats.number_format(6000, 0, use_l10n=True, force_grouping=True)
        cost = formats.number_format(12000, 0, use_l10n=True, force_grouping=True)
    assert reach != "6000"
    assert f'<td class="num">{reach}</td>' in board
    assert f"{cost} €" in page


def test_board_lists_ten_experiments_and_links_to_all(member_of, client_for, org):
    from aspa.roadmap.views import EXPERIMENTS_SHOWN

    item = RoadmapItemFactory(organisation=org, title="Kokeiltava")
    ExperimentFactory.create_batch(EXPERIMENTS_SHOWN + 2, organisation=org, item=item)
    client = client_for(member_of(Role.AGENT))
    board = client.get(reverse("roadmap:board")).content.decode()
    assert board.count('href="/roadmap/experiments/') == EXPERIMENTS_SHOWN
    assert 'href="?all=1#exp-title"' in board
    everything = client.get(reverse("roadmap:board") + "?all=1").content.decode()
    assert everything.count('href="/roadmap/experiments/') == EXPERIMENTS_SHOWN + 2
    assert 'href="?all=1#exp-title"' not in everything


def test_item_form_reads_and_writes_decimals_the_finnish_way():
    from django.utils import translation

    from aspa.org.models import Team
    from aspa.roadmap.forms import ItemForm

    data = {"title": "X", "reach": "10", "impact": "1.0", "confidence": "50", "effort": "2,5"}
    with translation.override("fi"):
        form = ItemForm({**data, "cost": "1500,50", "yearly_value": "0"}, teams=Team.objects.none())
        assert form.is_valid(), form.errors
        assert form.cleaned_data["effort"] == 2.5 and form.cleaned_data["cost"] == Decimal("1500.50")
        shown = str(ItemForm(initial={"effort": 1.5}, teams=Team.objects.none())["effort"])
    assert 'value="1,5"' in shown and 'inputmode="decimal"' in shown
