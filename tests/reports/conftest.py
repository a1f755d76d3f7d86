"""A small organisation for the reports: a directorate, two services, a team, and records in every state."""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from policies.models import Acknowledgement
from socialgov.people.models import Department, User
from tests.factories import DepartmentFactory, UserFactory
from tests.policies.conftest import publish_document
from tests.training.conftest import make_course
from training.models import Assignment, Completion, Course, LessonProgress, Licence

TODAY = datetime.date(2026, 11, 24)


def moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@dataclass
class Organisation:
    directorate: Department
    housing: Department
    repairs: Department
    libraries: Department
    course: Course
    people: dict[str, User]


def assign(person, course, *, due_on, status=Assignment.Status.OPEN, **fields) -> Assignment:
    return Assignment.objects.create(
        person=person, course=course, source=Assignment.Source.MANUAL, due_on=due_on, status=status, **fields
    )


def complete(person, course, *, on: datetime.date, expires_on=None) -> Completion:
    return Completion.objects.create(person=person, course=course, completed_at=moment(on), expires_on=expires_on)


@pytest.fixture
def organisation(db, comms_lead) -> Organisation:
    """Everyone under the directorate: one person per state, for one course, the policy and the licence."""
    directorate = DepartmentFactory(name="Place")
    housing = DepartmentFactory(name="Housing", parent=directorate)
    repairs = DepartmentFactory(name="Repairs", parent=housing)
    libraries = DepartmentFactory(name="Libraries", parent=directorate)
    course = make_course("Social media at work", lessons=2, refresher_months=12)
    names = ["overdue", "not_started", "in_progress", "complete", "expiring", "expired", "exempt"]
    people = {name: UserFactory(first_name=name.replace("_", " ").title(), department=repairs) for name in names}
    people["librarian"] = UserFactory(first_name="Librarian", department=libraries)
    assign(people["overdue"], course, due_on=TODAY - days(3))
    assign(people["not_started"], course, due_on=TODAY + days(10))
    assign(people["in_progress"], course, due_on=TODAY + days(10))
    LessonProgress.objects.create(
        person=people["in_progress"], lesson=course.lessons.first(), lesson_version=1, read_at=moment(TODAY)
    )
    complete(people["complete"], course, on=TODAY - days(20), expires_on=TODAY + days(300))
    complete(people["expiring"], course, on=TODAY - days(340), expires_on=TODAY + days(20))
    complete(people["expired"], course, on=TODAY - days(400), expires_on=TODAY - days(35))
    assign(
        people["exempt"],
        course,
        due_on=TODAY + days(10),
        status=Assignment.Status.EXEMPT,
        reason="Never posts",
        closed_at=moment(TODAY - days(1)),
    )
    Licence.objects.create(person=people["complete"], granted_at=moment(TODAY - days(20)), expires_on=TODAY + days(300))
    Licence.objects.create(
        person=people["expired"],
        granted_at=moment(TODAY - days(400)),
        expires_on=TODAY - days(35),
        lapsed_at=moment(TODAY - days(35)),
    )
    return Organisation(directorate, housing, repairs, libraries, course, people)


@pytest.fixture
def policy(db, comms_lead):
    """Guidance everyone must acknowledge, published 30 days ago with 14 days to do it."""
    document = publish_document(comms_lead, title="Using social media", acknowledge_within_days=14)
    version = document.current_version
    version.published_at = moment(TODAY - days(30))
    version.save(update_fields=["published_at"])
    return document


def acknowledge(person, document, *, kind=Acknowledgement.Kind.READ, by=None):
    return Acknowledgement.objects.create(
        person=person,
        version=document.current_version,
        kind=kind,
        recorded_by=by,
        reason="" if kind == Acknowledgement.Kind.READ else "On leave",
        acknowledged_at=moment(TODAY - days(2)),
    )
