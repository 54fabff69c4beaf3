"""The planning period's life cycle after publishing: locking, wish-deadline reminders, change notices.

Reminders: a period open for wishes whose deadline falls within ``REMIND_BEFORE`` gets one reminder; every
active team member who has entered neither a wish nor an unavailable day is e-mailed (after commit). Run
by the ``wfm_remind_wishes`` management command (all organisations, e.g. hourly from cron) or as the
``wfm.roster.remind_wishes`` job for one organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from aspa.core.audit import audit_record
from aspa.core.jobs import JobContext, job_kind
from aspa.core.roles import Capability
from aspa.core.tenancy import Actor
from aspa.org.models import Membership
from aspa.wfm.models import Availability, PeriodStatus, PlanningPeriod, ShiftWish
from aspa.wfm.roster_services import _same_org, require_plan

ERR_LOCK_NOT_PUBLISHED = gettext_noop("Only a published period can be locked.")

REMIND_BEFORE = dt.timedelta(hours=48)
REMIND_JOB = "wfm.roster.remind_wishes"


def period_lock(*, actor: Actor, period: PlanningPeriod) -> PlanningPeriod:
    """Lock a published period: no more swaps, pins or re-solves."""
    _same_org(actor, period)
    require_plan(actor, period.team)
    with transaction.atomic():
        locked = PlanningPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status != PeriodStatus.PUBLISHED:
            raise ValidationError(_(ERR_LOCK_NOT_PUBLISHED))
        locked.status = PeriodStatus.LOCKED
        locked.save(update_fields=["status"])
        audit_record(
            organisation=actor.organisation,
            actor=actor.user,
            action="wfm.period.lock",
            target=locked,
            changes={"status": [PeriodStatus.PUBLISHED, PeriodStatus.LOCKED]},
        )
    period.status = PeriodStatus.LOCKED
    return period


# --- Wish-deadline reminders ------------------------------------------------------------------------


def _site_url(path: str) -> str:
    return getattr(settings, "ASPA_SITE_URL", "").rstrip("/") + path


def wish_reminders_send(*, organisation_id: int | None = None, now: dt.datetime | None = None) -> int:
    """Send the due reminders (once per period); returns how many people will be e-mailed."""
    now = now or timezone.now()
    due = PlanningPeriod.objects.filter(
        status=PeriodStatus.OPEN,
        wish_deadline__gt=now,
        wish_deadline__lte=now + REMIND_BEFORE,
        wish_reminder_sent_at__isnull=True,
    )
    if organisation_id is not None:
        due = due.filter(organisation_id=organisation_id)
    total = 0
    for period_id in list(due.values_list("pk", flat=True)):
        total += _remind_period(period_id, now)
    return total


def _remind_period(period_id: int, now: dt.datetime) -> int:
    with transaction.atomic():
        period = (
            PlanningPeriod.objects.select_for_update()
            .filter(pk=period_id, wish_reminder_sent_at__isnull=True)
            .select_related("team")
            .first()
        )
        if period is None:
            return 0
        answered = set(ShiftWish.objects.filter(period=period).values_list("membership_id", flat=True))
        answered |= set(Availability.objects.filter(period=period).values_list("membership_id", flat=True))
        emails = sorted(
            {
                email
                for pk, email in Membership.objects.filter(
                    organisation_id=period.organisation_id,
                    team_memberships__team=period.team,
                    is_active=True,
                    user__erased_at__isnull=True,
                ).values_list("pk", "user__email")
                if pk not in answered and email
            }
        )
        period.wish_reminder_sent_at = now
        period.save(update_fields=["wish_reminder_sent_at"])
        transaction.on_commit(lambda: _send_reminders(period_id=period.pk, emails=emails))
    return len(emails)


def _send_reminders(*, period_id: int, emails: list[str]) -> None:
    period = PlanningPeriod.objects.get(pk=period_id)
    assert period.wish_deadline is not None
    subject = _("Wishes for %(period)s are due soon") % {"period": period.name}
    body = _("You have not entered any wishes for %(period)s yet. Wishes are due %(deadline)s: %(url)s") % {
        "period": period.name,
        "deadline": date_format(timezone.localtime(period.wish_deadline), "SHORT_DATETIME_FORMAT"),
        "url": _site_url(reverse("wfm:period_wishes", kwargs={"period_id": period.pk})),
    }
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [email]) for email in emails]
    if messages:
        send_mass_mail(messages, fail_silently=True)


def _remind_summary(result: Any) -> str:
    if not isinstance(result, dict) or "reminded" not in result:
        return ""
    return _("Reminders sent to %(count)s people.") % {"count": result["reminded"]}


@job_kind(
    REMIND_JOB,
    label=gettext_lazy("Wish-deadline reminders"),
    capability=Capability.MANAGE_WFM,
    summarise=_remind_summary,
    startable=True,
)
def wish_reminders_job(ctx: JobContext) -> dict[str, Any]:
    """Send the organisation's due wish-deadline reminders."""
    return {"reminded": wish_reminders_send(organisation_id=ctx.organisation_id)}
