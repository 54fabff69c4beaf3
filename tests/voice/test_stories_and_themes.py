import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from aspa.core.jobs import JobError
from aspa.core.roles import Role
from aspa.org.models import User
from aspa.voice import personal_data, selectors, services
from aspa.voice.demo import SENTENCES
from aspa.voice.models import Feedback, Idea, IdeaVote, Response, Story, Theme
from tests.voice.factories import FeedbackFactory, IdeaFactory, ResponseFactory


def test_story_is_written_by_staff_and_masked(member_of, client_for):
    agent = member_of(Role.AGENT)
    response = client_for(agent).post(
        reverse("voice:stories"),
        {
            "title": "Kadonnut lasku",
            "happened": "Asiakas (matti@example.fi) soitti kolmannen kerran.",
            "felt": "Turhautunut",
            "learned": "Ensimmäinen kerta riittää",
            "channel": "phone",
            "mask": "on",
        },
    )
    story = Story.objects.get()
    assert response.status_code == 302 and story.author == agent and "[email]" in story.happened


def test_story_of_another_organisation_is_404(member_of, client_for, other_org):
    story = Story.objects.create(organisation=other_org, title="Vieras", happened="x", felt="y", learned="z")
    assert client_for(member_of(Role.AGENT)).get(reverse("voice:story", args=[story.pk])).status_code == 404


def test_analysis_finds_themes_and_assigns_texts(org, other_org):
    texts = [s for s, _tone in SENTENCES] * 3
    for i, text in enumerate(texts):
        (ResponseFactory if i % 2 else FeedbackFactory)(
            organisation=org, **({"comment": text} if i % 2 else {"text": text})
        )
    FeedbackFactory(organisation=other_org, text="Toisen organisaation palaute")
    result = services.themes_analyse(organisation_id=org.pk)
    assert result["texts"] == len(texts) and result["themes"] >= 2
    themes = Theme.objects.filter(organisation=org, is_active=True)
    assert themes.count() == result["themes"] and all(t.label for t in themes)
    assert Response.objects.filter(organisation=org, theme__isnull=False).exists()
    assert not Feedback.objects.filter(organisation=org, sentiment="").exists()
    assert Feedback.objects.get(organisation=other_org).theme is None
    # A second run retires the first run's themes.
    services.themes_analyse(organisation_id=org.pk)
    assert Theme.objects.filter(organisation=org, is_active=False).count() == result["themes"]


def test_analysis_with_too_few_texts_explains(org):
    FeedbackFactory(organisation=org, text="Hyvä")
    with pytest.raises(JobError):
        services.themes_analyse(organisation_id=org.pk)
    assert Theme.objects.count() == 0


def test_only_managers_start_the_analysis(member_of):
    with pytest.raises(PermissionDenied):
        services.analyse_start(actor=member_of(Role.AGENT))


def test_personal_data_export_and_erase(member_of, org):
    agent = member_of(Role.AGENT)
    idea = IdeaFactory(organisation=org, author=agent, title="Oma idea")
    IdeaVote.objects.create(idea=IdeaFactory(organisation=org), membership=agent)
    ResponseFactory(organisation=org, agent=agent)
    user = User.objects.get(pk=agent.user_id)
    data = personal_data.export(user)
    assert data["ideas"][0]["title"] == "Oma idea" and data["survey_answers_about_you"] == 1
    personal_data.erase(user)
    assert Idea.objects.get(pk=idea.pk).author is None
    assert IdeaVote.objects.count() == 0 and Response.objects.get().agent is None
    assert Idea.objects.count() == 2


def test_theme_list_is_scoped(member_of, other_org):
    Theme.objects.create(organisation=other_org, label="vieras")
    assert list(selectors.theme_list(actor=member_of(Role.AGENT))) == []
