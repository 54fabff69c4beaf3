"""Rostering pages: periods, wishes, solve and review, publishing, my shifts, calendar feed, swaps. Thin."""

from __future__ import annotations

import csv
import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aspa.core.forms import form_add_validation_error
from aspa.core.http import AspaRequest
from aspa.core.roles import Capability
from aspa.core.views_base import member_required
from aspa.wfm import ical, roster_export, roster_lifecycle, roster_selectors, roster_services
from aspa.wfm.models import PeriodStatus, RosterStatus, SwapKind, SwapStatus
from aspa.wfm.roster_forms import UNAVAILABLE, PeriodForm, SwapAcceptForm, SwapOfferForm, WishForm

PAGE_SIZE = 25


def _flash_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --- Periods -------------------------------------------------------------------------------------------


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def periods(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    teams = roster_selectors.teams_to_plan(actor=actor)
    if request.method == "POST" and not teams:
        raise PermissionDenied
    form = PeriodForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            period = roster_services.period_create(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Planning period opened for wishes."))
            return redirect("wfm:period", period_id=period.pk)
    page = Paginator(roster_selectors.period_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wfm/periods.html",
        {"page": page, "form": form if teams else None},
        status=400 if form.errors else 200,
    )


@member_required(Capability.VIEW_WFM)
@require_GET
def period_detail(request: AspaRequest, period_id: int) -> HttpResponse:
    actor = request.membership
    period = roster_selectors.period_get(actor=actor, period_id=period_id)
    rosters = roster_selectors.roster_list(actor=actor, period=period)
    current = rosters.exclude(status=RosterStatus.SUPERSEDED).first()
    return render(
        request,
        "wfm/period.html",
        {
            "period": period,
            "current": current,
            "rosters": rosters[:10],
            "can_plan": roster_services.can_plan(actor, period.team),
            "is_member": roster_selectors.is_member(actor=actor, team=period.team),
            "can_solve": period.status in (PeriodStatus.OPEN, PeriodStatus.REVIEW, PeriodStatus.PUBLISHED),
            "can_lock": period.status == PeriodStatus.PUBLISHED,
            "solve_job": current.job if current is not None and current.job_id else None,
            "lifecycle": PeriodStatus.choices,
        },
    )


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def period_wishes(request: AspaRequest, period_id: int) -> HttpResponse:
    """The phone-friendly wish list: own wishes, the need and how many others wish each slot."""
    actor = request.membership
    period = roster_selectors.period_get(actor=actor, period_id=period_id)
    types = roster_selectors.shift_types(actor=actor, team=period.team)
    form = WishForm(request.POST or None, period=period, shift_types=types)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == UNAVAILABLE:
                roster_services.availability_add(actor=actor, period=period, day=data["day"])
            else:
                roster_services.wish_add(
                    actor=actor,
                    period=period,
                    kind=data["kind"],
                    day=data["day"],
                    shift_type=data["shift_type"],
                    time=data["time"],
                    weight=data["weight"],
                )
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Wish saved."))
            return redirect("wfm:period_wishes", period_id=period.pk)
    return render(
        request,
        "wfm/period_wishes.html",
        {
            "period": period,
            "form": form,
            "wishes": roster_selectors.wishes_visible(actor=actor, period=period),
            "unavailable": roster_selectors.unavailable_visible(actor=actor, period=period),
            "slots": roster_selectors.wish_slots(actor=actor, period=period),
            "open": period.status == PeriodStatus.OPEN,
            "is_member": roster_selectors.is_member(actor=actor, team=period.team),
            "can_plan": roster_services.can_plan(actor, period.team),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required(Capability.VIEW_WFM)
def wish_delete(request: AspaRequest, wish_id: int) -> HttpResponse:
    actor = request.membership
    wish = roster_selectors.wish_get(actor=actor, wish_id=wish_id)
    try:
        roster_services.wish_delete(actor=actor, wish=wish)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Wish removed."))
    return redirect("wfm:period_wishes", period_id=wish.period_id)


@require_POST
@member_required(Capability.VIEW_WFM)
def unavailable_delete(request: AspaRequest, availability_id: int) -> HttpResponse:
    actor = request.membership
    availability = roster_selectors.availability_get(actor=actor, availability_id=availability_id)
    try:
        roster_services.availability_delete(actor=actor, availability=availability)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Day removed."))
    return redirect("wfm:period_wishes", period_id=availability.period_id)


@require_POST
@member_required(Capability.VIEW_WFM)
def period_solve(request: AspaRequest, period_id: int) -> HttpResponse:
    actor = request.membership
    period = roster_selectors.period_get(actor=actor, period_id=period_id)
    base = None
    if request.POST.get("base"):
        try:
            base = roster_selectors.roster_get(actor=actor, roster_id=int(request.POST["base"]))
        except (ValueError, Http404):
            base = None
    try:
        job = roster_services.roster_solve_request(
            actor=actor, period=period, base=base, minimal_change=bool(request.POST.get("minimal_change"))
        )
    except ValidationError as exc:
        _flash_errors(request, exc)
        return redirect("wfm:period", period_id=period.pk)
    messages.success(request, _("Solving started. The page shows the best roster found so far."))
    return redirect("job", job_id=job.pk)


@require_POST
@member_required(Capability.VIEW_WFM)
def period_lock(request: AspaRequest, period_id: int) -> HttpResponse:
    actor = request.membership
    period = roster_selectors.period_get(actor=actor, period_id=period_id)
    try:
        roster_lifecycle.period_lock(actor=actor, period=period)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Period locked: its roster no longer changes."))
    return redirect("wfm:period", period_id=period.pk)


# --- Rosters -------------------------------------------------------------------------------------------


@member_required(Capability.VIEW_WFM)
@require_GET
def roster_detail(request: AspaRequest, roster_id: int) -> HttpResponse:
    actor = request.membership
    roster = roster_selectors.roster_get(actor=actor, roster_id=roster_id)
    period = roster.period
    from aspa.teamwork.decisions import ROSTER_PUBLISH
    from aspa.teamwork.selectors import decision_allowed

    return render(
        request,
        "wfm/roster.html",
        {
            "roster": roster,
            "period": period,
            "view": roster_selectors.roster_view(actor=actor, roster=roster),
            "can_plan": roster_services.can_plan(actor, period.team) and roster.status == RosterStatus.DRAFT,
            "can_publish": roster.status == RosterStatus.DRAFT
            and decision_allowed(actor=actor, team=period.team, decision=ROSTER_PUBLISH),
        },
    )


@require_POST
@member_required(Capability.VIEW_WFM)
def shift_pin(request: AspaRequest, shift_id: int) -> HttpResponse:
    actor = request.membership
    shift = roster_selectors.shift_get(actor=actor, shift_id=shift_id)
    try:
        roster_services.shift_pin(actor=actor, shift=shift, pinned=request.POST.get("pinned") == "1")
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect(reverse("wfm:roster", kwargs={"roster_id": shift.roster_id}) + "#grid")


@require_POST
@member_required(Capability.VIEW_WFM)
def roster_publish(request: AspaRequest, roster_id: int) -> HttpResponse:
    actor = request.membership
    roster = roster_selectors.roster_get(actor=actor, roster_id=roster_id)
    try:
        roster_services.roster_publish(actor=actor, roster=roster)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Roster published. The team has been told."))
    return redirect("wfm:roster", roster_id=roster.pk)


@member_required(Capability.VIEW_WFM)
@require_GET
def roster_csv(request: AspaRequest, roster_id: int) -> HttpResponse:
    actor = request.membership
    roster = roster_selectors.roster_get(actor=actor, roster_id=roster_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vuorolista-{roster.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    rows = roster_selectors.roster_csv_rows(actor=actor, roster=roster)
    rows[0][0] = _("Name")
    writer.writerows(rows)
    return response


@member_required(Capability.VIEW_WFM)
@require_GET
def roster_xlsx(request: AspaRequest, roster_id: int) -> HttpResponse:
    actor = request.membership
    roster = roster_selectors.roster_get(actor=actor, roster_id=roster_id)
    rows = roster_selectors.roster_csv_rows(actor=actor, roster=roster)
    rows[0][0] = _("Name")
    response = HttpResponse(
        roster_export.roster_workbook(rows, title=roster.period.name),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="vuorolista-{roster.pk}.xlsx"'
    return response


# --- My shifts and the calendar feed -------------------------------------------------------------------


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def my_shifts(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    feed_url = None
    if request.method == "POST":
        token = roster_services.calendar_feed_create(actor=actor)
        feed_url = request.build_absolute_uri(reverse("wfm:calendar_feed", kwargs={"token": token}))
        messages.success(
            request, _("Your private calendar link was created. Copy it now: it is shown only once.")
        )
    today = timezone.localdate()
    shifts = roster_selectors.my_shifts(actor=actor, since=today - dt.timedelta(days=7))
    page = Paginator(shifts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "wfm/my_shifts.html",
        {
            "page": page,
            "today": today,
            "feed_url": feed_url,
            "has_feed": roster_selectors.calendar_feed_exists(actor=actor),
        },
    )


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's published shifts as iCalendar; the private token in the URL is the only key."""
    found = roster_selectors.calendar_shifts(token_hash=roster_services.calendar_token_hash(token))
    if found is None:
        raise Http404
    membership, shifts = found
    events = [
        ical.Event(
            uid=f"shift-{s.pk}@aspa",
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            summary=f"{s.shift_type.name} ({s.roster.period.team.name})",
            description=s.roster.period.name,
            last_modified=s.roster.published_at,
        )
        for s in shifts
    ]
    body = ical.calendar(
        events, name=_("Shifts: %(name)s") % {"name": membership.user.full_name}, now=timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- Swaps ---------------------------------------------------------------------------------------------


@member_required(Capability.VIEW_WFM)
@require_GET
def swaps(request: AspaRequest) -> HttpResponse:
    actor = request.membership
    page = Paginator(roster_selectors.swap_list(actor=actor), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "wfm/swaps.html", {"page": page})


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def swap_offer(request: AspaRequest, shift_id: int) -> HttpResponse:
    actor = request.membership
    shift = roster_selectors.shift_get(actor=actor, shift_id=shift_id)
    if shift.membership_id != actor.pk:
        raise PermissionDenied
    form = SwapOfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            swap = roster_services.swap_offer(actor=actor, shift=shift, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Your shift is offered to colleagues who may take it."))
            return redirect("wfm:swap", swap_id=swap.pk)
    return render(
        request, "wfm/swap_offer.html", {"shift": shift, "form": form}, status=400 if form.errors else 200
    )


@member_required(Capability.VIEW_WFM)
@require_http_methods(["GET", "POST"])
def swap_detail(request: AspaRequest, swap_id: int) -> HttpResponse:
    """An offer: who may take it (checked by the engine), the effect on coverage; take it, approve it."""
    actor = request.membership
    swap = roster_selectors.swap_get(actor=actor, swap_id=swap_id)
    own = roster_selectors.my_shifts(actor=actor).filter(roster=swap.shift.roster).exclude(pk=swap.shift_id)
    form = SwapAcceptForm(request.POST if request.method == "POST" else None, shifts=own)
    if request.method == "POST" and form.is_valid():
        try:
            roster_services.swap_accept(actor=actor, swap=swap, give=form.cleaned_data.get("give"))
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("You took the shift. It is yours once approved."))
            return redirect("wfm:swap", swap_id=swap.pk)
    candidates = (
        roster_selectors.swap_candidates(actor=actor, swap=swap) if swap.status == SwapStatus.OPEN else []
    )
    mine = next((c for c in candidates if c.membership.pk == actor.pk), None)
    return render(
        request,
        "wfm/swap.html",
        {
            "swap": swap,
            "form": form,
            "candidates": candidates,
            "may_take": mine is not None and not mine.problems,
            "my_problems": mine.problems if mine else [],
            "needs_give": swap.kind == SwapKind.SWAP,
            "coverage": roster_selectors.swap_coverage(actor=actor, swap=swap),
            "can_approve": roster_selectors.approvable(actor=actor, swap=swap),
            "is_offerer": swap.offered_by_id == actor.pk,
        },
        status=400 if form.errors else 200,
    )


@require_POST
@member_required(Capability.VIEW_WFM)
def swap_decide(request: AspaRequest, swap_id: int) -> HttpResponse:
    actor = request.membership
    swap = roster_selectors.swap_get(actor=actor, swap_id=swap_id)
    approve = request.POST.get("decision") == "approve"
    try:
        roster_services.swap_decide(actor=actor, swap=swap, approve=approve)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Swap approved.") if approve else _("Swap rejected."))
    return redirect("wfm:swap", swap_id=swap.pk)


@require_POST
@member_required(Capability.VIEW_WFM)
def swap_cancel(request: AspaRequest, swap_id: int) -> HttpResponse:
    actor = request.membership
    swap = roster_selectors.swap_get(actor=actor, swap_id=swap_id)
    try:
        roster_services.swap_cancel(actor=actor, swap=swap)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("Offer withdrawn."))
    return redirect("wfm:swap", swap_id=swap.pk)
