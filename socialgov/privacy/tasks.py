"""Background jobs for data protection: thin wrappers over plain functions."""

import datetime

from celery import shared_task

from socialgov.privacy.anonymisation import leavers_anonymise


# Nightly at 02:15 (a django-celery-beat row made by migration 0001), after leavers are deactivated at 00:30
# and training's run at 01:00. Idempotent and committed a batch at a time: a run cut short is finished the
# next night, so there are no retries.
@shared_task(name="privacy.anonymise_leavers", soft_time_limit=3300, time_limit=3600)
def anonymise_leavers(today: str | None = None) -> int:
    """Anonymise leavers whose retention period is over.

    ``today`` (ISO 8601 date) runs it as of another day, to catch up or to try the retention rule.
    """
    return leavers_anonymise(datetime.date.fromisoformat(today) if today else None)
