"""Background jobs for the reports: thin wrappers over ``rollups``."""

import datetime

from celery import shared_task
from django.utils import timezone

from socialgov.reports import rollups


@shared_task(name="reports.refresh_people", soft_time_limit=240, time_limit=300)
def refresh_people(person_ids: list[int]) -> int:
    """Bring a batch of people's standings up to date after a change that touched many at once."""
    return rollups.standings_refresh(person_ids)


@shared_task(name="reports.refresh_everyone", soft_time_limit=1800, time_limit=1900)
def refresh_everyone() -> int:
    """After a change that can move anyone (a policy published, its audience changed): everyone, in batches."""
    return rollups.everyone_refresh()


# Nightly (a django-celery-beat row made by migration 0002), after the training and licence jobs.
@shared_task(name="reports.nightly", soft_time_limit=1800, time_limit=1900)
def nightly(day: str | None = None) -> dict[str, int]:
    """Move standings a date has changed, drop leavers, and keep the day's snapshot for the charts."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return {
        "rolled": rollups.dates_roll(today=today),
        "leavers": rollups.leavers_clear(),
        "snapshot_rows": rollups.snapshot_take(today),
    }


# Weekly: recount everything from the records, mending any drift (for example rows changed in bulk by hand).
@shared_task(name="reports.rebuild", soft_time_limit=3600, time_limit=3700)
def rebuild() -> None:
    rollups.rebuild()
