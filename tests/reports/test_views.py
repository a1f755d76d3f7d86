"""The report pages: figures, drill-down, filters and their mistakes, downloads, the team and the record."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from socialgov.notifications.models import Notification
from socialgov.reports import rollups
from tests.factories import DepartmentFactory, UserFactory
from tests.reports.conftest import TODAY, assign, complete, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(organisation):
    rollups.rebuild()
    rollups.snapshot_take(TODAY)
    return organisation


def read_csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_the_dashboard_shows_the_figures_and_drills_down(client, hr, built):
    client.force_login(hr)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Place" in page
    assert reverse("reports:department", args=[built.directorate.pk]) in page
    response = client.get(reverse("reports:department", args=[built.repairs.pk]))
    page = response.content.decode()
    # Repairs is a team: its people are listed with what they owe.
    assert "People in this team (7)" in page
    assert reverse("reports:person", args=[built.people["overdue"].pk]) in page
    course = response.context["kinds"][0][2]
    assert (course.total, course.compliant, course.overdue, course.percent) == (7, 3, 1, 42)


def make_org(size: int, course):
    """``size`` teams under one directorate, two people each with a course assigned."""
    top = DepartmentFactory(name=f"Directorate {size}")
    for n in range(size):
        team = DepartmentFactory(name=f"Team {size}-{n}", parent=top)
        for _ in range(2):
            person = UserFactory(department=team)
            assign(person, course, due_on=TODAY + days(n - 2))
    return top


@pytest.mark.parametrize("size", [2, 12])
def test_the_dashboard_costs_the_same_queries_at_any_size(client, hr, organisation, size, django_assert_num_queries):
    top = make_org(size, organisation.course)
    rollups.rebuild()
    client.force_login(hr)
    client.get(reverse("reports:department", args=[top.pk]))  # warm the session
    # Session, user, roles, authenticator; the items (2), the department, its children, their tallies,
    # the snapshots; the navigation's manager check and unread count; the filter's departments.
    with django_assert_num_queries(13):
        response = client.get(reverse("reports:department", args=[top.pk]))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-02-30", "Enter the ‘from’ date as a real date"),
        ("end=yesterday", "Enter the ‘to’ date as a real date"),
        ("start=2026-05-01&end=2026-04-01", "must be on or after"),
        ("item=course:999999", "is not one of them"),
        ("status=lost", "Choose a status from the list"),
        ("department=999999", "There is no department with that number"),
        ("department=abc", "Enter a whole number"),
        ("colour=red", "no filter called ‘colour’"),
        ("format=pdf", "Downloads come as csv or xlsx"),
    ],
)
def test_bad_filters_are_explained_not_crashed(client, hr, built, query, message):
    client.force_login(hr)
    for name in ("reports:dashboard", "reports:people"):
        response = client.get(f"{reverse(name)}?{query}")
        assert response.status_code == 400
        assert message in response.content.decode()


def test_filters_narrow_the_people_list_and_stay_in_the_links(client, hr, built):
    client.force_login(hr)
    url = f"{reverse('reports:people')}?department={built.directorate.pk}&item=course:{built.course.pk}&status=overdue"
    response = client.get(url)
    rows = list(response.context["page"])
    assert [row.person for row in rows] == [built.people["overdue"]]
    response = client.get(f"{reverse('reports:dashboard')}?item=course:{built.course.pk}")
    assert f"item=course:{built.course.pk}" in response.content.decode()


def test_downloads_read_back_and_formulas_are_made_inert(client, hr, built):
    person = built.people["overdue"]
    person.first_name = '=HYPERLINK("http://evil.example")'
    person.save()
    rollups.rebuild()
    client.force_login(hr)
    rows = read_csv(client.get(f"{reverse('reports:people')}?item=course:{built.course.pk}&format=csv"))
    assert rows[0][:3] == ["First name", "Last name", "Email"]
    names = {row[0] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example")' in names
    assert len(rows) == 1 + 7
    response = client.get(f"{reverse('reports:people')}?item=course:{built.course.pk}&format=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook["People"]
    values = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example")' in values
    assert sheet.max_row == 8
    dashboard = read_csv(client.get(f"{reverse('reports:dashboard')}?format=csv"))
    assert dashboard[0][0] == "Department or item"
    assert ["Place", "Courses", "7", "3", "1", "1", "1", "42", "red"] in dashboard
    response = client.get(f"{reverse('reports:dashboard')}?format=xlsx")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["By department", "Everyone by item"]


def test_a_manager_sees_everyone_below_and_reminds_them_once_a_day(client, built):
    boss = UserFactory(first_name="Boss")
    middle = UserFactory(first_name="Middle", line_manager=boss)
    late = built.people["overdue"]
    late.line_manager = middle
    late.save()
    done = built.people["complete"]
    done.line_manager = boss
    done.save()
    rollups.rebuild()
    client.force_login(boss)
    response = client.get(reverse("reports:team"))
    page = response.content.decode()
    assert "Your people (3)" in page
    assert f"Reports to {middle}" in page  # an indirect report says through whom
    assert [owing.person for owing in response.context["page"].owing] == sorted(
        [middle, late, done], key=lambda p: (p.last_name, p.first_name, p.pk)
    )
    response = client.post(reverse("reports:nudge", args=[late.pk]), follow=True)
    assert "Reminder sent to" in response.content.decode()
    notification = Notification.objects.get(recipient=late, kind="reports.nudge")
    assert "Boss" in notification.title
    response = client.post(reverse("reports:nudge", args=[late.pk]), follow=True)
    assert "already reminded today" in response.content.decode()
    assert Notification.objects.filter(recipient=late, kind="reports.nudge").count() == 1
    # Someone outside the team cannot be reminded by this manager.
    assert client.post(reverse("reports:nudge", args=[built.people["librarian"].pk])).status_code == 404
    rows = read_csv(client.get(f"{reverse('reports:team')}?format=csv"))
    assert {f"{row[0]} {row[1]}" for row in rows[1:]} >= {str(late), str(done)}


def test_a_person_sees_their_own_record_and_can_download_it(client, built):
    person = built.people["complete"]
    client.force_login(person)
    response = client.get(reverse("reports:person", args=[person.pk]))
    page = response.content.decode()
    assert "Your record" in page
    assert response.context["record"].completions[0].course == built.course
    rows = read_csv(client.get(f"{reverse('reports:person', args=[person.pk])}?format=csv"))
    assert rows[0][0] == "Record"
    assert {row[0] for row in rows[1:]} == {"Course completed", "Posting licence"}
    other = built.people["librarian"]
    assert client.get(reverse("reports:person", args=[other.pk])).status_code == 403


def test_the_record_costs_the_same_queries_however_long_the_history(client, hr, built, django_assert_num_queries):
    person = built.people["complete"]
    client.force_login(hr)
    client.get(reverse("reports:person", args=[person.pk]))
    with django_assert_num_queries(15) as first:
        client.get(reverse("reports:person", args=[person.pk]))
    for n in range(5):
        complete(person, built.course, on=TODAY - days(n + 1))
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("reports:person", args=[person.pk]))


@pytest.mark.parametrize("size", [2, 15])
def test_the_team_page_costs_the_same_queries_at_any_size(client, organisation, size, django_assert_num_queries):
    boss = UserFactory(first_name="Boss")
    for n in range(size):
        middle = UserFactory(line_manager=boss, department=organisation.libraries)
        below = UserFactory(line_manager=middle, department=organisation.libraries)
        assign(below, organisation.course, due_on=TODAY + days(n - 5))
    rollups.rebuild()
    client.force_login(boss)
    client.get(reverse("reports:team"))
    # Session, user, manager check; the items (2); the team's count, page and standings; the team's
    # figures; the navigation's roles and unread count.
    with django_assert_num_queries(11):
        response = client.get(reverse("reports:team"))
    assert response.context["page"].paginator.count == 2 * size


@pytest.mark.parametrize("size", [3, 30])
def test_the_people_list_costs_the_same_queries_at_any_size(client, hr, organisation, size, django_assert_num_queries):
    for n in range(size):
        assign(UserFactory(department=organisation.libraries), organisation.course, due_on=TODAY + days(n))
    rollups.rebuild()
    client.force_login(hr)
    url = f"{reverse('reports:people')}?item=course:{organisation.course.pk}"
    client.get(url)
    with django_assert_num_queries(11):
        response = client.get(url)
    assert response.context["page"].paginator.count == size + 7  # and the organisation's seven


def test_the_department_filter_wins_over_the_page_it_is_sent_from(client, hr, built):
    client.force_login(hr)
    response = client.get(f"{reverse('reports:department', args=[built.repairs.pk])}?department={built.libraries.pk}")
    assert response.context["department"] == built.libraries
