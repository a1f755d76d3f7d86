"""Bearer authentication for API tokens, with answers that tell an integrator what to fix.

A request without ``Authorization: Bearer`` is left to the other
authentication classes (DRF tokens, sessions). A request *with* one either
authenticates as its token or is refused with 401: a bad key is never
silently ignored, so a misconfigured system fails loudly rather than reading
as nobody.
"""

from __future__ import annotations

from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from socialgov.api.models import ApiToken
from socialgov.api.services import api_token_find, api_token_touch

KEYWORD = "Bearer"
REALM = "SocialGov API"


class TokenClient:
    """Who a request is when it comes with an API token: a system, not a person.

    It has no roles and no database row, so nothing that checks a person's
    roles can be satisfied by a token; only scopes open the API to it.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, token: ApiToken):
        self.token = token
        # For throttling: each token has its own allowance, separate from any person's.
        self.pk = f"api-token-{token.pk}"
        self.id = self.pk

    def __str__(self) -> str:
        return f"API token {self.token}"

    def get_username(self) -> str:
        return str(self)


def bearer_key(request) -> str | None:
    """The key after ``Bearer``, or None when the request does not use bearer authentication."""
    parts = get_authorization_header(request).split()
    if not parts or parts[0].lower() != KEYWORD.lower().encode():
        return None
    if len(parts) != 2:
        _fail(request, "Send the key as “Authorization: Bearer <key>”, with one space and no quotes.", "malformed")
    try:
        return parts[1].decode("ascii")
    except UnicodeDecodeError:
        _fail(request, "The key has characters a key never has: copy it again from where it was saved.", "malformed")


def _when(moment) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y at %H:%M}"


def _fail(request, detail: str, code: str):
    request._api_token_error = code
    raise exceptions.AuthenticationFailed({"detail": detail, "code": f"token_{code}"})


class ApiTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <key>`` with a key issued in the admin site."""

    def authenticate(self, request):
        key = bearer_key(request)
        if key is None:
            return None
        token = api_token_find(key)
        if token is None:
            _fail(request, "This key is not recognised. Check it was copied whole, or ask for a new token.", "invalid")
        now = timezone.now()
        if token.is_revoked:
            _fail(
                request,
                f"This token was revoked on {_when(token.revoked_at)}. Ask an administrator for a new one.",
                "revoked",
            )
        if token.is_expired(now):
            _fail(
                request,
                f"This token expired on {_when(token.expires_at)}. Ask an administrator for a new one.",
                "expired",
            )
        api_token_touch(token=token, now=now)
        return TokenClient(token), token

    def authenticate_header(self, request) -> str:
        error = getattr(request, "_api_token_error", None)
        if error:
            return f'{KEYWORD} realm="{REALM}", error="invalid_token"'
        return f'{KEYWORD} realm="{REALM}"'
