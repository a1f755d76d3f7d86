"""Builders shared by the rota tests: local times, people to put on call, shifts.

Every date is fixed. The week of Monday 16 November 2026 has no Scottish
bank holiday (St Andrew's Day is observed on Monday 30 November); the clocks
go forward at 01:00 GMT on Sunday 29 March 2026 and back at 02:00 BST on
Sunday 25 October 2026.
"""

from __future__ import annotations

import datetime

import factory
import pytest

from socialgov.rota.models import Shift
from socialgov.rota.times import local_moment
from tests.factories import UserFactory

UTC = datetime.UTC
MONDAY = datetime.date(2026, 11, 16)
FRIDAY = datetime.date(2026, 11, 20)
SATURDAY = datetime.date(2026, 11, 21)
SUNDAY = datetime.date(2026, 11, 22)
CLOCKS_BACK = datetime.date(2026, 10, 25)
CLOCKS_FORWARD = datetime.date(2026, 3, 29)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment given as a local (London) date and time."""
    return local_moment(day, datetime.time(hour, minute))


def next_day(day: datetime.date, days: int = 1) -> datetime.date:
    return day + datetime.timedelta(days=days)


class ShiftFactory(factory.django.DjangoModelFactory):
    """A shift written straight to the table, past the services' rules: for data the rules would refuse."""

    class Meta:
        model = Shift

    person = factory.SubFactory(UserFactory)
    role = Shift.Role.PRIMARY
    starts_at = factory.LazyFunction(lambda: at(MONDAY, 17, 30))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + datetime.timedelta(hours=15, minutes=30))


@pytest.fixture(autouse=True)
def _scottish_working_time(settings):
    settings.BANK_HOLIDAY_NATION = "SCT"
    settings.WORKING_DAY_START = datetime.time(9, 0)
    settings.WORKING_DAY_END = datetime.time(17, 30)
    settings.SITE_URL = "https://socialgov.glenmorven.gov.uk"


@pytest.fixture
def alex(db):
    return UserFactory(email="alex.adams@glenmorven.gov.uk", first_name="Alex", last_name="Adams")


@pytest.fixture
def blair(db):
    return UserFactory(email="blair.brown@glenmorven.gov.uk", first_name="Blair", last_name="Brown")


@pytest.fixture
def casey(db):
    return UserFactory(email="casey.clark@glenmorven.gov.uk", first_name="Casey", last_name="Clark")
