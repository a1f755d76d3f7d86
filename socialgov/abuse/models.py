"""Reports of online abuse aimed at members of staff because of their work, and the evidence they upload.

A report is personal and often distressing: only the person who made it, the
comms lead assigned to it and HR wellbeing may see it (``access.py``). It is
never registered in the admin site, so administrators do not see it either.
Evidence files live under ``MEDIA_ROOT`` at random names with no extension
and are only ever served by a view that checks access first.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Limits on evidence, checked by ``uploads.py`` and kept by constraints.
MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
MAX_LINKS = 20


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    LINKEDIN = "linkedin", "LinkedIn"
    YOUTUBE = "youtube", "YouTube"
    THREADS = "threads", "Threads"
    BLUESKY = "bluesky", "Bluesky"
    NEXTDOOR = "nextdoor", "Nextdoor"
    MESSAGING = "messaging", "WhatsApp or another messaging app"
    EMAIL = "email", "Email"
    OTHER = "other", "Another website or app"


# How a platform reads in a sentence ("... on Facebook", "... by email").
PLATFORM_IN_A_SENTENCE = {
    Platform.MESSAGING: "a messaging app",
    Platform.EMAIL: "email",
    Platform.OTHER: "another website or app",
}


class Safety(models.TextChoices):
    SAFE = "safe", "Yes"
    UNSAFE = "unsafe", "No"
    UNSURE = "unsure", "I'm not sure"


class AbuseReportQuerySet(models.QuerySet):
    def open(self) -> AbuseReportQuerySet:
        return self.exclude(status=AbuseReport.Status.CLOSED)

    def for_lists(self) -> AbuseReportQuerySet:
        """What the list pages show, in a fixed number of queries."""
        return (
            self.select_related("reporter", "assigned_to")
            .annotate(evidence_count=models.Count("evidence"))
            .order_by("-created_at", "-pk")
        )


class AbuseReport(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        IN_HAND = "in_hand", "In hand"
        CLOSED = "closed", "Closed"

    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="abuse_reports")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    # One web address a line, each checked to be http or https when the report is made.
    links = models.TextField(blank=True)
    what_happened = models.TextField()
    how_it_affects = models.TextField(blank=True)
    is_contact_wanted = models.BooleanField()
    safety = models.CharField(max_length=10, choices=Safety.choices)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_abuse_reports"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_note = models.TextField(blank=True)

    # The history keeps who changed the handling and when. The person's own words never change after the
    # report is made, so they are not copied into every history row.
    history = HistoricalRecords(excluded_fields=["links", "what_happened", "how_it_affects"])

    objects = AbuseReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_at__isnull=False) | Q(~Q(status="closed"), closed_at__isnull=True),
                name="abuse_report_closed_when_closed_at",
            ),
            models.CheckConstraint(
                condition=Q(assigned_to__isnull=True) | Q(assigned_at__isnull=False),
                name="abuse_report_assignment_has_a_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.get_platform_display()})"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def feels_unsafe(self) -> bool:
        return self.safety == Safety.UNSAFE

    @property
    def platform_in_a_sentence(self) -> str:
        return PLATFORM_IN_A_SENTENCE.get(self.platform, self.get_platform_display())

    @property
    def link_list(self) -> list[str]:
        return [line for line in self.links.splitlines() if line.strip()]


def evidence_path(instance: Evidence, filename: str) -> str:
    """A random name with no extension: the name someone chose never reaches the disk or a URL."""
    return f"abuse/evidence/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class FileType(models.TextChoices):
        PNG = "image/png", "PNG image"
        JPEG = "image/jpeg", "JPEG image"
        GIF = "image/gif", "GIF image"
        WEBP = "image/webp", "WebP image"
        PDF = "application/pdf", "PDF"

    report = models.ForeignKey(AbuseReport, on_delete=models.CASCADE, related_name="evidence")
    # Names the file in its download URL: random, so one file's URL says nothing about another's.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(max_length=200)
    # Detected from the file's bytes, never from its name or what the browser said.
    content_type = models.CharField(max_length=30, choices=FileType.choices)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0, size__lte=MAX_EVIDENCE_BYTES), name="abuse_evidence_size_in_limits"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
