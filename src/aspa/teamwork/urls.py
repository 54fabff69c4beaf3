from django.urls import path

from aspa.teamwork import views

app_name = "teamwork"

urlpatterns = [
    path("", views.index, name="index"),
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/<int:action_id>/status/", views.action_status, name="action_status"),
    path("goals/", views.goals, name="goals"),
    path("goals/<int:goal_id>/", views.goal, name="goal"),
    path("coaching/", views.coaching, name="coaching"),
    path("coaching/<int:session_id>/", views.coaching_session, name="coaching_session"),
    path("<int:team_id>/", views.team, name="team"),
    path("<int:team_id>/decisions/", views.matrix, name="matrix"),
    path("<int:team_id>/decisions/history/", views.matrix_history, name="matrix_history"),
    path("<int:team_id>/charter/", views.charter, name="charter"),
    path("<int:team_id>/charter/new/", views.charter_edit, name="charter_edit"),
    path("<int:team_id>/roles/", views.roles, name="roles"),
    path("<int:team_id>/agreements/", views.agreements, name="agreements"),
    path("<int:team_id>/agreements/<int:agreement_id>/", views.agreement, name="agreement"),
    path("<int:team_id>/actions/", views.team_actions, name="team_actions"),
    path("<int:team_id>/huddle/", views.huddle, name="huddle"),
    path("<int:team_id>/meetings/", views.meetings, name="meetings"),
    path("<int:team_id>/meetings/<int:meeting_id>/", views.meeting, name="meeting"),
    path("<int:team_id>/retros/", views.retros, name="retros"),
    path("<int:team_id>/retros/<int:retro_id>/", views.retro, name="retro"),
    path("<int:team_id>/self-direction/", views.self_direction, name="self_direction"),
]
