"""Roles inside an organisation and what each may do.

A role is held per organisation (a coach may be a coach in several). The capability table is the
organisation-wide default; a team's decision matrix (aspa.teamwork) may widen it inside that team.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    LEAD = "lead", _("Team lead")
    PLANNER = "planner", _("Planner")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")
    COACH = "coach", _("Coach")
    ASSESSOR = "assessor", _("Assessor")


INSIDE_ROLES = frozenset({Role.AGENT, Role.LEAD, Role.PLANNER, Role.MANAGER, Role.ADMIN})
OUTSIDE_ROLES = frozenset({Role.COACH, Role.ASSESSOR})


class Capability(StrEnum):
    VIEW_PEOPLE = "view_people"
    VIEW_TEAMS = "view_teams"
    INVITE = "invite"
    MANAGE_TEAMS = "manage_teams"
    MANAGE_ROLES = "manage_roles"
    ERASE_PERSON = "erase_person"
    VIEW_AUDIT = "view_audit"
    RUN_JOBS = "run_jobs"
    USE_API = "use_api"
    VIEW_WFM = "view_wfm"  # queues, history, published forecasts and staffing need (open to every member)
    MANAGE_WFM = "manage_wfm"  # queues, contact-history import, forecast runs, adjustments, publishing


_MEMBER = {Capability.VIEW_PEOPLE, Capability.VIEW_TEAMS, Capability.USE_API, Capability.VIEW_WFM}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.AGENT: frozenset(_MEMBER),
    Role.LEAD: frozenset(_MEMBER | {Capability.INVITE, Capability.RUN_JOBS}),
    Role.PLANNER: frozenset(_MEMBER | {Capability.RUN_JOBS, Capability.MANAGE_WFM}),
    Role.MANAGER: frozenset(
        _MEMBER
        | {
            Capability.INVITE,
            Capability.MANAGE_TEAMS,
            Capability.VIEW_AUDIT,
            Capability.RUN_JOBS,
            Capability.MANAGE_WFM,
        }
    ),
    Role.ADMIN: frozenset(Capability),
    Role.COACH: frozenset({Capability.VIEW_PEOPLE, Capability.VIEW_TEAMS}),
    # An assessor sees only the assessment it verifies (aspa.maturity); nothing of the organisation.
    Role.ASSESSOR: frozenset(),
}

# Who may hand out which role in an invitation: nobody grants a role above their own.
INVITABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.LEAD: (Role.AGENT,),
    Role.MANAGER: (Role.AGENT, Role.LEAD, Role.PLANNER, Role.COACH, Role.ASSESSOR),
    Role.ADMIN: tuple(Role.values),
}


def role_has(role: str, capability: Capability) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
