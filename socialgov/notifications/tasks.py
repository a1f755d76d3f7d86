"""Background jobs for the engine: thin, idempotent, safe to run on any number of workers."""

import datetime

from celery import shared_task
from django.conf import settings

from socialgov.notifications.delivery import messages_deliver
from socialgov.notifications.digests import digests_build


# A sweep for 100,000 people takes about 3.5 minutes on two cores (docs/performance.md):
# longer limits than the default, so a large organisation's sweep is not cut short.
@shared_task(name="notifications.build_digests", soft_time_limit=1500, time_limit=1800)
def build_digests(at: str | None = None) -> int:
    """Every few minutes in working hours: write the digests that are due into the outbox.

    ``at`` (ISO 8601) builds them as of another moment, to catch up a sweep that
    was missed.
    """
    written = digests_build(now=datetime.datetime.fromisoformat(at) if at else None)
    if written:
        deliver_pending.delay()
    return written


@shared_task(name="notifications.deliver_pending")
def deliver_pending() -> int:
    """Every minute, and after each sweep: send what is due in the outbox."""
    return messages_deliver(max_messages=settings.NOTIFICATIONS_DELIVER_MAX_MESSAGES).sent


@shared_task(name="notifications.deliver_message")
def deliver_message(message_id: int) -> int:
    """At once, on the urgent queue: send one message (a page, an escalation)."""
    return messages_deliver(ids=[message_id], urgent_only=False).sent
