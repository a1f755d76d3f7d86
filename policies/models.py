"""Policy and guidance documents, their versions, and who has acknowledged which.

A *document* ("Social media policy") holds what stays put: title, owner,
audience, whether staff must acknowledge it. Its text lives in *versions*.
A version moves draft → submitted → published → superseded, or is retired;
once published its text never changes, so an acknowledgement pointing at a
version proves exactly what the person read. A major version needs everyone
to acknowledge again; a minor one (a typo, a new link) does not, so an
acknowledgement counts for every version with the same major number.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from socialgov.people.audiences import audience_q
from socialgov.people.models import Department


class Category(models.TextChoices):
    POLICY = "policy", "Policy"
    GUIDANCE = "guidance", "Guidance"
    HOUSE_STYLE = "house_style", "House style"
    PLAYBOOK = "playbook", "Playbook"


class Severity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class DocumentQuerySet(models.QuerySet):
    def with_current(self) -> DocumentQuerySet:
        """Documents with their published version attached, for lists: one query, no per-row lookups."""
        return self.select_related("current_version", "owner")

    def published(self) -> DocumentQuerySet:
        return self.filter(current_version__isnull=False, is_retired=False)


class Document(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, help_text="One sentence: shown in lists and search results.")
    category = models.CharField(max_length=20, choices=Category.choices, default=Category.POLICY)
    # Playbooks only: the plain question someone in trouble would ask, and how serious the situation is.
    help_question = models.CharField(max_length=200, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_documents")
    # Audience: everyone, or anyone matching any of the narrower choices.
    is_for_everyone = models.BooleanField("everyone", default=True)
    audience_departments = models.ManyToManyField(Department, blank=True, related_name="+")
    audience_roles = models.ManyToManyField(Group, blank=True, related_name="+")
    is_for_public_facing = models.BooleanField("public-facing staff", default=False)
    requires_acknowledgement = models.BooleanField(default=True)
    acknowledge_within_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days the audience has to acknowledge a new major version."
    )
    review_on = models.DateField(null=True, blank=True, help_text="When the owner should next review it.")
    # The published version; null until the first one is published.
    current_version = models.OneToOneField(
        "DocumentVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_retired = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["current_version"])

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.current_version_id is not None and not self.is_retired

    def audience_q(self) -> Q:
        """Who the document is for, as a filter on people (departments include everything below them)."""
        return audience_q(self)

    def audience_description(self) -> str:
        if self.is_for_everyone:
            return "Everyone"
        parts = [department.name for department in self.audience_departments.all()]
        parts += [group.name for group in self.audience_roles.all()]
        if self.is_for_public_facing:
            parts.append("Public-facing staff")
        return ", ".join(parts) or "Nobody yet"


class VersionQuerySet(models.QuerySet):
    def open_draft(self) -> VersionQuerySet:
        return self.filter(status__in=[DocumentVersion.Status.DRAFT, DocumentVersion.Status.SUBMITTED])


class DocumentVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"
        RETIRED = "retired", "Retired"

    class Change(models.TextChoices):
        MAJOR = "major", "Major: everyone must acknowledge it again"
        MINOR = "minor", "Minor: no need to acknowledge again"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="versions")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    change = models.CharField(max_length=10, choices=Change.choices, default=Change.MAJOR)
    what_changed = models.CharField(
        max_length=500, blank=True, help_text="Shown to people who acknowledged the previous version."
    )
    # Numbered when published: 1.0, 1.1, 2.0 ...
    major = models.PositiveIntegerField(null=True, blank=True)
    minor = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField(help_text="Markdown.")
    # Rendered and sanitised once, when the text is saved.
    body_html = models.TextField(editable=False, default="")
    body_text = models.TextField(editable=False, default="", help_text="Plain text, for search.")
    contents = models.JSONField(editable=False, default=list, help_text="Headings: level, id, text.")
    # Playbooks only: ordered steps (order, instruction, who, target_minutes), kept with the version.
    steps = models.JSONField(default=list, blank=True)
    # Bumped on every save of a draft: a save carrying an older number is someone else's stale copy.
    revision = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(default=timezone.now)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When it was superseded or retired.")

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "document",
                condition=Q(status__in=["draft", "submitted"]),
                name="version_one_open_draft_per_document",
            ),
            models.UniqueConstraint(
                "document", condition=Q(status="published"), name="version_one_published_per_document"
            ),
            models.UniqueConstraint("document", "major", "minor", name="version_unique_number"),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"]) | Q(major__isnull=False, published_at__isnull=False),
                name="version_published_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(change="major", status__in=["published", "superseded"], major__gt=1) | ~Q(what_changed=""),
                name="version_major_says_what_changed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document.title}, {self.label}"

    @property
    def number(self) -> str:
        return f"{self.major}.{self.minor}" if self.major is not None else ""

    @property
    def label(self) -> str:
        return f"version {self.number}" if self.number else self.get_status_display().lower()

    @property
    def is_open(self) -> bool:
        """A draft or a draft waiting for approval: the only versions whose text may change."""
        return self.status in (self.Status.DRAFT, self.Status.SUBMITTED)


class AcknowledgementQuerySet(models.QuerySet):
    def covering(self, version: DocumentVersion) -> AcknowledgementQuerySet:
        """Acknowledgements that count for ``version``: any of the same document and major number."""
        return self.filter(version__document_id=version.document_id, version__major=version.major)

    def covering_person(self, version: DocumentVersion) -> Exists:
        """For annotating people: has this person acknowledged (or been exempted from) ``version``?"""
        return Exists(self.covering(version).filter(person=OuterRef("pk")))


class Acknowledgement(models.Model):
    """A person confirmed they read a version, or HR recorded it for them, or exempted them."""

    class Kind(models.TextChoices):
        READ = "read", "Read and acknowledged"
        ON_BEHALF = "on_behalf", "Acknowledged on their behalf"
        EXEMPT = "exempt", "Exempt"

    version = models.ForeignKey(DocumentVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="acknowledgements")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.READ)
    acknowledged_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    objects = AcknowledgementQuerySet.as_manager()

    class Meta:
        ordering = ["-acknowledged_at"]
        constraints = [
            models.UniqueConstraint("version", "person", name="acknowledgement_one_per_person_per_version"),
            models.CheckConstraint(
                condition=Q(kind="read") | (Q(recorded_by__isnull=False) & ~Q(reason="")),
                name="acknowledgement_recorded_for_someone_has_reason",
            ),
        ]
        # Other systems and the audit read acknowledgements by date, in pages keyed on (date, id).
        indexes = [models.Index(fields=["acknowledged_at", "id"], name="acknowledgement_date_idx")]

    def __str__(self) -> str:
        return f"{self.person} – {self.version} ({self.get_kind_display()})"


class Event(models.Model):
    """One line of a document's history: who did what, when."""

    class Action(models.TextChoices):
        CREATED = "created", "Created the document"
        DETAILS_CHANGED = "details_changed", "Changed the details"
        DRAFT_STARTED = "draft_started", "Started a new draft"
        DRAFT_SAVED = "draft_saved", "Saved the draft"
        SUBMITTED = "submitted", "Sent for approval"
        RETURNED = "returned", "Returned the draft"
        PUBLISHED = "published", "Published"
        DRAFT_DISCARDED = "draft_discarded", "Discarded the draft"
        RETIRED = "retired", "Retired the document"
        RECORDED = "recorded", "Recorded for someone"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(DocumentVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"


def due_on(
    *, published_on: datetime.date, start_date: datetime.date | None, allowed: datetime.timedelta
) -> datetime.date:
    """When a person must acknowledge: ``allowed`` after publication, or after they started if that is later."""
    begins = start_date if start_date and start_date > published_on else published_on
    return begins + allowed
