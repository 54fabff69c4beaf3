from django.urls import path

from aspa.wfm import views

app_name = "wfm"

urlpatterns = [
    path("", views.queues, name="queues"),
    path("queues/new/", views.queue_create, name="queue_create"),
    path("queues/<int:queue_id>/", views.queue_detail, name="queue"),
    path("queues/<int:queue_id>/edit/", views.queue_edit, name="queue_edit"),
    path("queues/<int:queue_id>/import/", views.history_upload, name="history_upload"),
    path("queues/<int:queue_id>/forecasts/", views.forecasts, name="forecasts"),
    path("uploads/<int:upload_id>/", views.history_preview, name="history_preview"),
    path("forecasts/<int:forecast_id>/", views.forecast_detail, name="forecast"),
    path("forecasts/<int:forecast_id>/adjust/", views.forecast_adjust, name="forecast_adjust"),
    path("forecasts/<int:forecast_id>/publish/", views.forecast_publish, name="forecast_publish"),
    path("forecasts/<int:forecast_id>/export.csv", views.forecast_csv, name="forecast_csv"),
    path("vendor/plotly.min.js", views.plotly_js, name="plotly_js"),
]
