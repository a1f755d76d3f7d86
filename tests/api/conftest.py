"""API fixtures: tokens issued as an administrator would, and clients that send them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import UserRateThrottle

from socialgov.api.scopes import Scope
from socialgov.api.services import api_token_issue


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    """Many requests a minute are what these tests do; the rate limit has its own test."""
    monkeypatch.setattr(UserRateThrottle, "THROTTLE_RATES", {"user": None})


@pytest.fixture
def issue(db, administrator):
    """Issue a token with the given scopes; returns (token, key)."""

    def make(*scopes: str, name: str = "HR system", **kwargs):
        return api_token_issue(name=name, scopes=list(scopes), created_by=administrator, **kwargs)

    return make


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def reader(issue) -> APIClient:
    """A system that holds every read scope."""
    _, key = issue(Scope.PEOPLE_READ, Scope.TRAINING_READ, Scope.POLICIES_READ)
    return bearer(key)
