"""The decision matrix vocabulary: decision types, who they can be delegated to, and delegation levels.

This module is the registry only (no database). The enforcement API lives in `aspa.teamwork.selectors`:

    from aspa.teamwork.selectors import decision_allowed, require_decision

    if decision_allowed(actor=actor, team=team, decision="swap.approve"): ...
    require_decision(actor=actor, team=team, decision="refund.grant", amount=Decimal("80"))  # PermissionDenied

Contract for other apps
-----------------------
1. Register your decision type once, in your AppConfig.ready(), with `decision_type_register(...)`;
   its key is "<noun>.<verb>" (e.g. "swap.approve"), its defaults say which level each subject has
   before a team changes anything. Keys are stable: they are stored in the teams' matrices.
2. In the service that carries out the decision, call `require_decision(actor=..., team=..., decision=...)`
   (with `amount=` for types registered with `has_amount=True`) before writing. Do not add role checks
   of your own on top: the matrix *is* the permission, so a team that delegates a decision sees the effect.
3. Use `decision_allowed(...)` to decide whether to show a button; it never raises.

Delegation levels (one scheme, four steps plus "no part")
----------------------------------------------------------
- DECIDES: may act alone.
- CONSULTS ("decides after consulting"): may act alone, after hearing the people concerned (for the
  team: the team's consent). The app lets them act; the obligation to consult is shown, not enforced.
- RECOMMENDS: prepares and proposes; someone who decides must approve. Cannot act alone.
- INFORMED: is told about the decision afterwards.
- NONE: no part in it.
So `DECIDES` and `CONSULTS` mean "may act alone", `RECOMMENDS` means "needs approval", `INFORMED` means
"is informed".

Subjects (the matrix columns)
-----------------------------
- MEMBERS: everyone in the team, whatever their role.
- AGENT, LEAD: people with that role *who are members of the team*.
- PLANNER, MANAGER: people with that role in the organisation (they serve several teams); an
  administrator counts as a manager.
A person's level is the strongest level of the subjects they belong to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    DECIDES = "decides", _("Decides")
    CONSULTS = "consults", _("Decides after consulting")
    RECOMMENDS = "recommends", _("Recommends")
    INFORMED = "informed", _("Is informed")
    NONE = "none", _("No part")


# Strongest first; the index is the strength used to combine subjects.
LEVEL_ORDER: tuple[str, ...] = (Level.NONE, Level.INFORMED, Level.RECOMMENDS, Level.CONSULTS, Level.DECIDES)
ACTING_LEVELS = frozenset({Level.DECIDES, Level.CONSULTS})


class Outcome(models.TextChoices):
    """What a level means in practice (shown as a legend and used by the enforcement)."""

    ACTS = "acts", _("May act alone")
    NEEDS_APPROVAL = "needs_approval", _("Needs approval")
    INFORMED = "informed", _("Is informed")
    NONE = "none", _("No part")


LEVEL_OUTCOME: dict[str, str] = {
    Level.DECIDES: Outcome.ACTS,
    Level.CONSULTS: Outcome.ACTS,
    Level.RECOMMENDS: Outcome.NEEDS_APPROVAL,
    Level.INFORMED: Outcome.INFORMED,
    Level.NONE: Outcome.NONE,
}


class Subject(models.TextChoices):
    MEMBERS = "members", _("Team members")
    AGENT = "agent", _("Agents")
    LEAD = "lead", _("Team lead")
    PLANNER = "planner", _("Planner")
    MANAGER = "manager", _("Manager")


def level_strength(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else 0


@dataclass(frozen=True)
class DecisionType:
    key: str
    label: str | Promise
    description: str | Promise
    defaults: dict[str, str] = field(default_factory=dict)
    # Limits (e.g. euros of a refund) per subject; None: no limit. Only for has_amount types.
    default_limits: dict[str, Decimal | None] = field(default_factory=dict)
    has_amount: bool = False
    order: int = 100

    def default_level(self, subject: str) -> str:
        return self.defaults.get(subject, Level.NONE)


_REGISTRY: dict[str, DecisionType] = {}

ERR_UNKNOWN_DECISION = "Unknown decision type: %(key)s."


def decision_type_register(
    *,
    key: str,
    label: str | Promise,
    description: str | Promise = "",
    defaults: dict[str, str],
    default_limits: dict[str, Decimal | None] | None = None,
    has_amount: bool = False,
    order: int = 100,
) -> DecisionType:
    """Add (or replace, when reloaded) a decision type; see the module docstring for the contract."""
    unknown = (set(defaults) - set(Subject.values)) | {v for v in defaults.values() if v not in Level.values}
    if unknown:
        raise ValueError(f"Unknown subjects or levels for {key}: {sorted(unknown)}")
    decision_type = DecisionType(
        key=key,
        label=label,
        description=description,
        defaults=dict(defaults),
        default_limits=dict(default_limits or {}),
        has_amount=has_amount,
        order=order,
    )
    _REGISTRY[key] = decision_type
    return decision_type


def decision_type_get(key: str) -> DecisionType:
    try:
        return _REGISTRY[key]
    except KeyError as exc:
        raise KeyError(ERR_UNKNOWN_DECISION % {"key": key}) from exc


def decision_types() -> list[DecisionType]:
    return sorted(_REGISTRY.values(), key=lambda d: (d.order, d.key))


# The built-in types. Other apps register theirs the same way; the wfm and roadmap apps will own the
# swap, roster and roadmap checks but the defaults are seeded here so that every team has a matrix today.
DEC, CON, REC, INF = Level.DECIDES, Level.CONSULTS, Level.RECOMMENDS, Level.INFORMED
SWAP_APPROVE = "swap.approve"
ROSTER_PUBLISH = "roster.publish"
ROADMAP_ACCEPT = "roadmap.accept"
AGREEMENT_CHANGE = "agreement.change"
REFUND_GRANT = "refund.grant"
MEMBER_CHOOSE = "member.choose"
CHARTER_CHANGE = "charter.change"
ROLES_CHANGE = "roles.change"
DECISIONS_CHANGE = "decisions.change"

decision_type_register(
    key=SWAP_APPROVE,
    label=_("Approve shift swaps"),
    defaults={Subject.MEMBERS: INF, Subject.LEAD: DEC, Subject.PLANNER: CON, Subject.MANAGER: INF},
    order=10,
)
decision_type_register(
    key=ROSTER_PUBLISH,
    label=_("Publish the roster"),
    defaults={Subject.MEMBERS: INF, Subject.LEAD: REC, Subject.PLANNER: DEC, Subject.MANAGER: INF},
    order=20,
)
decision_type_register(
    key=ROADMAP_ACCEPT,
    label=_("Accept roadmap items"),
    defaults={Subject.MEMBERS: REC, Subject.LEAD: CON, Subject.PLANNER: INF, Subject.MANAGER: DEC},
    order=30,
)
decision_type_register(
    key=AGREEMENT_CHANGE,
    label=_("Change team agreements"),
    description=_("Mark a proposed agreement as agreed, or retire one."),
    defaults={Subject.MEMBERS: REC, Subject.LEAD: CON, Subject.MANAGER: INF},
    order=40,
)
decision_type_register(
    key=REFUND_GRANT,
    label=_("Grant refunds"),
    description=_("Up to the limit in euros written in the cell; above it, whoever has a higher limit."),
    defaults={Subject.MEMBERS: DEC, Subject.LEAD: DEC, Subject.MANAGER: DEC},
    default_limits={Subject.MEMBERS: Decimal("50"), Subject.LEAD: Decimal("500"), Subject.MANAGER: None},
    has_amount=True,
    order=50,
)
decision_type_register(
    key=MEMBER_CHOOSE,
    label=_("Choose new team members"),
    defaults={Subject.MEMBERS: REC, Subject.LEAD: CON, Subject.MANAGER: DEC},
    order=60,
)
decision_type_register(
    key=CHARTER_CHANGE,
    label=_("Change the team charter"),
    defaults={Subject.MEMBERS: REC, Subject.LEAD: CON, Subject.MANAGER: INF},
    order=70,
)
decision_type_register(
    key=ROLES_CHANGE,
    label=_("Change the role board"),
    defaults={Subject.MEMBERS: REC, Subject.LEAD: DEC, Subject.PLANNER: INF},
    order=80,
)
decision_type_register(
    key=DECISIONS_CHANGE,
    label=_("Change decision rights"),
    description=_("Edit this matrix: the lead with the team's consent, or the manager."),
    defaults={Subject.MEMBERS: REC, Subject.LEAD: CON, Subject.MANAGER: DEC},
    order=90,
)
del DEC, CON, REC, INF
