"""The open queue page at two history sizes: a year of history costs the same queries as a month, and
the chart ships only the last weeks of it (bench/pages.py measures the times)."""

from __future__ import annotations

import datetime as dt
import json
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aspa.core.roles import Role
from aspa.wfm.views import HISTORY_DAYS_SHOWN
from tests.wfm.factories import QueueFactory, forecast_with_intervals, history_rows

DAY = dt.date(2025, 6, 2)


def _chart(body: str, chart_id: str) -> dict:
    found = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', body, re.S)
    assert found, chart_id
    return json.loads(found.group(1))


def test_queue_page_is_flat_in_the_length_of_the_history(org, member_of, client_for):
    queue = QueueFactory(organisation=org, name="Puhelin")
    forecast_with_intervals(queue, day=DAY)
    client = client_for(member_of(Role.AGENT))
    url = reverse("wfm:queue", kwargs={"queue_id": queue.pk}) + f"?day={DAY.isoformat()}"
    client.get(url)  # the first request of a session writes it; not what is compared
    counts = []
    # A month up to the forecast, then ten more months before it: the page must not read those.
    for first, days in ((DAY - dt.timedelta(days=30), 30), (DAY - dt.timedelta(days=330), 300)):
        history_rows(queue, days=days, first=first)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(captured))
        history = _chart(response.content.decode(), "chart-volume")["data"][0]["x"]
        shown = [dt.date.fromisoformat(x[:10]) for x in history if x]
        assert shown and min(shown) >= DAY - dt.timedelta(days=HISTORY_DAYS_SHOWN)
    assert counts[0] == counts[1], counts
