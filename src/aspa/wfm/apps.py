from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WfmConfig(AppConfig):
    name = "aspa.wfm"
    label = "wfm"
    verbose_name = _("Workforce planning")

    def ready(self) -> None:
        from aspa.core.demo import demo_register
        from aspa.core.navigation import nav_register
        from aspa.core.personal_data import personal_data_register
        from aspa.core.roles import Capability
        from aspa.wfm import demo, personal_data, roster_services, services  # noqa: F401  (job kinds)
        from aspa.wfm import roster_lifecycle  # noqa: F401  (job kind)

        demo_register(name="wfm", order=30, build=demo.build)
        personal_data_register(name="wfm", export=personal_data.export, erase=personal_data.erase)
        nav_register(label=_("Forecasts"), url_name="wfm:queues", capability=Capability.VIEW_WFM, order=20)
        nav_register(label=_("Rosters"), url_name="wfm:periods", capability=Capability.VIEW_WFM, order=21)
        nav_register(label=_("My shifts"), url_name="wfm:my_shifts", capability=Capability.VIEW_WFM, order=22)
