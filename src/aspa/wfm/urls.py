from django.urls import path

from aspa.wfm import roster_setup_views, roster_views, views

app_name = "wfm"

urlpatterns = [
    path("", views.queues, name="queues"),
    path("queues/new/", views.queue_create, name="queue_create"),
    path("queues/<int:queue_id>/", views.queue_detail, name="queue"),
    path("queues/<int:queue_id>/edit/", views.queue_edit, name="queue_edit"),
    path("queues/<int:queue_id>/import/", views.history_upload, name="history_upload"),
    path("queues/<int:queue_id>/forecasts/", views.forecasts, name="forecasts"),
    path("uploads/<int:upload_id>/", views.history_preview, name="history_preview"),
    path("uploads/<int:upload_id>/cancel/", views.history_cancel, name="history_cancel"),
    path("forecasts/<int:forecast_id>/", views.forecast_detail, name="forecast"),
    path("forecasts/<int:forecast_id>/adjust/", views.forecast_adjust, name="forecast_adjust"),
    path("forecasts/<int:forecast_id>/publish/", views.forecast_publish, name="forecast_publish"),
    path(
        "forecasts/<int:forecast_id>/adjustments/<int:adjustment_id>/remove/",
        views.forecast_adjustment_remove,
        name="forecast_adjustment_remove",
    ),
    path("forecasts/<int:forecast_id>/export.csv", views.forecast_csv, name="forecast_csv"),
    path("vendor/plotly.min.js", views.plotly_js, name="plotly_js"),
    path("rosters/", roster_views.periods, name="periods"),
    path("rosters/<int:period_id>/", roster_views.period_detail, name="period"),
    path("rosters/<int:period_id>/wishes/", roster_views.period_wishes, name="period_wishes"),
    path("rosters/<int:period_id>/solve/", roster_views.period_solve, name="period_solve"),
    path("rosters/<int:period_id>/lock/", roster_views.period_lock, name="period_lock"),
    path("wishes/<int:wish_id>/delete/", roster_views.wish_delete, name="wish_delete"),
    path(
        "unavailable/<int:availability_id>/delete/",
        roster_views.unavailable_delete,
        name="unavailable_delete",
    ),
    path("roster/<int:roster_id>/", roster_views.roster_detail, name="roster"),
    path("roster/<int:roster_id>/publish/", roster_views.roster_publish, name="roster_publish"),
    path("roster/<int:roster_id>/export.csv", roster_views.roster_csv, name="roster_csv"),
    path("roster/<int:roster_id>/export.xlsx", roster_views.roster_xlsx, name="roster_xlsx"),
    path("shifts/", roster_views.my_shifts, name="my_shifts"),
    path("shifts/<int:shift_id>/pin/", roster_views.shift_pin, name="shift_pin"),
    path("shifts/<int:shift_id>/offer/", roster_views.swap_offer, name="swap_offer"),
    path("calendar/<str:token>.ics", roster_views.calendar_feed, name="calendar_feed"),
    path("swaps/", roster_views.swaps, name="swaps"),
    path("swaps/<int:swap_id>/", roster_views.swap_detail, name="swap"),
    path("swaps/<int:swap_id>/decide/", roster_views.swap_decide, name="swap_decide"),
    path("swaps/<int:swap_id>/cancel/", roster_views.swap_cancel, name="swap_cancel"),
    path("rosters/teams/<int:team_id>/setup/", roster_setup_views.roster_setup, name="roster_setup"),
    path(
        "rosters/teams/<int:team_id>/shift-types/<int:shift_type_id>/",
        roster_setup_views.shift_type_edit,
        name="shift_type_edit",
    ),
    path(
        "rosters/teams/<int:team_id>/shift-types/<int:shift_type_id>/delete/",
        roster_setup_views.shift_type_delete,
        name="shift_type_delete",
    ),
    path(
        "rosters/teams/<int:team_id>/people/<int:membership_id>/contract/",
        roster_setup_views.contract_edit,
        name="contract_edit",
    ),
    path("priorities/<int:priority_id>/end/", roster_setup_views.priority_end, name="priority_end"),
]
