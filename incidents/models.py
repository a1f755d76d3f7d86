"""Incidents run from a playbook: a live checklist, an append-only timeline, and the pages sent to get help.

An incident copies its playbook's steps and the escalation ladder (who is
on call, in order) when it is opened, and keeps both: a rota changed at 2am
or a playbook republished mid-incident does not change what this incident
asks of whom. Every page is a row first, then a message, so a retried run
sends nothing twice.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class BreachOutcome(models.TextChoices):
    REPORTED = "reported", "Reported to the regulator"
    NOT_REPORTABLE = "not_reportable", "Not reportable"


BREACH_HOURS = 72
BREACH_REMINDER_HOURS = (24, 48, 66)


class Incident(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200)
    playbook = models.ForeignKey(
        "policies.DocumentVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    severity = models.CharField(max_length=10, choices=[
        ("critical", "Critical"), ("high", "High"), ("medium", "Medium"), ("low", "Low")])  # fmt: skip
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    account = models.ForeignKey(
        "channels.Account", null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The ladder as it was when the incident opened: person ids, first rung first.
    ladder = models.JSONField(default=list)
    escalation_minutes = models.PositiveSmallIntegerField(default=10)
    escalation_rounds = models.PositiveSmallIntegerField(default=3)
    # A possible personal-data breach: the regulator must be told within 72 hours of becoming aware.
    breach_at = models.DateTimeField(null=True, blank=True)
    breach_outcome = models.CharField(max_length=20, choices=BreachOutcome.choices, blank=True)
    breach_outcome_at = models.DateTimeField(null=True, blank=True)
    breach_outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    breach_note = models.CharField(max_length=1000, blank=True)
    # The post-incident review.
    review_what_happened = models.TextField(blank=True)
    review_what_worked = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def breach_deadline(self) -> datetime.datetime | None:
        return self.breach_at + datetime.timedelta(hours=BREACH_HOURS) if self.breach_at else None

    @property
    def breach_clock_running(self) -> bool:
        return self.breach_at is not None and not self.breach_outcome


class IncidentStep(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    instruction = models.CharField(max_length=500)
    who = models.CharField(max_length=100)
    target_minutes = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["incident", "order"]
        constraints = [models.UniqueConstraint("incident", "order", name="incident_step_unique_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.instruction}"

    def is_overdue(self, now: datetime.datetime) -> bool:
        return self.done_at is None and self.taken_at is None and now > self.due_at


class TimelineEntry(models.Model):
    """One thing that happened, with who and when. Entries are only ever added."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(max_length=1000)

    class Meta:
        ordering = ["incident", "at", "pk"]
        verbose_name_plural = "timeline entries"

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Timeline entries are never changed: add a new one.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("Timeline entries are never deleted.")


class Page(models.Model):
    """A call for help sent to one person on the ladder, for the incident or one of its steps."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="pages")
    step = models.ForeignKey(IncidentStep, null=True, blank=True, on_delete=models.CASCADE, related_name="pages")
    # "incident" or "step:<id>": what is being escalated; with ``sequence`` it makes each page once only.
    subject = models.CharField(max_length=40)
    sequence = models.PositiveSmallIntegerField()
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["incident", "sent_at"]
        constraints = [
            models.UniqueConstraint("incident", "subject", "sequence", name="page_once_per_rung"),
            models.CheckConstraint(
                condition=Q(subject="incident", step__isnull=True) | Q(step__isnull=False), name="page_subject_step"
            ),
        ]

    def __str__(self) -> str:
        return f"Page {self.sequence + 1} for {self.subject} of {self.incident}"


class ReviewAction(models.Model):
    """Something to do after the incident, with an owner and a date; the incident closes when all are settled."""

    class Status(models.TextChoices):
        OPEN = "open", "To do"
        DONE = "done", "Done"
        NOT_DOING = "not_doing", "Not doing"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    reason = models.CharField(max_length=500, blank=True, help_text="Why it is not being done.")
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["incident", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="not_doing") | ~Q(reason=""), name="review_action_not_doing_has_reason"
            )
        ]

    def __str__(self) -> str:
        return self.description
