"""Queues, history import, forecast review and the open staffing view. Thin: validate, call, render."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import plotly
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aspa.core.forms import form_add_validation_error
from aspa.core.http import AspaRequest
from aspa.core.roles import Capability
from aspa.core.tenancy import actor_can
from aspa.core.views_base import member_required
from aspa.wfm import charts, forecast_coverage, importing, selectors, services
from aspa.wfm.forms import AdjustForm, ForecastStartForm, MappingForm, QueueForm, UploadForm
from aspa.wfm.models import Forecast, ForecastStatus

PAGE_SIZE = 25
HISTORY_DAYS_SHOWN = 14
PREVIEW_ROWS = 8
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
PLOTLY_VERSION = plotly.__version__


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- Queues ------------------------------------------------------------------------------------------


@member_required(Capability.VIEW_WFM)
@require_GET
def queues(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    page = Paginator(selectors.queue_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wfm/queues.html",
        {"page": page, "can_manage": actor_can(actor, Capability.MANAGE_WFM)},
    )


@member_required(Capability.MANAGE_WFM)
@require_http_methods(["GET", "POST"])
def queue_create(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    form = QueueForm(request.POST or None, teams=selectors.teams_for_queues(actor=actor))
    if request.method == "POST" and form.is_valid():
        try:
            queue = services.queue_create(actor=actor, **form.service_fields())
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Queue created. Import its contact history next."))
            return redirect("wfm:history_upload", queue_id=queue.pk)
    return render(request, "wfm/queue_form.html", {"form": form}, status=400 if form.errors else 200)


@member_required(Capability.MANAGE_WFM)
@require_http_methods(["GET", "POST"])
def queue_edit(request: AspaRequest, queue_id: int) -> HttpResponse:
    actor = request.membership
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    teams = selectors.teams_for_queues(actor=actor)
    form = QueueForm(request.POST or None, teams=teams, initial=QueueForm.initial_for(queue))
    if request.method == "POST" and form.is_valid():
        try:
            services.queue_update(actor=actor, queue=queue, **form.service_fields())
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Queue saved."))
            return redirect("wfm:queue", queue_id=queue.pk)
    return render(
        request, "wfm/queue_form.html", {"form": form, "queue": queue}, status=400 if form.errors else 200
    )


def _day_from(request: HttpRequest, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return default


def _day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = _zone()
    return (
        dt.datetime.combine(day, dt.time(0), tzinfo=zone),
        dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone),
    )


def _forecast_context(request: AspaRequest, forecast: Forecast) -> dict[str, Any]:
    """Charts over the whole forecast (and the history before it) and the table of one chosen day."""
    actor = request.membership
    intervals = list(selectors.forecast_intervals(actor=actor, forecast=forecast))
    since = (forecast.starts_at or timezone.now()) - dt.timedelta(days=HISTORY_DAYS_SHOWN)
    history_qs = selectors.history_between(
        actor=actor, queue=forecast.queue, since=since, until=forecast.ends_at or timezone.now()
    )
    history = list(history_qs.values_list("start", "offered"))
    zone = _zone()
    days = sorted({r.start.astimezone(zone).date() for r in intervals})
    today = timezone.localdate()
    day = _day_from(request, today if today in days else (days[0] if days else today))
    begin, end = _day_bounds(day)
    actual = dict(
        selectors.history_between(actor=actor, queue=forecast.queue, since=begin, until=end).values_list(
            "start", "offered"
        )
    )
    coverage = forecast_coverage.forecast_coverage(actor=actor, forecast=forecast, intervals=intervals)
    rows = [
        (r, actual.get(r.start), coverage.by_start.get(r.start)) for r in intervals if begin <= r.start < end
    ]
    index = days.index(day) if day in days else -1
    return {
        "forecast": forecast,
        "forecast_chart": charts.forecast_figure(
            history=history,
            intervals=intervals,
            interval_minutes=forecast.interval_minutes,
            level=forecast.level,
        ),
        "staffing_chart": charts.staffing_figure(
            intervals=intervals,
            interval_minutes=forecast.interval_minutes,
            on_roster=[c.on_roster if c.rostered else None for c in coverage.rows]
            if coverage.has_roster
            else None,
        ),
        "coverage": coverage,
        "service_level_chart": charts.service_level_figure(
            rows=coverage.rows,
            interval_minutes=forecast.interval_minutes,
            target_percent=coverage.target_percent,
        )
        if coverage.has_roster
        else None,
        "day": day,
        "days": days,
        "previous_day": days[index - 1] if index > 0 else None,
        "next_day": days[index + 1] if 0 <= index < len(days) - 1 else None,
        "rows": rows,
        "level_percent": round(forecast.level * 100),
        "plotly_version": PLOTLY_VERSION,
        "totals": {
            "contacts": round(sum(r.adjusted for r in intervals)),
            "peak_required": max((r.required_agents for r in intervals), default=0),
        },
    }


@member_required(Capability.VIEW_WFM)
@require_GET
def queue_detail(request: AspaRequest, queue_id: int) -> HttpResponse:
    """The open view: every member sees the published forecast and the staffing need of a queue."""
    actor = request.membership
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    published = selectors.forecast_published(actor=actor, queue=queue)
    context: dict[str, Any] = {
        "queue": queue,
        "published": published,
        "stats": selectors.history_stats(actor=actor, queue=queue),
        "outside_hours": selectors.history_outside_hours(actor=actor, queue=queue),
        "can_manage": actor_can(actor, Capability.MANAGE_WFM),
    }
    if published is not None:
        context.update(_forecast_context(request, published))
    return render(request, "wfm/queue.html", context)


# --- History import ----------------------------------------------------------------------------------


@member_required(Capability.MANAGE_WFM)
@require_http_methods(["GET", "POST"])
def history_upload(request: AspaRequest, queue_id: int) -> HttpResponse:
    actor = request.membership
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            upload = services.history_upload_store(actor=actor, queue=queue, file=form.cleaned_data["file"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            return redirect("wfm:history_preview", upload_id=upload.pk)
    return render(
        request,
        "wfm/history_upload.html",
        {
            "form": form,
            "queue": queue,
            "stats": selectors.history_stats(actor=actor, queue=queue),
            "limit_mb": settings.ASPA_MAX_UPLOAD_BYTES // (1024 * 1024),
        },
        status=400 if form.errors else 200,
    )


@member_required(Capability.MANAGE_WFM)
@require_http_methods(["GET", "POST"])
def history_preview(request: AspaRequest, upload_id: int) -> HttpResponse:
    """Show the first rows with the guessed mapping; on confirm, import all or nothing."""
    actor = request.membership
    upload = selectors.upload_get(actor=actor, upload_id=upload_id)
    row_errors: list[str] = []
    error_count = 0
    try:
        table = importing.read_table(services.upload_path(upload), filename=upload.filename)
        header, sample = table.header, importing.preview(table, PREVIEW_ROWS)
    except (importing.TableError, OSError) as exc:
        message = (
            exc.message % exc.params if isinstance(exc, importing.TableError) else services.ERR_UPLOAD_GONE
        )
        row_errors, header, sample = [_(message)], [], []
    guessed = importing.guess_mapping(header) if header else None
    form = MappingForm(
        request.POST or None, header=header, initial=MappingForm.initial_from(guessed) if guessed else None
    )
    in_background = upload.imported_at is None and services.upload_needs_job(upload)
    if request.method == "POST" and header and form.is_valid() and in_background:
        try:
            job = services.history_import_request(
                actor=actor, upload=upload, mapping=form.cleaned_data["mapping"]
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request, _("The import started in the background. This page follows its progress.")
            )
            return redirect("job", job_id=job.pk)
    elif request.method == "POST" and header and form.is_valid():
        try:
            summary = services.history_import_upload(
                actor=actor, upload=upload, mapping=form.cleaned_data["mapping"]
            )
        except services.HistoryImportError as exc:
            row_errors, error_count = exc.row_errors, exc.error_count
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(
                request,
                ngettext(
                    "Imported %(rows)s row into %(intervals)s intervals (%(created)s new, %(updated)s updated).",
                    "Imported %(rows)s rows into %(intervals)s intervals (%(created)s new, %(updated)s updated).",
                    summary.rows,
                )
                % {
                    "rows": formats.number_format(summary.rows, force_grouping=True),
                    "intervals": formats.number_format(summary.intervals, force_grouping=True),
                    "created": formats.number_format(summary.created, force_grouping=True),
                    "updated": formats.number_format(summary.updated, force_grouping=True),
                },
            )
            return redirect("wfm:forecasts", queue_id=upload.queue_id)
    failed = bool(form.errors or row_errors) and request.method == "POST"
    return render(
        request,
        "wfm/history_preview.html",
        {
            "upload": upload,
            "queue": upload.queue,
            "header": header,
            "sample": sample,
            "form": form,
            "row_errors": row_errors,
            "error_count": error_count or len(row_errors),
            "more_errors": max(0, error_count - len(row_errors)),
            "in_background": in_background,
        },
        status=400 if failed else 200,
    )


@require_POST
@member_required(Capability.MANAGE_WFM)
def history_cancel(request: AspaRequest, upload_id: int) -> HttpResponse:
    """Throw away an upload that was not imported (its stored file goes with it)."""
    actor = request.membership
    upload = selectors.upload_get(actor=actor, upload_id=upload_id)
    try:
        services.upload_discard(actor=actor, upload=upload)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("wfm:history_preview", upload_id=upload.pk)
    messages.success(request, _("Upload cancelled: nothing was imported."))
    return redirect("wfm:history_upload", queue_id=upload.queue_id)


# --- Forecasts ---------------------------------------------------------------------------------------


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def forecasts(request: AspaRequest, queue_id: int) -> HttpResponse:
    """A queue's forecasts; planners start a new run here (a background job)."""
    actor = request.membership
    queue = selectors.queue_get(actor=actor, queue_id=queue_id)
    can_manage = actor_can(actor, Capability.MANAGE_WFM)
    form = ForecastStartForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                job = services.forecast_request(
                    actor=actor, queue=queue, horizon_days=form.cleaned_data["horizon_days"]
                )
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Forecast started. This page follows its progress."))
                return redirect("job", job_id=job.pk)
    page = Paginator(selectors.forecast_list(actor=actor, queue=queue), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "wfm/forecasts.html",
        {
            "queue": queue,
            "page": page,
            "form": form,
            "can_manage": can_manage,
            "stats": selectors.history_stats(actor=actor, queue=queue),
        },
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_WFM)
@require_GET
def forecast_detail(request: AspaRequest, forecast_id: int) -> HttpResponse:
    actor = request.membership
    forecast = selectors.forecast_get(actor=actor, forecast_id=forecast_id)
    can_manage = actor_can(actor, Capability.MANAGE_WFM) and forecast.status != ForecastStatus.SUPERSEDED
    context = _forecast_context(request, forecast)
    context.update(
        queue=forecast.queue,
        adjustments=selectors.forecast_adjustments(actor=actor, forecast=forecast),
        can_manage=can_manage,
        adjust_form=AdjustForm(initial={"first_day": context["day"]}),
        # The form's "Change (%)" heads the column: a template literal with "%" is looked up as "%%".
        change_label=AdjustForm.base_fields["percent"].label,
    )
    return render(request, "wfm/forecast.html", context)


