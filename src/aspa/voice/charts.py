"""Plotly figures of the voice dashboard as plain dicts (drawn by wfm's charts.js from json_script)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import plotly
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from aspa.engine import cx

PLOTLY_VERSION = plotly.__version__
COLOUR = "#0b6e4f"
BAND = "rgba(11, 110, 79, 0.18)"


def _layout(title: str, y_title: str) -> dict[str, Any]:
    finnish = translation.get_language() == "fi"
    return {
        "title": {"text": title, "font": {"size": 16}},
        "separators": ",\u00a0" if finnish else ".,",
        "margin": {"l": 48, "r": 12, "t": 48, "b": 40},
        "legend": {"orientation": "h", "y": -0.18},
        "yaxis": {"title": {"text": y_title}},
    }


def _scaled(metric: str, value: float) -> float:
    return round(value * 100.0 if metric == "csat" else value, 2)


def month_label(period: str) -> str:
    """ "2026-06" as the reader's language writes a month ("kesäkuu 2026", "June 2026"); any other
    period key is shown as it is."""
    try:
        year, month = (int(part) for part in period.split("-"))
        return formats.date_format(dt.date(year, month, 1), "YEAR_MONTH_FORMAT")
    except ValueError:
        return period


def trend_rows(trend: cx.Trend, metric: str) -> list[dict[str, Any]]:
    """The trend's table rows: the month in words, the value and its interval on the page's scale (CSAT
    in per cent), the number of answers."""
    return [
        {
            "month": month_label(p.period),
            "value": _scaled(metric, p.estimate.value),
            "low": _scaled(metric, p.estimate.interval.low),
            "high": _scaled(metric, p.estimate.interval.high),
            "n": p.estimate.n,
            "small_sample": p.estimate.small_sample,
        }
        for p in trend.points
    ]


def trend_figure(trend: cx.Trend, metric: str) -> dict[str, Any]:
    """The monthly estimate as a line with its confidence interval as error bars.

    The months are category labels written on the server: left as "2026-06", Plotly would read them as
    dates and write English month names ("Jun 2026") on a Finnish page."""
    xs = [month_label(p.period) for p in trend.points]
    ys = [_scaled(metric, p.estimate.value) for p in trend.points]
    plus = [_scaled(metric, p.estimate.interval.high) - y for p, y in zip(trend.points, ys, strict=True)]
    minus = [y - _scaled(metric, p.estimate.interval.low) for p, y in zip(trend.points, ys, strict=True)]
    name = metric.upper()
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "x": xs,
                "y": ys,
                "name": name,
                "line": {"color": COLOUR},
                "error_y": {
                    "type": "data",
                    "symmetric": False,
                    "array": plus,
                    "arrayminus": minus,
                    "color": COLOUR,
                },
            }
        ],
        "layout": {
            **_layout(_("%(metric)s by month, with 95 %% intervals") % {"metric": name}, name),
            "xaxis": {"type": "category"},
        },
    }


def themes_figure(themes: list[Any]) -> dict[str, Any]:
    """Texts per theme per week (last weeks), one line per theme.

    The weeks are the selector's seven-day windows ending now, labelled by their first day ("6.10."):
    short enough for a phone, where "week -7" … "this week" was rotated and cut off."""
    weeks = len(themes[0].weekly) if themes else 0
    now = timezone.now()
    xs = [
        formats.date_format(timezone.localdate(now - dt.timedelta(weeks=weeks - i)), "j.n.")
        for i in range(weeks)
    ]
    return {
        "data": [
            {"type": "scatter", "mode": "lines", "x": xs, "y": t.weekly, "name": t.theme.label}
            for t in themes[:6]
        ],
        # automargin: the last label ("this week") was cut in half at the right edge; counts start at zero.
        "layout": {
            **_layout(_("Themes per week"), _("texts")),
            "xaxis": {"type": "category", "automargin": True},
            "yaxis": {"title": {"text": _("texts")}, "rangemode": "tozero"},
        },
    }
