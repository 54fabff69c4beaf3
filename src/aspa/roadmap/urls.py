from django.urls import path

from aspa.roadmap import views

app_name = "roadmap"

urlpatterns = [
    path("", views.board, name="board"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/accept/", views.item_accept, name="item_accept"),
    path("items/<int:item_id>/experiment/", views.experiment_create, name="experiment_create"),
    path("experiments/<int:experiment_id>/", views.experiment_detail, name="experiment"),
    path("experiments/<int:experiment_id>/measure/", views.experiment_measure, name="experiment_measure"),
    path("experiments/<int:experiment_id>/finish/", views.experiment_finish, name="experiment_finish"),
]
