"""Period life cycle after publishing: lock, re-solve of a published period, change notices, reminders, Excel."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aspa.core.jobs import inprocess_wait, job_enqueue
from aspa.core.models import AuditEntry, JobStatus
from aspa.core.roles import Role
from aspa.wfm import roster_export, roster_lifecycle, roster_services
from aspa.wfm.models import (
    Availability,
    PeriodStatus,
    PlanningPeriod,
    RosterStatus,
    ShiftWish,
    SwapRequest,
    SwapStatus,
    WishKind,
)
from tests.factories import MembershipFactory
from tests.i18n import fi
from tests.wfm.roster_factories import PERIOD_START, published_roster, roster_world

TUE = PERIOD_START + dt.timedelta(days=1)


@pytest.fixture
def published(team):
    world = roster_world(team, agents=3)
    a, b, _c = world.agents
    roster = published_roster(world.period, [(a, TUE, world.early), (b, TUE, world.late)])
    PlanningPeriod.objects.filter(pk=world.period.pk).update(status=PeriodStatus.PUBLISHED)
    world.period.refresh_from_db()
    return world, roster


def _planner(team):
    return MembershipFactory(organisation=team.organisation, role=Role.PLANNER)


# --- Lock ---------------------------------------------------------------------------------------------


def test_planner_locks_a_published_period(published, team):
    world, _roster = published
    roster_lifecycle.period_lock(actor=_planner(team), period=world.period)
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.LOCKED
    assert AuditEntry.objects.filter(action="wfm.period.lock").exists()


def test_only_a_published_period_is_locked(team):
    world = roster_world(team, agents=1)
    with pytest.raises(ValidationError) as exc:
        roster_lifecycle.period_lock(actor=_planner(team), period=world.period)
    assert roster_lifecycle.ERR_LOCK_NOT_PUBLISHED in exc.value.messages
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.OPEN


def test_agent_cannot_lock(published, team):
    world, _roster = published
    with pytest.raises(PermissionDenied):
        roster_lifecycle.period_lock(actor=world.agents[0], period=world.period)
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.PUBLISHED


def test_other_org_cannot_lock(published, other_org):
    world, _roster = published
    outsider = MembershipFactory(organisation=other_org, role=Role.PLANNER)
    with pytest.raises((PermissionDenied, ValidationError)):
        roster_lifecycle.period_lock(actor=outsider, period=world.period)
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.PUBLISHED


def test_locked_period_takes_no_offers_swaps_or_solves(published, team):
    world, roster = published
    a, b, c = world.agents
    shift = roster.shifts.get(membership=a)
    swap = roster_services.swap_offer(actor=a, shift=shift)
    roster_lifecycle.period_lock(actor=_planner(team), period=world.period)
    with pytest.raises(ValidationError) as exc:
        roster_services.swap_accept(actor=c, swap=swap)
    assert roster_services.ERR_PERIOD_LOCKED in exc.value.messages
    other = roster.shifts.get(membership=b)
    with pytest.raises(ValidationError):
        roster_services.swap_offer(actor=b, shift=other)
    with pytest.raises(ValidationError) as exc:
        roster_services.roster_solve_request(actor=_planner(team), period=world.period)
    assert roster_services.ERR_PERIOD_LOCKED in exc.value.messages
    swap.refresh_from_db()
    assert swap.status == SwapStatus.OPEN and swap.taker_id is None
    assert SwapRequest.objects.count() == 1


def test_lock_view_for_planner_and_not_for_agent(published, team, client_for):
    world, _roster = published
    url = reverse("wfm:period_lock", kwargs={"period_id": world.period.pk})
    assert client_for(world.agents[0]).post(url).status_code in (302, 403)
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.PUBLISHED
    response = client_for(_planner(team)).post(url)
    assert response.status_code == 302
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.LOCKED
    page = client_for(world.agents[0]).get(reverse("wfm:period", kwargs={"period_id": world.period.pk}))
    assert fi("This period is locked: its roster no longer changes.") in page.content.decode()


# --- Re-solve and republish ---------------------------------------------------------------------------


def test_published_period_is_solved_again_with_minimal_change(published, team):
    world, roster = published
    job = roster_services.roster_solve_request(actor=_planner(team), period=world.period)
    assert job.params["minimal_change"] is True and job.params["base_roster_id"] == roster.pk
    world.period.refresh_from_db()
    assert world.period.status == PeriodStatus.SOLVING


def test_republish_tells_only_people_whose_shifts_changed(
    published, team, django_capture_on_commit_callbacks
):
    world, old = published
    a, b, c = world.agents
    # The new roster moves a's shift to c; b keeps theirs.
    new = published_roster(
        world.period, [(c, TUE, world.early), (b, TUE, world.late)], status=RosterStatus.DRAFT
    )
    with django_capture_on_commit_callbacks(execute=True):
        roster_services.roster_publish(actor=_planner(team), roster=new)
    old.refresh_from_db()
    assert old.status == RosterStatus.SUPERSEDED
    recipients = {r for m in mail.outbox for r in m.to}
    assert recipients == {a.user.email, c.user.email}
    assert all("changed" in m.subject for m in mail.outbox)


# --- Wish-deadline reminders --------------------------------------------------------------------------


def _open_period_due(team, hours: float):
    world = roster_world(team, agents=3)
    world.period.wish_deadline = timezone.now() + dt.timedelta(hours=hours)
    world.period.save(update_fields=["wish_deadline"])
    return world


def test_reminder_goes_to_members_without_wishes_once(team, django_capture_on_commit_callbacks):
    world = _open_period_due(team, 24)
    a, b, c = world.agents
    ShiftWish.objects.create(period=world.period, membership=a, kind=WishKind.DAY_OFF, day=PERIOD_START)
    Availability.objects.create(period=world.period, membership=b, day=PERIOD_START)
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_lifecycle.wish_reminders_send() == 1
    assert [m.to for m in mail.outbox] == [[c.user.email]]
    world.period.refresh_from_db()
    assert world.period.wish_reminder_sent_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_lifecycle.wish_reminders_send() == 0
    assert len(mail.outbox) == 1


def test_no_reminder_far_from_the_deadline_or_after_it(team, django_capture_on_commit_callbacks):
    _open_period_due(team, 24 * 5)
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_lifecycle.wish_reminders_send() == 0
    PlanningPeriod.objects.update(wish_deadline=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert roster_lifecycle.wish_reminders_send() == 0
    assert not mail.outbox and not PlanningPeriod.objects.filter(wish_reminder_sent_at__isnull=False).exists()


def test_reminders_are_scoped_to_the_organisation(team, other_org):
    _open_period_due(team, 24)
    assert roster_lifecycle.wish_reminders_send(organisation_id=other_org.pk) == 0
    assert not PlanningPeriod.objects.filter(wish_reminder_sent_at__isnull=False).exists()


def test_management_command_sends_reminders(team, django_capture_on_commit_callbacks):
    _open_period_due(team, 24)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("wfm_remind_wishes", stdout=out)
    assert "wish reminders: 3" in out.getvalue()
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_reminder_job_for_the_organisation(org):
    from tests.factories import TeamFactory

    team = TeamFactory(organisation=org)
    _open_period_due(team, 24)
    manager = MembershipFactory(organisation=team.organisation, role=Role.PLANNER)
    job = job_enqueue(actor=manager, kind=roster_lifecycle.REMIND_JOB, params={})
    assert inprocess_wait(30)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"reminded": 3}


def test_agent_cannot_start_the_reminder_job(team):
    agent = MembershipFactory(organisation=team.organisation, role=Role.AGENT)
    with pytest.raises(PermissionDenied):
        job_enqueue(actor=agent, kind=roster_lifecycle.REMIND_JOB, params={})


# --- Excel export -------------------------------------------------------------------------------------


def test_excel_export_has_the_roster(published, client_for):
    world, roster = published
    response = client_for(world.agents[0]).get(reverse("wfm:roster_xlsx", kwargs={"roster_id": roster.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] in ("Name", "Nimi") and rows[0][1] == PERIOD_START.isoformat()
    names = {r[0] for r in rows[1:]}
    assert world.agents[0].user.full_name in names
    assert any(cell and cell.startswith("A ") for r in rows[1:] for cell in r[1:])


def test_excel_cells_never_become_formulas():
    data = roster_export.roster_workbook(
        [["Name", "2030-03-04"], ["=HYPERLINK(1)", "A 08:00-16:00"]], title="x/y"
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == "=HYPERLINK(1)"
    assert sheet.title == "x y"


def test_excel_export_of_another_org_is_not_found(published, other_org, client_for):
    _world, roster = published
    outsider = MembershipFactory(organisation=other_org, role=Role.PLANNER)
    response = client_for(outsider).get(reverse("wfm:roster_xlsx", kwargs={"roster_id": roster.pk}))
    assert response.status_code == 404
