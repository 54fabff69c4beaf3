"""Plotly figures as plain dicts, built on the server in the reader's language.

The page embeds them with `json_script` and `wfm/charts.js` draws them with Plotly.newPlot, so no
inline script is needed. Times are local (Europe/Helsinki) wall-clock strings; a gap longer than one
interval (a closed night) gets a None point so that lines do not bridge it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

COLOURS = {
    "history": "#3d4451",
    "forecast": "#0b6e4f",
    "band": "rgba(11, 110, 79, 0.18)",
    "required": "#1d4ed8",
    "scheduled": "#b45309",
    "roster": "#7e22ce",
    "target": "#b91c1c",
}


DAY_MS = 86_400_000


def _local(ts: dt.datetime) -> str:
    return ts.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%d %H:%M")


def _with_gaps(
    starts: Sequence[dt.datetime], values: Sequence[Sequence[float | None]], step: dt.timedelta
) -> tuple[list[str | None], list[list[float | None]]]:
    xs: list[str | None] = []
    ys: list[list[float | None]] = [[] for _ in values]
    previous: dt.datetime | None = None
    for i, ts in enumerate(starts):
        if previous is not None and ts - previous > step:
            xs.append(None)
            for column in ys:
                column.append(None)
        xs.append(_local(ts))
        for column, series in zip(ys, values, strict=True):
            v = series[i]
            column.append(None if v is None else round(float(v), 2))
        previous = ts
    return xs, ys


def _band_outline(
    xs: Sequence[str | None], lower: Sequence[float | None], upper: Sequence[float | None]
) -> tuple[list[str | None], list[float | None]]:
    """The band as one closed outline per open stretch (upper edge forward, lower edge back), the
    stretches separated by None.

    Filling "tonexty" between a lower and an upper line ignores their gaps and paints wedges across
    every closed night; "toself" closes and fills each stretch on its own."""
    bx: list[str | None] = []
    by: list[float | None] = []
    stretch: list[int] = []
    for i in [*range(len(xs)), len(xs)]:
        if i < len(xs) and xs[i] is not None:
            stretch.append(i)
            continue
        if stretch:
            if bx:
                bx.append(None)
                by.append(None)
            bx += [xs[j] for j in stretch] + [xs[j] for j in reversed(stretch)]
            by += [upper[j] for j in stretch] + [lower[j] for j in reversed(stretch)]
            stretch = []
    return bx, by


def _layout(*, title: str, y_title: str) -> dict[str, Any]:
    finnish = translation.get_language() == "fi"
    return {
        "title": {"text": title, "font": {"size": 16}},
        "separators": ",\u00a0" if finnish else ".,",
        "margin": {"l": 48, "r": 12, "t": 48, "b": 40},
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "x unified",
        # Days when a tick is a day or more apart, times only when zoomed in: one fixed "%-d.%-m.\n%H:%M"
        # wrote a stray "00:00" under the first day, cut off on a phone.
        "xaxis": {
            "type": "date",
            "tickformatstops": [
                {"dtickrange": [None, DAY_MS], "value": "%H:%M\n%-d.%-m."},
                {"dtickrange": [DAY_MS, None], "value": "%-d.%-m."},
            ],
            "hoverformat": "%-d.%-m.%Y %H:%M",
            "automargin": True,
        },
        "yaxis": {"title": {"text": y_title}, "rangemode": "tozero"},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }


def forecast_figure(
    *,
    history: Sequence[tuple[dt.datetime, int]],
    intervals: Sequence[Any],
    interval_minutes: int,
    level: float,
) -> dict[str, Any]:
    """History (actual offered) against the forecast and its prediction band."""
    step = dt.timedelta(minutes=interval_minutes)
    hx, (hy,) = _with_gaps([h[0] for h in history], [[h[1] for h in history]], step)
    fx, (lower, upper, point) = _with_gaps(
        [r.start for r in intervals],
        [[r.lower for r in intervals], [r.upper for r in intervals], [r.adjusted for r in intervals]],
        step,
    )
    band = _("%(level)s %% prediction interval") % {"level": round(level * 100)}
    bx, by = _band_outline(fx, lower, upper)
    data = [
        {"type": "scatter", "mode": "lines", "name": _("Actual contacts"), "x": hx, "y": hy,
         "line": {"color": COLOURS["history"], "width": 1.5}},
        {"type": "scatter", "mode": "lines", "name": band, "x": bx, "y": by, "fill": "toself",
         "fillcolor": COLOURS["band"], "line": {"width": 0}, "hoverinfo": "skip"},
        {"type": "scatter", "mode": "lines", "name": _("Forecast"), "x": fx, "y": point,
         "line": {"color": COLOURS["forecast"], "width": 2}},
    ]  # fmt: skip
    return {"data": data, "layout": _layout(title=_("Contacts per interval"), y_title=_("Contacts"))}


def staffing_figure(
    *, intervals: Sequence[Any], interval_minutes: int, on_roster: Sequence[int | None] | None = None
) -> dict[str, Any]:
    """Required (answering) agents and agents to schedule after shrinkage, per interval; with
    `on_roster`, also the agents the published rosters put on the queue (None: no roster yet)."""
    step = dt.timedelta(minutes=interval_minutes)
    x, (required, scheduled) = _with_gaps(
        [r.start for r in intervals],
        [[r.required_agents for r in intervals], [r.scheduled_agents for r in intervals]],
        step,
    )
    data = [
        {"type": "scatter", "mode": "lines", "line": {"shape": "hv", "color": COLOURS["required"], "width": 2},
         "name": _("Required agents"), "x": x, "y": required},
        {"type": "scatter", "mode": "lines", "line": {"shape": "hv", "color": COLOURS["scheduled"], "width": 2,
         "dash": "dot"}, "name": _("Agents to schedule (with shrinkage)"), "x": x, "y": scheduled},
    ]  # fmt: skip
    if on_roster is not None:
        _x, (rostered,) = _with_gaps([r.start for r in intervals], [list(on_roster)], step)
        data.append(
            {"type": "scatter", "mode": "lines", "line": {"shape": "hv", "color": COLOURS["roster"], "width": 2,
             "dash": "dash"}, "name": _("Scheduled on the roster"), "x": x, "y": rostered}
        )  # fmt: skip
    return {"data": data, "layout": _layout(title=_("Agents needed per interval"), y_title=_("Agents"))}


def service_level_figure(
    *, rows: Sequence[Any], interval_minutes: int, target_percent: float
) -> dict[str, Any]:
    """Expected service level (%) per interval with the rostered agents, against the target."""
    step = dt.timedelta(minutes=interval_minutes)
    x, (expected, target) = _with_gaps(
        [r.start for r in rows],
        # No point on days without a published roster: a line at 0 % there read as a missed target.
        [
            [r.service_level * 100 if r.rostered else None for r in rows],
            [target_percent if r.rostered else None for r in rows],
        ],
        step,
    )
    data = [
        {"type": "scatter", "mode": "lines", "line": {"shape": "hv", "color": COLOURS["roster"], "width": 2},
         "name": _("Expected service level"), "x": x, "y": expected},
        {"type": "scatter", "mode": "lines", "line": {"color": COLOURS["target"], "width": 1.5, "dash": "dot"},
         "name": _("Target"), "x": x, "y": target},
    ]  # fmt: skip
    layout = _layout(title=_("Expected service level with the roster"), y_title=_("Service level (%)"))
    layout["yaxis"]["range"] = [0, 100]
    return {"data": data, "layout": layout}
