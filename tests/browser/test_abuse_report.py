"""Reporting online abuse in the browser: a member of staff reports it with a screenshot and is shown where to
find support; a colleague cannot find it; HR wellbeing sees it and gives it to a comms lead.

Every page visited is checked with axe (the ``page`` fixture fails a test that forgets one).
"""

from __future__ import annotations

import re

from PIL import Image
from playwright.sync_api import expect

from socialgov.abuse.models import AbuseReport
from tests.factories import UserFactory

WHAT_HAPPENED = "Someone posted my photo in a local group and told people to find me on my visits."


def submit(page, control):
    """Click a control that submits a form, and wait for the page the server sends back."""
    with page.expect_navigation():
        control.click()


def test_staff_report_abuse_and_hr_wellbeing_give_it_to_a_comms_lead(
    page, assert_accessible, sign_in_as, staff, wellbeing, comms_lead, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    screenshot = tmp_path / "screenshot.png"
    Image.new("RGB", (120, 80), (200, 40, 40)).save(screenshot)
    renamed = tmp_path / "thread.png"
    renamed.write_text("<html><body>Not a picture</body></html>")
    colleague = UserFactory(email="colleague@glenmorven.gov.uk", department=staff.department)

    # A first try with a web page renamed .png: refused by name, and everything typed is kept.
    sign_in_as(page, staff)
    page.goto("/abuse-reports/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report abuse you received online")
    assert_accessible(page)
    page.get_by_role("group", name="Where did it happen?").get_by_label("Facebook").check()
    page.get_by_label("Links to the posts or messages (optional)").fill("https://www.facebook.com/groups/x/posts/1")
    page.get_by_label("What happened?").fill(WHAT_HAPPENED)
    page.get_by_role("group", name="Do you feel safe?").get_by_label("I'm not sure").check()
    page.get_by_role("group", name="Would you like someone from HR wellbeing to contact you?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("Screenshots or PDFs (optional)").set_input_files([str(screenshot), str(renamed)])
    submit(page, page.get_by_role("button", name="Send report"))
    expect(page).to_have_title(re.compile(r"^Error: Report abuse"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("“thread.png” is not a screenshot")
    expect(page.get_by_label("What happened?")).to_have_value(WHAT_HAPPENED)
    expect(page.get_by_test_id("choose-again")).to_contain_text("screenshot.png")
    assert_accessible(page)

    page.get_by_label("Screenshots or PDFs (optional)").set_input_files([str(screenshot)])
    submit(page, page.get_by_role("button", name="Send report"))
    expect(page.get_by_test_id("confirmation")).to_contain_text("Report sent")
    expect(page.get_by_test_id("emergency")).to_contain_text(
        "If you are in danger or have been threatened, call 999; for non-emergencies report to Police Scotland on 101."
    )
    expect(page.get_by_test_id("support")).to_contain_text("Employee assistance programme")
    expect(page.get_by_test_id("support")).to_contain_text("Morag Manager")
    assert_accessible(page)

    report = AbuseReport.objects.get()
    page.get_by_role("link", name="See your report").click()
    page.wait_for_url(f"**/abuse-reports/{report.pk}/")
    expect(page.get_by_test_id("evidence")).to_contain_text("screenshot.png")
    expect(page.get_by_test_id("support")).to_be_visible()
    assert_accessible(page)

    # A colleague in the same team finds nothing there.
    page.context.clear_cookies()
    sign_in_as(page, colleague)
    page.goto(f"/abuse-reports/{report.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text(WHAT_HAPPENED)
    assert_accessible(page)

    # HR wellbeing see it in their list and give it to a comms lead.
    page.context.clear_cookies()
    sign_in_as(page, wellbeing)
    page.goto("/abuse-reports/triage/")
    triage = page.get_by_test_id("triage")
    expect(triage).to_contain_text(f"Report {report.pk}")
    expect(triage).to_contain_text("Sandy Staff")
    expect(triage).to_contain_text("Wants contact")
    assert_accessible(page)
    triage.get_by_role("link", name=re.compile("Give to a comms lead")).click()
    page.wait_for_url(f"**/abuse-reports/{report.pk}/assign/")
    assert_accessible(page)
    page.get_by_label("Which comms lead should act on it?").select_option(label=str(comms_lead))
    submit(page, page.get_by_role("button", name="Give the report to them"))
    expect(page.get_by_test_id("message")).to_contain_text(f"is given to {comms_lead}")
    expect(page.get_by_test_id("assigned-to")).to_have_text(str(comms_lead))
    assert_accessible(page)

    report.refresh_from_db()
    assert (report.assigned_to, report.status) == (comms_lead, AbuseReport.Status.IN_HAND)
