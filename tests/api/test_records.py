"""The HR and learning lists: what they show, how they filter, page and count their queries."""

from __future__ import annotations

import datetime
from urllib.parse import quote

import pytest
from django.utils import timezone

from policies.models import Acknowledgement
from socialgov.people.models import Department, User
from tests.factories import (
    AcknowledgementFactory,
    AssignmentFactory,
    CompletionFactory,
    CourseFactory,
    DepartmentFactory,
    LicenceFactory,
    PublishedVersionFactory,
    UserFactory,
)
from training.models import Assignment, Completion, Licence

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def at(minutes: int) -> datetime.datetime:
    return NOW - datetime.timedelta(minutes=minutes)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- What each list shows ---------------------------------------------------------------------------------------


def test_people_show_the_hr_record_and_nothing_secret(reader, staff, manager, department):
    body = reader.get("/api/v1/people/", {"employee_number": staff.employee_number}).json()

    (row,) = body["results"]
    assert row == {
        "id": staff.pk,
        "email": "staff@glenmorven.gov.uk",
        "first_name": "Sandy",
        "last_name": "Staff",
        "employee_number": staff.employee_number,
        "job_title": "Officer",
        "department": department.pk,
        "line_manager": manager.pk,
        "start_date": None,
        "leaving_date": None,
        "is_public_facing": False,
        "is_active": True,
        "anonymised_at": None,
        "updated_at": row["updated_at"],
    }
    assert body["next"] is None
    assert body["next_cursor"] is None


def test_anonymised_leavers_appear_with_their_neutral_values(reader):
    leaver = UserFactory(email="leaver@glenmorven.gov.uk", first_name="Lee", last_name="Leaver")
    User.objects.filter(pk=leaver.pk).update(
        email=f"anonymised-{leaver.pk}@invalid",
        first_name="",
        last_name="",
        employee_number=None,
        job_title="",
        is_active=False,
        leaving_date=datetime.date(2019, 3, 31),
        anonymised_at=NOW,
    )

    (row,) = [
        r for r in reader.get("/api/v1/people/", {"is_active": "false"}).json()["results"] if r["id"] == leaver.pk
    ]

    assert row["email"] == f"anonymised-{leaver.pk}@invalid"
    assert row["first_name"] == row["last_name"] == row["job_title"] == ""
    assert row["employee_number"] is None
    assert row["anonymised_at"] is not None
    assert "Leaver" not in str(row)


def test_departments_show_the_tree(reader, department):
    rows = reader.get("/api/v1/departments/").json()["results"]

    by_name = {row["name"]: row for row in rows}
    assert by_name["Tenancy team"]["parent"] == by_name["Housing"]["id"]
    assert by_name["Tenancy team"]["path"] == department.path
    assert by_name["Tenancy team"]["depth"] == 2
    assert by_name["Communities"]["parent"] is None


def test_assignments_completions_and_licences_show_course_and_person(reader, staff):
    course = CourseFactory(title="Posting safely", slug="posting-safely")
    assignment = AssignmentFactory(person=staff, course=course)
    completion = CompletionFactory(person=staff, course=course)
    licence = LicenceFactory(person=staff)

    (a,) = reader.get("/api/v1/assignments/").json()["results"]
    (c,) = reader.get("/api/v1/completions/").json()["results"]
    (lic,) = reader.get("/api/v1/licences/").json()["results"]

    assert a["id"] == assignment.pk
    assert (a["person"], a["course"], a["course_slug"], a["status"]) == (staff.pk, course.pk, "posting-safely", "open")
    assert (c["certificate_number"], c["course_title"]) == (completion.certificate_number, "Posting safely")
    assert (lic["id"], lic["person"], lic["is_in_force"]) == (licence.pk, staff.pk, True)


def test_acknowledgements_name_the_document_and_version(reader, staff):
    version = PublishedVersionFactory(title="Social media policy")
    acknowledgement = AcknowledgementFactory(version=version, person=staff)

    (row,) = reader.get("/api/v1/acknowledgements/").json()["results"]

    assert row["id"] == acknowledgement.pk
    assert row["document"] == version.document_id
    assert row["document_slug"] == "social-media-policy"
    assert row["version"] == version.pk
    assert row["version_number"] == "1.0"
    assert row["kind"] == "read"
    assert row["recorded_by"] is None


# --- updated_since and filters ----------------------------------------------------------------------------------


def test_updated_since_returns_what_changed_at_or_after_it_in_change_order(reader, department):
    old, edge, new = DepartmentFactory.create_batch(3)
    for dept, minutes in [(old, 30), (edge, 20), (new, 10)]:
        Department.objects.filter(pk=dept.pk).update(updated_at=at(minutes))
    Department.objects.exclude(pk__in=[old.pk, edge.pk, new.pk]).update(updated_at=at(60))

    assert ids(reader.get("/api/v1/departments/", {"updated_since": at(20).isoformat()})) == [edge.pk, new.pk]
    # Any offset: 20 minutes ago, said in UTC+01:00.
    plus_one = at(20).astimezone(datetime.timezone(datetime.timedelta(hours=1))).isoformat()
    assert ids(reader.get(f"/api/v1/departments/?updated_since={quote(plus_one)}")) == [edge.pk, new.pk]


