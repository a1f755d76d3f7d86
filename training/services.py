"""The rules for training: reading lessons, completing courses, assigning them, and refreshers.

Every write goes through these functions, so views, the demo, the nightly
tasks and tests all obey the same rules. The posting licence has its own
module (``training.licensing``); completing a course asks it to look again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateformat import format as date_format
from simple_history.utils import bulk_create_with_history

from policies.rendering import markdown_render
from socialgov.people.access import can_see_person
from socialgov.people.models import User
from socialgov.people.roles import Role, has_role
from socialgov.reports.rollups import people_changed
from training.models import Assignment, Completion, Course, Lesson, LessonProgress, SupportAssessment

Status = Assignment.Status
Source = Assignment.Source


class TrainingError(Exception):
    """A request the rules refuse; the message says why and what to do."""


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has fewer days (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


# --- Lessons -------------------------------------------------------------------------------


def lesson_save(*, lesson: Lesson, title: str, body: str) -> Lesson:
    """Save a lesson's text, rendered and sanitised; a changed text is a new version."""
    changed = lesson.pk is None or body != lesson.body
    lesson.title = title
    if changed:
        lesson.body = body
        lesson.body_html = markdown_render(body).html
        if lesson.pk is not None:
            lesson.version += 1
    lesson.save()
    return lesson


@dataclass(frozen=True)
class CourseProgress:
    lessons: list[Lesson]
    read: dict[int, LessonProgress]

    @property
    def total(self) -> int:
        return len(self.lessons)

    @property
    def done(self) -> int:
        return sum(1 for lesson in self.lessons if lesson.pk in self.read)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def next_lesson(self) -> Lesson | None:
        """Where to continue: the first lesson not yet read."""
        return next((lesson for lesson in self.lessons if lesson.pk not in self.read), None)

    @property
    def is_all_read(self) -> bool:
        return self.total > 0 and self.done == self.total


def course_progress(*, person, course: Course) -> CourseProgress:
    """The course's lessons and which of them the person has read: two queries."""
    lessons = list(course.lessons.order_by("order"))
    read = {p.lesson_id: p for p in LessonProgress.objects.filter(person=person, lesson__course=course)}
    return CourseProgress(lessons=lessons, read=read)


@transaction.atomic
def lesson_mark_read(*, person, lesson: Lesson, at: datetime.datetime | None = None) -> Completion | None:
    """Record that ``person`` read ``lesson``; when that finishes the course, complete it."""
    at = at or timezone.now()
    LessonProgress.objects.get_or_create(
        person=person, lesson=lesson, defaults={"lesson_version": lesson.version, "read_at": at}
    )
    course = lesson.course
    progress = course_progress(person=person, course=course)
    if not progress.is_all_read or _has_open_completion_since(person, course, progress):
        return None
    if course.has_quiz():
        from training.quizzes import has_passed

        if not has_passed(person, course.quiz):
            return None  # the course completes when its quiz is passed
    return completion_record(person=person, course=course, at=at, progress=progress)


def _has_open_completion_since(person, course: Course, progress: CourseProgress) -> bool:
    """A current completion newer than all the reading means there is nothing new to complete."""
    latest = Completion.objects.filter(person=person, course=course).current().first()
    if latest is None:
        return False
    last_read = max(p.read_at for p in progress.read.values())
    return latest.completed_at >= last_read


# --- Completions ---------------------------------------------------------------------------


@transaction.atomic
def completion_record(
    *, person, course: Course, at: datetime.datetime | None = None, progress: CourseProgress | None = None
) -> Completion:
    """Finish a course: a completion (and certificate number), its assignment closed, the licence reviewed.

    Records which version of each lesson was read, so editing a lesson later undoes nothing.
    """
    from training.licensing import licence_review

    at = at or timezone.now()
    progress = progress or course_progress(person=person, course=course)
    day = timezone.localdate(at)
    completion = Completion.objects.create(
        person=person,
        course=course,
        completed_at=at,
        expires_on=add_months(day, course.refresher_months) if course.refresher_months else None,
        lesson_versions={str(pk): p.lesson_version for pk, p in progress.read.items()},
    )
    _close_assignments(person, course, completion, at)
    if course.refreshes_id:
        # A refresher course renews the course it refreshes: a new completion of that course, from today.
        renewed = course.refreshes
        renewal = Completion.objects.create(
            person=person,
            course=renewed,
            completed_at=at,
            expires_on=add_months(day, renewed.refresher_months) if renewed.refresher_months else None,
            lesson_versions={},
        )
        _close_assignments(person, renewed, renewal, at)
    licence_review(person=person, today=day)
    return completion


