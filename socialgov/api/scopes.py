"""The scopes an API token can hold: each endpoint needs exactly one.

Scopes follow the data, not the endpoint, so a payroll or learning system is
given only the records it copies, and a new endpoint over the same data needs
no new scope.
"""

from __future__ import annotations

from django.db import models


class Scope(models.TextChoices):
    PEOPLE_READ = "people:read", "people:read – people and departments"
    TRAINING_READ = "training:read", "training:read – assignments, completions and posting licences"
    POLICIES_READ = "policies:read", "policies:read – policy acknowledgements"
    POST_CHECKS = "post-checks", "post-checks – check draft posts"
