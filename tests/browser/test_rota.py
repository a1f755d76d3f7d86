"""The on-call rota in the browser: a comms lead builds a night's cover, sees the gap explained and closes it;
a member of staff finds who is on call now and how to reach them.

Every page visited is checked with axe (the ``page`` fixture fails a test that forgets one).
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from socialgov.rota.models import OnCallPhone, Shift
from socialgov.rota.services import shift_add
from tests.factories import UserFactory


def submit(page, control):
    """Click a control that submits a form, and wait for the page the server sends back."""
    with page.expect_navigation():
        control.click()


def fill_shift(page, *, email, role, day, start, end_day, end):
    page.get_by_label("Their email address").fill(email)
    page.get_by_role("radio", name=re.compile(f"^{role}:")).check()
    page.get_by_label("Start date").fill(day.isoformat())
    page.get_by_label("Start time").fill(start)
    page.get_by_label("End date").fill(end_day.isoformat())
    page.get_by_label("End time").fill(end)


def test_a_comms_lead_sees_a_gap_explained_and_closes_it(page, assert_accessible, sign_in_as, comms_lead):
    alex = UserFactory(email="alex.adams@glenmorven.gov.uk", first_name="Alex", last_name="Adams")
    blair = UserFactory(email="blair.brown@glenmorven.gov.uk", first_name="Blair", last_name="Brown")
    day = timezone.localdate() + datetime.timedelta(days=7)
    tomorrow = day + datetime.timedelta(days=1)
    section = f"#day-{day.isoformat()}"
    sign_in_as(page, comms_lead)

    page.goto("/rota/")
    expect(page.get_by_role("heading", level=1)).to_have_text("On-call rota")
    expect(page.locator(section)).to_contain_text("No shifts start on this day.")
    assert_accessible(page)

    # Alex is primary until 23:00; the first try at Blair's shift has its end before its start.
    page.locator(section).get_by_role("link", name=re.compile("Add a shift")).click()
    expect(page.get_by_label("Start date")).to_have_value(day.isoformat())
    assert_accessible(page)
    fill_shift(page, email=alex.email, role="Primary", day=day, start="17:30", end_day=day, end="23:00")
    submit(page, page.get_by_role("button", name="Add shift"))
    expect(page.get_by_test_id("message")).to_contain_text("Alex Adams is primary from")
    assert_accessible(page)

    page.goto(f"/rota/shifts/new/?day={day.isoformat()}")
    fill_shift(page, email=blair.email, role="Primary", day=day, start="23:30", end_day=day, end="09:00")
    submit(page, page.get_by_role("button", name="Add shift"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end must be after the start")
    expect(page).to_have_title(re.compile(r"^Error: Add a shift – "))
    expect(page.get_by_label("Their email address")).to_have_value(blair.email)
    expect(page.get_by_label("Start time")).to_have_value("23:30")
    assert_accessible(page)
    page.get_by_label("End date").fill(tomorrow.isoformat())
    submit(page, page.get_by_role("button", name="Add shift"))
    expect(page.get_by_test_id("message")).to_contain_text("Blair Brown is primary from")

    # Half an hour with nobody primary, said in words on its day and in the list of problems.
    gap = f"Nobody is primary from {day:%a} {day.day} {day:%b} 23:00 to 23:30"
    expect(page.locator(section).get_by_test_id("problem").filter(has_text=gap)).to_be_visible()
    expect(page.get_by_test_id("problems")).to_contain_text(gap)
    assert_accessible(page)

    # Closing it: Alex stays on until Blair arrives.
    alex_shift = Shift.objects.get(person=alex)
    page.locator(section).get_by_role("link", name=re.compile("Change Alex Adams")).click()
    expect(page.get_by_test_id("history")).to_contain_text("Added")
    assert_accessible(page)
    page.get_by_label("End time").fill("23:30")
    submit(page, page.get_by_role("button", name="Save changes"))
    expect(page.get_by_test_id("message")).to_contain_text("Shift changed.")
    expect(page.get_by_test_id("problems")).not_to_contain_text(gap)
    expect(page.locator(section).get_by_test_id("problem").filter(has_text="Nobody is primary")).to_have_count(0)
    alex_shift.refresh_from_db()
    assert alex_shift.ends_at == Shift.objects.get(person=blair).starts_at
    assert_accessible(page)


def test_a_member_of_staff_finds_who_is_on_call_now(page, assert_accessible, sign_in_as, staff, comms_lead):
    alex = UserFactory(email="alex.adams@glenmorven.gov.uk", first_name="Alex", last_name="Adams")
    now = timezone.now()
    shift_add(by=comms_lead, person=alex, role=Shift.Role.PRIMARY, starts_at=now - datetime.timedelta(hours=1),
              ends_at=now + datetime.timedelta(hours=3))  # fmt: skip
    OnCallPhone.objects.create(person=alex, number="+447700900123")
    sign_in_as(page, staff)

    page.goto("/rota/")
    on_call = page.get_by_test_id("on-call-now")
    expect(on_call.get_by_test_id("on-call-primary")).to_contain_text("Alex Adams")
    expect(on_call.get_by_test_id("on-call-secondary")).to_contain_text("Nobody")
    expect(page.get_by_role("link", name="Add a shift")).to_have_count(0)
    assert_accessible(page)

    page.goto("/rota/now/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who is on call now")
    primary = page.get_by_test_id("on-call-primary")
    expect(primary.get_by_role("link", name="07700 900123")).to_have_attribute("href", "tel:+447700900123")
    expect(primary.get_by_role("link", name=alex.email)).to_have_attribute("href", f"mailto:{alex.email}")
    expect(page.get_by_test_id("nobody-primary")).to_have_count(0)
    assert_accessible(page)
