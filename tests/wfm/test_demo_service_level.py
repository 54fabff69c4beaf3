"""The demo history answers contacts within target plausibly, and its service-level experiment is measured."""

from __future__ import annotations

from django.db.models import F, Sum

from aspa.core.demo import demo_seed
from aspa.roadmap.models import Experiment, ExperimentMetric, ExperimentStatus
from aspa.wfm.models import ContactInterval


def test_demo_history_has_service_level_and_a_measured_experiment(db):
    demo_seed(seed=5)
    history = ContactInterval.objects.filter(queue__organisation__slug="demo")
    assert history.exists() and not history.filter(answered_in_sl__isnull=True).exists()
    assert not history.filter(answered_in_sl__gt=F("handled")).exists()
    for name in ("Puhelin henkilöasiakkaat", "Chat"):
        totals = history.filter(queue__name=name).aggregate(
            hits=Sum("answered_in_sl"), offered=Sum("offered")
        )
        assert 0.7 < totals["hits"] / totals["offered"] < 0.92, (name, totals)
    experiment = Experiment.objects.get(
        organisation__slug="demo", metric=ExperimentMetric.SERVICE_LEVEL, status=ExperimentStatus.FINISHED
    )
    assert experiment.result["unit"] == "pp"
    assert experiment.result["low"] > 0, experiment.result
    before = history.aggregate(hits=Sum("answered_in_sl"))["hits"]

    demo_seed(seed=5)  # idempotent

    assert Experiment.objects.filter(metric=ExperimentMetric.SERVICE_LEVEL).count() == 1
    assert (
        ContactInterval.objects.filter(queue__organisation__slug="demo").aggregate(
            hits=Sum("answered_in_sl")
        )["hits"]
        == before
    )
