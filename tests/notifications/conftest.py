import datetime
import json
from zoneinfo import ZoneInfo

import pytest
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from socialgov.notifications.working_time import is_working_day, local_now
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


# --- Real worker and beat processes (tests that need PostgreSQL and Redis) -----

DELIVER = "notifications.deliver_pending"
BUILD = "notifications.build_digests"


def latest_working_morning() -> datetime.datetime:
    """09:05 on the latest working day that has reached 09:05: digests due then are due now."""
    now = local_now()
    day = now.date()
    while not is_working_day(day) or at(day, 9, 5) > now:
        day -= datetime.timedelta(days=1)
    return at(day, 9, 5)


def fire_every_second(queue: str, task: str, **kwargs) -> None:
    """Have beat fire ``task`` on ``queue`` every second."""
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name=f"{task} on {queue}",
        task=task,
        interval=every_second,
        queue=queue,
        kwargs=json.dumps(kwargs),
        # A run that waited this long in the queue is dropped: the next one does its work.
        expire_seconds=30,
    )


@pytest.fixture
def schedules(celery_processes):
    """Only the test's own periodic tasks: the platform's schedules would fire on the test's queue too."""
    PeriodicTask.objects.all().delete()
    return celery_processes.queue


def worker_env(smtp_server) -> dict[str, str]:
    return {
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        # A claim left by a killed worker comes back after three seconds, not five minutes.
        "NOTIFICATIONS_STALE_CLAIM_SECONDS": "3",
        # Each delivery run sends at most 500, so a sweep takes several runs, as a large one does.
        "NOTIFICATIONS_DELIVER_MAX_MESSAGES": "500",
    }