@member_required(Capability.MANAGE_WFM)
@require_http_methods(["GET", "POST"])
def forecast_adjust(request: AspaRequest, forecast_id: int) -> HttpResponse:
    actor = request.membership
    forecast = selectors.forecast_get(actor=actor, forecast_id=forecast_id)
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.forecast_adjust(
                actor=actor,
                forecast=forecast,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                percent=data["percent"],
                reason=data["reason"],
            )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Forecast adjusted; the staffing need was recomputed."))
            return redirect(f"{forecast_url(forecast)}?day={data['first_day'].isoformat()}")
    return render(
        request,
        "wfm/forecast_adjust.html",
        {"forecast": forecast, "queue": forecast.queue, "form": form},
        status=400 if form.errors else 200,
    )


@require_POST
@member_required(Capability.MANAGE_WFM)
def forecast_adjustment_remove(request: AspaRequest, forecast_id: int, adjustment_id: int) -> HttpResponse:
    actor = request.membership
    forecast = selectors.forecast_get(actor=actor, forecast_id=forecast_id)
    adjustment = get_object_or_404(forecast.adjustments, pk=adjustment_id)
    try:
        services.forecast_adjustment_remove(actor=actor, adjustment=adjustment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Adjustment removed; the staffing need was recomputed."))
    return redirect("wfm:forecast", forecast_id=forecast.pk)


def forecast_url(forecast: Forecast) -> str:
    return reverse("wfm:forecast", kwargs={"forecast_id": forecast.pk})


@require_POST
@member_required(Capability.MANAGE_WFM)
def forecast_publish(request: AspaRequest, forecast_id: int) -> HttpResponse:
    actor = request.membership
    forecast = selectors.forecast_get(actor=actor, forecast_id=forecast_id)
    try:
        services.forecast_publish(actor=actor, forecast=forecast)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("wfm:forecast", forecast_id=forecast.pk)
    messages.success(request, _("Forecast published: everyone in the organisation now sees it."))
    return redirect("wfm:queue", queue_id=forecast.queue_id)


@member_required(Capability.VIEW_WFM)
@require_GET
def forecast_csv(request: AspaRequest, forecast_id: int) -> HttpResponse:
    """The forecast as a Finnish-style CSV (semicolons, decimal commas, local times)."""
    actor = request.membership
    forecast = selectors.forecast_get(actor=actor, forecast_id=forecast_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"ennuste-{forecast.queue_id}-{forecast.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Start"),
            _("Forecast"),
            _("Lower bound"),
            _("Upper bound"),
            _("Adjusted forecast"),
            _("Required agents"),
            _("Agents to schedule"),
            _("Scheduled on the roster"),
            _("Agents answering"),
            _("Expected service level (%)"),
        ]
    )
    zone = _zone()

    def num(value: float) -> str:
        return f"{value:.2f}".replace(".", ",")

    intervals = list(selectors.forecast_intervals(actor=actor, forecast=forecast))
    coverage = forecast_coverage.forecast_coverage(actor=actor, forecast=forecast, intervals=intervals)
    for row, cov in zip(intervals, coverage.rows, strict=True):
        writer.writerow(
            [
                row.start.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                num(row.point),
                num(row.lower),
                num(row.upper),
                num(row.adjusted),
                row.required_agents,
                row.scheduled_agents,
                cov.on_roster if cov.rostered else "",
                cov.answering if cov.rostered else "",
                num(cov.service_level * 100) if cov.rostered else "",
            ]
        )
    return response


@cache
def _plotly_bytes() -> bytes:
    return PLOTLY_JS.read_bytes()


@require_GET
def plotly_js(request: HttpRequest) -> HttpResponse:
    """Plotly's own bundled copy, served locally (no CDN); the URL carries its version for caching."""
    response = HttpResponse(_plotly_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
