"""Delivering the outbox: claim, send, record; retry with backoff; never twice.

Workers claim a batch of due messages with a conditional update (status
pending → sending, with their token), so two workers never hold the same row.
A claim left by a worker that died is released after ``STALE_CLAIM`` and the
message is sent again; with the SMTP backend the send is recorded, in a
transaction that commits the moment the server is told the message is
complete (see ``backends``), so that resend is the only copy the server ever
accepts. A worker whose claim was released while it was still sending (it took
longer than ``STALE_CLAIM``) finds the row no longer its own when it records the
send, and abandons that message to the worker that holds it now.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import uuid
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from socialgov.notifications.models import Message

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
MAX_BACKOFF = datetime.timedelta(hours=6)


def stale_claim_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.NOTIFICATIONS_STALE_CLAIM_SECONDS)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    retrying: int = 0


def backoff(attempts: int) -> datetime.timedelta:
    """1, 2, 4, 8 ... minutes between attempts, at most six hours."""
    return min(datetime.timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def messages_release_stale(*, now: datetime.datetime | None = None) -> int:
    """Give back messages claimed by a worker that stopped before finishing them."""
    now = now or timezone.now()
    return Message.objects.filter(status=Message.Status.SENDING, claimed_at__lt=now - stale_claim_after()).update(
        status=Message.Status.PENDING, claim_token=None, last_error="Delivery was interrupted; sending again."
    )


def _claim(*, now: datetime.datetime, batch_size: int, urgent_only: bool, ids: list[int] | None) -> list[Message]:
    token = uuid.uuid4()
    due = Message.objects.due(now)
    if urgent_only:
        due = due.filter(is_urgent=True)
    if ids is not None:
        due = due.filter(pk__in=ids)
    with transaction.atomic():
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        chosen = list(due.order_by("-is_urgent", "send_after", "pk").values_list("pk", flat=True)[:batch_size])
        if not chosen:
            return []
        Message.objects.filter(pk__in=chosen, status=Message.Status.PENDING).update(
            status=Message.Status.SENDING, claim_token=token, claimed_at=now
        )
    return list(Message.objects.filter(claim_token=token, status=Message.Status.SENDING).order_by("pk"))


def _email_for(message: Message) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        headers={"Message-ID": message.message_id, "X-SocialGov-Kind": message.kind},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def _record(message: Message, **fields) -> int:
    """Update the message if this worker's claim on it still holds; the number of rows updated."""
    return Message.objects.filter(pk=message.pk, claim_token=message.claim_token).update(**fields)


def _fail(message: Message, reason: str, *, permanent: bool, now: datetime.datetime) -> str:
    attempts = message.attempts + 1
    if permanent or attempts >= MAX_ATTEMPTS:
        _record(message, status=Message.Status.FAILED, attempts=attempts, last_error=reason, claim_token=None)
        logger.warning("Message %s failed for good: %s", message.pk, reason)
        return "failed"
    _record(
        message,
        status=Message.Status.PENDING,
        attempts=attempts,
        last_error=reason,
        claim_token=None,
        send_after=now + backoff(attempts),
    )
    return "retrying"


def _deliver_one(message: Message, connection, now: datetime.datetime) -> str:
    if not message.to_email:
        return _fail(message, "This person has no email address.", permanent=True, now=now)
    committed = False

    @contextmanager
    def commit():
        """Record the send; the record is committed as the block (the final write to the server) ends."""
        nonlocal committed
        sent = {"status": Message.Status.SENT, "sent_at": timezone.now(), "attempts": F("attempts") + 1}
        with transaction.atomic():
            if not _record(message, **sent, claim_token=None):
                raise _ClaimLost(f"Message {message.pk} was released and claimed again: leaving it to that claim.")
            yield
        committed = True

    email = _email_for(message)
    try:
        if hasattr(connection, "send_with_commit_point"):
            connection.send_with_commit_point(email, commit)
        else:
            connection.send_messages([email])
            with commit():
                pass
    except smtplib.SMTPRecipientsRefused as error:
        reasons = "; ".join(f"{address}: {code} {reply.decode(errors='replace')}"
                            for address, (code, reply) in error.recipients.items())  # fmt: skip
        return _fail(message, f"The mail server refused the address. {reasons}".strip(), permanent=True, now=now)
    except Exception as error:
        if getattr(error, "is_permanent", False):
            # The email service refused this message for good (e.g. an invalid address).
            return _fail(message, str(error), permanent=True, now=now)
        # Mail-service errors (SMTP, network, or a backend's error that says whether it is
        # permanent) are retried; anything else is a bug and is raised.
        is_service_error = isinstance(error, smtplib.SMTPException | OSError) or hasattr(error, "is_permanent")
        if not is_service_error:
            raise
        if committed:
            # The server refused the completed message: it was not delivered.
            Message.objects.filter(pk=message.pk).update(status=Message.Status.SENDING, claim_token=message.claim_token)
        raise _ConnectionLost(f"{type(error).__name__}: {error}") from error
    return "sent"


class _ConnectionLost(Exception):
    pass


class _ClaimLost(Exception):
    pass


def messages_deliver(
    *,
    now: datetime.datetime | None = None,
    batch_size: int = 200,
    max_messages: int | None = None,
    urgent_only: bool = False,
    ids: list[int] | None = None,
) -> DeliveryResult:
    """Send what is due in the outbox, batch by batch, until nothing is left (or the limit)."""
    result = DeliveryResult()
    messages_release_stale(now=now)
    handled = 0
    while max_messages is None or handled < max_messages:
        now_batch = now or timezone.now()
        batch = _claim(now=now_batch, batch_size=batch_size, urgent_only=urgent_only, ids=ids)
        if not batch:
            break
        handled += len(batch)
        _deliver_batch(batch, now_batch, result)
    return result


def _deliver_batch(batch: list[Message], now: datetime.datetime, result: DeliveryResult) -> None:
    connection = get_connection()
    try:
        connection.open()
    except (smtplib.SMTPException, OSError) as error:
        for message in batch:
            _count(result, _fail(message, f"Could not reach the mail server: {error}", permanent=False, now=now))
        return
    try:
        for position, message in enumerate(batch):
            try:
                _count(result, _deliver_one(message, connection, now))
            except (_ConnectionLost, _ClaimLost) as stopped:
                if isinstance(stopped, _ClaimLost):
                    # The batch's claims went stale together: the rest may be another worker's now.
                    logger.warning("%s", stopped)
                else:
                    _count(result, _fail(message, str(stopped), permanent=False, now=now))
                # Hand back untouched the rest still claimed by this run, for the next run.
                rest = [m.pk for m in batch[position + 1 :]]
                Message.objects.filter(
                    pk__in=rest, status=Message.Status.SENDING, claim_token=message.claim_token
                ).update(status=Message.Status.PENDING, claim_token=None)
                return
    finally:
        try:
            connection.close()
        except (smtplib.SMTPException, OSError):
            logger.debug("Mail connection was already closed")


def _count(result: DeliveryResult, outcome: str) -> None:
    setattr(result, outcome, getattr(result, outcome) + 1)
