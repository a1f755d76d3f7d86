"""The outbox, in-app notifications, reminder policies and preferences.

Every email is a ``Message`` row before it is sent. Its ``idempotency_key``
is unique, so building the same digest twice, or a retried task, writes
nothing new; delivery claims rows with a conditional update, so any number of
workers can run at once.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from socialgov.notifications import registry

MAX_OFFSET_DAYS = 365


def parse_offsets(value: str) -> list[int]:
    """Days-before-due offsets from text like "7, 1, 0", largest first; raises ValidationError."""
    parts = [part.strip() for part in str(value).split(",")]
    if not parts or parts == [""]:
        raise ValidationError("Enter at least one number of days, for example 7, 1, 0.")
    offsets = []
    for position, part in enumerate(parts, start=1):
        if not part.isdigit():
            raise ValidationError(
                f"Item {position} ({part or 'blank'}) is not a whole number of days: use numbers like 7, 1, 0."
            )
        number = int(part)
        if number > MAX_OFFSET_DAYS:
            raise ValidationError(
                f"Item {position} ({number}) is more than {MAX_OFFSET_DAYS} days before the due date."
            )
        if number in offsets:
            raise ValidationError(f"{number} is listed twice.")
        offsets.append(number)
    return sorted(offsets, reverse=True)


def validate_offsets(value: str) -> None:
    parse_offsets(value)


def validate_kind(value: str) -> None:
    if registry.kind(value) is None:
        raise ValidationError(f"{value} is not a kind of reminder this platform sends.")


class ReminderPolicy(models.Model):
    """When reminders of one kind go out, and when they escalate to the line manager."""

    kind = models.CharField(max_length=100, unique=True, validators=[validate_kind])
    offsets = models.CharField(
        "remind this many days before the due date",
        max_length=100,
        default="7, 1, 0",
        validators=[validate_offsets],
        help_text="Comma-separated days before the due date; 0 is the due date itself.",
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        "while overdue, remind every", default=7, help_text="Days between reminders once overdue; 0 stops them."
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        "tell the line manager after",
        null=True,
        blank=True,
        default=14,
        help_text="Days overdue before the line manager hears; blank never escalates.",
    )
    is_enabled = models.BooleanField("send reminders", default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "reminder policies"
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(overdue_every_days__lte=365), name="policy_overdue_every_in_range"
            ),
            models.CheckConstraint(
                condition=models.Q(escalate_after_days__isnull=True) | models.Q(escalate_after_days__lte=365),
                name="policy_escalate_after_in_range",
            ),
        ]

    def __str__(self) -> str:
        kind = registry.kind(self.kind)
        return kind.label if kind else self.kind

    def offset_days(self) -> list[int]:
        return parse_offsets(self.offsets)

    @classmethod
    def default(cls, kind: str) -> ReminderPolicy:
        """The policy a kind follows when administrators have not set one."""
        return cls(kind=kind, **settings.NOTIFICATIONS_DEFAULT_POLICY)


class Preference(models.Model):
    """A person's choices: when their digest arrives, and which optional kinds they do not want."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    digest_time = models.TimeField(default=datetime.time(9, 0))
    opted_out_kinds = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Preferences of {self.person}"


class MessageQuerySet(models.QuerySet):
    def due(self, now: datetime.datetime) -> MessageQuerySet:
        return self.filter(status=Message.Status.PENDING, send_after__lte=now)


class Message(models.Model):
    """One email in the outbox."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    to_email = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=100)
    subject = models.CharField(max_length=255, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    idempotency_key = models.CharField(max_length=255, unique=True)
    is_urgent = models.BooleanField(default=False)
    digest_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(default=timezone.now)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "send_after"], name="message_due_idx"),
            # Serves the delivery claim's order without sorting the whole outbox.
            models.Index(
                F("is_urgent").desc(),
                "send_after",
                "id",
                condition=Q(status="pending"),
                name="message_pending_idx",
            ),
            models.Index(fields=["recipient", "digest_date"], name="message_digest_idx"),
            models.Index(fields=["claim_token"], name="message_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.kind} to {self.to_email or self.recipient_id}"

    @property
    def message_id(self) -> str:
        """A stable RFC 5322 Message-ID, so a resend is recognisably the same message."""
        return f"<{uuid.uuid5(uuid.NAMESPACE_URL, self.idempotency_key)}@socialgov>"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An in-app notification: one per reminder, listed with an unread count."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=100)
    key = models.CharField(max_length=255, unique=True)
    title = models.CharField(max_length=255)
    url = models.CharField(max_length=500, blank=True)
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.title
