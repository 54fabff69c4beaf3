from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VoiceConfig(AppConfig):
    name = "aspa.voice"
    label = "voice"
    verbose_name = _("Voice of the customer and staff")

    def ready(self) -> None:
        from aspa.core.demo import demo_register
        from aspa.core.navigation import nav_register
        from aspa.core.personal_data import personal_data_register
        from aspa.core.roles import Capability
        from aspa.voice import demo, personal_data, services  # noqa: F401  (services registers the job kind)

        # Nav links only: VIEW_WFM is held by exactly the roles inside the organisation, who may read voice.
        demo_register(name="voice", order=50, build=demo.build)
        personal_data_register(name="voice", export=personal_data.export, erase=personal_data.erase)
        nav_register(
            label=_("Customer voice"), url_name="voice:dashboard", capability=Capability.VIEW_WFM, order=40
        )
        nav_register(label=_("Ideas"), url_name="voice:ideas", capability=Capability.VIEW_WFM, order=41)
