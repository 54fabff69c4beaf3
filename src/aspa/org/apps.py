from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "aspa.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from aspa.core.demo import demo_register
        from aspa.core.navigation import nav_register
        from aspa.core.personal_data import personal_data_register
        from aspa.core.roles import Capability
        from aspa.org import demo, personal_data

        personal_data_register(
            name="org.profile", export=personal_data.export_profile, erase=personal_data.erase_org_data
        )
        personal_data_register(name="core.audit", export=personal_data.export_audit, erase=lambda user: None)
        demo_register(name="org", order=10, build=demo.build)
        nav_register(label=_("People"), url_name="org:people", capability=Capability.VIEW_PEOPLE, order=80)
        nav_register(label=_("Teams"), url_name="org:teams", capability=Capability.VIEW_TEAMS, order=81)
        nav_register(
            label=_("Invitations"), url_name="org:invitations", capability=Capability.INVITE, order=82
        )
