from django.urls import include, path

from aspa.core.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("", include("aspa.core.urls")),
    path("", include("aspa.org.urls")),
    path("wfm/", include("aspa.wfm.urls")),
    path("team/", include("aspa.teamwork.urls")),
    path("voice/", include("aspa.voice.urls")),
    path("roadmap/", include("aspa.roadmap.urls")),
]

handler403 = "aspa.core.errors.permission_denied"
handler404 = "aspa.core.errors.not_found"
