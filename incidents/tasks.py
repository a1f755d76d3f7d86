from celery import shared_task
from django.utils import timezone


@shared_task(name="incidents.escalate")
def escalate() -> int:
    """Every minute: page whoever is next on the ladder for anything nobody has acknowledged."""
    from incidents.escalation import escalations_run

    return escalations_run(timezone.now())
