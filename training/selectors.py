"""Reads for the training pages, each a fixed number of queries whatever the numbers of people or courses."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from socialgov.people.models import User
from training.models import Assignment, Completion, Course, Lesson, LessonProgress, Licence


@dataclass(frozen=True)
class CourseLine:
    """One course on a person's list, with how far they have got."""

    course: Course
    assignment: Assignment | None
    lessons: int
    read: int

    @property
    def percent(self) -> int:
        return round(100 * self.read / self.lessons) if self.lessons else 0

    @property
    def state(self) -> str:
        if self.read == 0:
            return "Not started"
        return "In progress"


def progress_by_course(person, courses: list[Course]) -> dict[int, tuple[int, int]]:
    """{course id: (lessons, lessons read)}: two queries."""
    totals = dict(
        Lesson.objects.filter(course__in=courses)
        .values("course_id")
        .annotate(n=Count("pk"))
        .values_list("course_id", "n")
    )
    read = dict(
        LessonProgress.objects.filter(person=person, lesson__course__in=courses)
        .values("lesson__course_id")
        .annotate(n=Count("pk"))
        .values_list("lesson__course_id", "n")
    )
    return {course.pk: (totals.get(course.pk, 0), read.get(course.pk, 0)) for course in courses}


def open_lines(person) -> list[CourseLine]:
    """The person's open assignments, soonest due first, with progress: three queries."""
    assignments = list(Assignment.objects.open().filter(person=person).select_related("course").order_by("due_on"))
    progress = progress_by_course(person, [a.course for a in assignments])
    return [
        CourseLine(course=a.course, assignment=a, lessons=progress[a.course_id][0], read=progress[a.course_id][1])
        for a in assignments
    ]


def completions_of(person) -> QuerySet[Completion]:
    return Completion.objects.filter(person=person).select_related("course").order_by("-completed_at")


@dataclass(frozen=True)
class TeamMember:
    person: User
    open: int
    overdue: int
    completed: int
    has_licence: bool


def team_of(manager, *, today: datetime.date | None = None) -> list[TeamMember]:
    """Everyone below ``manager`` with their training counts and licence: one query."""
    today = today or timezone.localdate()
    people = (
        User.objects.below(manager)
        .filter(is_active=True)
        .select_related("department", "line_manager")
        .annotate(
            open_count=Count("assignments", filter=Q(assignments__status=Assignment.Status.OPEN), distinct=True),
            overdue_count=Count(
                "assignments",
                filter=Q(assignments__status=Assignment.Status.OPEN, assignments__due_on__lt=today),
                distinct=True,
            ),
            completed_count=Count(
                "assignments", filter=Q(assignments__status=Assignment.Status.COMPLETED), distinct=True
            ),
            licensed=Exists(Licence.objects.filter(person=OuterRef("pk"), lapsed_at__isnull=True)),
        )
        .order_by("last_name", "first_name")
    )
    return [
        TeamMember(
            person=p, open=p.open_count, overdue=p.overdue_count, completed=p.completed_count, has_licence=p.licensed
        )
        for p in people
    ]
