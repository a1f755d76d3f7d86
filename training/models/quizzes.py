"""Quizzes: a shared question bank, quizzes that draw from it, and attempts that keep what they were given.

A quiz draws N random questions from each of its categories and shuffles
their options, once, when an attempt starts; the attempt stores exactly
which questions, in which order, with which option order, so resuming or
reviewing it shows the same thing. Which options are correct lives only
here and is compared on the server when the attempt is submitted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from training.models.learning import Course


class QuestionCategory(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "question categories"

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"
        TRUE_FALSE = "true_false", "True or false"
        SPOT = "spot", "Spot the problem"

    category = models.ForeignKey(QuestionCategory, on_delete=models.PROTECT, related_name="questions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    sample_post = models.TextField(blank=True, help_text="For 'spot the problem': the draft post, shown as posted.")
    platform = models.CharField(
        max_length=20, blank=True, help_text="For 'spot the problem': the platform the post is checked for."
    )
    during_pre_election = models.BooleanField(
        default=False, help_text="For 'spot the problem': judge the post as if a pre-election period were on."
    )
    explanation = models.TextField(blank=True, help_text="Shown after the attempt is submitted.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["category", "pk"]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def allows_several(self) -> bool:
        return self.kind in (self.Kind.MULTIPLE, self.Kind.SPOT)


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    # For 'spot the problem': the post checker rule this option names ("none": nothing is wrong).
    # When set, the checker decides whether the option is correct, not the author.
    rule = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["question", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class Quiz(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    # The course whose completion needs this quiz passed, if any.
    course = models.OneToOneField(Course, null=True, blank=True, on_delete=models.SET_NULL, related_name="quiz")
    pass_mark_percent = models.PositiveSmallIntegerField(default=80)
    max_attempts = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Blank: no limit.")
    wait_minutes = models.PositiveIntegerField(default=0, help_text="Minutes to wait between attempts.")
    time_limit_minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Blank: no limit.")
    is_published = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "quizzes"
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark_percent__gte=1, pass_mark_percent__lte=100), name="quiz_pass_mark_in_range"
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuizDraw(models.Model):
    """Draw ``count`` random questions from ``category`` for each attempt."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="draws")
    category = models.ForeignKey(QuestionCategory, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint("quiz", "category", name="draw_one_per_category")]

    def __str__(self) -> str:
        return f"{self.count} from {self.category}"


class Attempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    max_score = models.PositiveSmallIntegerField(default=0)
    is_passed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint("quiz", "person", "number", name="attempt_unique_number"),
            models.UniqueConstraint(
                "quiz", "person", condition=Q(submitted_at__isnull=True), name="attempt_one_open_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.quiz}, attempt {self.number}"

    @property
    def percent(self) -> int:
        return round(100 * (self.score or 0) / self.max_score) if self.max_score else 0


class AttemptQuestion(models.Model):
    """One question as this attempt was given it: its place, its option order, and the answer."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    option_order = models.JSONField(default=list)
    selected = models.JSONField(default=list, blank=True)
    is_correct = models.BooleanField(null=True)

    class Meta:
        ordering = ["attempt", "order"]
        constraints = [models.UniqueConstraint("attempt", "order", name="attempt_question_unique_order")]

    def __str__(self) -> str:
        return f"{self.attempt}, question {self.order}"
