"""The people app's reminder source: new starters setting up their account.

A new starter who has not yet signed in is reminded to do so (and to set a
password or use single sign-on); someone whose role needs an authenticator
app is reminded to set one up.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse

from socialgov.notifications.registry import DueItem, Kind
from socialgov.people.models import User
from socialgov.people.roles import MFA_ROLES

ACCOUNT_SETUP = Kind(key="people.account_setup", label="Setting up your account", group="Your account")
SETUP_WITHIN = datetime.timedelta(days=7)


class AccountSetupSource:
    """New starters who have never signed in, and role holders without an authenticator."""

    kind = ACCOUNT_SETUP

    def due_items(self, *, today: datetime.date) -> Iterator[DueItem]:
        since = today - datetime.timedelta(days=settings.NEW_STARTER_DAYS)
        starters = User.objects.filter(
            is_active=True, last_login__isnull=True, start_date__gte=since, start_date__lte=today
        ).values_list("pk", "start_date")
        login_url = reverse("account_login")
        for pk, start_date in starters.iterator(chunk_size=5000):
            yield DueItem(
                person_id=pk,
                kind=self.kind.key,
                subject_key="first-sign-in",
                title="Sign in to SocialGov for the first time",
                url=login_url,
                due_on=start_date + SETUP_WITHIN,
            )
        if not settings.MFA_REQUIRED_FOR_ROLES:
            return
        without_mfa = (
            User.objects.filter(is_active=True, groups__name__in=MFA_ROLES, last_login__isnull=False)
            .exclude(authenticator__type=Authenticator.Type.TOTP)
            .values_list("pk", "date_joined")
            .distinct()
        )
        mfa_url = reverse("mfa_activate_totp")
        for pk, joined in without_mfa.iterator(chunk_size=5000):
            yield DueItem(
                person_id=pk,
                kind=self.kind.key,
                subject_key="authenticator",
                title="Set up an authenticator app for your role",
                url=mfa_url,
                due_on=joined.date() + SETUP_WITHIN,
            )
