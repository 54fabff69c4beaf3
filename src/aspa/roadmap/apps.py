from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "aspa.roadmap"
    label = "roadmap"
    verbose_name = _("Roadmap and experiments")

    def ready(self) -> None:
        from aspa.core.demo import demo_register
        from aspa.core.navigation import nav_register
        from aspa.core.personal_data import personal_data_register
        from aspa.core.roles import Capability
        from aspa.roadmap import demo, personal_data

        # After voice (order 50): the demo roadmap is made of the demo ideas and themes.
        demo_register(name="roadmap", order=55, build=demo.build)
        personal_data_register(name="roadmap", export=personal_data.export, erase=personal_data.erase)
        # VIEW_WFM is held by exactly the roles inside the organisation, who all read the roadmap.
        nav_register(label=_("Roadmap"), url_name="roadmap:board", capability=Capability.VIEW_WFM, order=42)
