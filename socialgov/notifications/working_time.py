"""Working time: Europe/London, UK bank holidays for the chosen nation, office hours.

Reminders go only on working days inside working hours; urgent messages
ignore both. Everything is computed on local dates and wall-clock times, so a
clock change (BST/GMT) neither skips nor doubles a day.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.utils import timezone


def local_now(now: datetime.datetime | None = None) -> datetime.datetime:
    return timezone.localtime(now or timezone.now(), ZoneInfo(settings.TIME_ZONE))


@lru_cache(maxsize=8)
def _bank_holidays(nation: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=nation, years=year)


def is_bank_holiday(day: datetime.date) -> bool:
    return day in _bank_holidays(settings.BANK_HOLIDAY_NATION, day.year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def previous_working_day(day: datetime.date) -> datetime.date:
    day -= datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def working_hours() -> tuple[datetime.time, datetime.time]:
    return settings.WORKING_DAY_START, settings.WORKING_DAY_END


def is_within_working_hours(now: datetime.datetime | None = None) -> bool:
    """Whether reminders may go now: a working day, between the start and end of the day."""
    local = local_now(now)
    start, end = working_hours()
    return is_working_day(local.date()) and start <= local.time() < end
