"""The posting licence: who may post for the organisation, and why (or why not yet).

A person holds a licence while every requirement is met: the social media
policy acknowledged (its current major version, or the one before while a
new major version is within its grace period), each licence course
completed and not expired, and (when quizzes arrive) the quiz passed. The
licence runs for a set number of months and is granted again when it runs
out if everything still holds. It lapses as soon as a requirement fails,
with the reason recorded. Requirements are settings, so an organisation can
say which policy and courses count.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from policies.models import Acknowledgement, Document, DocumentVersion
from training.models import Attempt, Completion, Course, Licence, Quiz


@dataclass(frozen=True)
class Requirement:
    label: str
    is_met: bool
    # What to do about it, and where.
    action: str = ""
    url: str = ""


def _policy_requirement(person, today: datetime.date) -> Requirement | None:
    if not settings.LICENCE_POLICY_SLUG:
        return None
    document = (
        Document.objects.filter(slug=settings.LICENCE_POLICY_SLUG, is_retired=False)
        .select_related("current_version")
        .first()
    )
    if document is None or document.current_version is None:
        # Configured but not published: nobody can meet it yet, so nobody is licensed by its absence.
        return Requirement(label="Acknowledge the social media policy", is_met=False, action="Not published yet")
    current = document.current_version
    majors = set(
        Acknowledgement.objects.filter(person=person, version__document=document).values_list(
            "version__major", flat=True
        )
    )
    label = f"Acknowledge the {document.title.lower()}"
    url = reverse("policies:detail", kwargs={"slug": document.slug})
    if current.major in majors:
        return Requirement(label=label, is_met=True)
    first_published = (
        DocumentVersion.objects.filter(document=document, major=current.major).order_by("published_at").first()
    )
    grace_ends = timezone.localdate(first_published.published_at) + datetime.timedelta(
        days=settings.LICENCE_POLICY_GRACE_DAYS
    )
    if current.major - 1 in majors and today <= grace_ends:
        return Requirement(
            label=label,
            is_met=True,
            action=f"Acknowledge version {current.number} by {date_format(grace_ends, 'j F Y')}",
            url=url,
        )
    return Requirement(label=label, is_met=False, action=f"Read and acknowledge version {current.number}", url=url)


def _course_requirements(person, today: datetime.date) -> list[Requirement]:
    courses = list(Course.objects.filter(slug__in=settings.LICENCE_COURSE_SLUGS, is_published=True))
    current = set(
        Completion.objects.filter(person=person, course__in=courses).current(today).values_list("course_id", flat=True)
    )
    found = [
        Requirement(
            label=f"Complete {course.title}",
            is_met=course.pk in current,
            action="" if course.pk in current else f"Complete {course.title}",
            url=reverse("training:course", kwargs={"slug": course.slug}),
        )
        for course in courses
    ]
    return found + _not_set_up(settings.LICENCE_COURSE_SLUGS, {c.slug for c in courses}, "Complete the course")


def _not_set_up(wanted: list[str], found: set[str], verb: str) -> list[Requirement]:
    """A configured course or quiz that does not exist yet is a requirement nobody can meet: it never licenses."""
    return [Requirement(label=f"{verb} {slug}", is_met=False, action="Not set up yet") for slug in wanted
            if slug not in found]  # fmt: skip


def _quiz_requirements(person) -> list[Requirement]:
    quizzes = list(Quiz.objects.filter(slug__in=settings.LICENCE_QUIZ_SLUGS, is_published=True))
    passed = set(
        Attempt.objects.filter(person=person, quiz__in=quizzes, is_passed=True).values_list("quiz_id", flat=True)
    )
    found = [
        Requirement(
            label=f"Pass the {quiz.title}",
            is_met=quiz.pk in passed,
            url=reverse("training:quiz", kwargs={"slug": quiz.slug}),
        )
        for quiz in quizzes
    ]
    return found + _not_set_up(settings.LICENCE_QUIZ_SLUGS, {q.slug for q in quizzes}, "Pass the quiz")


def requirements_for(person, *, today: datetime.date | None = None) -> list[Requirement]:
    """Everything the licence needs, each marked met or not, in the order people should do them."""
    today = today or timezone.localdate()
    found = [_policy_requirement(person, today), *_course_requirements(person, today), *_quiz_requirements(person)]
    return [r for r in found if r is not None]


def licence_in_force(person) -> Licence | None:
    return Licence.objects.filter(person=person, lapsed_at__isnull=True).first()


@transaction.atomic
def licence_review(*, person, today: datetime.date | None = None) -> Licence | None:
    """Grant, renew or lapse ``person``'s licence as the requirements now stand; returns the licence in force."""
    today = today or timezone.localdate()
    in_force = Licence.objects.select_for_update().filter(person=person, lapsed_at__isnull=True).first()
    requirements = requirements_for(person, today=today)
    missing = [r for r in requirements if not r.is_met]
    now = timezone.now()
    if in_force is not None and (missing or not person.is_active):
        in_force.lapsed_at = now
        in_force.lapse_reason = "Left the organisation" if not person.is_active else "; ".join(r.label for r in missing)
        in_force.save(update_fields=["lapsed_at", "lapse_reason"])
        return None
    if in_force is not None and in_force.expires_on < today:
        in_force.lapsed_at = now
        in_force.lapse_reason = "Ran its full term"
        in_force.save(update_fields=["lapsed_at", "lapse_reason"])
        in_force = None
    if in_force is None and requirements and not missing and person.is_active:
        from training.services import add_months

        in_force = Licence.objects.create(
            person=person, granted_at=now, expires_on=add_months(today, settings.LICENCE_VALID_MONTHS)
        )
    return in_force


def licences_review(*, today: datetime.date | None = None) -> int:
    """The nightly look at everyone with a licence in force, or who might now earn one. Returns the changes."""
    from socialgov.people.models import User

    today = today or timezone.localdate()
    holders = set(Licence.objects.filter(lapsed_at__isnull=True).values_list("person_id", flat=True))
    candidates = set(
        Completion.objects.filter(course__slug__in=settings.LICENCE_COURSE_SLUGS)
        .current(today)
        .values_list("person_id", flat=True)
    ) | set(
        Attempt.objects.filter(quiz__slug__in=settings.LICENCE_QUIZ_SLUGS, is_passed=True).values_list(
            "person_id", flat=True
        )
    )
    changed = 0
    for person in User.objects.filter(pk__in=holders | candidates):
        after = licence_review(person=person, today=today)
        if (after is not None) != (person.pk in holders):
            changed += 1
    return changed
