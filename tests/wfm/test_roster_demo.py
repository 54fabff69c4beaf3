"""The demo's Puhelinpalvelu team: a published roster for this week, next week open with wishes."""

from __future__ import annotations

from aspa.core.demo import demo_seed
from aspa.wfm.models import PeriodStatus, PlanningPeriod, Roster, RosterStatus, ShiftWish, SwapRequest


def test_demo_has_published_roster_and_open_period(db):
    demo_seed(seed=5)
    periods = PlanningPeriod.objects.filter(team__name="Puhelinpalvelu", organisation__slug="demo").order_by(
        "starts_on"
    )
    assert [p.status for p in periods] == [PeriodStatus.PUBLISHED, PeriodStatus.OPEN]
    published = Roster.objects.get(period=periods[0], status=RosterStatus.PUBLISHED)
    assert published.shifts.exists() and published.explanations
    assert ShiftWish.objects.filter(period=periods[1]).exists()
    assert SwapRequest.objects.filter(shift__roster=published).exists()
    demo_seed(seed=5)  # idempotent
    assert PlanningPeriod.objects.filter(team__name="Puhelinpalvelu").count() == 2
