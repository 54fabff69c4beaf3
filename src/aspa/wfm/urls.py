from django.urls import URLPattern

app_name = "wfm"

urlpatterns: list[URLPattern] = []
