"""Training pages through the test client: the learning flow, assigning and exempting, lists and their query counts."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import DepartmentFactory, UserFactory
from tests.training.conftest import make_course, read_all
from training.models import Assignment, Completion
from training.reminders import AssignmentSource
from training.services import assignment_create, assignments_sync

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def assign(person, course, by, days=14):
    return assignment_create(person=person, course=course, due_on=timezone.localdate() + datetime.timedelta(days=days),
                             assigned_by=by)  # fmt: skip


def test_a_course_is_worked_through_lesson_by_lesson_and_continues_where_left_off(client, staff, hr, course):
    assign(staff, course, hr)
    client.force_login(staff)
    course_url = reverse("training:course", kwargs={"slug": course.slug})
    assert "Start the course" in text(client.get(course_url))
    response = client.post(reverse("training:lesson", kwargs={"slug": course.slug, "order": 1}))
    assert response["Location"] == reverse("training:lesson", kwargs={"slug": course.slug, "order": 2})
    page = text(client.get(course_url))
    assert "Continue where you left off" in page
    assert "1 of 3 lessons read" in page
    assert reverse("training:lesson", kwargs={"slug": course.slug, "order": 2}) in page
    client.post(reverse("training:lesson", kwargs={"slug": course.slug, "order": 2}))
    response = client.post(reverse("training:lesson", kwargs={"slug": course.slug, "order": 3}), follow=True)
    page = text(response)
    assert "You have completed Social media at work. Your certificate is ready." in page
    number = Completion.objects.get(person=staff).certificate_number
    assert number in page
    assert Assignment.objects.get(person=staff).status == "completed"


def test_my_learning_runs_the_same_queries_for_one_course_or_ten(client, staff, hr):
    client.force_login(staff)
    url = reverse("training:mine")
    assign(staff, make_course("First"), hr)
    client.get(url)
    small = queries(client, url)
    for n in range(9):
        course = make_course(f"Course {n}")
        assign(staff, course, hr)
        if n % 2:
            read_all(staff, course)
    assert queries(client, url) == small


def test_the_team_page_runs_the_same_queries_for_two_reports_or_twenty(client, manager, staff, hr):
    course = make_course(is_for_everyone=True)
    client.force_login(manager)
    url = reverse("training:team")
    assignments_sync()
    client.get(url)
    small = queries(client, url)
    for _ in range(18):
        UserFactory(line_manager=manager)
    assignments_sync()
    read_all(staff, course)
    assert queries(client, url) == small
    page = text(client.get(url))
    assert "19 people" in page


def test_the_assignments_list_filters_exports_and_keeps_its_query_count(client, hr, staff):
    libraries = DepartmentFactory(name="Libraries")
    course = make_course()
    for _ in range(3):
        assign(UserFactory(department=libraries), course, hr)
    late = assign(staff, course, hr)
    Assignment.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    client.force_login(hr)
    url = reverse("training:assignments")
    client.get(url)
    small = queries(client, url)
    for _ in range(20):
        assign(UserFactory(department=libraries), make_course(f"Extra {_}"), hr)
    assert queries(client, url) == small
    overdue = client.get(url + "?status=overdue")
    assert overdue.context["page"].paginator.count == 1
    in_libraries = client.get(url + f"?department={libraries.pk}")
    assert in_libraries.context["page"].paginator.count == 23
    exported = client.get(url + "?status=overdue&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(exported.streaming_content).decode())))
    assert rows[0][:4] == ["Name", "Email address", "Department", "Course"]
    assert [row[1] for row in rows[1:]] == [staff.email]


def test_the_assign_form_says_what_is_wrong_and_keeps_what_was_typed(client, hr, staff, course):
    client.force_login(hr)
    url = reverse("training:assign")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(url, {"person": staff.email, "course": course.pk, "due_on": yesterday.isoformat()})
    assert response.status_code == 400
    assert "is in the past: choose today or a later date" in text(response)
    assert staff.email in text(response)
    response = client.post(url, {"person": "nobody@example.org", "course": "", "due_on": "31/02/2027"})
    page = text(response)
    for message in ["Nobody with the email address nobody@example.org is in the staff list", "Choose a course",
                    "Enter the due date as a real date, for example 2027-01-31"]:  # fmt: skip
        assert message in page
    assert not Assignment.objects.exists()
    response = client.post(
        url, {"person": staff.email, "course": course.pk, "due_on": "2030-01-31", "reason": "New role"}
    )
    assert response.status_code == 302
    assert Assignment.objects.get().reason == "New role"


def test_a_manager_assigns_only_to_their_own_people(client, manager, staff, course):
    client.force_login(manager)
    url = reverse("training:assign")
    outsider = UserFactory()
    response = client.post(url, {"person": outsider.email, "course": course.pk, "due_on": "2030-01-31"})
    assert "only HR, or their managers, can" in text(response)
    response = client.post(url, {"person": staff.email, "course": course.pk, "due_on": "2030-01-31"})
    assert response.status_code == 302


def test_hr_exempts_with_a_reason_from_the_persons_record(client, hr, staff, course):
    assignment = assign(staff, course, hr)
    client.force_login(hr)
    record = text(client.get(reverse("training:person", kwargs={"pk": staff.pk})))
    exempt_url = reverse("training:exempt", kwargs={"pk": assignment.pk})
    assert exempt_url in record
    response = client.post(exempt_url, {"reason": ""})
    assert response.status_code == 400
    assert "Give a reason for the exemption" in text(response)
    response = client.post(exempt_url, {"reason": "Career break until June."}, follow=True)
    assert f"{staff} is exempt from {course}." in text(response)
    assignment.refresh_from_db()
    assert assignment.status == "exempt"


def test_open_assignments_are_reminders_and_refreshers_say_renew(staff, hr, course):
    assignment = assign(staff, course, hr, days=3)
    refresher = make_course("Refresher")
    Assignment.objects.create(person=staff, course=refresher, source="refresher", due_on=timezone.localdate())
    items = sorted(AssignmentSource().due_items(today=timezone.localdate()), key=lambda i: i.title)
    assert [(i.person_id, i.title) for i in items] == [
        (staff.pk, "Complete the course Social media at work"),
        (staff.pk, "Renew the course Refresher"),
    ]
    assert items[0].due_on == assignment.due_on
    mine = AssignmentSource().due_items_for(person=staff, today=timezone.localdate())
    assert sorted(mine, key=lambda i: i.title) == items
    read_all(staff, course)
    assert [i.title for i in AssignmentSource().due_items(today=timezone.localdate())] == ["Renew the course Refresher"]


def test_the_licence_register_shows_who_may_post_with_a_fixed_query_count(client, comms_lead, staff, manager):
    from training.models import Licence

    today = timezone.localdate()
    Licence.objects.create(person=staff, expires_on=today + datetime.timedelta(days=300))
    Licence.objects.create(person=manager, expires_on=today, lapsed_at=timezone.now(), lapse_reason="Complete X")
    client.force_login(comms_lead)
    url = reverse("training:licences")
    client.get(url)
    small = queries(client, url)
    for n in range(20):
        person = UserFactory()
        if n % 2:
            Licence.objects.create(person=person, expires_on=today + datetime.timedelta(days=30))
    assert queries(client, url) == small
    licensed = client.get(url + "?status=licensed")
    assert staff in list(licensed.context["page"])
    assert licensed.context["page"].paginator.count == 11
    lapsed = text(client.get(url + "?status=lapsed"))
    assert "Complete X" in lapsed
    assert manager.email in lapsed
    assert client.get(url).context["totals"]["licensed"] == 11
