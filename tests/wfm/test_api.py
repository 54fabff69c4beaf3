"""The JSON API: history import (CSV body or file), the published forecast, roles and isolation."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from aspa.core.roles import Role
from aspa.wfm.models import ContactInterval
from tests.wfm.factories import QueueFactory, forecast_with_intervals

CSV = "Alkuaika;Tarjotut\n3.2.2025 8.00;4\n3.2.2025 9.00;6\n"


def _url(queue):
    return reverse("api:wfm_history_import", kwargs={"queue_id": queue.pk})


def test_planner_posts_csv_body(org, member_of, client_for):
    queue = QueueFactory(organisation=org)
    response = client_for(member_of(Role.PLANNER)).post(_url(queue), CSV, content_type="text/csv")
    assert response.status_code == 200, response.content
    assert response.json()["intervals"] == 2
    assert ContactInterval.objects.count() == 2


def test_bad_file_is_422_with_lines_and_nothing_written(org, member_of, client_for):
    queue = QueueFactory(organisation=org)
    response = client_for(member_of(Role.PLANNER)).post(
        _url(queue), "start;offered\nhuomenna;4\n", content_type="text/csv"
    )
    assert response.status_code == 422
    assert "2" in response.json()["detail"]
    assert ContactInterval.objects.count() == 0


def test_agent_gets_403_and_outsider_404(org, other_org, member_of, client_for):
    queue = QueueFactory(organisation=org)
    assert (
        client_for(member_of(Role.AGENT)).post(_url(queue), CSV, content_type="text/csv").status_code == 403
    )
    outsider = member_of(Role.ADMIN, organisation=other_org)
    assert client_for(outsider).post(_url(queue), CSV, content_type="text/csv").status_code == 404
    assert Client().post(_url(queue), CSV, content_type="text/csv").status_code == 401
    assert ContactInterval.objects.count() == 0


def test_agent_reads_published_forecast(org, member_of, client_for):
    queue = QueueFactory(organisation=org)
    forecast_with_intervals(queue)
    response = client_for(member_of(Role.AGENT)).get(
        reverse("api:wfm_forecast_published", kwargs={"queue_id": queue.pk})
    )
    assert response.status_code == 200
    body = response.json()
    assert len(body["intervals"]) == 10 and body["intervals"][0]["required_agents"] == 3


def test_json_body_is_415_not_read_as_csv(org, member_of, client_for):
    queue = QueueFactory(organisation=org)
    response = client_for(member_of(Role.PLANNER)).post(
        _url(queue), {"start": "2025-02-03T08:00:00+02:00", "offered": 4}, content_type="application/json"
    )
    assert response.status_code == 415
    assert response.json()["code"] == "error" and "application/json" in response.json()["detail"]
    assert ContactInterval.objects.count() == 0


def test_refused_file_lists_each_line_under_file(org, member_of, client_for):
    queue = QueueFactory(organisation=org)
    planner = member_of(Role.PLANNER)
    planner.user.language = "en"
    planner.user.save()
    response = client_for(planner).post(
        _url(queue),
        "Alkuaika;Tarjotut\n3.2.2025 8.00;4\n32.2.2025 9.00;6\n3.2.2025 10.00;-1\n",
        content_type="text/csv",
    )
    assert response.status_code == 422
    problems = response.json()["errors"]["file"]
    assert [p.split(":")[0] for p in problems] == ["Line 3", "Line 4"]
    assert ContactInterval.objects.count() == 0


def test_same_file_twice_does_not_double_the_history(org, member_of, client_for):
    queue = QueueFactory(organisation=org)
    client = client_for(member_of(Role.PLANNER))
    first = client.post(_url(queue), CSV, content_type="text/csv").json()
    again = client.post(_url(queue), CSV, content_type="text/csv").json()
    assert (first["created"], first["updated"]) == (2, 0)
    assert (again["created"], again["updated"]) == (0, 2)
    assert sorted(ContactInterval.objects.values_list("offered", flat=True)) == [4, 6]


def test_queue_list_is_paginated_by_name_and_only_own(org, other_org, member_of, client_for):
    for name in ("Chat", "Puhelin", "Sähköposti"):
        QueueFactory(organisation=org, name=name)
    QueueFactory(organisation=other_org, name="Beetan jono")
    client = client_for(member_of(Role.AGENT))
    url = reverse("api:wfm_queue_list")
    first = client.get(url, {"page_size": 2}).json()
    assert first["count"] == 3 and [q["name"] for q in first["items"]] == ["Chat", "Puhelin"]
    second = client.get(first["next"]).json()
    assert [q["name"] for q in second["items"]] == ["Sähköposti"] and second["next"] is None
    assert client.get(url, {"page_size": 1000}).json()["page_size"] == 100
    assert client.get(url, {"page": 0}).status_code == 422


def test_forecast_window_by_offset_times(org, member_of, client_for):
    queue = QueueFactory(organisation=org)
    forecast_with_intervals(queue)  # hourly 8-18 Helsinki time on 2.6.2025
    client = client_for(member_of(Role.AGENT))
    url = reverse("api:wfm_forecast_published", kwargs={"queue_id": queue.pk})
    # 10:00-12:00 Helsinki (+03:00 in June) is 07:00-09:00 UTC: two intervals.
    body = client.get(url, {"since": "2025-06-02T07:00:00Z", "until": "2025-06-02T12:00:00+03:00"}).json()
    assert [i["start"] for i in body["intervals"]] == ["2025-06-02T07:00:00Z", "2025-06-02T08:00:00Z"]
    naive = client.get(url, {"since": "2025-06-02T10:00:00"})
    assert naive.status_code == 422 and "since" in naive.json()["errors"]
    backwards = client.get(url, {"since": "2025-06-02T12:00:00Z", "until": "2025-06-02T10:00:00Z"})
    assert backwards.status_code == 422 and "until" in backwards.json()["errors"]
    assert len(client.get(url).json()["intervals"]) == 10
