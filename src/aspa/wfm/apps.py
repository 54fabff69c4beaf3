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
        from aspa.teamwork.decisions import Level, Subject, decision_type_register
        from aspa.wfm import demo, personal_data, roster_lifecycle, roster_services, services  # noqa: F401  (job kinds)
        from aspa.wfm.roster_setup import FAIRNESS_CHANGE, PRIORITY_GRANT

        decision_type_register(
            key=PRIORITY_GRANT,
            label=_("Give a person priority for roster wishes"),
            description=_(
                "For a life situation that needs it; the reason is recorded and shown to the planners."
            ),
            defaults={
                Subject.MEMBERS: Level.RECOMMENDS,
                Subject.LEAD: Level.CONSULTS,
                Subject.PLANNER: Level.INFORMED,
                Subject.MANAGER: Level.INFORMED,
            },
            order=150,
        )
        decision_type_register(
            key=FAIRNESS_CHANGE,
            label=_("Set how the roster shares out wishes and burdens"),
            description=_(
                "The fairness weights: wishes, nights, weekends, public holidays and unpopular shifts."
            ),
            defaults={
                Subject.MEMBERS: Level.RECOMMENDS,
                Subject.LEAD: Level.CONSULTS,
                Subject.PLANNER: Level.DECIDES,
                Subject.MANAGER: Level.INFORMED,
            },
            order=151,
        )

        demo_register(name="wfm", order=30, build=demo.build)
        personal_data_register(name="wfm", export=personal_data.export, erase=personal_data.erase)
        nav_register(label=_("Forecasts"), url_name="wfm:queues", capability=Capability.VIEW_WFM, order=20)
        nav_register(label=_("Rosters"), url_name="wfm:periods", capability=Capability.VIEW_WFM, order=21)
        nav_register(label=_("My shifts"), url_name="wfm:my_shifts", capability=Capability.VIEW_WFM, order=22)
