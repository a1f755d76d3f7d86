"""Courses, lessons, assignments, completions, certificates, support levels and the posting licence.

A *course* is a short series of *lessons* in Markdown. People get courses by
*assignment*: from a rule (everyone, departments, roles, public-facing staff,
new starters), from their support level, as a refresher, or by hand from HR
or their manager. Finishing a course writes a *completion* with a
certificate number; a completion of a course with a refresher period expires,
and the person is assigned the course again before it does. The *licence* to
post for the organisation follows from the policy, the course and (once
quizzes exist) the quiz; each grant and lapse is a row, so its history stays.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from socialgov.people.audiences import audience_q
from socialgov.people.models import Department


class SupportLevel(models.TextChoices):
    NEW = "new", "New to it"
    DEVELOPING = "developing", "Developing"
    CONFIDENT = "confident", "Confident"


class Course(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300)
    estimated_minutes = models.PositiveSmallIntegerField(default=20)
    # Audience for rule-based assignment: everyone, or anyone matching any narrower choice.
    is_for_everyone = models.BooleanField("everyone", default=False)
    audience_departments = models.ManyToManyField(Department, blank=True, related_name="+")
    audience_roles = models.ManyToManyField(Group, blank=True, related_name="+")
    is_for_public_facing = models.BooleanField("public-facing staff", default=False)
    # Support levels whose path includes this course, e.g. ["new", "developing"].
    support_levels = models.JSONField(default=list, blank=True)
    is_onboarding = models.BooleanField(
        default=False, help_text="Assigned to everyone in the audience who started within the onboarding window."
    )
    due_within_days = models.PositiveSmallIntegerField(default=28, help_text="Days an assignee has to finish it.")
    refresher_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="A completion expires after this many months; blank never expires."
    )
    refreshes = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="refreshers",
        help_text="A shorter course that renews this one: finishing it renews a completion of that course.",
    )
    is_published = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def audience_q(self) -> Q:
        """People the course's rule reaches (departments include everything below them)."""
        return audience_q(self)

    def has_quiz(self) -> bool:
        """Whether finishing the course also needs its quiz passed."""
        from training.models.quizzes import Quiz

        return Quiz.objects.filter(course=self, is_published=True).exists()


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Markdown.")
    body_html = models.TextField(editable=False, default="")
    # Bumped when the text changes: progress records which version was read.
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["course", "order"]
        constraints = [models.UniqueConstraint("course", "order", name="lesson_unique_order_per_course")]

    def __str__(self) -> str:
        return f"{self.course}: {self.order}. {self.title}"


class LessonProgress(models.Model):
    """A person has read a lesson, at a version of its text."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    lesson_version = models.PositiveIntegerField()
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("person", "lesson", name="progress_one_per_person_per_lesson")]

    def __str__(self) -> str:
        return f"{self.person} read {self.lesson}"


# No 0/O or 1/I, so a number read off paper is never misread.
CERTIFICATE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
CERTIFICATE_LENGTH = 12


def new_certificate_number() -> str:
    """Twelve characters from an unambiguous alphabet, grouped for reading aloud: SG-7KQ4-MX2P-9TRW."""
    raw = "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(CERTIFICATE_LENGTH))
    return f"SG-{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class CompletionQuerySet(models.QuerySet):
    def current(self, today: datetime.date | None = None) -> CompletionQuerySet:
        today = today or timezone.localdate()
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gt=today))


class Completion(models.Model):
    """A person finished a course: the record behind a certificate. Never changed afterwards."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField(null=True, blank=True)
    certificate_number = models.CharField(max_length=20, unique=True, default=new_certificate_number)
    # {lesson id: version read}: what exactly they completed.
    lesson_versions = models.JSONField(default=dict)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]
        indexes = [
            models.Index(fields=["person", "course", "-completed_at"], name="completion_latest_idx"),
            # The audit of compliance records and other systems' "completed since" read by date.
            models.Index(fields=["completed_at"], name="completion_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} completed {self.course} ({self.certificate_number})"

    def is_current(self, today: datetime.date | None = None) -> bool:
        return self.expires_on is None or self.expires_on > (today or timezone.localdate())


class AssignmentQuerySet(models.QuerySet):
    def open(self) -> AssignmentQuerySet:
        return self.filter(status=Assignment.Status.OPEN)

    def overdue(self, today: datetime.date | None = None) -> AssignmentQuerySet:
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Assignment(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "To do"
        COMPLETED = "completed", "Completed"
        EXEMPT = "exempt", "Exempt"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Source(models.TextChoices):
        RULE = "rule", "Everyone in its audience"
        ONBOARDING = "onboarding", "Onboarding"
        SUPPORT = "support", "Your support level"
        REFRESHER = "refresher", "Refresher"
        MANUAL = "manual", "Assigned by hand"

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    source = models.CharField(max_length=20, choices=Source.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField()
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    completion = models.ForeignKey(Completion, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True, help_text="Why it was assigned by hand, or exempted.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                "person", "course", condition=Q(status="open"), name="assignment_one_open_per_person_course"
            ),
            models.CheckConstraint(
                condition=~Q(status="exempt") | ~Q(reason=""), name="assignment_exemption_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="assignment_open_due_idx")]

    def __str__(self) -> str:
        return f"{self.course} for {self.person} ({self.get_status_display()})"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.status == self.Status.OPEN and self.due_on < (today or timezone.localdate())


class SupportAssessment(models.Model):
    """A person's confidence self-assessment; the latest one sets their support level."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="support_assessments")
    answers = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=20, choices=SupportLevel.choices)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-taken_at"]
        indexes = [models.Index(fields=["person", "-taken_at"], name="assessment_latest_idx")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_level_display()}"


class Licence(models.Model):
    """One grant of the posting licence, from granted to lapsed. A new grant is a new row."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="licences")
    granted_at = models.DateTimeField(default=timezone.now)
    expires_on = models.DateField()
    lapsed_at = models.DateTimeField(null=True, blank=True)
    lapse_reason = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                "person", condition=Q(lapsed_at__isnull=True), name="licence_one_in_force_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"Licence for {self.person} until {self.expires_on}"

    @property
    def is_in_force(self) -> bool:
        return self.lapsed_at is None and self.expires_on >= timezone.localdate()
