"""Builders shared by the register's tests: accounts made as a comms lead makes them, and posting licences."""

from __future__ import annotations

import datetime
import itertools

import pytest

from socialgov.channels.models import Account
from socialgov.channels.services import account_save
from training.models import Licence

TODAY = datetime.date(2027, 3, 10)
_handles = itertools.count(1)


def licence_for(person, *, expires_on: datetime.date = datetime.date(2099, 12, 31)) -> Licence:
    """A posting licence in force (as training grants one) for ``person``."""
    return Licence.objects.create(person=person, expires_on=expires_on)


def make_account(*, owners, by, today: datetime.date = TODAY, **fields) -> Account:
    """An account in the register, saved through ``account_save`` as the add page does."""
    number = next(_handles)
    fields.setdefault("platform", "x")
    fields.setdefault("handle", f"@Glenmorven{number}")
    fields.setdefault("credentials_location", f"Keeper › Comms › Account {number}")
    fields.setdefault("has_two_step", True)
    fields.setdefault("last_access_review_on", today - datetime.timedelta(days=10))
    return account_save(account=Account(**fields), owners=owners, by=by, today=today)


@pytest.fixture
def owner(db):
    """An owner of accounts who holds no role: a member of staff in a service with its own page."""
    from tests.factories import UserFactory

    return UserFactory(email="owner@glenmorven.gov.uk", first_name="Olive", last_name="Owner")


@pytest.fixture
def account(owner, comms_lead):
    """An account owned by ``owner``, last reviewed ten days before the real today (its pages use the clock)."""
    from django.utils import timezone

    return make_account(owners=[owner], by=comms_lead, handle="@GlenmorvenLibraries", platform="facebook",
                        today=timezone.localdate())  # fmt: skip
