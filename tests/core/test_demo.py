from __future__ import annotations

from aspa.core.demo import demo_seed
from aspa.core.roles import Role
from aspa.org.models import Membership, Organisation, Team, User


def _state():
    return sorted(Membership.objects.values_list("organisation__slug", "user__email", "role"))


def test_demo_is_realistic_deterministic_and_idempotent(db):
    context = demo_seed(seed=7)
    assert Organisation.objects.count() == 2
    demo = Organisation.objects.get(slug="demo")
    assert Team.objects.filter(organisation=demo).count() == 3
    people = Membership.objects.filter(organisation=demo).count()
    assert 38 <= people <= 45
    assert {r for _, r, _ in context.logins} >= {str(r.label) for r in Role}
    assert any("ä" in name or "ö" in name for name in User.objects.values_list("full_name", flat=True))
    first = _state()
    demo_seed(seed=7)
    assert _state() == first  # running twice is safe


def test_same_seed_same_people(db, django_db_blocker):
    demo_seed(seed=3)
    names = sorted(User.objects.values_list("full_name", flat=True))
    Membership.objects.all().delete()
    User.objects.all().delete()
    Organisation.objects.all().delete()
    demo_seed(seed=3)
    assert sorted(User.objects.values_list("full_name", flat=True)) == names
