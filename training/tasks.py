"""Background jobs for training: thin wrappers over services."""

from celery import shared_task

from training.licensing import licences_review
from training.services import assignments_sync, refreshers_assign


@shared_task(name="training.nightly")
def nightly() -> dict[str, int]:
    """Every night: assign by rule, assign refreshers before completions expire, then grant or lapse licences."""
    return {
        "assigned": assignments_sync(),
        "refreshers": refreshers_assign(),
        "licences_changed": licences_review(),
    }


@shared_task(name="training.sync_assignments")
def sync_assignments() -> int:
    """After the staff list changes: assign courses to whoever the rules now reach."""
    return assignments_sync()