@pytest.mark.parametrize(
    ("url", "field", "make"),
    [
        (
            "/api/v1/completions/",
            "completed_at",
            lambda person, when: CompletionFactory(person=person, completed_at=when),
        ),
        (
            "/api/v1/acknowledgements/",
            "acknowledged_at",
            lambda person, when: AcknowledgementFactory(person=person, acknowledged_at=when),
        ),
    ],
)
def test_records_that_never_change_filter_on_when_they_happened(reader, staff, url, field, make):
    earlier, later = make(staff, at(60)), make(staff, at(5))

    assert ids(reader.get(url, {"updated_since": at(30).isoformat()})) == [later.pk]
    assert ids(reader.get(url)) == [earlier.pk, later.pk]


def test_assignments_filter_by_person_course_status_and_department(reader, staff, manager, comms_lead):
    course, other_course = CourseFactory.create_batch(2)
    mine = AssignmentFactory(person=staff, course=course)
    done = AssignmentFactory(person=staff, course=other_course, status=Assignment.Status.COMPLETED)
    managers = AssignmentFactory(person=manager, course=course)
    elsewhere = AssignmentFactory(person=comms_lead, course=course)

    get = lambda **params: sorted(ids(reader.get("/api/v1/assignments/", params)))  # noqa: E731
    assert get(person=staff.pk) == sorted([mine.pk, done.pk])
    assert get(course=course.pk) == sorted([mine.pk, managers.pk, elsewhere.pk])
    assert get(status="completed") == [done.pk]
    assert get(department=staff.department_id) == sorted([mine.pk, done.pk, managers.pk])
    assert get(department=staff.department_id, status="open", person=manager.pk) == [managers.pk]


def test_people_filter_by_department_manager_and_whether_current(reader, staff, manager, hr):
    User.objects.filter(pk=hr.pk).update(is_active=False)

    assert sorted(ids(reader.get("/api/v1/people/", {"department": staff.department_id}))) == sorted(
        [staff.pk, manager.pk]
    )
    assert ids(reader.get("/api/v1/people/", {"line_manager": manager.pk})) == [staff.pk]
    assert hr.pk in ids(reader.get("/api/v1/people/", {"is_active": "false"}))
    assert hr.pk not in ids(reader.get("/api/v1/people/", {"is_active": "true"}))


def test_licences_filter_by_whether_in_force(reader, staff, manager, comms_lead):
    in_force = LicenceFactory(person=staff)
    lapsed = LicenceFactory(person=manager, lapsed_at=NOW, lapse_reason="Course expired")
    expired = LicenceFactory(person=comms_lead, expires_on=datetime.date(2020, 1, 1))

    assert ids(reader.get("/api/v1/licences/", {"is_in_force": "true"})) == [in_force.pk]
    assert sorted(ids(reader.get("/api/v1/licences/", {"is_in_force": "false"}))) == sorted([lapsed.pk, expired.pk])


def test_acknowledgements_filter_by_document_and_version(reader, staff, manager):
    version, other = PublishedVersionFactory.create_batch(2)
    wanted = AcknowledgementFactory(version=version, person=staff)
    AcknowledgementFactory(version=other, person=manager)

    assert ids(reader.get("/api/v1/acknowledgements/", {"document": version.document_id})) == [wanted.pk]
    assert ids(reader.get("/api/v1/acknowledgements/", {"version": version.pk})) == [wanted.pk]


# --- Malformed parameters ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("updated_since=yesterday", "updated_since", "ISO 8601"),
        ("updated_since=2026-13-01T00:00:00Z", "updated_since", "ISO 8601"),
        ("updated_since=2026-03-01T09:30:00 01:00", "updated_since", "%2B"),
        ("updated_since=0001-01-01T00:00:00%2B05:00", "updated_since", "out of range"),
        ("status=done", "status", "“done” is not one of: open, completed, exempt, withdrawn."),
        ("person=abc", "person", "whole number"),
        ("person=0", "person", "start at 1"),
        ("course=99999999999999999999", "course", "No id is this large"),
        ("department=1.5", "department", "whole number"),
        ("limit=0", "limit", "1 to 1000"),
        ("limit=lots", "limit", "1 to 1000"),
        ("cursor=not-a-cursor", "cursor", "`next` link"),
        ("cursor=WyJ4IiwxXQ", "cursor", "`next` link"),
    ],
)
def test_a_malformed_parameter_is_answered_400_naming_it(reader, query, parameter, words):
    response = reader.get(f"/api/v1/assignments/?{query}")

    assert response.status_code == 400
    assert words in " ".join(response.json()[parameter])


