"""The on-call rota: who covers the organisation's social media out of hours.

A ``Shift`` is one person on call in one role (primary or secondary) between
two instants. Overlapping shifts of the same role are allowed, because
handovers happen, and are shown as problems; one person holding both roles
at once is refused by the services. A ``ShiftSwap`` is a request from the
shift's person to a colleague, which reassigns the shift when accepted.
``RotaSettings`` is one row: the head of communications (the last rung of
escalation), how long before a shift its reminder goes, and whether the rota
covers working hours too.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

MIN_REMINDER_MINUTES = 5
MAX_REMINDER_MINUTES = 24 * 60


class ShiftQuerySet(models.QuerySet):
    def covering(self, moment: datetime.datetime) -> ShiftQuerySet:
        """Shifts on at ``moment``: started at or before it and ending after it."""
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)

    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> ShiftQuerySet:
        """Shifts with any time in [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class Shift(models.Model):
    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="shifts")
    role = models.CharField(max_length=10, choices=Role.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "role", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"),
            models.CheckConstraint(condition=Q(role__in=["primary", "secondary"]), name="shift_role_valid"),
        ]
        indexes = [
            models.Index(fields=["starts_at", "ends_at"], name="shift_time_idx"),
            models.Index(fields=["person", "starts_at"], name="shift_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_role_display().lower()}) from {self.starts_at:%Y-%m-%d %H:%M}"

    def has_started(self, now: datetime.datetime) -> bool:
        return self.starts_at <= now

    def has_ended(self, now: datetime.datetime) -> bool:
        return self.ends_at <= now


class ShiftSwap(models.Model):
    """A request to hand a shift to a colleague; accepting it makes the shift theirs."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="swaps")
    from_person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    to_person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    note = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift"], condition=Q(status="requested"), name="shift_swap_one_open_per_shift"
            ),
            models.CheckConstraint(condition=~Q(from_person=F("to_person")), name="shift_swap_to_someone_else"),
            models.CheckConstraint(
                condition=Q(status="requested", decided_at__isnull=True)
                | (~Q(status="requested") & Q(decided_at__isnull=False)),
                name="shift_swap_decided_when_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["to_person", "status"], name="shift_swap_to_idx"),
            models.Index(fields=["from_person", "status"], name="shift_swap_from_idx"),
        ]

    def __str__(self) -> str:
        return f"Swap of {self.shift} to {self.to_person} ({self.get_status_display().lower()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.REQUESTED


class RotaSettings(models.Model):
    head_of_comms = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Called when neither the primary nor the secondary answers: the last rung of escalation.",
    )
    shift_reminder_minutes = models.PositiveSmallIntegerField(
        default=60, help_text="How long before a shift starts its person is reminded."
    )
    is_round_the_clock = models.BooleanField(
        default=False,
        help_text="Whether the rota must cover working hours too; otherwise only evenings, nights, "
        "weekends and bank holidays are checked for gaps.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "rota settings"
        verbose_name_plural = "rota settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(shift_reminder_minutes__gte=MIN_REMINDER_MINUTES)
                & Q(shift_reminder_minutes__lte=MAX_REMINDER_MINUTES),
                name="rota_settings_reminder_in_range",
            )
        ]

    def __str__(self) -> str:
        return "Rota settings"

    @classmethod
    def current(cls) -> RotaSettings:
        """The one row, made on first use so nobody has to ask whether it exists."""
        return cls.objects.select_related("head_of_comms").order_by("pk").first() or cls.objects.create()


class CalendarFeed(models.Model):
    """A person's secret calendar link; only a hash of its token is kept, so a copy of the database opens no feed."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Calendar link of {self.person}"


class OnCallPhone(models.Model):
    """The number to ring a person on while they are on call, shown to colleagues with the rota."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="on_call_phone")
    # E.164, as parsed; shown in national format.
    number = models.CharField(max_length=20)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"On-call phone of {self.person}"
