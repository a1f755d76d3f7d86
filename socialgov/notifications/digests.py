"""Daily digests: one email per person per working day listing everything they owe.

A sweep runs every few minutes. It asks every source once for what is open,
decides who is due a digest now (their digest time has passed, they have no
digest today, and something of theirs has a reminder trigger since their last
digest), then *claims* each digest by inserting its outbox row under a unique
key (person + date) with this sweep's token. Only the sweep whose insert won
writes the body, so two beats or a retried task never make two digests.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from socialgov.notifications import registry
from socialgov.notifications.models import Message, Notification, Preference, ReminderPolicy
from socialgov.notifications.schedule import describe_due, is_escalated, is_escalation_due, is_reminder_due
from socialgov.notifications.working_time import is_within_working_hours, local_now

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


@dataclass
class Entry:
    """One line of a digest."""

    item: registry.DueItem
    kind: registry.Kind
    status: str
    is_new: bool
    about: str = ""  # whose item, on a manager's digest

    @property
    def is_overdue(self) -> bool:
        return self.status.startswith("Overdue")


@dataclass
class Digest:
    person_id: int
    email: str
    name: str
    entries: list[Entry] = field(default_factory=list)
    team_entries: list[Entry] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        return any(e.is_new for e in self.entries) or any(e.is_new for e in self.team_entries)


def _absolute(path: str) -> str:
    return urljoin(settings.SITE_URL, path)


def _policies() -> dict[str, ReminderPolicy]:
    stored = {policy.kind: policy for policy in ReminderPolicy.objects.all()}
    return {source.kind.key: stored.get(source.kind.key) or ReminderPolicy.default(source.kind.key)
            for source in registry.sources()}  # fmt: skip


def _open_items(today: datetime.date, policies: dict[str, ReminderPolicy]) -> dict[int, list[registry.DueItem]]:
    items: dict[int, list[registry.DueItem]] = defaultdict(list)
    for source in registry.sources():
        if policies[source.kind.key].is_enabled:
            for item in source.due_items(today=today):
                items[item.person_id].append(item)
    return items


def digests_plan(*, now: datetime.datetime | None = None) -> list[Digest]:
    """Everyone who should get a digest now, with its entries; reads only, a fixed number of queries."""
    now = now or timezone.now()
    local = local_now(now)
    today = local.date()
    if not is_within_working_hours(now):
        return []
    policies = _policies()
    items = _open_items(today, policies)
    if not items:
        return []
    User = get_user_model()
    people = {
        pk: (email, f"{first} {last}".strip(), manager)
        for pk, email, first, last, manager in User.objects.filter(is_active=True).values_list(
            "pk", "email", "first_name", "last_name", "line_manager_id"
        )
    }
    preferences = {
        person_id: (digest_time, set(opted_out))
        for person_id, digest_time, opted_out in Preference.objects.values_list(
            "person_id", "digest_time", "opted_out_kinds"
        )
    }
    last_digest = dict(
        Message.objects.filter(kind=registry.DIGEST.key, digest_date__isnull=False)
        .values("recipient_id")
        .annotate(last=Max("digest_date"))
        .values_list("recipient_id", "last")
    )
    default_time = settings.NOTIFICATIONS_DIGEST_TIME

    digests: dict[int, Digest] = {}

    def digest_for(pk: int) -> Digest | None:
        if pk not in people:
            return None
        if pk not in digests:
            email, name, _ = people[pk]
            digests[pk] = Digest(person_id=pk, email=email, name=name)
        return digests[pk]

    for person_id, person_items in items.items():
        if person_id not in people:
            continue
        opted_out = preferences.get(person_id, (None, set()))[1]
        after = last_digest.get(person_id)
        for item in person_items:
            kind = registry.kind(item.kind)
            policy = policies[item.kind]
            if not kind.is_mandatory and item.kind in opted_out:
                continue
            digest = digest_for(person_id)
            is_new = is_reminder_due(item.due_on, policy, after=after, today=today)
            digest.entries.append(Entry(item, kind, describe_due(item.due_on, today), is_new))
            manager_id = people[person_id][2]
            if manager_id and is_escalated(item.due_on, policy, today=today):
                manager = digest_for(manager_id)
                if manager is not None:
                    escalation_new = is_escalation_due(
                        item.due_on, policy, after=last_digest.get(manager_id), today=today
                    )
                    manager.team_entries.append(
                        Entry(item, kind, describe_due(item.due_on, today), escalation_new, about=people[person_id][1])
                    )

    already_today = set(
        Message.objects.filter(kind=registry.DIGEST.key, digest_date=today).values_list("recipient_id", flat=True)
    )
    now_time = local.time()
    due = []
    for digest in digests.values():
        digest_time = preferences.get(digest.person_id, (default_time, set()))[0]
        if digest.person_id in already_today or now_time < max(digest_time, settings.WORKING_DAY_START):
            continue
        if digest.has_news:
            digest.entries.sort(key=lambda e: (e.item.due_on, e.item.title))
            digest.team_entries.sort(key=lambda e: (e.item.due_on, e.about))
            due.append(digest)
    return due


def _render(digest: Digest, today: datetime.date) -> tuple[str, str, str]:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in digest.entries:
        groups[entry.kind.group].append(entry)
    overdue = sum(1 for e in digest.entries if e.is_overdue)
    context = {
        "name": digest.name or digest.email,
        "organisation_name": settings.ORGANISATION_NAME,
        "service_name": settings.SERVICE_NAME,
        "today": today,
        "groups": list(groups.items()),
        "team_entries": digest.team_entries,
        "count": len(digest.entries),
        "overdue": overdue,
        "due_count": len(digest.entries) - overdue,
        "site_url": settings.SITE_URL,
        "home_url": _absolute(reverse("web:home")),
        "preferences_url": _absolute(reverse("notifications:preferences")),
        "absolute": _absolute,
    }
    subject = render_to_string("notifications/email/digest_subject.txt", context).strip()
    text = render_to_string("notifications/email/digest.txt", context)
    html = render_to_string("notifications/email/digest.html", context)
    return subject, text, html


def digests_build(*, now: datetime.datetime | None = None) -> int:
    """Write today's due digests into the outbox; safe to run any number of times, anywhere."""
    now = now or timezone.now()
    planned = digests_plan(now=now)
    today = local_now(now).date()
    written = 0
    for start in range(0, len(planned), BATCH_SIZE):
        written += _write_batch(planned[start : start + BATCH_SIZE], today=today, now=now)
    if written:
        logger.info("Wrote %s digests for %s", written, today)
    return written


