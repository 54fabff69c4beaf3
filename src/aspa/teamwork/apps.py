from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamworkConfig(AppConfig):
    name = "aspa.teamwork"
    label = "teamwork"
    verbose_name = _("Teamwork")

    def ready(self) -> None:
        from aspa.core.demo import demo_register
        from aspa.core.navigation import nav_register
        from aspa.core.personal_data import personal_data_register
        from aspa.core.roles import Capability
        from aspa.teamwork import decisions, demo, personal_data, providers, tasks  # noqa: F401 - built-ins, job kind

        providers.register()

        nav_register(label=_("Team"), url_name="teamwork:index", capability=Capability.VIEW_TEAMS, order=30)
        nav_register(
            label=_("My actions"), url_name="teamwork:my_actions", capability=Capability.VIEW_TEAMS, order=31
        )
        personal_data_register(name="teamwork", export=personal_data.export, erase=personal_data.erase)
        demo_register(name="teamwork", order=40, build=demo.build)
        demo_register(name="teamwork_work", order=41, build=demo.build_work)
