from django.urls import path

from aspa.org import views, views_tokens

app_name = "org"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:membership_id>/", views.person_detail, name="person"),
    path("people/<int:membership_id>/erase/", views.person_erase, name="person_erase"),
    path("teams/", views.teams, name="teams"),
    path("teams/<int:team_id>/", views.team_detail, name="team"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organisation/switch/", views.organisation_switch, name="organisation_switch"),
    path("me/", views.profile, name="profile"),
    path("me/data.json", views.my_data, name="my_data"),
    path("me/tokens/", views_tokens.tokens, name="tokens"),
    path("me/tokens/<int:token_id>/revoke/", views_tokens.token_revoke, name="token_revoke"),
]
