"""Forecast job, adjustments and publishing (services), and the CLI commands."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from aspa.core.jobs import inprocess_wait
from aspa.core.models import AuditEntry, Job, JobStatus
from aspa.core.roles import Role
from aspa.wfm import services
from aspa.wfm.models import Forecast, ForecastAdjustment, ForecastStatus
from tests.wfm.factories import HELSINKI, QueueFactory, forecast_with_intervals, history_rows


@pytest.fixture
def queue(org):
    return QueueFactory(organisation=org, interval_minutes=60)


@pytest.mark.django_db(transaction=True)
def test_forecast_job_makes_a_draft_with_staffing(org, member_of):
    queue = QueueFactory(organisation=org, interval_minutes=60)
    history_rows(queue, days=70)
    job = services.forecast_request(actor=member_of(Role.PLANNER), queue=queue, horizon_days=7)
    assert inprocess_wait(60)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    forecast = Forecast.objects.get(pk=job.result["forecast_id"])
    assert forecast.status == ForecastStatus.DRAFT and forecast.model_name
    # The job page's summary names the model in words, not by the engine's identifier.
    summary = services._forecast_summary(job.result)
    assert forecast.model_label in summary and forecast.model_name not in summary
    rows = list(forecast.intervals.all())
    assert len(rows) == 50  # 5 weekdays × 10 open hours
    assert all(r.scheduled_agents >= r.required_agents > 0 for r in rows)


@pytest.mark.django_db(transaction=True)
def test_forecast_job_with_too_little_history_fails_readably(org, member_of):
    queue = QueueFactory(organisation=org)
    history_rows(queue, days=5)
    job = services.forecast_request(actor=member_of(Role.PLANNER), queue=queue, horizon_days=7)
    assert inprocess_wait(60)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    # One message in the reader's language, not the engine's English inside a Finnish sentence.
    assert "History too short" not in job.error
    assert "14" in job.error and "5" in job.error
    assert not Forecast.objects.exists()


def test_agents_and_leads_cannot_start_forecasts(queue, member_of):
    for role in (Role.AGENT, Role.LEAD):
        with pytest.raises(PermissionDenied):
            services.forecast_request(actor=member_of(role), queue=queue, horizon_days=7)
    assert not Job.objects.exists()


def test_horizon_is_checked(queue, member_of):
    with pytest.raises(ValidationError):
        services.forecast_request(actor=member_of(Role.PLANNER), queue=queue, horizon_days=400)
    assert not Job.objects.exists()


def test_adjust_scales_a_range_and_is_audited(queue, member_of):
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    services.forecast_adjust(
        actor=member_of(Role.PLANNER),
        forecast=forecast,
        starts_at=dt.datetime(2025, 6, 2, 8, tzinfo=HELSINKI),
        ends_at=dt.datetime(2025, 6, 2, 10, tzinfo=HELSINKI),
        percent=50,
        reason="Laskutusajo",
    )
    adjusted = list(forecast.intervals.order_by("start").values_list("adjusted", "required_agents"))
    assert [a for a, _ in adjusted[:3]] == [30.0, 30.0, 20.0]
    assert adjusted[0][1] > adjusted[2][1]
    assert AuditEntry.objects.get(action="wfm.forecast.adjust").changes["reason"] == "Laskutusajo"


def test_removing_an_adjustment_restores_the_points_and_is_audited(queue, member_of):
    # A mistyped +150 % could only be countered by another adjustment; now it can be taken back.
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    planner = member_of(Role.PLANNER)
    window = {
        "starts_at": dt.datetime(2025, 6, 2, 8, tzinfo=HELSINKI),
        "ends_at": dt.datetime(2025, 6, 2, 10, tzinfo=HELSINKI),
    }
    keep = services.forecast_adjust(actor=planner, forecast=forecast, percent=10, reason="Kampanja", **window)
    wrong = services.forecast_adjust(
        actor=planner, forecast=forecast, percent=150, reason="Näppäilyvirhe", **window
    )
    before = list(forecast.intervals.order_by("start").values_list("required_agents", flat=True))
    services.forecast_adjustment_remove(actor=planner, adjustment=wrong)
    assert list(forecast.adjustments.all()) == [keep]
    adjusted = list(forecast.intervals.order_by("start").values_list("adjusted", "required_agents"))
    assert [a for a, _ in adjusted[:3]] == [22.0, 22.0, 20.0]
    assert adjusted[0][1] < before[0]
    assert AuditEntry.objects.get(action="wfm.forecast.adjustment_remove").changes["percent"] == 150


def test_agents_cannot_remove_and_superseded_forecasts_keep_their_adjustments(queue, member_of):
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    adjustment = services.forecast_adjust(
        actor=member_of(Role.PLANNER),
        forecast=forecast,
        starts_at=dt.datetime(2025, 6, 2, 8, tzinfo=HELSINKI),
        ends_at=dt.datetime(2025, 6, 2, 10, tzinfo=HELSINKI),
        percent=10,
        reason="Kampanja",
    )
    with pytest.raises(PermissionDenied):
        services.forecast_adjustment_remove(actor=member_of(Role.AGENT), adjustment=adjustment)
    Forecast.objects.filter(pk=forecast.pk).update(status=ForecastStatus.SUPERSEDED)
    adjustment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.forecast_adjustment_remove(actor=member_of(Role.PLANNER), adjustment=adjustment)
    assert ForecastAdjustment.objects.count() == 1


def test_adjust_needs_a_reason_and_writes_nothing(queue, member_of):
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    with pytest.raises(ValidationError) as caught:
        services.forecast_adjust(
            actor=member_of(Role.PLANNER),
            forecast=forecast,
            starts_at=dt.datetime(2025, 6, 2, 8, tzinfo=HELSINKI),
            ends_at=dt.datetime(2025, 6, 2, 10, tzinfo=HELSINKI),
            percent=10,
            reason="  ",
        )
    assert services.ERR_REASON_REQUIRED in str(caught.value) or "reason" in caught.value.message_dict
    assert not ForecastAdjustment.objects.exists()
    assert set(forecast.intervals.values_list("adjusted", flat=True)) == {20.0}


def test_agent_cannot_adjust_or_publish(queue, member_of):
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    agent = member_of(Role.AGENT)
    with pytest.raises(PermissionDenied):
        services.forecast_publish(actor=agent, forecast=forecast)
    with pytest.raises(PermissionDenied):
        services.forecast_adjust(
            actor=agent,
            forecast=forecast,
            starts_at=dt.datetime(2025, 6, 2, 8, tzinfo=HELSINKI),
            ends_at=dt.datetime(2025, 6, 3, tzinfo=HELSINKI),
            percent=10,
            reason="x",
        )
    forecast.refresh_from_db()
    assert forecast.status == ForecastStatus.DRAFT and not ForecastAdjustment.objects.exists()


def test_cross_tenant_publish_is_refused(other_org, member_of):
    foreign = forecast_with_intervals(QueueFactory(organisation=other_org), status=ForecastStatus.DRAFT)
    with pytest.raises(ValidationError):
        services.forecast_publish(actor=member_of(Role.ADMIN), forecast=foreign)
    foreign.refresh_from_db()
    assert foreign.status == ForecastStatus.DRAFT


def test_superseded_cannot_change(queue, member_of):
    old = forecast_with_intervals(queue, status=ForecastStatus.SUPERSEDED)
    with pytest.raises(ValidationError, match=services.ERR_SUPERSEDED):
        services.forecast_publish(actor=member_of(Role.PLANNER), forecast=old)


def test_cli_forecast_then_staffing(tmp_path):
    lines = ["Alkuaika;Tarjotut"]
    day = dt.date(2025, 1, 6)
    for i in range(42):
        d = day + dt.timedelta(days=i)
        if d.weekday() < 5:
            lines += [f"{d.day}.{d.month}.{d.year} {h}.00;{20 + h % 4}" for h in range(8, 18)]
    history = tmp_path / "h.csv"
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    forecast_csv, staffing_csv = tmp_path / "f.csv", tmp_path / "s.csv"
    call_command("forecast", history=str(history), interval=60, horizon="7d", output=str(forecast_csv))
    rows = forecast_csv.read_text(encoding="utf-8").splitlines()
    assert rows[0] == "start;forecast;lower_80;upper_80" and len(rows) == 1 + 7 * 24
    call_command(
        "staffing", forecast=str(forecast_csv), sl="80/20", aht=180, shrinkage=0.3, output=str(staffing_csv)
    )
    out = staffing_csv.read_text(encoding="utf-8").splitlines()
    assert out[0] == "start;contacts;required_agents;scheduled_agents"
    nine = next(r for r in out if "T09:00" in r and r.split(";")[1] != "0")
    _start, _contacts, required, scheduled = nine.split(";")
    assert int(scheduled) >= int(required) >= 1
