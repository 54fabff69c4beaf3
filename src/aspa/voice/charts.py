"""Plotly figures of the voice dashboard as plain dicts (drawn by wfm's charts.js from json_script)."""

from __future__ import annotations

from typing import Any

import plotly
from django.utils import translation
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


def trend_figure(trend: cx.Trend, metric: str) -> dict[str, Any]:
    """The monthly estimate as a line with its confidence interval as error bars."""
    xs = [p.period for p in trend.points]
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
        "layout": _layout(_("%(metric)s by month, with 95 %% intervals") % {"metric": name}, name),
    }


def themes_figure(themes: list[Any]) -> dict[str, Any]:
    """Texts per theme per week (last weeks), one line per theme."""
    weeks = len(themes[0].weekly) if themes else 0
    xs = [_("week %(n)s") % {"n": i - weeks + 1} if i < weeks - 1 else _("this week") for i in range(weeks)]
    return {
        "data": [
            {"type": "scatter", "mode": "lines", "x": xs, "y": t.weekly, "name": t.theme.label}
            for t in themes[:6]
        ],
        "layout": _layout(_("Themes per week"), _("texts")),
    }
