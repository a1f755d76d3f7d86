"""Who may use an endpoint: a token with the endpoint's scope, or a signed-in person with its roles.

Each view declares ``required_scope`` (for tokens) and ``person_roles`` (for
people signed in, or with a DRF token; empty means anyone signed in). A
refusal says what was missing, so an integrator can ask for the right token.
"""

from __future__ import annotations

from rest_framework import exceptions
from rest_framework.permissions import BasePermission

from socialgov.api.models import ApiToken
from socialgov.people.roles import has_role


class ScopeOrRole(BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False  # DRF answers 401 with the challenge
        scope = view.required_scope
        if isinstance(request.auth, ApiToken):
            if request.auth.has_scope(scope):
                return True
            raise exceptions.PermissionDenied(
                {
                    "detail": f"This token does not have the “{scope}” scope this endpoint needs.",
                    "code": "insufficient_scope",
                    "required_scope": scope,
                    "token_scopes": request.auth.ordered_scopes,
                }
            )
        roles = getattr(view, "person_roles", ())
        if not roles or has_role(request.user, *roles):
            return True
        raise exceptions.PermissionDenied(
            {
                "detail": "This endpoint is for: " + ", ".join(roles) + ". Other systems use a token with the "
                f"“{scope}” scope.",
                "code": "permission_denied",
                "required_scope": scope,
            }
        )
