from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "aspa.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from aspa.core.navigation import nav_register
        from aspa.core.roles import Capability

        nav_register(label=_("Home"), url_name="home", capability=None, order=0)
        nav_register(label=_("Audit log"), url_name="audit", capability=Capability.VIEW_AUDIT, order=90)
