"""The training rules: reading and completing, assignment by rule and by hand, refreshers, exemptions."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from socialgov.people.roles import Role
from tests.factories import DepartmentFactory, UserFactory
from tests.training.conftest import make_course, read_all
from training.models import Assignment, Completion, Lesson, LessonProgress
from training.services import (
    TrainingError,
    add_months,
    assignment_create,
    assignment_exempt,
    assignments_sync,
    course_progress,
    lesson_mark_read,
    lesson_save,
    refreshers_assign,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 24)


def test_months_are_added_to_the_last_day_when_the_month_is_shorter():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 11, 24), 12) == datetime.date(2027, 11, 24)


def test_reading_every_lesson_completes_the_course_and_its_assignment(staff, course, hr):
    assignment = assignment_create(person=staff, course=course, due_on=TODAY + datetime.timedelta(days=7),
                                   assigned_by=hr, today=TODAY)  # fmt: skip
    lessons = list(course.lessons.order_by("order"))
    assert lesson_mark_read(person=staff, lesson=lessons[0]) is None
    progress = course_progress(person=staff, course=course)
    assert (progress.done, progress.total, progress.percent) == (1, 3, 33)
    assert progress.next_lesson == lessons[1]
    assert lesson_mark_read(person=staff, lesson=lessons[2]) is None  # out of order: one still unread
    completion = lesson_mark_read(person=staff, lesson=lessons[1])
    assert completion is not None
    assert completion.lesson_versions == {str(lesson.pk): 1 for lesson in lessons}
    assignment.refresh_from_db()
    assert (assignment.status, assignment.completion) == (Assignment.Status.COMPLETED, completion)


def test_reading_a_lesson_again_completes_nothing_twice(staff, course):
    first = read_all(staff, course)
    assert first is not None
    assert lesson_mark_read(person=staff, lesson=course.lessons.first()) is None
    assert Completion.objects.filter(person=staff).count() == 1


def test_editing_a_lesson_after_completion_undoes_nothing(staff, course):
    completion = read_all(staff, course)
    lesson = course.lessons.get(order=1)
    lesson_save(lesson=lesson, title=lesson.title, body="## Part 1\n\nNew words.")
    lesson.refresh_from_db()
    assert lesson.version == 2
    completion.refresh_from_db()
    assert completion.lesson_versions[str(lesson.pk)] == 1
    assert Completion.objects.filter(person=staff, course=course).current().exists()
    lesson_save(lesson=lesson, title="Renamed only", body=lesson.body)
    lesson.refresh_from_db()
    assert lesson.version == 2  # a new title alone is not a new text


def test_lesson_text_is_sanitised_on_save(course):
    lesson = lesson_save(
        lesson=Lesson(course=course, order=9), title="Bad", body="<script>alert(1)</script>[x](javascript:y)"
    )
    assert "<script" not in lesson.body_html
    assert 'href="javascript' not in lesson.body_html


def test_a_completion_of_a_course_with_a_refresher_expires_and_progress_starts_again(staff, settings):
    course = make_course("Refresher course", refresher_months=12)
    completion = read_all(staff, course)
    assert completion.expires_on == add_months(timezone.localdate(completion.completed_at), 12)
    assert LessonProgress.objects.filter(person=staff).count() == 3  # the course page still shows it all read
    settings.TRAINING_REFRESHER_NOTICE_DAYS = 400
    assert refreshers_assign() == 1
    assert not LessonProgress.objects.filter(person=staff).exists()


# --- Assigning by hand --------------------------------------------------------------------------


def test_assigning_by_hand_refuses_bad_input_clearly(staff, hr, manager, course):
    leaver = UserFactory(is_active=False, first_name="Lee", last_name="Leaver")
    cases = [
        ({"person": leaver, "due_on": TODAY, "assigned_by": hr}, "Lee Leaver has left"),
        ({"person": staff, "due_on": TODAY - datetime.timedelta(days=1), "assigned_by": hr}, "is in the past"),
        ({"person": staff, "due_on": TODAY, "assigned_by": UserFactory()}, "only HR, or their managers, can"),
        ({"person": manager, "due_on": TODAY, "assigned_by": staff}, "only HR, or their managers, can"),
    ]
    for kwargs, message in cases:
        with pytest.raises(TrainingError, match=message):
            assignment_create(course=course, today=TODAY, **kwargs)
    assert not Assignment.objects.exists()
    assignment_create(person=staff, course=course, due_on=TODAY, assigned_by=manager, today=TODAY)
    with pytest.raises(TrainingError, match="already has Social media at work to do, due 24 November 2026"):
        assignment_create(person=staff, course=course, due_on=TODAY, assigned_by=hr, today=TODAY)
    assert Assignment.objects.count() == 1


def test_only_hr_exempts_and_a_reason_is_required(staff, hr, manager, course):
    assignment = assignment_create(person=staff, course=course, due_on=TODAY, assigned_by=hr, today=TODAY)
    with pytest.raises(TrainingError, match="Only HR can exempt"):
        assignment_exempt(assignment=assignment, by=manager, reason="Busy.")
    with pytest.raises(TrainingError, match="Give a reason"):
        assignment_exempt(assignment=assignment, by=hr, reason="  ")
    assignment_exempt(assignment=assignment, by=hr, reason="On long-term leave.")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.closed_by, assignment.reason) == ("exempt", hr, "On long-term leave.")
    with pytest.raises(TrainingError, match="is exempt: there is nothing to exempt"):
        assignment_exempt(assignment=assignment, by=hr, reason="Again.")


# --- Assigning by rule --------------------------------------------------------------------------


def test_rules_reach_departments_below_roles_and_public_facing_staff_once_each(db):
    libraries = DepartmentFactory(name="Libraries")
    branch = DepartmentFactory(name="Branch", parent=libraries)
    in_branch = UserFactory(department=branch)
    comms = UserFactory(roles=[Role.COMMS_LEAD])
    facing = UserFactory(is_public_facing=True, department=branch)
    outside = UserFactory()
    UserFactory(is_active=False, department=branch)
    course = make_course(is_for_public_facing=True)
    course.audience_departments.set([libraries])
    from django.contrib.auth.models import Group

    course.audience_roles.set([Group.objects.get(name=Role.COMMS_LEAD)])
    assert assignments_sync(today=TODAY) == 3
    assigned = set(Assignment.objects.values_list("person_id", flat=True))
    assert assigned == {in_branch.pk, comms.pk, facing.pk}
    assert outside.pk not in assigned
    assert assignments_sync(today=TODAY) == 0  # idempotent


def test_onboarding_reaches_only_new_starters_and_is_due_from_their_start(settings):
    settings.TRAINING_ONBOARDING_DAYS = 30
    new = UserFactory(start_date=TODAY - datetime.timedelta(days=10))
    UserFactory(start_date=TODAY - datetime.timedelta(days=400))
    course = make_course(is_for_everyone=True, is_onboarding=True, due_within_days=28)
    assignments_sync(today=TODAY)
    [assignment] = Assignment.objects.all()
    assert (assignment.person, assignment.source) == (new, Assignment.Source.ONBOARDING)
    assert assignment.due_on == TODAY + datetime.timedelta(days=18)
    assert assignment.course == course


def test_the_rules_skip_people_who_completed_or_were_exempted(staff, manager, hr):
    course = make_course(is_for_everyone=True)
    read_all(staff, course)
    assignment = assignment_create(person=manager, course=course, due_on=TODAY, assigned_by=hr, today=TODAY)
    assignment_exempt(assignment=assignment, by=hr, reason="Retiring next week.")
    assignments_sync(today=TODAY)
    assert not Assignment.objects.filter(person__in=[staff, manager], status="open").exists()
    assert Assignment.objects.filter(person=hr, status="open").exists()


def test_a_refresher_is_assigned_before_a_completion_expires_and_only_once(staff, settings):
    settings.TRAINING_REFRESHER_NOTICE_DAYS = 30
    course = make_course(refresher_months=12)
    completion = read_all(staff, course)
    Completion.objects.filter(pk=completion.pk).update(expires_on=TODAY + datetime.timedelta(days=40))
    assert refreshers_assign(today=TODAY) == 0
    Completion.objects.filter(pk=completion.pk).update(expires_on=TODAY + datetime.timedelta(days=20))
    assert refreshers_assign(today=TODAY) == 1
    [refresher] = Assignment.objects.filter(source=Assignment.Source.REFRESHER)
    assert refresher.due_on == TODAY + datetime.timedelta(days=20)
    assert refreshers_assign(today=TODAY) == 0


def test_a_support_course_is_withdrawn_when_the_level_changes(staff):
    from training.models import SupportAssessment

    basics = make_course("Basics", support_levels=["new"])
    SupportAssessment.objects.create(person=staff, score=1, level="new")
    assert assignments_sync(today=TODAY, person=staff) == 1
    SupportAssessment.objects.create(person=staff, score=8, level="confident")
    assignments_sync(today=TODAY, person=staff)
    assignment = Assignment.objects.get(person=staff, course=basics)
    assert assignment.status == Assignment.Status.WITHDRAWN


def test_a_refresher_course_renews_the_course_it_refreshes(staff, settings):
    settings.TRAINING_REFRESHER_NOTICE_DAYS = 30
    main = make_course("Main course", refresher_months=12)
    short = make_course("Main course: refresher", lessons=1, refreshes=main)
    completion = read_all(staff, main)
    Completion.objects.filter(pk=completion.pk).update(expires_on=TODAY + datetime.timedelta(days=10))
    assert refreshers_assign(today=TODAY) == 1
    renewal = Assignment.objects.get(source=Assignment.Source.REFRESHER)
    assert renewal.course == short
    read_all(staff, short)
    renewed = Completion.objects.filter(person=staff, course=main).order_by("-completed_at").first()
    assert renewed.pk != completion.pk
    assert renewed.expires_on == add_months(timezone.localdate(renewed.completed_at), 12)
    renewal.refresh_from_db()
    assert renewal.status == Assignment.Status.COMPLETED
    assert refreshers_assign(today=TODAY) == 0


def test_applying_the_staff_import_assigns_courses_to_the_people_it_adds(django_capture_on_commit_callbacks):
    from tests.people.test_staff_import import apply_text, csv_text, person

    course = make_course(is_for_everyone=True)
    with django_capture_on_commit_callbacks(execute=True):
        apply_text(csv_text(person("GC1", email="new.starter@glenmorven.gov.uk")))
    assert Assignment.objects.filter(person__email="new.starter@glenmorven.gov.uk", course=course).exists()
