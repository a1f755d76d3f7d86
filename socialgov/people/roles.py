"""Roles: the one place that says who holds which role.

Roles are Django groups, created by a migration. "Manager" is not a group: it
follows from having reports. Lookups are cached on the user object so a
request asks the database once, however many checks a page makes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    COMMS_LEAD = "Comms lead"
    HR = "HR"
    INCIDENT_LEAD = "Incident lead"
    WELLBEING = "HR wellbeing"
    ADMINISTRATOR = "Administrator"


# Roles that can see or change other people's records: they may not be used
# until the person has set up a second factor.
MFA_ROLES = frozenset({Role.COMMS_LEAD, Role.HR, Role.WELLBEING, Role.ADMINISTRATOR})

ROLE_DESCRIPTIONS = {
    Role.COMMS_LEAD: "Writes and publishes guidance, policies and playbooks; owns the register of accounts.",
    Role.HR: "Imports the staff list, assigns training and tracks completion.",
    Role.INCIDENT_LEAD: "Runs incidents out of hours and can pause publishing.",
    Role.WELLBEING: "Supports staff who report online abuse, and sees their reports.",
    Role.ADMINISTRATOR: "Manages people, roles, settings and schedules, and uses the admin site.",
}


def user_roles(user) -> frozenset[str]:
    """The role names a person holds (a superuser holds Administrator)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_socialgov_roles", None)
    if cached is None:
        names = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        if user.is_superuser:
            names.add(Role.ADMINISTRATOR)
        cached = frozenset(names)
        user._socialgov_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def is_manager(user) -> bool:
    """A manager is anyone with at least one current report."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_socialgov_is_manager", None)
    if cached is None:
        cached = user.reports.filter(is_active=True).exists()
        user._socialgov_is_manager = cached
    return cached


def has_second_factor(user) -> bool:
    """Whether the person has an authenticator app set up."""
    from allauth.mfa.models import Authenticator

    cached = getattr(user, "_socialgov_has_mfa", None)
    if cached is None:
        cached = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        user._socialgov_has_mfa = cached
    return cached


def mfa_blocks(user, granting_roles: frozenset[str]) -> bool:
    """True when the roles that grant access all need MFA and the person has none."""
    if not settings.MFA_REQUIRED_FOR_ROLES or not granting_roles:
        return False
    return granting_roles <= MFA_ROLES and not has_second_factor(user)