def test_every_wrong_parameter_is_named_at_once(reader):
    response = reader.get("/api/v1/people/?is_active=perhaps&department=x&updated_since=soon")

    assert response.status_code == 400
    assert set(response.json()) == {"is_active", "department", "updated_since"}
    assert response.json()["is_active"] == ["Give true or false."]


# --- Pagination ---------------------------------------------------------------------------------------------------


def walk(client, url: str, **params) -> list[int]:
    seen, page = [], client.get(url, {"limit": 2, **params}).json()
    while True:
        seen += [row["id"] for row in page["results"]]
        if page["next"] is None:
            return seen
        assert page["next_cursor"] in page["next"]
        page = client.get(page["next"]).json()


def test_pages_walk_every_row_once_in_change_order_even_when_times_tie(reader):
    departments = DepartmentFactory.create_batch(7)
    # Five rows changed in the same microsecond: the id breaks the tie.
    Department.objects.filter(pk__in=[d.pk for d in departments[:5]]).update(updated_at=at(10))
    Department.objects.filter(pk__in=[d.pk for d in departments[5:]]).update(updated_at=at(20))

    expected = [d.pk for d in departments[5:]] + [d.pk for d in departments[:5]]
    assert walk(reader, "/api/v1/departments/") == expected


def test_a_row_that_changes_during_a_walk_is_met_again_at_the_end(reader):
    departments = DepartmentFactory.create_batch(4)
    for minutes, dept in zip([40, 30, 20, 10], departments, strict=True):
        Department.objects.filter(pk=dept.pk).update(updated_at=at(minutes))

    first = reader.get("/api/v1/departments/", {"limit": 2}).json()
    Department.objects.filter(pk=departments[0].pk).update(updated_at=NOW)
    rest = reader.get(first["next"]).json()

    assert [r["id"] for r in first["results"]] == [departments[0].pk, departments[1].pk]
    assert [r["id"] for r in rest["results"]] == [departments[2].pk, departments[3].pk]
    assert ids(reader.get(rest["next"])) == [departments[0].pk]


def test_filters_carry_through_the_next_link(reader, staff):
    courses = CourseFactory.create_batch(5)
    for course in courses:
        AssignmentFactory(person=staff, course=course)
    AssignmentFactory(course=courses[0])

    assert sorted(walk(reader, "/api/v1/assignments/", person=staff.pk)) == sorted(
        Assignment.objects.filter(person=staff).values_list("pk", flat=True)
    )


# --- Queries per page -------------------------------------------------------------------------------------------


def _people(n):
    return User.objects.bulk_create(User(email=f"bulk{i}@glenmorven.gov.uk", password="!") for i in range(n))


def _make(kind: str, n: int) -> None:
    """``n`` rows of a list's kind, made in bulk: the query count must not depend on them."""
    person = UserFactory()
    if kind == "people":
        _people(n)
    elif kind == "departments":
        DepartmentFactory.create_batch(n)
    elif kind in {"assignments", "completions"}:
        model = Assignment if kind == "assignments" else Completion
        extra = {"source": "manual", "due_on": datetime.date(2030, 1, 1)} if kind == "assignments" else {}
        courses = CourseFactory.create_batch(n)
        model.objects.bulk_create(
            model(person=person, course=course, **extra, **({} if extra else {"certificate_number": f"SG-{i}"}))
            for i, course in enumerate(courses)
        )
    elif kind == "licences":
        Licence.objects.bulk_create(
            Licence(person=someone, expires_on=datetime.date(2030, 1, 1)) for someone in _people(n)
        )
    elif kind == "acknowledgements":
        version = PublishedVersionFactory()
        Acknowledgement.objects.bulk_create(Acknowledgement(version=version, person=p) for p in _people(n))


KINDS = ["people", "departments", "assignments", "completions", "licences", "acknowledgements"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("size", [3, 40])
def test_a_page_costs_two_queries_for_a_token_whatever_its_size(reader, django_assert_num_queries, kind, size):
    _make(kind, size)
    url = f"/api/v1/{kind}/"
    reader.get(url)  # the token's first use is recorded; later uses within minutes are not written

    # The token, the page: the first page, and one further on.
    with django_assert_num_queries(2):
        response = reader.get(url, {"limit": 1000})
    assert len(response.json()["results"]) >= size
    next_page = reader.get(url, {"limit": 2}).json()["next"]
    with django_assert_num_queries(2):
        second = reader.get(next_page)
    assert second.json()["results"]


@pytest.mark.parametrize("size", [3, 40])
def test_a_page_costs_a_fixed_number_of_queries_for_hr_signed_in(client, hr, django_assert_num_queries, size):
    _make("assignments", size)
    client.force_login(hr)

    # The session, the person, their roles, their authenticator (MFA), the page.
    with django_assert_num_queries(5):
        response = client.get("/api/v1/assignments/")
    assert len(response.json()["results"]) == size
