"""Background jobs for the rota: thin wrappers over plain functions."""

import datetime

from celery import shared_task

from socialgov.rota.reminders import shift_reminders_send


# Every five minutes (a django-celery-beat row made by migration 0002). Idempotent: a failed run is
# caught up by the next one, so there are no retries.
@shared_task(name="rota.shift_reminders", soft_time_limit=120, time_limit=180)
def shift_reminders(at: str | None = None) -> int:
    """Remind people whose on-call shift starts soon, each shift once.

    ``at`` (ISO 8601) runs it as of another moment, to catch up runs that were missed.
    """
    return shift_reminders_send(datetime.datetime.fromisoformat(at) if at else None)
