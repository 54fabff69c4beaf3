"""Forecasting in the browser: a planner imports history (upload → preview → confirm), runs a forecast job,
adjusts a day with a reason and publishes; an agent then sees the published forecast. A bad file shows each
bad row with its line number and writes nothing.

The history is three weeks of hourly weekday counts: enough for the forecaster, small enough to be quick.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, Route, expect

from aspa.core.jobs import inprocess_wait, job_run
from aspa.core.models import Job, JobStatus
from aspa.core.roles import Role
from aspa.wfm import services
from aspa.wfm.models import ContactInterval, Forecast, ForecastStatus, HistoryUpload, Queue
from tests.e2e.helpers import demo_email, has_horizontal_overflow, label, log_in, log_out, t
from tests.e2e.test_axe import scan
from tests.factories import TeamFactory
from tests.wfm.factories import HELSINKI
from tests.wfm.roster_factories import PeriodFactory, ShiftTypeFactory, published_roster

pytestmark = pytest.mark.e2e

# A forecast job on three weeks of hourly history ends in a few seconds; the page polls every second.
JOB_TIMEOUT_MS = 90_000
HISTORY_WEEKS = 3


def _history_csv(*, weeks: int = HISTORY_WEEKS) -> bytes:
    """Finnish-style interval counts: weekdays 8–16, a Monday peak; ends yesterday."""
    today = timezone.localdate()
    first = today - dt.timedelta(days=7 * weeks)
    lines = ["Alkuaika;Tarjotut;Vastatut;Luopuneet;Käsittelyaika"]
    day = first
    while day < today:
        if day.weekday() < 5:
            for hour in range(8, 16):
                offered = 20 + (6 if day.weekday() == 0 else 0) + (hour % 4) * 2
                lines.append(f"{day.day}.{day.month}.{day.year} {hour}.00;{offered};{offered - 1};1;185")
        day += dt.timedelta(days=1)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _queue(demo: Any, name: str) -> Queue:
    planner = demo.objects["members"][demo_email(Role.PLANNER)]
    return services.queue_create(
        actor=planner,
        teams=[TeamFactory(organisation=planner.organisation, name=f"Tiimi {name}")],
        name=name,
        channel="phone",
        interval_minutes=60,
        opening_hours={str(d): [["08:00", "16:00"]] for d in range(5)},
        service_level_percent=80.0,
        service_level_seconds=20,
        aht_seconds=180,
        shrinkage=0.3,
        skill="",
    )


def _after_jobs(route: Route) -> None:
    """Let the job page load once the background jobs are done.

    The test database is in-memory SQLite with a shared cache: a write of the job thread that meets a
    write of the live server's thread fails at once ("database table is locked") instead of waiting. So
    the page does not poll while the job runs, and a job whose start lost such a race is run here, by
    the same code the runner uses.
    """
    assert inprocess_wait(JOB_TIMEOUT_MS / 1000)
    for job in Job.objects.filter(status=JobStatus.QUEUED):
        job_run(job.pk)
    route.continue_()


def _upload(page: Page, queue: Queue, *, name: str, content: bytes) -> None:
    page.goto(reverse("wfm:history_upload", kwargs={"queue_id": queue.pk}))
    page.locator("#id_file").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}]
    )
    page.get_by_role("button", name=t("fi", "Upload and preview")).click()
    expect(page).to_have_url(re.compile(r"/uploads/\d+/"))
    # The preview shows the first rows and the guessed mapping.
    expect(page.get_by_role("heading", name=t("fi", "First rows"))).to_be_visible()
    expect(page.locator("#id_col_start")).not_to_have_value("")


def test_import_forecast_adjust_publish_agent_sees(demo: Any, page: Page):
    queue = _queue(demo, "Selainjono")

    # 1. The planner imports the history: upload, check the preview, confirm.
    log_in(page, demo_email(Role.PLANNER))
    _upload(page, queue, name="historia.csv", content=_history_csv())
    page.get_by_role("button", name=t("fi", "Import"), exact=True).click()
    expect(page).to_have_url(re.compile(rf"/queues/{queue.pk}/forecasts/"))
    expect(page.locator(".messages")).to_be_visible()
    assert ContactInterval.objects.filter(queue=queue).count() == HISTORY_WEEKS * 5 * 8

    # 2. A forecast job: its page follows the progress until it has finished.
    page.get_by_label(label("fi", "Horizon (days)")).fill("7")
    page.route(re.compile(r"/jobs/\d+/$"), _after_jobs)
    page.get_by_role("button", name=t("fi", "Start forecast")).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/"))
    expect(page.locator("#job-live")).to_contain_text(t("fi", "Finished."), timeout=JOB_TIMEOUT_MS)
    expect(page.locator("#job-progress progress")).to_have_attribute("value", "100")

    # 3. Review the draft and raise one day by 20 % with a reason.
    forecast = Forecast.objects.get(queue=queue)
    assert forecast.status == ForecastStatus.DRAFT
    page.goto(reverse("wfm:forecasts", kwargs={"queue_id": queue.pk}))
    page.locator(f'a[href="{reverse("wfm:forecast", kwargs={"forecast_id": forecast.pk})}"]').click()
    expect(page.locator(".wfm-table tbody tr").first).to_be_visible()
    day = forecast.intervals.order_by("start").first().start.astimezone(dt.UTC).date()
    page.get_by_label(label("fi", "First day")).fill(day.isoformat())
    page.get_by_label(label("fi", "Change (%)")).fill("20")
    page.get_by_label(label("fi", "Reason")).fill("Laskutusajo")
    page.get_by_role("button", name=t("fi", "Adjust"), exact=True).click()
    expect(page.get_by_role("cell", name="Laskutusajo")).to_be_visible()
    expect(page.locator(".wfm-table tr.wfm-adjusted").first).to_be_visible()

    # 4. Publish.
    page.once("dialog", lambda dialog: dialog.accept())  # publishing asks first
    page.get_by_role("button", name=t("fi", "Publish forecast")).click()
    expect(page).to_have_url(re.compile(rf"/queues/{queue.pk}/$"))
    forecast.refresh_from_db()
    assert forecast.status == ForecastStatus.PUBLISHED
    log_out(page)
    first_day = _roster_for_first_day(demo, queue, forecast)

    # 5. An agent sees the published forecast: the charts drawn by Plotly and the day's table.
    log_in(page, demo_email(Role.AGENT))
    page.goto(reverse("wfm:queue", kwargs={"queue_id": queue.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Selainjono")
    expect(page.locator('[data-chart="chart-volume"] .main-svg').first).to_be_visible()
    expect(page.locator('[data-chart="chart-staff"] .main-svg').first).to_be_visible()
    expect(page.locator(".wfm-table tbody tr").first).to_be_visible()
    expect(page.get_by_role("link", name=t("fi", "Download the forecast as CSV"))).to_be_visible()

    # 6. With the team's roster published: scheduled vs required and the expected service level.
    expect(page.get_by_role("heading", name=t("fi", "Scheduled vs required"))).to_be_visible()
    expect(page.locator('[data-chart="chart-sl"] .main-svg').first).to_be_visible()
    expect(page.get_by_role("columnheader", name=t("fi", "Expected service level"))).to_be_visible()
    expect(page.locator(".wfm-table caption")).to_contain_text(str(first_day.year))
    problems = scan(page, "wfm:queue with a roster")
    assert not problems, "\n\n".join(problems)

    # 7. On a phone the facts (long Finnish terms, the model id) and the day's table fit the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("wfm:forecast", kwargs={"forecast_id": forecast.pk}))
    expect(page.locator(".wfm-table tbody tr").first).to_be_visible()
    assert not has_horizontal_overflow(page)
    # Every legend entry stays inside its chart (Plotly does not wrap them; charts.js breaks long ones).
    expect(page.locator('[data-chart="chart-staff"] .legendtext').first).to_be_visible()
    spill = page.evaluate(
        """() => [...document.querySelectorAll('[data-chart]')].flatMap(chart => {
            const right = chart.getBoundingClientRect().right;
            return [...chart.querySelectorAll('.legendtext')]
                .filter(t => t.getBoundingClientRect().right > right + 1).map(t => t.textContent);
        })"""
    )
    assert not spill, spill


def _roster_for_first_day(demo: Any, queue: Queue, forecast: Forecast) -> dt.date:
    """Five demo people on an 8–16 shift on the forecast's first day, in a published roster."""
    day = forecast.intervals.order_by("start").first().start.astimezone(HELSINKI).date()
    team = queue.teams.get()
    period = PeriodFactory(team=team, starts_on=day, ends_on=day + dt.timedelta(days=6))
    shift_type = ShiftTypeFactory(organisation=team.organisation, team=team, start_time=dt.time(8))
    people = list(demo.objects["members"].values())[:5]
    published_roster(period, [(person, day, shift_type) for person in people])
    return day


