"""API tokens for other systems (HR, learning records, payroll).

A token belongs to a system, not a person: it carries scopes instead of
roles, so it keeps working when the administrator who issued it leaves and
can never reach anything a person's roles would. Only a SHA-256 hash of the
key is stored; the key is shown once, when the token is issued. Keys are 256
random bits, so a fast hash is enough: there is nothing to guess.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from socialgov.api.scopes import Scope


class ApiToken(models.Model):
    name = models.CharField(max_length=100, help_text="Which system uses it, e.g. “HR system nightly sync”.")
    # The first characters of the key, kept so a key found in a log or a config file can be traced to its token.
    prefix = models.CharField(max_length=16, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(default=list, help_text="What the token may read or do.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Leave blank for a token that does not expire.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "API token"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes

    def is_expired(self, now: datetime.datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def ordered_scopes(self) -> list[str]:
        """The scopes in their listed order, so refusals and the admin read the same way every time."""
        return [scope for scope in Scope.values if scope in self.scopes]
