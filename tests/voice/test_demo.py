import random

from aspa.core.demo import DemoContext
from aspa.core.roles import Role
from aspa.roadmap import demo as roadmap_demo
from aspa.roadmap.models import Experiment, ExperimentStatus, Outcome, RoadmapItem
from aspa.voice import demo
from aspa.voice.models import Feedback, Idea, IdeaVote, Response, Story, Theme
from tests.factories import TeamFactory


def test_demo_builds_voice_and_roadmap_once(org, team, member_of):
    teams = [team, TeamFactory(organisation=org, name="Chat")]
    manager = member_of(Role.MANAGER)
    members = {
        "manager@demo.aspa.fi": manager,
        "lead@demo.aspa.fi": member_of(Role.LEAD),
        "a@x": member_of(Role.AGENT),
    }
    context = DemoContext(
        rng=random.Random(1), seed=1, objects={"organisation": org, "teams": teams, "members": members}
    )
    demo.build(context)
    roadmap_demo.build(context)
    assert Response.objects.filter(organisation=org).count() == demo.N_RESPONSES
    assert Feedback.objects.count() > 50 and Story.objects.count() == len(demo.STORIES)
    assert Idea.objects.count() == len(demo.IDEAS) and IdeaVote.objects.exists()
    assert Theme.objects.filter(is_active=True).count() >= 2
    assert len(demo.SENTENCES) >= 40 and len(demo.THEMED) >= 6
    comments = list(Response.objects.exclude(comment="").values_list("comment", flat=True))
    assert len(set(comments)) > 500, "comments must vary"
    assert RoadmapItem.objects.count() == len(roadmap_demo.ITEMS)
    # Two finished experiments with measured effects: call-backs clearly positive, chat inconclusive.
    callback, chat = Experiment.objects.order_by("starts_on")
    assert {callback.status, chat.status} == {ExperimentStatus.FINISHED}
    assert callback.outcome == Outcome.ADOPT and chat.outcome == Outcome.ADJUST
    assert callback.result["low"] > 0, callback.result
    assert chat.result["low"] < 0 < chat.result["high"], chat.result
    assert min(callback.result["n_variant"], chat.result["n_variant"]) >= 50
    # Idempotent: a second run adds nothing.
    demo.build(context)
    roadmap_demo.build(context)
    assert Response.objects.count() == demo.N_RESPONSES and RoadmapItem.objects.count() == len(
        roadmap_demo.ITEMS
    )