def _close_assignments(person, course: Course, completion: Completion, at: datetime.datetime) -> None:
    """Close the person's open assignment of ``course`` as completed, one save each so the history records it."""
    for assignment in Assignment.objects.filter(person=person, course=course, status=Status.OPEN):
        assignment.status, assignment.completion, assignment.closed_at = Status.COMPLETED, completion, at
        assignment.save(update_fields=["status", "completion", "closed_at"])


# --- Assignments ---------------------------------------------------------------------------


def may_assign(assigner, person) -> bool:
    """HR and administrators assign anyone; a manager assigns the people below them."""
    if has_role(assigner, Role.HR, Role.ADMINISTRATOR):
        return True
    return assigner.pk != person.pk and can_see_person(assigner, person)


@transaction.atomic
def assignment_create(
    *, person, course: Course, due_on: datetime.date, assigned_by, reason: str = "", today: datetime.date | None = None
) -> Assignment:
    """Assign a course to someone by hand, with a due date."""
    today = today or timezone.localdate()
    if not person.is_active:
        raise TrainingError(f"{person} has left: courses can only be assigned to people who work here now.")
    if not may_assign(assigned_by, person):
        raise TrainingError(f"You cannot assign courses to {person}: only HR, or their managers, can.")
    if due_on < today:
        raise TrainingError(
            f"The due date {date_format(due_on, 'j F Y')} is in the past: choose today or a later date."
        )
    if not course.is_published:
        raise TrainingError(f"{course} is not published yet, so it cannot be assigned.")
    existing = Assignment.objects.open().filter(person=person, course=course).first()
    if existing is not None:
        raise TrainingError(f"{person} already has {course} to do, due {date_format(existing.due_on, 'j F Y')}.")
    try:
        with transaction.atomic():
            return Assignment.objects.create(
                person=person, course=course, source=Source.MANUAL, due_on=due_on, assigned_by=assigned_by,
                reason=reason.strip(),
            )  # fmt: skip
    except IntegrityError:
        raise TrainingError(f"{person} already has {course} to do.") from None


@transaction.atomic
def assignment_exempt(*, assignment: Assignment, by, reason: str) -> Assignment:
    """Exempt someone from an assignment (HR), with a reason kept for audit."""
    if not has_role(by, Role.HR, Role.ADMINISTRATOR):
        raise TrainingError("Only HR can exempt someone from a course.")
    if assignment.status != Status.OPEN:
        raise TrainingError(
            f"This assignment is {assignment.get_status_display().lower()}: there is nothing to exempt."
        )
    if not reason.strip():
        raise TrainingError("Give a reason for the exemption: it is kept for audit.")
    assignment.status = Status.EXEMPT
    assignment.reason = reason.strip()
    assignment.closed_at = timezone.now()
    assignment.closed_by = by
    assignment.save(update_fields=["status", "reason", "closed_at", "closed_by"])
    return assignment


def _latest_levels(person=None) -> dict[int, str]:
    """Each person's support level (or one person's) from their latest self-assessment: one query."""
    rows = SupportAssessment.objects.order_by("person_id", "-taken_at", "-pk").values_list("person_id", "level")
    if person is not None:
        rows = rows.filter(person=person)
    levels: dict[int, str] = {}
    for person_id, level in rows:
        levels.setdefault(person_id, level)
    return levels


def _wanted(course: Course, today: datetime.date, levels: dict[int, str], people):
    """Who a course's rules reach today, and why: a queryset per source."""
    wanted = []
    has_audience = (
        course.is_for_everyone
        or course.is_for_public_facing
        or bool(list(course.audience_departments.all()) or list(course.audience_roles.all()))
    )
    if has_audience:
        audience = people.filter(course.audience_q())
        if course.is_onboarding:
            since = today - datetime.timedelta(days=settings.TRAINING_ONBOARDING_DAYS)
            wanted.append((Source.ONBOARDING, audience.filter(start_date__gte=since, start_date__lte=today)))
        else:
            wanted.append((Source.RULE, audience))
    if course.support_levels:
        ids = [pk for pk, level in levels.items() if level in course.support_levels]
        wanted.append((Source.SUPPORT, people.filter(pk__in=ids)))
    return wanted


