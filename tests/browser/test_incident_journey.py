"""An incident at night, in the browser: a member of staff opens the hacked-account playbook, ticks a step,
misses a target; the pages reach the on-call primary and then the secondary at a real SMTP server; the primary
acknowledges from the link in the email; the incident is marked as a possible breach and closed with a review.

Escalation is driven with a controllable clock: the test calls ``escalations_run(now)`` with the times it
wants, instead of waiting. Every page visited is checked with axe.
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from incidents.escalation import escalations_run
from incidents.models import Incident
from policies.models import Category
from policies.playbooks import steps_parse
from tests.factories import UserFactory
from tests.policies.conftest import document_draft, publish_draft

STEPS = """
Tell the platform the account is compromised | Whoever is on call | 15
Revoke every session and reset the password | Account owner | 30
"""


def submit(page, control):
    with page.expect_navigation():
        control.click()


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"Acknowledge \(one button\): (\S+)", body).group(1)


def test_an_incident_at_night_from_opening_to_closing(page, assert_accessible, sign_in_as, smtp_server, live_server,
                                                      settings, staff, comms_lead, second_comms_lead):  # fmt: skip
    from socialgov.rota.models import RotaSettings, Shift

    settings.SITE_URL = live_server.url
    settings.INCIDENT_ESCALATION_MINUTES = 10
    now = timezone.now()
    primary = UserFactory(first_name="Priya", last_name="Primary", email="priya@glenmorven.gov.uk")
    secondary = UserFactory(first_name="Sam", last_name="Secondary", email="sam@glenmorven.gov.uk")
    for person, role in ((primary, Shift.Role.PRIMARY), (secondary, Shift.Role.SECONDARY)):
        Shift.objects.create(person=person, role=role, starts_at=now - datetime.timedelta(hours=2),
                             ends_at=now + datetime.timedelta(hours=12))  # fmt: skip
    rota = RotaSettings.current()
    rota.head_of_comms = comms_lead
    rota.save()
    document = document_draft(comms_lead, title="Account hacked out of hours", category=Category.PLAYBOOK,
                              help_question="Our account has been hacked", severity="critical",
                              steps=[s.as_dict() for s in steps_parse(STEPS)])  # fmt: skip
    publish_draft(document, author=comms_lead, approver=second_comms_lead)

    # --- A member of staff finds the playbook and opens an incident from it. ---
    sign_in_as(page, staff)
    page.goto("/policies/help/")
    assert_accessible(page)
    page.get_by_role("link", name="Our account has been hacked").click()
    page.wait_for_url(re.compile(r"/policies/account-hacked-out-of-hours/(#steps)?$"))
    expect(page.get_by_test_id("steps")).to_contain_text("Tell the platform the account is compromised")
    assert_accessible(page)
    page.get_by_test_id("start-incident").click()
    page.wait_for_url("**/incidents/new/**")
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="Open the incident"))
    incident = Incident.objects.get()
    expect(page.get_by_test_id("on-call-now")).to_contain_text("Priya Primary")
    assert_accessible(page)
    assert [m["To"] for m in smtp_server.messages] == ["priya@glenmorven.gov.uk"]  # paged at once

    # --- Step 1 ticked; step 2 misses its target: the primary, then the secondary, are paged for it. ---
    page.get_by_label("Note (optional) for step 1").fill("Reported through the platform's form")
    submit(page, page.get_by_test_id("done-1"))
    expect(page.get_by_test_id("step-1")).to_contain_text("Done")
    expect(page.get_by_test_id("progress")).to_contain_text("1 of 2 steps done")
    assert_accessible(page)

    # The primary acknowledges the incident from the link in the first page.
    first_page = smtp_server.to("priya@glenmorven.gov.uk")[0]
    assert first_page["Subject"].startswith("URGENT: Account hacked out of hours")
    page.context.clear_cookies()
    sign_in_as(page, primary)
    page.goto(link_in(first_page))
    assert_accessible(page)
    submit(page, page.get_by_test_id("acknowledge"))
    expect(page.get_by_test_id("acknowledged")).to_contain_text("Priya Primary")
    assert_accessible(page)

    step_two = incident.steps.get(order=2)
    escalations_run(step_two.due_at + datetime.timedelta(minutes=1))
    escalations_run(step_two.due_at + datetime.timedelta(minutes=11))
    step_pages = [m for m in smtp_server.messages if "step 2 is overdue" in m["Subject"]]
    assert [m["To"] for m in step_pages] == ["priya@glenmorven.gov.uk", "sam@glenmorven.gov.uk"]

    # The secondary's link, opened by the primary, changes nothing.
    page.goto(link_in(step_pages[1]))
    submit(page, page.get_by_test_id("acknowledge"))
    expect(page.get_by_test_id("problem")).to_contain_text("This link was sent to Sam Secondary")
    assert_accessible(page)

    # --- Possible breach, review, and closing. ---
    page.goto(f"/incidents/{incident.pk}/")
    submit(page, page.get_by_test_id("mark-breach"))
    expect(page.get_by_test_id("breach-clock")).to_contain_text("Report it to the regulator by")
    expect(page.get_by_test_id("close-blockers")).to_contain_text("Write the review")
    assert_accessible(page)
    page.get_by_label("Not reportable", exact=True).check()
    page.get_by_label("Regulator's reference, or why it is not reportable").fill("No personal data was exposed.")
    submit(page, page.get_by_role("button", name="Record the outcome"))
    expect(page.get_by_test_id("breach-outcome")).to_contain_text("Not reportable")
    page.get_by_label("What happened").fill("A phished password; the account posted spam for 20 minutes.")
    submit(page, page.get_by_role("button", name="Save the review"))
    submit(page, page.get_by_test_id("done-2"))
    submit(page, page.get_by_test_id("close"))
    expect(page.get_by_test_id("message")).to_contain_text("Incident closed.")
    assert_accessible(page)
    incident.refresh_from_db()
    assert not incident.is_open
