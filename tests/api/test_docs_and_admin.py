"""The browsable docs (offline, strict-CSP friendly, signed in only), the schema, and issuing tokens in the admin."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from socialgov.api.models import ApiToken
from socialgov.api.scopes import Scope
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def test_the_docs_page_needs_sign_in(client):
    response = client.get("/api/docs/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_docs_page_uses_only_the_sites_own_files_and_no_inline_code(client, staff):
    client.force_login(staff)

    page = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in page
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(src.startswith("/") for src in sources), sources
    assert "<style" not in page
    assert all(not body.strip() for body in re.findall(r"<script[^>]*>(.*?)</script>", page, re.S))
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/").split("?")[0]), src


def test_the_docs_script_comes_from_its_own_url_and_points_at_the_schema(client, staff):
    client.force_login(staff)

    response = client.get("/api/docs/?script=")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()


def test_any_token_may_read_the_schema_whatever_its_scopes(issue):
    _, key = issue(Scope.POST_CHECKS)

    response = bearer(key).get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    schema = response.json()
    assert {"/api/v1/people/", "/api/v1/acknowledgements/"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["apiToken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["apiToken"]["description"],
    }


def test_an_administrator_issues_a_token_and_sees_the_key_once(client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"name": "Learning records nightly copy", "scopes": ["training:read", "people:read"], "expires_at_0": "",
         "expires_at_1": ""},
    )  # fmt: skip

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = re.search(r'value="(sgk_[^"]+)"', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.created_by == administrator
    assert token.scopes == ["people:read", "training:read"]
    assert bearer(key).get("/api/v1/people/").status_code == 200

    change_page = client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert key not in change_page
    assert token.prefix in change_page


def test_an_administrator_revokes_tokens_and_cannot_delete_them(client, administrator, issue):
    token, key = issue(Scope.PEOPLE_READ)
    client.force_login(administrator)

    client.post(
        reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert bearer(key).get("/api/v1/people/").status_code == 401
    assert client.get(reverse("admin:api_apitoken_delete", args=[token.pk])).status_code == 403
