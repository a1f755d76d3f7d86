import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.factories import UserFactory

LONDON = ZoneInfo("Europe/London")
# Tuesday 24 November 2026, a working day in Scotland.
TUESDAY = datetime.date(2026, 11, 24)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    """A moment in local (London) time."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _working_time(settings):
    settings.BANK_HOLIDAY_NATION = "SCT"
    settings.WORKING_DAY_START = datetime.time(9, 0)
    settings.WORKING_DAY_END = datetime.time(17, 30)
    settings.NOTIFICATIONS_DIGEST_TIME = datetime.time(9, 0)
    settings.SITE_URL = "https://socialgov.glenmorven.gov.uk"


@pytest.fixture
def new_starter(db, manager):
    """Started three days before TUESDAY, never signed in: their first sign-in is due in four days."""
    return UserFactory(
        email="new.starter@glenmorven.gov.uk",
        first_name="Isla",
        last_name="Newton",
        start_date=TUESDAY - datetime.timedelta(days=3),
        line_manager=manager,
    )
