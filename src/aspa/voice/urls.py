from django.urls import path

from aspa.voice import views, views_customer_data, views_sentiment

app_name = "voice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("analyse/", views.analyse, name="analyse"),
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/<int:survey_id>/", views.survey_detail, name="survey"),
    path("surveys/<int:survey_id>/links.csv", views.survey_links_csv, name="survey_links_csv"),
    path("s/<str:token>/", views.answer, name="answer"),
    path("o/<slug:slug>/ideas/", views.public_ideas, name="public_ideas"),
    path("ideas/confirm/<str:token>/", views.idea_email_confirm, name="idea_email_confirm"),
    path("responses/", views.responses, name="responses"),
    path("feedback/", views.feedback, name="feedback"),
    path("feedback/import/", views.feedback_import, name="feedback_import"),
    path("feedback/personal-data/", views.feedback_personal_data, name="feedback_personal_data"),
    path("feedback/<int:feedback_id>/mask/", views.feedback_mask, name="feedback_mask"),
    path("customer-data/", views_customer_data.customer_data, name="customer_data"),
    path("sentiment/", views_sentiment.sentiment_review, name="sentiment"),
    path("sentiment/correct/", views_sentiment.sentiment_correct, name="sentiment_correct"),
    path("themes/<int:theme_id>/", views.theme_detail, name="theme"),
    path("stories/", views.stories, name="stories"),
    path("stories/<int:story_id>/", views.story_detail, name="story"),
    path("ideas/", views.ideas, name="ideas"),
    path("ideas/similar/", views.idea_similar, name="idea_similar"),
    path("ideas/<int:idea_id>/", views.idea_detail, name="idea"),
    path("ideas/<int:idea_id>/vote/", views.idea_vote, name="idea_vote"),
    path("ideas/<int:idea_id>/comment/", views.idea_comment, name="idea_comment"),
    path("ideas/<int:idea_id>/status/", views.idea_status, name="idea_status"),
    path("notifications/", views.notifications, name="notifications"),
]
