"""Compliance reports in the browser: HR drills down and downloads, a manager reminds, a person reads their record.

Every page visited is checked with axe (the ``page`` fixture fails a test that forgets one).
"""

import csv
import datetime

from django.utils import timezone
from playwright.sync_api import expect

from socialgov.reports import rollups
from socialgov.reports.models import Standing
from tests.reports.conftest import assign, complete
from tests.training.conftest import make_course


def test_hr_a_manager_and_a_person_each_see_their_view(page, assert_accessible, sign_in_as, staff, manager, hr):
    today = timezone.localdate()
    course = make_course("Social media at work", lessons=2, refresher_months=12)
    assign(staff, course, due_on=today - datetime.timedelta(days=3))
    complete(manager, course, on=today - datetime.timedelta(days=10), expires_on=today + datetime.timedelta(days=355))
    # Records written in the browser's transactions refresh standings on commit; these were written here.
    rollups.rebuild()
    for weeks in range(0, 9, 4):
        rollups.snapshot_backfill(today - datetime.timedelta(weeks=weeks))
    directorate = staff.department.parent.parent

    sign_in_as(page, hr)
    page.goto("/reports/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Everyone")
    expect(page.get_by_test_id("summary-course")).to_contain_text("50%")
    expect(page.locator("figure svg[role=img]").first).to_be_visible()
    assert_accessible(page)

    # Drill down: directorate, service, team, person.
    page.get_by_test_id("by-department").get_by_role("link", name=directorate.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(directorate.name)
    assert_accessible(page)
    page.get_by_test_id("by-department").get_by_role("link", name="Housing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Housing")
    assert_accessible(page)
    page.get_by_test_id("by-department").get_by_role("link", name="Tenancy team").click()
    expect(page.get_by_test_id("people-owing")).to_contain_text("Social media at work")
    assert_accessible(page)
    page.get_by_test_id("people-owing").get_by_role("link", name=str(staff)).click()
    expect(page.get_by_test_id("standings")).to_contain_text("Overdue")
    assert_accessible(page)

    # A filter that makes no sense is explained on the page.
    page.goto("/reports/people/?start=2026-02-30&status=overdue")
    expect(page.get_by_role("alert")).to_contain_text("Enter the ‘from’ date as a real date")
    assert_accessible(page)
    page.goto("/reports/people/?status=overdue")
    expect(page.get_by_test_id("standings").locator("tbody tr")).to_have_count(1)
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").click()
    with open(download_info.value.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][:3] == [staff.first_name, staff.last_name, staff.email]
    assert rows[1][6] == "Overdue"

    # The manager sees the person below them and reminds them.
    page.context.clear_cookies()
    sign_in_as(page, manager)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="My team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My team's compliance")
    assert_accessible(page)
    page.get_by_role("button", name=f"Remind {staff}").click()
    expect(page.get_by_text(f"Reminder sent to {staff}")).to_be_visible()
    assert_accessible(page)

    # The person reads their own record from the link at the foot of every page.
    page.context.clear_cookies()
    sign_in_as(page, staff)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name="Your record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(staff))
    expect(page.get_by_test_id("assignments")).to_contain_text("Social media at work")
    assert_accessible(page)
    assert Standing.objects.filter(person=staff, status="overdue").exists()
