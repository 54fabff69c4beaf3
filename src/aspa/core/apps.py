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
        nav_register(label=_("Jobs"), url_name="jobs", capability=Capability.RUN_JOBS, order=80)
        nav_register(label=_("Audit log"), url_name="audit", capability=Capability.VIEW_AUDIT, order=90)

        # Registers the built-in job kinds (the demo self-check) in every process: web and worker.
        import aspa.core.jobs  # noqa: F401
