from django.urls import path

from aspa.teamwork import views

app_name = "teamwork"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:team_id>/", views.team, name="team"),
    path("<int:team_id>/decisions/", views.matrix, name="matrix"),
    path("<int:team_id>/decisions/history/", views.matrix_history, name="matrix_history"),
    path("<int:team_id>/charter/", views.charter, name="charter"),
    path("<int:team_id>/charter/new/", views.charter_edit, name="charter_edit"),
    path("<int:team_id>/roles/", views.roles, name="roles"),
    path("<int:team_id>/agreements/", views.agreements, name="agreements"),
    path("<int:team_id>/agreements/<int:agreement_id>/", views.agreement, name="agreement"),
]