def _notifications_for(digest: Digest, today: datetime.date, now: datetime.datetime) -> list[Notification]:
    notifications = []
    for entry in [*digest.entries, *digest.team_entries]:
        if not entry.is_new:
            continue
        about = f" ({entry.about})" if entry.about else ""
        notifications.append(
            Notification(
                recipient_id=digest.person_id,
                kind=entry.kind.key,
                key=f"{entry.kind.key}:{entry.item.subject_key}:{entry.item.person_id}:{digest.person_id}:{today}",
                title=f"{entry.item.title}{about}",
                url=entry.item.url,
                due_on=entry.item.due_on,
                created_at=now,
            )
        )
    return notifications


def _write_batch(batch: list[Digest], *, today: datetime.date, now: datetime.datetime) -> int:
    """Insert the batch's digests under their unique keys; only the ones this call inserted count.

    Each row carries this call's token until the transaction ends, which is how
    the call tells its own inserts from rows another sweep wrote first.
    """
    token = uuid.uuid4()
    by_person = {digest.person_id: digest for digest in batch}
    messages = []
    for digest in batch:
        subject, text, html = _render(digest, today)
        messages.append(
            Message(
                recipient_id=digest.person_id,
                to_email=digest.email,
                kind=registry.DIGEST.key,
                subject=subject,
                body_text=text,
                body_html=html,
                idempotency_key=f"digest:{digest.person_id}:{today.isoformat()}",
                digest_date=today,
                status=Message.Status.PENDING,
                claim_token=token,
                created_at=now,
                send_after=now,
            )
        )
    with transaction.atomic():
        Message.objects.bulk_create(messages, ignore_conflicts=True, batch_size=BATCH_SIZE)
        ours = list(Message.objects.filter(claim_token=token).values_list("recipient_id", flat=True))
        notifications = [n for person_id in ours for n in _notifications_for(by_person[person_id], today, now)]
        Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=BATCH_SIZE)
        Message.objects.filter(claim_token=token).update(claim_token=None)
    return len(ours)
