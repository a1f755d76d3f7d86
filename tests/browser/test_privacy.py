"""Data protection in the browser: a person downloads their own data; HR reads the audit of compliance records.

Every page visited is checked with axe (the ``page`` fixture fails a test that forgets one).
"""

import json

from playwright.sync_api import expect

from tests.factories import AssignmentFactory, CompletionFactory
from training.models import Assignment


def test_a_person_downloads_their_data_and_hr_reads_the_audit(page, assert_accessible, sign_in_as, staff, hr):
    assignment = AssignmentFactory(person=staff)
    assignment._history_user = hr
    assignment.status = Assignment.Status.EXEMPT
    assignment.reason = "On long-term leave"
    assignment.save()
    CompletionFactory(person=staff)

    sign_in_as(page, staff)
    page.goto("/privacy/your-data/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    expect(page.get_by_test_id("profile")).to_contain_text("staff@glenmorven.gov.uk")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_test_id("download-json").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"personal-data-{staff.pk}-")
    data = json.loads(open(download.path(), encoding="utf-8").read())  # noqa: SIM115
    assert data["profile"]["email"] == "staff@glenmorven.gov.uk"
    assert len(data["training"]["completions"]) == 1

    page.context.clear_cookies()
    sign_in_as(page, hr)
    page.goto("/privacy/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit of compliance records")
    expect(page.get_by_test_id("audit")).to_contain_text("Status: To do → Exempt")
    assert_accessible(page)

    # A date that is not one is explained, next to the field it is in.
    page.get_by_label("Date from").fill("31/02/2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date from as a real date")
    assert_accessible(page)

    page.get_by_label("Date from").fill("")
    page.get_by_label("Whose record").fill(staff.email)
    page.get_by_label("Type of record").select_option("completion")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_test_id("audit").locator("tbody tr")).to_have_count(1)
    expect(page.get_by_test_id("audit")).to_contain_text("Completed")
    assert_accessible(page)
