"""Background jobs for the register: thin wrappers over services."""

from celery import shared_task

from socialgov.channels.services import grants_lapse


@shared_task(name="channels.lapse_grants")
def lapse_grants() -> int:
    """Nightly, after leavers and licences: access lapses for anyone who has lost their licence or left."""
    return grants_lapse()
