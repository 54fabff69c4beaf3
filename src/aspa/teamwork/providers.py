"""Where goals, coaching agendas and the huddle board get their numbers: the voice and wfm selectors.

Teamwork reads other apps only through their public selectors (ARCHITECTURE: "an app may use another
app's selectors"), and all the wiring sits here so the registries in `metrics` and `hooks` keep one
owner. `register()` runs from TeamworkConfig.ready(), after every app is loaded.

Definitions (all over the PERIOD_DAYS days that end on the day asked for):
- NPS, CSAT, CES, FCR: survey answers attributed to the person (a personal goal), else to the team,
  else the whole organisation; n = answers.
- Forecast accuracy: 100 % − WAPE of the published forecasts of the team's queues (else all queues)
  against the contacts actually offered; n = intervals that have both.
- Service level: measured where the history has waiting times — contacts answered within the queue's
  target time / contacts offered (abandoned ones count as not answered in time), over the intervals
  that have them; else the share Erlang C expects for the contacts actually offered when answered by
  the agents the published forecast planned, labelled as an estimate; n = contacts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from aspa.core.roles import Capability
from aspa.core.tenancy import actor_can
from aspa.teamwork.hooks import agenda_part_register, huddle_panel_register
from aspa.teamwork.metrics import MetricReading, metric_provider_register
from aspa.voice import selectors as voice
from aspa.wfm import roster_selectors as rosters
from aspa.wfm import selectors as wfm

PERIOD_DAYS = 28
COMMENT_DAYS = 90
COMMENTS_SHOWN = 5
HUDDLE_COMMENT_DAYS = 7
HUDDLE_COMMENTS_SHOWN = 3

N_ANSWERS = gettext_lazy("answers")
N_INTERVALS = gettext_lazy("intervals")
N_CONTACTS = gettext_lazy("contacts")
N_CONTACTS_MEASURED = gettext_lazy(
    "contacts; measured: answered within the target time ÷ offered, abandoned count as not in time"
)
N_CONTACTS_ESTIMATED = gettext_lazy(
    "contacts; estimated by Erlang C from the forecast plan, as the history has no waiting times"
)


def _period(on: dt.date) -> tuple[dt.date, dt.date]:
    return on - dt.timedelta(days=PERIOD_DAYS - 1), on


def _reading(figure: Any, n_label: Any) -> MetricReading | None:
    if figure is None:
        return None
    value = Decimal(str(round(figure.value, 1)))
    return MetricReading(value=value, start=figure.start, end=figure.end, n=figure.n, n_label=n_label)


def _voice_metric(metric: str) -> Any:
    def provide(
        *, organisation_id: int, team_id: int | None, membership_id: int | None, on: dt.date
    ) -> MetricReading | None:
        start, end = _period(on)
        figure = voice.metric_value(
            organisation_id=organisation_id,
            metric=metric,
            team_id=team_id,
            agent_membership_id=membership_id,
            start=start,
            end=end,
        )
        return _reading(figure, N_ANSWERS)

    return provide


def forecast_accuracy(
    *, organisation_id: int, team_id: int | None, membership_id: int | None, on: dt.date
) -> MetricReading | None:
    start, end = _period(on)
    figure = wfm.forecast_accuracy(organisation_id=organisation_id, team_id=team_id, start=start, end=end)
    return _reading(figure, N_INTERVALS)


def service_level(
    *, organisation_id: int, team_id: int | None, membership_id: int | None, on: dt.date
) -> MetricReading | None:
    start, end = _period(on)
    figure = wfm.service_level(organisation_id=organisation_id, team_id=team_id, start=start, end=end)
    if figure is None:
        return None
    return _reading(figure, N_CONTACTS_MEASURED if figure.measured else N_CONTACTS_ESTIMATED)


# --- agenda parts and huddle panels -------------------------------------------------------------------


def _when(at: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(at), "SHORT_DATE_FORMAT")


def _quote(comment: Any) -> str:
    return _("“%(text)s” (%(date)s)") % {"text": comment.text, "date": _when(comment.answered_at)}


def customer_comments(*, actor: Any, person: Any) -> list[str] | None:
    """The newest comments attributed to the person, after their NPS over the period when there is one."""
    if not voice.is_member(actor):
        return None
    lines = []
    start, end = _period(timezone.localdate())
    nps = voice.metric_value(
        organisation_id=actor.organisation_id,
        metric="nps",
        agent_membership_id=person.pk,
        start=start,
        end=end,
    )
    if nps is not None:
        lines.append(
            ngettext(
                "NPS %(value)s over the last %(days)d days (%(n)d answer)",
                "NPS %(value)s over the last %(days)d days (%(n)d answers)",
                nps.n,
            )
            % {"value": formats.number_format(nps.value, 0), "days": PERIOD_DAYS, "n": nps.n}
        )
    since = timezone.now() - dt.timedelta(days=COMMENT_DAYS)
    comments = voice.recent_comments(actor=actor, agent=person, since=since, limit=COMMENTS_SHOWN)
    lines += [_quote(c) for c in comments]
    return lines or None


def roster_fairness(*, actor: Any, person: Any) -> list[str] | None:
    if not actor_can(actor, Capability.VIEW_WFM):
        return None
    fair = rosters.fairness_of(actor=actor, person=person)
    if fair is None:
        return None
    lines = [
        _("Roster %(period)s: %(granted)d of %(total)d wishes granted.")
        % {"period": fair.roster.period.name, "granted": fair.granted, "total": fair.granted + fair.denied}
    ]
    if fair.share_history is not None:
        lines.append(
            _("Wishes granted over time: %(share)d %% (team %(team)s %%).")
            % {
                "share": fair.share_history,
                "team": "—" if fair.team_share_history is None else fair.team_share_history,
            }
        )
    lines.append(
        _(
            "Nights %(nights)d (team average %(team_nights)s), weekends %(weekends)d (team average %(team_weekends)s)."
        )
        % {
            "nights": fair.nights,
            "team_nights": formats.number_format(fair.team_nights, 1),
            "weekends": fair.weekends,
            "team_weekends": formats.number_format(fair.team_weekends, 1),
        }
    )
    return lines


def forecast_today(*, actor: Any, team: Any, on: dt.date) -> list[str] | None:
    if not actor_can(actor, Capability.VIEW_WFM):
        return None
    lines = []
    for day in wfm.forecast_day(actor=actor, team=team, day=on):
        peak = timezone.localtime(day.peak_start).strftime("%H:%M") if day.peak_start else "—"
        lines.append(
            _(
                "%(queue)s: %(contacts)s contacts; busiest at %(time)s with %(peak)s contacts "
                "and %(agents)d agents scheduled."
            )
            % {
                "queue": day.queue.name,
                "contacts": formats.number_format(round(day.contacts), 0, force_grouping=True),
                "time": peak,
                "peak": formats.number_format(round(day.peak_contacts), 0),
                "agents": day.peak_agents,
            }
        )
    return lines or None


def service_level_yesterday(*, actor: Any, team: Any, on: dt.date) -> list[str] | None:
    if not actor_can(actor, Capability.VIEW_WFM):
        return None
    lines = []
    yesterday = on - dt.timedelta(days=1)
    figure = wfm.service_level(
        organisation_id=actor.organisation_id, team_id=team.pk, start=yesterday, end=yesterday
    )
    if figure is not None and figure.measured:
        lines.append(
            _(
                "Yesterday %(value)s %% answered within target (measured: %(hits)s of %(n)s contacts; "
                "abandoned count as not in time)."
            )
            % {
                "value": formats.number_format(figure.value, 0),
                "hits": formats.number_format(figure.answered_in_sl, 0),
                "n": formats.number_format(figure.n, 0),
            }
        )
    elif figure is not None:
        lines.append(
            _("Yesterday %(value)s %% answered within target (expected by Erlang C, %(n)s contacts).")
            % {"value": formats.number_format(figure.value, 0), "n": formats.number_format(figure.n, 0)}
        )
    for queue in wfm.queue_list(actor=actor).filter(teams=team):
        lines.append(
            _("Target for %(queue)s: %(percent)s %% within %(seconds)d s.")
            % {
                "queue": queue.name,
                "percent": formats.number_format(queue.service_level_percent, 0),
                "seconds": queue.service_level_seconds,
            }
        )
    return lines or None


def customers_said(*, actor: Any, team: Any, on: dt.date) -> list[str] | None:
    if not voice.is_member(actor):
        return None
    since = timezone.now() - dt.timedelta(days=HUDDLE_COMMENT_DAYS)
    comments = voice.recent_comments(actor=actor, team=team, since=since, limit=HUDDLE_COMMENTS_SHOWN)
    return [_quote(c) for c in comments] or None


def register() -> None:
    for metric in ("nps", "csat", "ces", "fcr"):
        metric_provider_register(metric, _voice_metric(metric))
    metric_provider_register("forecast_accuracy", forecast_accuracy)
    metric_provider_register("service_level", service_level)
    agenda_part_register(
        key="voice.comments",
        title=gettext_lazy("Recent customer comments about their work"),
        order=30,
        provide=customer_comments,
        placeholder=gettext_lazy("No customer comments about their work in the last three months."),
    )
    agenda_part_register(
        key="wfm.fairness",
        title=gettext_lazy("Roster fairness"),
        order=40,
        provide=roster_fairness,
        placeholder=gettext_lazy("No published roster includes them yet."),
    )
    huddle_panel_register(
        key="wfm.forecast",
        title=gettext_lazy("Today's forecast"),
        order=10,
        provide=forecast_today,
        placeholder=gettext_lazy("No published forecast for the team's queues today."),
    )
    huddle_panel_register(
        key="wfm.service_level",
        title=gettext_lazy("Service level"),
        order=20,
        provide=service_level_yesterday,
        placeholder=gettext_lazy("The team has no queues with a service level target yet."),
    )
    huddle_panel_register(
        key="voice.yesterday",
        title=gettext_lazy("What customers said"),
        order=30,
        provide=customers_said,
        placeholder=gettext_lazy("No customer comments for the team in the last week."),
    )
