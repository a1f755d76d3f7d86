"""Writes other apps call: queue a message, mark notifications read, set preferences."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from socialgov.notifications import registry
from socialgov.notifications.models import Message, Notification, Preference


def message_queue(
    *,
    recipient,
    kind: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    idempotency_key: str,
    send_after: datetime.datetime | None = None,
) -> Message:
    """Put one message in the outbox; urgent kinds are handed to a worker as soon as the transaction commits.

    Calling it again with the same key returns the existing message and queues nothing.
    """
    from socialgov.notifications.tasks import deliver_message

    kind_spec = registry.kind(kind)
    if kind_spec is None:
        raise ValueError(f"Unknown kind {kind!r}: register it first.")
    try:
        with transaction.atomic():
            message = Message.objects.create(
                recipient=recipient,
                to_email=recipient.email if recipient else "",
                kind=kind,
                subject=subject,
                body_text=body_text,
                body_html=body_html,
                idempotency_key=idempotency_key,
                is_urgent=kind_spec.is_urgent,
                send_after=send_after or timezone.now(),
            )
    except IntegrityError:
        return Message.objects.get(idempotency_key=idempotency_key)
    if kind_spec.is_urgent:
        deliver_message.delay_on_commit(message.pk)
    return message


def notifications_mark_read(*, person, ids: list[int] | None = None) -> int:
    """Mark a person's notifications read: the given ones, or all of them."""
    unread = Notification.objects.filter(recipient=person, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def preference_for(person) -> Preference:
    """A person's preferences, created with the organisation's default digest time if they have none."""
    preference, _ = Preference.objects.get_or_create(
        person=person, defaults={"digest_time": settings.NOTIFICATIONS_DIGEST_TIME}
    )
    return preference


def preference_update(*, person, digest_time: datetime.time, opted_out_kinds: list[str]) -> Preference:
    """Save a person's choices; mandatory kinds can never be switched off."""
    optional = {kind.key for kind in registry.kinds() if not kind.is_mandatory}
    refused = set(opted_out_kinds) - optional
    if refused:
        raise ValueError(f"These reminders cannot be switched off: {', '.join(sorted(refused))}")
    preference = preference_for(person)
    preference.digest_time = digest_time
    preference.opted_out_kinds = sorted(set(opted_out_kinds))
    preference.save(update_fields=["digest_time", "opted_out_kinds"])
    return preference


def messages_retry(*, ids: list[int]) -> int:
    """Send failed messages again at the next delivery run, as if for the first time; others are left alone."""
    return Message.objects.filter(pk__in=ids, status=Message.Status.FAILED).update(
        status=Message.Status.PENDING,
        send_after=timezone.now(),
        attempts=0,
        last_error="",
        claim_token=None,
        claimed_at=None,
    )


def notice_send(
    *,
    recipient,
    kind: str,
    key: str,
    title: str,
    path: str,
    template: str,
    context: dict | None = None,
) -> Notification:
    """Tell one person something now: an in-app notification and an email, both once per ``key``.

    ``template`` names a triplet ``<template>_subject.txt``, ``<template>.txt``
    and ``<template>.html``; they get ``context`` plus the person's name and
    the absolute link. Calling again with the same key sends nothing more.
    """
    from django.template.loader import render_to_string

    url = settings.SITE_URL.rstrip("/") + path
    notification, created = Notification.objects.get_or_create(
        key=key, defaults={"recipient": recipient, "kind": kind, "title": title, "url": path}
    )
    if created:
        full = {
            "name": recipient.get_short_name(),
            "title": title,
            "url": url,
            "service_name": settings.SERVICE_NAME,
            "organisation_name": settings.ORGANISATION_NAME,
            **(context or {}),
        }
        message_queue(
            recipient=recipient,
            kind=kind,
            subject=render_to_string(f"{template}_subject.txt", full).strip(),
            body_text=render_to_string(f"{template}.txt", full),
            body_html=render_to_string(f"{template}.html", full),
            idempotency_key=key,
        )
    return notification
