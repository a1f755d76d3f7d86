"""Issuing, revoking and recognising API tokens: the one place the key format lives."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from socialgov.api.models import ApiToken
from socialgov.api.scopes import Scope

KEY_PREFIX = "sgk_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8
# A token's last use is written at most this often, so a busy sync does not write on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_issue(
    *, name: str, scopes: list[str], created_by=None, expires_at: datetime.datetime | None = None
) -> tuple[ApiToken, str]:
    """Issue a token and return it with its key: the only time the key exists outside the caller's system."""
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise ValueError(f"Unknown scopes: {', '.join(unknown)}.")
    if not scopes:
        raise ValueError("A token needs at least one scope.")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        scopes=[scope for scope in Scope.values if scope in scopes],
        created_by=created_by,
        expires_at=expires_at,
    )
    return token, key


def api_token_revoke(*, token: ApiToken, now: datetime.datetime | None = None) -> bool:
    """Revoke a token for good; False if it was revoked already (the first revocation's time stands)."""
    now = now or timezone.now()
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if updated:
        token.revoked_at = now
    return bool(updated)


def api_token_find(key: str) -> ApiToken | None:
    """The token a key belongs to, revoked and expired ones included, so the caller can say which it is."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    return ApiToken.objects.filter(key_hash=key_hash(key)).first()


def api_token_touch(*, token: ApiToken, now: datetime.datetime | None = None) -> None:
    """Record that a token was used, at most once per ``LAST_USED_RESOLUTION``."""
    now = now or timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
