"""Background jobs for people: thin wrappers over services."""

from celery import shared_task

from socialgov.people.services import leavers_deactivate


@shared_task(name="people.deactivate_leavers")
def deactivate_leavers() -> int:
    """Daily: people whose leaving date has come can no longer sign in."""
    return leavers_deactivate()
