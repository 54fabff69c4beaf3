"""The forecast chart's prediction band: one filled outline per open stretch, nothing across a closed night."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from aspa.wfm.charts import forecast_figure
from tests.wfm.factories import HELSINKI


def _intervals(day: dt.date, hours: range, value: float) -> list[SimpleNamespace]:
    return [
        SimpleNamespace(
            start=dt.datetime.combine(day, dt.time(h), tzinfo=HELSINKI),
            lower=value - 2,
            upper=value + 2,
            adjusted=value,
        )
        for h in hours
    ]


def test_band_is_filled_per_open_stretch_and_never_across_the_night():
    intervals = _intervals(dt.date(2025, 6, 2), range(8, 11), 10) + _intervals(
        dt.date(2025, 6, 3), range(8, 10), 20
    )
    figure = forecast_figure(history=[], intervals=intervals, interval_minutes=60, level=0.8)
    bands = [trace for trace in figure["data"] if trace.get("fill")]
    assert len(bands) == 1 and bands[0]["fill"] == "toself"
    band = bands[0]
    cut = band["x"].index(None)
    assert band["y"][cut] is None and None not in band["x"][cut + 1 :]
    first_x, second_x = band["x"][:cut], band["x"][cut + 1 :]
    # Each stretch stays on its own day: upper edge forward, lower edge back.
    assert {x[:10] for x in first_x} == {"2025-06-02"} and {x[:10] for x in second_x} == {"2025-06-03"}
    hours = ["2025-06-02 08:00", "2025-06-02 09:00", "2025-06-02 10:00"]
    assert first_x == [*hours, *reversed(hours)]
    assert band["y"][:cut] == [12, 12, 12, 8, 8, 8] and band["y"][cut + 1 :] == [22, 22, 18, 18]
    # The forecast line itself still has its gap.
    line = next(trace for trace in figure["data"] if trace["x"] and trace.get("line", {}).get("width") == 2)
    assert None in line["x"]


def test_day_ticks_carry_no_time_and_times_appear_only_when_zoomed_in():
    # A fixed "%-d.%-m.\n%H:%M" wrote "00:00" under the first day, cut off on a phone.
    figure = forecast_figure(
        history=[], intervals=_intervals(dt.date(2025, 6, 2), range(8, 10), 5), interval_minutes=60, level=0.8
    )
    stops = {tuple(s["dtickrange"]): s["value"] for s in figure["layout"]["xaxis"]["tickformatstops"]}
    day = 86_400_000
    assert stops[(day, None)] == "%-d.%-m." and "%H:%M" in stops[(None, day)]
    assert "tickformat" not in figure["layout"]["xaxis"]
