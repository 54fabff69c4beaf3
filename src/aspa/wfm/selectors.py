"""Reads of workforce planning, always scoped to the acting membership's organisation and role.

Queues, history, published forecasts and the staffing need are open to every member (transparency);
drafts and uploads only to the roles that manage them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from aspa.core.roles import Capability
from aspa.core.tenancy import Actor, actor_can, require
from aspa.org.models import Team
from aspa.wfm.models import ContactInterval, Forecast, ForecastInterval, ForecastStatus, HistoryUpload, Queue


def queue_list(*, actor: Actor) -> QuerySet[Queue]:
    require(actor, Capability.VIEW_WFM)
    return (
        Queue.objects.filter(organisation_id=actor.organisation_id)
        .prefetch_related(Prefetch("teams", queryset=Team.objects.order_by("name")))
        .order_by("name")
    )


def queue_get(*, actor: Actor, queue_id: int) -> Queue:
    try:
        return queue_list(actor=actor).get(pk=queue_id)
    except Queue.DoesNotExist as exc:
        raise Http404 from exc


def history_between(
    *, actor: Actor, queue: Queue, since: dt.datetime, until: dt.datetime
) -> QuerySet[ContactInterval]:
    require(actor, Capability.VIEW_WFM)
    return ContactInterval.objects.filter(
        queue__organisation_id=actor.organisation_id, queue=queue, start__gte=since, start__lt=until
    ).order_by("start")


def history_stats(*, actor: Actor, queue: Queue) -> dict[str, Any]:
    """How much history the queue has: intervals, first and last start."""
    require(actor, Capability.VIEW_WFM)
    qs = ContactInterval.objects.filter(queue__organisation_id=actor.organisation_id, queue=queue)
    first = qs.order_by("start").values_list("start", flat=True).first()
    last = qs.order_by("-start").values_list("start", flat=True).first()
    return {"count": qs.count(), "first": first, "last": last}


def forecast_list(*, actor: Actor, queue: Queue | None = None) -> QuerySet[Forecast]:
    """Forecasts of the organisation; drafts only for those who manage forecasts."""
    require(actor, Capability.VIEW_WFM)
    qs = (
        Forecast.objects.filter(organisation_id=actor.organisation_id)
        .select_related("queue", "created_by", "published_by")
        .annotate(adjustment_count=Count("adjustments"))
        .order_by("-created_at", "-id")
    )
    if queue is not None:
        qs = qs.filter(queue=queue)
    if not actor_can(actor, Capability.MANAGE_WFM):
        qs = qs.exclude(status=ForecastStatus.DRAFT)
    return qs


def forecast_get(*, actor: Actor, forecast_id: int) -> Forecast:
    try:
        return forecast_list(actor=actor).get(pk=forecast_id)
    except Forecast.DoesNotExist as exc:
        raise Http404 from exc


def forecast_published(*, actor: Actor, queue: Queue) -> Forecast | None:
    return forecast_list(actor=actor, queue=queue).filter(status=ForecastStatus.PUBLISHED).first()


def forecast_intervals(
    *, actor: Actor, forecast: Forecast, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> QuerySet[ForecastInterval]:
    require(actor, Capability.VIEW_WFM)
    qs = ForecastInterval.objects.filter(forecast__organisation_id=actor.organisation_id, forecast=forecast)
    if since is not None:
        qs = qs.filter(start__gte=since)
    if until is not None:
        qs = qs.filter(start__lt=until)
    return qs.order_by("start")


def forecast_adjustments(*, actor: Actor, forecast: Forecast) -> QuerySet[Any]:
    require(actor, Capability.VIEW_WFM)
    return forecast.adjustments.filter(forecast__organisation_id=actor.organisation_id).select_related(
        "created_by"
    )


def upload_get(*, actor: Actor, upload_id: int) -> HistoryUpload:
    require(actor, Capability.MANAGE_WFM)
    try:
        return HistoryUpload.objects.select_related("queue").get(
            pk=upload_id, organisation_id=actor.organisation_id
        )
    except HistoryUpload.DoesNotExist as exc:
        raise Http404 from exc


def teams_for_queues(*, actor: Actor) -> QuerySet[Team]:
    require(actor, Capability.VIEW_WFM)
    return Team.objects.filter(organisation_id=actor.organisation_id).order_by("name")
