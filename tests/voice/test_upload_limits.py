"""The voice CSV imports refuse a file over ASPA_MAX_UPLOAD_BYTES before reading it into memory."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aspa.core.roles import Role
from aspa.voice.models import Feedback, Response, SurveyLink
from tests.voice.factories import SurveyFactory

LIMIT = 1024 * 1024  # 1 MB


def _big(header: bytes, row: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("big.csv", header + row * (LIMIT // len(row) + 10))


@pytest.fixture
def manager_client(member_of, client_for, settings):
    settings.ASPA_MAX_UPLOAD_BYTES = LIMIT
    manager = member_of(Role.MANAGER)
    manager.user.language = "en"
    manager.user.save()
    return manager, client_for(manager)


def test_feedback_import_refuses_a_file_over_the_limit(manager_client):
    _manager, client = manager_client
    response = client.post(
        reverse("voice:feedback_import"), {"file": _big(b"text,channel\n", b"Hyva palvelu,web\n")}
    )
    assert response.status_code == 400
    assert "larger than the limit of 1 MB" in response.content.decode()
    assert Feedback.objects.count() == 0


def test_responses_import_refuses_a_file_over_the_limit(manager_client):
    _manager, client = manager_client
    response = client.post(reverse("voice:responses"), {"file": _big(b"nps,channel\n", b"9,web\n")})
    assert response.status_code == 400
    assert "larger than the limit of 1 MB" in response.content.decode()
    assert Response.objects.count() == 0


def test_links_import_refuses_a_file_over_the_limit(manager_client):
    manager, client = manager_client
    survey = SurveyFactory(organisation=manager.organisation)
    response = client.post(
        reverse("voice:survey_links_csv", args=[survey.pk]),
        {"file": _big(b"contact,channel\n", b"asiakas-1,web\n")},
    )
    assert response.status_code == 400
    assert "larger than the limit of 1 MB" in response.content.decode()
    assert SurveyLink.objects.count() == 0


def test_a_file_under_the_limit_is_imported(manager_client):
    _manager, client = manager_client
    ok = client.post(
        reverse("voice:feedback_import"), {"file": SimpleUploadedFile("f.csv", b"text\nKiitos\nJonotin\n")}
    )
    assert ok.status_code == 302 and Feedback.objects.count() == 2