def _line(number: int) -> str:
    """The start of a row error as the planner reads it ("Rivi 3:")."""
    return (t("fi", services.ERR_ROW) % {"line": number, "message": ""}).strip()


def test_bad_file_lists_rows_and_writes_nothing(demo: Any, page: Page):
    queue = _queue(demo, "Virhejono")
    intervals_before = ContactInterval.objects.count()
    content = (
        b"Alkuaika;Tarjotut;Vastatut\n"
        b"3.2.2025 8.00;10;9\n"
        b"32.2.2025 9.00;5;5\n"  # line 3: no such date
        b"3.2.2025 10.00;-4;0\n"  # line 4: a negative count
        b"3.2.2025 11.00;7;7\n"
    )
    log_in(page, demo_email(Role.PLANNER))
    _upload(page, queue, name="rikki.csv", content=content)
    page.get_by_role("button", name=t("fi", "Import"), exact=True).click()
    errors = page.locator("#import-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("li")).to_have_count(2)
    expect(errors.locator("li").nth(0)).to_contain_text(_line(3))
    expect(errors.locator("li").nth(0)).to_contain_text("32.2.2025")
    expect(errors.locator("li").nth(1)).to_contain_text(_line(4))
    expect(errors.locator("li").nth(1)).to_contain_text("-4")
    assert ContactInterval.objects.count() == intervals_before
    assert not HistoryUpload.objects.filter(queue=queue, imported_at__isnull=False).exists()

    # The planner gives up on the file: the upload and its stored file go, still nothing imported.
    upload = HistoryUpload.objects.get(queue=queue)
    page.get_by_role("button", name=t("fi", "Cancel upload")).click()
    expect(page).to_have_url(re.compile(rf"/queues/{queue.pk}/import/"))
    assert not HistoryUpload.objects.filter(pk=upload.pk).exists()
    assert not services.upload_path(upload).exists()
    assert ContactInterval.objects.count() == intervals_before
