"""Bodies the API cannot read: too large or not JSON give a JSON error an integrator can act on."""

from __future__ import annotations

import json

from django.test import Client

from aspa.core.api import ERR_BODY_NOT_JSON, ERR_BODY_TOO_LARGE
from aspa.core.roles import Role
from aspa.org import services as org_services
from aspa.voice.models import Feedback
from tests.i18n import fi

FEEDBACK = "/api/v1/voice/feedback"


def _client(membership) -> Client:
    _, raw = org_services.api_token_create(actor=membership, name="Integraatio")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_body_over_the_upload_limit_is_413_json_and_nothing_is_written(member_of, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    body = json.dumps({"feedback": [{"text": "Jonotin kauan"}] * 200})
    assert len(body) > 2048
    response = _client(member_of(Role.AGENT)).post(FEEDBACK, body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {
        "detail": fi(ERR_BODY_TOO_LARGE) % {"limit": f"{2048 / 1024 / 1024:g}"},
        "code": "too_large",
        "errors": {},
    }
    assert Feedback.objects.count() == 0


def test_body_that_is_not_json_is_400_with_where_it_broke(member_of):
    client = _client(member_of(Role.AGENT))
    broken = client.post(FEEDBACK, '{"feedback": [{"text": "x"}', content_type="application/json")
    assert broken.status_code == 400
    body = broken.json()
    assert body["detail"] == fi(ERR_BODY_NOT_JSON) and body["code"] == "invalid_body"
    assert "line 1" in body["errors"]["__all__"][0]
    form = client.post(FEEDBACK, {"feedback": "x"})
    assert form.status_code == 400 and form.json()["code"] == "invalid_body"
    assert Feedback.objects.count() == 0


def test_unknown_api_path_is_a_json_404_for_any_method(member_of):
    client = _client(member_of(Role.AGENT))
    for response in (
        client.get("/api/v1/wfm/queue"),
        client.post("/api/v2/voice/feedback", "{}", content_type="application/json"),
        Client().delete("/api/v1/nope/deeper"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "not_found"
    assert client.get("/api/v1/wfm/queues").status_code == 200
    assert Client().get("/api/openapi.json").status_code == 200
    assert not [p for p in Client().get("/api/openapi.json").json()["paths"] if "rest" in p]


def test_wrong_method_is_a_json_405_with_allow(member_of):
    client = _client(member_of(Role.AGENT))
    response = client.delete("/api/v1/voice/scores")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json()["code"] == "method_not_allowed" and "DELETE" in response.json()["detail"]
    assert client.get("/api/v1/voice/scores").status_code == 200
    assert client.put(FEEDBACK, "{}", content_type="application/json").json()["code"] == "method_not_allowed"
    assert Feedback.objects.count() == 0
