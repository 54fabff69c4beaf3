"""The API documentation works offline: every asset it loads is served by Aspa itself."""

from __future__ import annotations

import re

from django.test import Client


def test_docs_page_loads_only_local_assets(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert urls, "the docs page should load the bundled Swagger UI"
    assert all(url.startswith("/static/") for url in urls), urls
    assert not re.search(r"https?://(?!127\.0\.0\.1|localhost)", html.replace("http://testserver", ""))
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io
    assert '<html lang="' in html


def test_docs_assets_are_served_locally(db, settings):
    from django.contrib.staticfiles import finders

    for asset in ["ninja/swagger-ui.css", "ninja/swagger-ui-bundle.js", "ninja/swagger-ui-init.js"]:
        assert finders.find(asset), asset


def test_schema_lists_the_endpoints(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Aspa API"
    paths = schema["paths"]
    for path in [
        "/api/v1/me",
        "/api/v1/people",
        "/api/v1/people/{membership_id}",
        "/api/v1/teams",
        "/api/v1/teams/{team_id}",
        "/api/v1/invitations",
    ]:
        assert path in paths, path
    assert "post" in paths["/api/v1/invitations"]
    assert {"page", "page_size", "q"} <= {p["name"] for p in paths["/api/v1/people"]["get"]["parameters"]}
    schemes = schema["components"]["securitySchemes"].values()
    assert {"type": "http", "scheme": "bearer"} in schemes
