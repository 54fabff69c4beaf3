from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamworkConfig(AppConfig):
    name = "aspa.teamwork"
    label = "teamwork"
    verbose_name = _("Teamwork")
