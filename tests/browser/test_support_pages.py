"""The support level in the browser: a member of staff takes the self-assessment; a comms lead sees the spread.

Every page visited is checked with axe (the ``page`` fixture fails a test that forgets one).
"""

import re

from playwright.sync_api import expect

from training.models import Course, SupportAssessment, SupportLevel
from training.support import QUESTIONS


def submit(page, control):
    """Click a control that submits a form, and wait for the page the server sends back."""
    with page.expect_navigation():
        control.click()


def test_a_member_of_staff_takes_the_assessment_and_sees_their_level_and_who_to_ask(
    page, assert_accessible, sign_in_as, staff, comms_lead
):
    comms_lead.first_name, comms_lead.last_name = "Catriona", "Comms"
    comms_lead.save()
    Course.objects.create(
        title="Replying to the public", slug="replying-to-the-public", summary="Replies.", support_levels=["developing"]
    )
    sign_in_as(page, staff)

    page.goto("/training/support/")
    expect(page.get_by_role("heading", level=1)).to_have_text("How confident are you with social media at work?")
    expect(page.get_by_role("radio")).to_have_count(sum(len(question.answers) for question in QUESTIONS))
    assert_accessible(page)

    # Nothing chosen: the error summary names every question and links to its first answer.
    submit(page, page.get_by_role("button", name="Save my answers"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    for question in QUESTIONS:
        expect(summary.get_by_role("link", name=f"Answer: {question.text}")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Your support level – "))
    assert_accessible(page)
    summary.get_by_role("link", name=f"Answer: {QUESTIONS[0].text}").click()
    expect(page.locator(f"#id_{QUESTIONS[0].key}")).to_be_focused()
    assert not SupportAssessment.objects.exists()

    # The middle answer everywhere: Developing.
    for question in QUESTIONS:
        middle = next(answer for answer in question.answers if answer.score == 2)
        page.get_by_role("group", name=question.text).get_by_label(middle.text, exact=True).check()
    submit(page, page.get_by_role("button", name="Save my answers"))

    expect(page.get_by_test_id("message")).to_contain_text("Your support level is Developing")
    expect(page.get_by_test_id("level")).to_contain_text("Developing")
    expect(page.get_by_test_id("path-courses")).to_contain_text("Replying to the public")
    contacts = page.get_by_test_id("comms-contacts")
    expect(contacts).to_contain_text("Catriona Comms")
    expect(contacts.get_by_role("link", name="comms@glenmorven.gov.uk")).to_have_attribute(
        "href", "mailto:comms@glenmorven.gov.uk"
    )
    assert_accessible(page)
    assert SupportAssessment.objects.get(person=staff).level == SupportLevel.DEVELOPING

    # Taking it again starts from the last answers.
    submit(page, page.get_by_role("button", name="Take it again"))
    expect(page.get_by_role("radio", checked=True)).to_have_count(len(QUESTIONS))
    assert_accessible(page)


def test_a_comms_lead_sees_the_support_levels_by_department(page, assert_accessible, sign_in_as, staff, comms_lead):
    SupportAssessment.objects.create(person=staff, answers={}, score=0, level=SupportLevel.NEW)
    sign_in_as(page, comms_lead)

    page.goto("/training/support/levels/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Support levels by department")
    table = page.get_by_role("table", name="By department")
    expect(table).to_be_visible()
    tenancy = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Tenancy team"))
    expect(tenancy.get_by_role("cell")).to_have_text(["2", "1", "0", "0", "1", "50%"])
    expect(page.get_by_test_id("total-new")).to_contain_text("1")
    assert_accessible(page)
