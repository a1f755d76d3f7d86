"""API tokens: issued with scopes, hashed at rest, refused with answers that say what to fix."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from socialgov.api.models import ApiToken
from socialgov.api.scopes import Scope
from socialgov.api.services import api_token_issue, api_token_revoke, key_hash
from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"
POST_CHECKS = "/api/v1/post-checks/"
DRAFT = {"text": "The library is open until 8pm.", "platform": "bluesky"}


def test_only_a_hash_of_the_key_is_stored(issue):
    token, key = issue(Scope.PEOPLE_READ)

    assert key.startswith("sgk_")
    assert len(key) > 40
    assert token.prefix == key[:12]
    assert token.key_hash == key_hash(key) != key
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}


def test_it_refuses_unknown_scopes():
    with pytest.raises(ValueError, match="Unknown scopes: people:write"):
        api_token_issue(name="HR", scopes=["people:write"])
    with pytest.raises(ValueError, match="at least one scope"):
        api_token_issue(name="HR", scopes=[])


def test_a_token_with_the_scope_reads_and_records_its_use(issue):
    token, key = issue(Scope.PEOPLE_READ)

    response = bearer(key).get(PEOPLE)

    assert response.status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_without_credentials_the_answer_is_401_with_a_bearer_challenge():
    response = APIClient().get(PEOPLE)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="SocialGov API"'
    assert "credentials" in response.json()["detail"]


@pytest.mark.parametrize(
    ("header", "code", "words"),
    [
        ("Bearer sgk_not-a-real-key", "token_invalid", "not recognised"),
        ("Bearer something-else", "token_invalid", "not recognised"),
        ("Bearer", "token_malformed", "Authorization: Bearer <key>"),
        ("Bearer two words", "token_malformed", "one space"),
    ],
)
def test_a_bad_key_is_answered_401_saying_what_is_wrong(header, code, words):
    response = APIClient().get(PEOPLE, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["code"] == code
    assert words in response.json()["detail"]
    assert response["WWW-Authenticate"] == 'Bearer realm="SocialGov API", error="invalid_token"'


def test_a_revoked_token_is_refused_and_says_so(issue):
    token, key = issue(Scope.PEOPLE_READ)
    assert api_token_revoke(token=token)
    assert not api_token_revoke(token=token)

    response = bearer(key).get(PEOPLE)

    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"
    assert "revoked on" in response.json()["detail"]
    assert "error=" in response["WWW-Authenticate"]


def test_an_expired_token_is_refused_and_says_so(issue):
    token, key = issue(Scope.PEOPLE_READ, expires_at=timezone.now() + datetime.timedelta(days=1))
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=an_hour_ago - datetime.timedelta(days=1), expires_at=an_hour_ago
    )

    response = bearer(key).get(PEOPLE)

    assert response.status_code == 401
    assert response.json()["code"] == "token_expired"
    assert "expired on" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "scope"),
    [
        ("/api/v1/people/", "people:read"),
        ("/api/v1/departments/", "people:read"),
        ("/api/v1/assignments/", "training:read"),
        ("/api/v1/completions/", "training:read"),
        ("/api/v1/licences/", "training:read"),
        ("/api/v1/acknowledgements/", "policies:read"),
    ],
)
def test_an_out_of_scope_token_gets_403_naming_the_scope_it_needs(issue, url, scope):
    granted = [s for s in Scope.values if s != scope]
    _, key = issue(*granted)

    response = bearer(key).get(url)

    assert response.status_code == 403
    body = response.json()
    assert body["required_scope"] == scope
    assert body["code"] == "insufficient_scope"
    assert scope in body["detail"]
    assert body["token_scopes"] == granted


@pytest.mark.parametrize(("persona", "status"), [("hr", 200), ("administrator", 200), ("staff", 403), ("manager", 403)])
def test_signed_in_only_hr_and_administrators_read_hr_records(personas, persona, status):
    client = APIClient()
    client.force_login(personas[persona])

    response = client.get(PEOPLE)

    assert response.status_code == status
    if status == 403:
        assert response.json()["required_scope"] == "people:read"
        assert "HR" in response.json()["detail"]


def test_the_older_person_tokens_do_not_open_hr_records(hr):
    token = Token.objects.create(user=hr)

    response = APIClient().get(PEOPLE, HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 401


def test_post_checks_take_a_token_with_the_post_checks_scope(issue):
    _, key = issue(Scope.POST_CHECKS)

    response = bearer(key).post(POST_CHECKS, DRAFT, format="json")

    assert response.status_code == 200
    assert response.json()["findings"] == []


def test_post_checks_refuse_a_token_without_the_scope(issue):
    _, key = issue(Scope.PEOPLE_READ)

    response = bearer(key).post(POST_CHECKS, DRAFT, format="json")

    assert response.status_code == 403
    assert response.json()["required_scope"] == "post-checks"


def test_post_checks_still_challenge_with_token_but_say_bearer_for_a_bad_bearer_key():
    assert APIClient().post(POST_CHECKS, DRAFT, format="json")["WWW-Authenticate"].startswith("Token")

    response = APIClient().post(POST_CHECKS, DRAFT, format="json", HTTP_AUTHORIZATION="Bearer sgk_wrong")

    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_reading_hr_records_cannot_use_the_pages(issue):
    _, key = issue(*Scope.values)

    response = bearer(key).get("/people/")

    assert response.status_code == 302  # to sign in: a token is for the API only


def test_each_token_has_its_own_rate_limit(issue, monkeypatch):
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": "2/min"})
    (one, first), (two, second) = issue(Scope.PEOPLE_READ, name="First"), issue(Scope.PEOPLE_READ, name="Second")
    # Ids repeat in a fresh test database; the shared cache may remember an earlier run's requests.
    cache.delete_many(
        [UserRateThrottle.cache_format % {"scope": "user", "ident": f"api-token-{t.pk}"} for t in (one, two)]
    )

    statuses = [bearer(first).get(PEOPLE).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert bearer(second).get(PEOPLE).status_code == 200
