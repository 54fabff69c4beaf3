"""Pages of workforce planning: the open queue view, review, adjust, publish, export."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from aspa.core.roles import Role
from aspa.wfm.models import ForecastAdjustment, ForecastStatus, forecast_model_label
from tests.wfm.factories import QueueFactory, forecast_with_intervals


@pytest.fixture
def queue(org):
    return QueueFactory(organisation=org, name="Puhelin")


def test_agent_sees_published_forecast_with_charts_and_table(queue, member_of, client_for):
    forecast = forecast_with_intervals(queue)
    response = client_for(member_of(Role.AGENT)).get(
        reverse("wfm:queue", kwargs={"queue_id": queue.pk}) + "?day=2025-06-02"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-chart="chart-volume"' in body and 'id="chart-volume"' in body
    assert '<caption id="wfm-day-caption">' in body and "08:00" in body
    assert reverse("wfm:forecast_csv", kwargs={"forecast_id": forecast.pk}) in body
    assert reverse("wfm:plotly_js") in body


def test_agent_does_not_see_drafts(queue, member_of, client_for):
    draft = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    client = client_for(member_of(Role.AGENT))
    assert client.get(reverse("wfm:forecast", kwargs={"forecast_id": draft.pk})).status_code == 404
    planner = client_for(member_of(Role.PLANNER))
    assert planner.get(reverse("wfm:forecast", kwargs={"forecast_id": draft.pk})).status_code == 200


def test_csv_export_is_finnish(queue, member_of, client_for):
    forecast = forecast_with_intervals(queue)
    response = client_for(member_of(Role.AGENT)).get(
        reverse("wfm:forecast_csv", kwargs={"forecast_id": forecast.pk})
    )
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert len(lines) == 11
    assert lines[1].startswith("2025-06-02 08:00;20,00;15,00;26,00;20,00;3;5")


def test_adjust_with_errors_rerenders_with_400_and_writes_nothing(queue, member_of, client_for):
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    client = client_for(member_of(Role.PLANNER))
    url = reverse("wfm:forecast_adjust", kwargs={"forecast_id": forecast.pk})
    response = client.post(url, {"first_day": "2025-06-02", "percent": "10", "reason": ""})
    assert response.status_code == 400
    assert ForecastAdjustment.objects.count() == 0
    response = client.post(url, {"first_day": "2025-06-02", "percent": "10", "reason": "Kampanja"})
    assert response.status_code == 302
    forecast.refresh_from_db()
    assert {round(r.adjusted, 1) for r in forecast.intervals.all()} == {22.0}


def test_publish_then_agent_sees_it(queue, member_of, client_for):
    old = forecast_with_intervals(queue)
    draft = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    planner = client_for(member_of(Role.PLANNER))
    response = planner.post(reverse("wfm:forecast_publish", kwargs={"forecast_id": draft.pk}))
    assert response.status_code == 302
    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.status, draft.status) == (ForecastStatus.SUPERSEDED, ForecastStatus.PUBLISHED)
    agent = client_for(member_of(Role.AGENT))
    body = agent.get(reverse("wfm:queue", kwargs={"queue_id": queue.pk})).content.decode()
    assert reverse("wfm:forecast", kwargs={"forecast_id": draft.pk}) in body


def test_queue_create_form_errors_keep_input(member_of, client_for, org):
    client = client_for(member_of(Role.PLANNER))
    response = client.post(
        reverse("wfm:queue_create"),
        {"name": "Chat", "channel": "chat", "interval_minutes": "15", "service_level_percent": "80",
         "service_level_seconds": "20", "aht_seconds": "300", "shrinkage_percent": "30", "hours_0": "18-8"},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'value="Chat"' in response.content.decode()


def test_plotly_is_served_locally():
    from django.test import Client

    response = Client().get(reverse("wfm:plotly_js"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert b"plotly" in response.content[:2000].lower()


def test_adjust_form_prefills_the_shown_day_in_the_format_a_date_input_accepts(queue, member_of, client_for):
    # A Finnish-formatted value ("2.6.2025") in <input type=date> is dropped by the browser: the field looked empty.
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    response = client_for(member_of(Role.PLANNER)).get(
        reverse("wfm:forecast", kwargs={"forecast_id": forecast.pk}) + "?day=2025-06-02"
    )
    assert response.status_code == 200
    assert response["Content-Language"] == "fi"
    assert 'type="date" name="first_day" value="2025-06-02"' in response.content.decode()


def test_model_and_backtest_error_are_shown_in_words_and_per_cent(queue, member_of, client_for):
    # "dow_tod_mean_8w" and "WAPE 0,317" meant nothing to an agent or a planner.
    forecast = forecast_with_intervals(queue)
    forecast.model_name, forecast.backtest_wape, forecast.backtest_mase = "dow_tod_mean_8w", 0.3174, 0.859
    forecast.save()
    client = client_for(member_of(Role.AGENT))
    with translation.override("en"):
        label = forecast.model_label
    assert label == "Mean of the same weekday and time over the last 8 weeks"
    pages = [
        reverse("wfm:queue", kwargs={"queue_id": queue.pk}),
        reverse("wfm:forecast", kwargs={"forecast_id": forecast.pk}),
        reverse("wfm:forecasts", kwargs={"queue_id": queue.pk}),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "31,7 %" in body or "31.7 %" in body, url
        assert "0,317" not in body and "0.317" not in body, url
    detail = client.get(pages[1])
    with translation.override(detail["Content-Language"]):
        assert f"<dd>{forecast.model_label}" in detail.content.decode()
    assert forecast_model_label("arima_x") == "arima_x"
    with translation.override("en"):
        assert forecast_model_label("mean(snaive_week, dow_tod_mean_4w)") == (
            "Average of 2 models: same weekday and time a week earlier; "
            "mean of the same weekday and time over the last 4 weeks"
        )


def test_planner_removes_an_adjustment_from_the_forecast_page(queue, member_of, client_for):
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    client = client_for(member_of(Role.PLANNER))
    client.post(
        reverse("wfm:forecast_adjust", kwargs={"forecast_id": forecast.pk}),
        {"first_day": "2025-06-02", "percent": "150", "reason": "Näppäilyvirhe"},
    )
    adjustment = ForecastAdjustment.objects.get()
    remove = reverse(
        "wfm:forecast_adjustment_remove", kwargs={"forecast_id": forecast.pk, "adjustment_id": adjustment.pk}
    )
    page = client.get(reverse("wfm:forecast", kwargs={"forecast_id": forecast.pk})).content.decode()
    assert f'action="{remove}"' in page and "data-confirm=" in page
    assert client_for(member_of(Role.AGENT)).post(remove).status_code == 403
    assert ForecastAdjustment.objects.exists()
    response = client.post(remove)
    assert response.status_code == 302 and not ForecastAdjustment.objects.exists()
    assert set(forecast.intervals.values_list("adjusted", flat=True)) == {20.0}


def test_adjustment_column_is_headed_by_a_noun_in_finnish(queue, member_of, client_for):
    # The header used the msgid "Change", shared with the language button: Finnish read "Vaihda" (switch!).
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    client = client_for(member_of(Role.PLANNER))
    client.post(
        reverse("wfm:forecast_adjust", kwargs={"forecast_id": forecast.pk}),
        {"first_day": "2025-06-02", "percent": "10", "reason": "Kampanja"},
    )
    body = client.get(reverse("wfm:forecast", kwargs={"forecast_id": forecast.pk})).content.decode()
    with translation.override("fi"):
        header = translation.gettext("Change (%)")
    assert f'<th scope="col" class="num">{header}</th>' in body
    assert ">Vaihda</th>" not in body


def test_adjustment_percent_takes_a_decimal_comma(queue, member_of, client_for):
    # A Finnish planner types "12,5"; the number field answered "Syötä luku" (enter a number).
    forecast = forecast_with_intervals(queue, status=ForecastStatus.DRAFT)
    response = client_for(member_of(Role.PLANNER)).post(
        reverse("wfm:forecast_adjust", kwargs={"forecast_id": forecast.pk}),
        {"first_day": "2025-06-02", "percent": "12,5", "reason": "Kampanja"},
    )
    assert response.status_code == 302
    assert ForecastAdjustment.objects.get().percent == 12.5
    assert {round(r.adjusted, 2) for r in forecast.intervals.all()} == {22.5}


def test_forecast_page_title_has_its_period_and_the_day_table_can_be_scrolled_by_keyboard(
    queue, member_of, client_for
):
    forecast = forecast_with_intervals(queue)
    body = (
        client_for(member_of(Role.AGENT))
        .get(reverse("wfm:forecast", kwargs={"forecast_id": forecast.pk}) + "?day=2025-06-02")
        .content.decode()
    )
    title = body.split("<title>")[1].split("</title>")[0]
    assert "2.6." in title and "2025" in title  # every forecast of a queue had the same tab title
    assert 'tabindex="0" role="region" aria-labelledby="wfm-day-caption"' in body
    assert '<caption id="wfm-day-caption">' in body


def test_interval_length_cannot_change_once_the_queue_has_history(queue, member_of):
    from django.core.exceptions import ValidationError

    from aspa.wfm import services
    from tests.wfm.factories import history_rows

    planner = member_of(Role.PLANNER)
    old = queue.interval_minutes
    new = 30 if old != 30 else 15
    services.queue_update(actor=planner, queue=queue, name="Uusi nimi")  # other settings may change
    history_rows(queue, days=1)
    with pytest.raises(ValidationError) as refused:
        services.queue_update(actor=planner, queue=queue, interval_minutes=new)
    assert "interval_minutes" in refused.value.message_dict
    queue.refresh_from_db()
    assert queue.interval_minutes == old and queue.name == "Uusi nimi"


def test_queue_page_warns_when_history_falls_outside_the_opening_hours(queue, member_of, client_for):
    from tests.wfm.factories import history_rows

    history_rows(queue, days=14)  # weekdays 8-18, the queue's opening hours: nothing to say
    url = reverse("wfm:queue", kwargs={"queue_id": queue.pk})
    agent = client_for(member_of(Role.AGENT))
    assert 'role="note"' not in agent.get(url).content.decode()

    queue.opening_hours = {str(d): [["08:00", "16:00"]] for d in range(5)}  # set two hours too short
    queue.save()
    body = agent.get(url).content.decode()
    planner_body = client_for(member_of(Role.PLANNER)).get(url).content.decode()
    # 2 of 10 hours a day, hours 16 and 17: (20+1)+(20+2) per day plus 5 each on Mondays.
    assert 'role="note"' in body and 'role="note"' in planner_body
    assert reverse("wfm:queue_edit", kwargs={"queue_id": queue.pk}) in planner_body
    from aspa.wfm.selectors import history_outside_hours

    found = history_outside_hours(actor=member_of(Role.AGENT), queue=queue)
    assert (found.contacts, found.total) == (8 * 43 + 2 * 53, 8 * 211 + 2 * 261)
    assert f"{found.percent:.1f}".replace(".", ",") in body  # 20,4 on the Finnish page
