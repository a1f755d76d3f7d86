from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from socialgov.people.roles import Role
from tests.factories import DepartmentFactory, UserFactory


def test_hr_finds_people_by_name_email_or_employee_number(client, hr, staff, manager):
    client.force_login(hr)
    for query in ["Sandy", "staff@glenmorven", staff.employee_number]:
        response = client.get(reverse("people:list"), {"q": query})
        people = list(response.context["page"])
        assert people == [staff], query


def test_the_department_filter_includes_sub_departments(client, hr, staff, department):
    elsewhere = UserFactory(department=DepartmentFactory(name="Roads"))
    client.force_login(hr)
    directorate = department.parent.parent
    response = client.get(reverse("people:list"), {"department": directorate.pk})
    people = set(response.context["page"])
    assert staff in people
    assert elsewhere not in people


def test_leavers_are_listed_apart_from_current_staff(client, hr, staff):
    leaver = UserFactory(is_active=False)
    client.force_login(hr)
    current = set(client.get(reverse("people:list")).context["page"])
    leavers = set(client.get(reverse("people:list"), {"status": "leavers"}).context["page"])
    assert staff in current
    assert leaver not in current
    assert leavers == {leaver}


def test_unknown_filter_values_fall_back_instead_of_failing(client, hr):
    client.force_login(hr)
    response = client.get(reverse("people:list"), {"status": "bogus", "department": "x", "page": "999"})
    assert response.status_code == 200
    assert response.context["filters"]["status"] == "current"


def test_the_people_list_runs_a_fixed_number_of_queries(client, hr, department, django_assert_num_queries):
    client.force_login(hr)
    UserFactory.create_batch(3, department=department)
    client.get(reverse("people:list"))  # warm the session and caches
    with django_assert_num_queries(9) as small:
        client.get(reverse("people:list"))
    UserFactory.create_batch(60, department=department)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("people:list"))
    assert response.context["page"].paginator.count == 64
    assert "Next" in response.content.decode()


def test_a_manager_sees_direct_and_indirect_reports(client, manager, staff):
    below_staff = UserFactory(line_manager=staff)
    leaver = UserFactory(line_manager=manager, is_active=False)
    client.force_login(manager)
    response = client.get(reverse("people:team"))
    assert response.context["direct"] == [staff]
    assert response.context["indirect"] == [below_staff]
    assert leaver not in response.context["direct"]


def test_a_person_record_is_open_to_their_managers_but_not_their_peers(client, staff, manager):
    peer = UserFactory(line_manager=manager)
    client.force_login(peer)
    assert client.get(reverse("people:detail", args=[staff.pk])).status_code == 403
    client.force_login(manager)
    response = client.get(reverse("people:detail", args=[staff.pk]))
    assert response.status_code == 200
    assert staff.email in response.content.decode()


def test_an_hr_officer_without_an_authenticator_is_sent_to_set_one_up(client, db):
    officer = UserFactory(roles=[Role.HR])
    client.force_login(officer)
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    assert client.get(reverse("web:home")).status_code == 200


def test_the_home_page_runs_a_fixed_number_of_queries(client, manager, django_assert_num_queries):
    UserFactory.create_batch(2, line_manager=manager)
    client.force_login(manager)
    client.get(reverse("web:home"))
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("web:home"))
    UserFactory.create_batch(18, line_manager=manager)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("web:home"))
    assert "20 people report to you" in response.content.decode()