@transaction.atomic
def assignments_sync(*, today: datetime.date | None = None, person=None) -> int:
    """Assign every published course to everyone its rules now reach who does not have it. Idempotent.

    Nobody is assigned a course they hold a current completion of, have open,
    or were exempted from; a support-level course still open for someone whose
    level has changed is withdrawn. Runs nightly for everyone, and for one
    ``person`` after their self-assessment; a few queries per course whatever
    the number of people.
    """
    today = today or timezone.localdate()
    levels = _latest_levels(person)
    people = User.objects.current()
    if person is not None:
        people = people.filter(pk=person.pk)
    created = 0
    courses = Course.objects.filter(is_published=True).prefetch_related("audience_departments", "audience_roles")
    for course in courses:
        blocked = Assignment.objects.filter(
            Q(status=Status.OPEN) | Q(status=Status.EXEMPT), course=course, person=OuterRef("pk")
        )
        done = Completion.objects.filter(course=course, person=OuterRef("pk")).current(today)
        due = today + datetime.timedelta(days=course.due_within_days)
        seen: set[int] = set()
        if course.support_levels:
            at_level = [pk for pk, level in levels.items() if level in course.support_levels]
            withdrawn = Assignment.objects.open().filter(course=course, source=Source.SUPPORT, person__in=people)
            withdrawn = withdrawn.exclude(person_id__in=at_level)
            people_changed(withdrawn.values_list("person_id", flat=True))
            withdrawn.update(status=Status.WITHDRAWN, closed_at=timezone.now())
        for source, reached in _wanted(course, today, levels, people):
            missing = reached.filter(~Exists(blocked), ~Exists(done)).values_list("pk", "start_date")
            batch = []
            for pk, start_date in missing:
                if pk in seen:
                    continue
                seen.add(pk)
                due_on = due
                if source == Source.ONBOARDING and start_date:
                    due_on = max(start_date + datetime.timedelta(days=course.due_within_days), today)
                batch.append(Assignment(person_id=pk, course=course, source=source, due_on=due_on))
            created += len(bulk_create_with_history(batch, Assignment, batch_size=1000, ignore_conflicts=True))
            people_changed(assignment.person_id for assignment in batch)
    return created


@transaction.atomic
def refreshers_assign(*, today: datetime.date | None = None) -> int:
    """Assign a course again to people whose completion expires soon, due the day it expires."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.TRAINING_REFRESHER_NOTICE_DAYS)
    newer = Completion.objects.filter(
        person=OuterRef("person"), course=OuterRef("course"), completed_at__gt=OuterRef("completed_at")
    )
    open_already = Assignment.objects.open().filter(person=OuterRef("person"), course=OuterRef("course"))
    expiring = (
        Completion.objects.filter(expires_on__isnull=False, expires_on__lte=horizon, person__is_active=True)
        .filter(~Exists(newer), ~Exists(open_already))
        .values_list("person_id", "course_id", "expires_on")
    )
    # A course with a shorter refresher course is renewed by taking that one; otherwise by taking it again.
    renewed_by = dict(
        Course.objects.filter(refreshes__isnull=False, is_published=True).values_list("refreshes_id", "pk")
    )
    has_open = set(Assignment.objects.open().values_list("person_id", "course_id"))
    batch = []
    for person_id, course_id, expires_on in expiring:
        take = renewed_by.get(course_id, course_id)
        if (person_id, take) not in has_open:
            has_open.add((person_id, take))
            batch.append(
                Assignment(person_id=person_id, course_id=take, source=Source.REFRESHER, due_on=max(expires_on, today))
            )
    # Taking a course again means reading every lesson again.
    for assignment in batch:
        LessonProgress.objects.filter(person_id=assignment.person_id, lesson__course_id=assignment.course_id).delete()
    people_changed(assignment.person_id for assignment in batch)
    return len(bulk_create_with_history(batch, Assignment, batch_size=1000, ignore_conflicts=True))
