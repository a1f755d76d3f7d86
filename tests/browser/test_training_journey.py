"""Training in the browser: a new starter onboarded to a licence that later lapses; a manager's team and HR.

The first journey follows a new starter from the staff list to the licence
to post: the nightly sync (the same call the staff import makes) assigns the
onboarding course, they read it lesson by lesson (leaving and coming back
half way), get a certificate and its PDF, acknowledge the social media
policy and hold the licence, which lapses the night their completion
expires; their manager sees the lapse and its reason on their record. The
second follows a manager (their team, an overdue course, assigning a course
by hand) and HR (the overdue list, an exemption with a reason). Every page
visited is checked with axe (the ``page`` fixture fails a test that forgets
one).
"""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from playwright.sync_api import expect

from policies.models import Acknowledgement, Category
from tests.factories import UserFactory
from tests.policies.conftest import publish_document
from tests.training.conftest import make_course, read_all
from training.licensing import licence_in_force, licences_review
from training.models import Assignment, Completion, Licence
from training.services import add_months, assignments_sync

COURSE = "Social media at work"
COURSE_SLUG = "social-media-at-work"
POLICY = "Social media policy"
POLICY_SLUG = "social-media-policy"
ACKNOWLEDGE = "Acknowledge the social media policy"
COMPLETE = f"Complete {COURSE}"
CONFIRM = "I have read and understood it, and I will follow it"


@pytest.fixture
def licence_rules(settings):
    # The licence asks for the policy and the course. Quizzes exist now (test_quiz_journey.py covers a
    # course with a quiz, and a quiz as a licence requirement), but this journey's course has none and no
    # quiz counts towards the licence, so the requirements here are the policy and the course alone.
    settings.LICENCE_POLICY_SLUG = POLICY_SLUG
    settings.LICENCE_COURSE_SLUGS = [COURSE_SLUG]
    settings.LICENCE_QUIZ_SLUGS = []


def submit(page, control):
    """Click a control that submits a form; returns the response for the page the server sends back."""
    with page.expect_navigation() as navigation:
        control.click()
    return navigation.value


def switch_to(page, sign_in_as, person):
    page.context.clear_cookies()
    sign_in_as(page, person)


def success_message(page):
    return page.locator(".govuk-notification-banner--success[data-testid=message]")


def error_summary(page):
    return page.locator(".govuk-error-summary")


def licence_item(page, label: str):
    return page.get_by_test_id("licence").locator("li").filter(has_text=label)


def new_starter(manager, department):
    today = timezone.localdate()
    return UserFactory(
        email="nadia.newstart@glenmorven.gov.uk",
        first_name="Nadia",
        last_name="Newstart",
        start_date=today - datetime.timedelta(days=3),
        line_manager=manager,
        department=department,
    )


def test_a_new_starter_is_onboarded_completes_and_holds_a_licence_that_later_lapses(
    page, assert_accessible, sign_in_as, licence_rules, comms_lead, second_comms_lead, manager, department
):
    today = timezone.localdate()
    publish_document(comms_lead, approver=second_comms_lead, title=POLICY, category=Category.POLICY)
    course = make_course(
        COURSE, slug=COURSE_SLUG, is_for_everyone=True, is_onboarding=True, refresher_months=12, lessons=3
    )
    starter = new_starter(manager, department)

    # --- The nightly run (and the staff import) assigns the onboarding course. ---
    assignments_sync()
    assignment = Assignment.objects.get(person=starter, course=course)
    assert (assignment.source, assignment.status) == (Assignment.Source.ONBOARDING, Assignment.Status.OPEN)
    # Due ``due_within_days`` after they started.
    assert assignment.due_on == starter.start_date + datetime.timedelta(days=course.due_within_days)
    # Onboarding is for new starters only: people who started long ago (or whose start is not known) are not assigned.
    assert not Assignment.objects.filter(course=course).exclude(person=starter).exists()

    # --- The new starter sees it on their home page and in their learning. ---
    sign_in_as(page, starter)
    page.goto("/")
    expect(page.get_by_test_id("todo").get_by_role("link", name=f"Complete the course {COURSE}")).to_have_attribute(
        "href", f"/training/courses/{COURSE_SLUG}/"
    )
    assert_accessible(page)

    page.goto("/training/")
    to_do = page.get_by_test_id("to-do").locator("li").filter(has_text=COURSE)
    expect(to_do).to_have_count(1)
    expect(to_do.get_by_role("link", name=COURSE)).to_be_visible()
    expect(to_do).to_contain_text("Onboarding")
    expect(to_do.locator(".sg-progress")).to_contain_text("0 of 3 lessons read")
    expect(to_do.locator(".sg-bar__fill")).to_have_attribute("style", "width: 0%")
    expect(to_do.locator(".govuk-task-list__status")).to_contain_text(
        f"Not started, due {date_format(assignment.due_on, 'j M Y')}"
    )
    expect(page.get_by_test_id("licence-status")).to_have_text("No licence yet")
    assert_accessible(page)

    # --- The course, started; one lesson read. ---
    to_do.get_by_role("link", name=COURSE).click()
    page.wait_for_url(f"**/training/courses/{COURSE_SLUG}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(COURSE)
    expect(page.get_by_test_id("lessons").get_by_role("link")).to_have_text(["Lesson 1", "Lesson 2", "Lesson 3"])
    expect(page.get_by_test_id("completed")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Start the course").click()
    page.wait_for_url(f"**/training/courses/{COURSE_SLUG}/lessons/1/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson 1")
    expect(page.get_by_test_id("lesson-body").locator("h2")).to_have_text("Part 1")
    expect(page.get_by_test_id("mark-read")).to_have_text("I have read this: next lesson")
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="I have read this: next lesson"))
    assert page.url.endswith(f"/training/courses/{COURSE_SLUG}/lessons/2/")
    expect(page.locator(".sg-progress")).to_contain_text("1 of 3 lessons read")
    assert_accessible(page)

    # --- They leave and come back: the course picks up where they left off. ---
    page.get_by_role("link", name="Back to the list of lessons").click()
    page.wait_for_url(f"**/training/courses/{COURSE_SLUG}/")
    expect(page.get_by_test_id("continue")).to_have_text("Continue where you left off")
    expect(page.locator(".sg-progress")).to_contain_text("1 of 3 lessons read")
    lessons = page.get_by_test_id("lessons").locator("li")
    expect(lessons.nth(0).locator(".govuk-tag")).to_have_text("Read")
    expect(lessons.nth(1).locator(".govuk-tag")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Continue where you left off").click()
    page.wait_for_url(f"**/training/courses/{COURSE_SLUG}/lessons/2/")
    expect(page.get_by_test_id("mark-read")).to_have_text("I have read this: next lesson")
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="I have read this: next lesson"))
    assert page.url.endswith(f"/training/courses/{COURSE_SLUG}/lessons/3/")
    expect(page.get_by_test_id("mark-read")).to_have_text("Finish the course")
    assert not Completion.objects.filter(person=starter).exists()
    assert_accessible(page)

    # --- The last lesson finishes the course: a certificate. ---
    submit(page, page.get_by_role("button", name="Finish the course"))
    assert page.url.endswith(f"/training/courses/{COURSE_SLUG}/")
    expect(success_message(page)).to_contain_text(f"You have completed {COURSE}. Your certificate is ready.")
    completion = Completion.objects.get(person=starter, course=course)
    number = completion.certificate_number
    # A twelve-month refresher period: the completion expires a year after the day it was made.
    assert completion.expires_on == add_months(timezone.localdate(completion.completed_at), 12)
    completed = page.get_by_test_id("completed")
    expect(completed).to_contain_text(f"Certificate {number}")
    expect(completed).to_contain_text(f"Valid until {date_format(completion.expires_on, 'j F Y')}")
    assert_accessible(page)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.completion) == (Assignment.Status.COMPLETED, completion)
    # The course alone is not the licence: the policy is not acknowledged yet.
    assert licence_in_force(starter) is None

    completed.get_by_role("link", name=number).click()
    page.wait_for_url(f"**/training/certificates/{number}/")
    certificate = page.get_by_test_id("certificate")
    expect(certificate.get_by_test_id("person-name")).to_have_text("Nadia Newstart")
    expect(certificate.get_by_test_id("course-title")).to_have_text(COURSE)
    expect(certificate.get_by_test_id("certificate-number")).to_have_text(number)
    assert_accessible(page)
    pdf_href = page.get_by_role("link", name="Download as PDF").get_attribute("href")
    assert pdf_href == f"/training/certificates/{number}/pdf/"
    response = page.request.get(pdf_href)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # --- The licence: the course is done, the policy is still to acknowledge. ---
    page.goto("/training/")
    expect(page.get_by_test_id("nothing-to-do")).to_be_visible()
    expect(page.get_by_test_id("completions")).to_contain_text(number)
    expect(page.get_by_test_id("licence-status")).to_have_text("No licence yet")
    expect(licence_item(page, COMPLETE)).to_contain_text("Done:")
    expect(licence_item(page, ACKNOWLEDGE)).to_contain_text("Still to do:")
    link = licence_item(page, ACKNOWLEDGE).get_by_role("link", name=ACKNOWLEDGE)
    expect(link).to_have_attribute("href", f"/policies/{POLICY_SLUG}/")
    assert_accessible(page)
    link.click()
    page.wait_for_url(f"**/policies/{POLICY_SLUG}/")
    expect(page.get_by_test_id("must-acknowledge")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(CONFIRM).check()
    submit(page, page.get_by_role("button", name="Confirm"))
    page.wait_for_url(re.compile(r"/$"))
    expect(success_message(page)).to_contain_text(f"Thank you. You have acknowledged {POLICY}, version 1.0.")
    assert_accessible(page)
    assert Acknowledgement.objects.filter(person=starter).exists()

    page.goto("/training/")
    expect(licence_item(page, ACKNOWLEDGE)).to_contain_text("Done:")
    expect(licence_item(page, COMPLETE)).to_contain_text("Done:")
    expect(page.get_by_test_id("licence").get_by_role("link")).to_have_count(0)
    # Acknowledging the policy was the last requirement: the licence is granted at once.
    expect(page.get_by_test_id("licence-status")).to_have_text("Licensed to post")
    licence = licence_in_force(starter)
    assert licence is not None
    expect(page.get_by_test_id("licence")).to_contain_text(f"Valid until {date_format(licence.expires_on, 'j F Y')}.")

    # --- A year on (the completion expired yesterday), the nightly run lapses the licence. ---
    yesterday = today - datetime.timedelta(days=1)
    assert Completion.objects.filter(person=starter, course=course).update(expires_on=yesterday) == 1
    assert licences_review() == 1
    licence.refresh_from_db()
    assert licence.lapsed_at is not None
    assert licence.lapse_reason == COMPLETE
    assert licence_in_force(starter) is None

    page.goto("/training/")
    expect(page.get_by_test_id("licence-status")).to_have_text("No licence yet")
    expect(licence_item(page, COMPLETE)).to_contain_text("Still to do:")
    expect(licence_item(page, COMPLETE).get_by_role("link", name=COMPLETE)).to_have_attribute(
        "href", f"/training/courses/{COURSE_SLUG}/"
    )
    expect(licence_item(page, ACKNOWLEDGE)).to_contain_text("Done:")
    expect(page.get_by_test_id("completions")).to_contain_text(f"Expired {date_format(yesterday, 'j M Y')}")
    assert_accessible(page)

    # --- Their manager sees the lapse, and why, on their record. ---
    switch_to(page, sign_in_as, manager)
    page.goto(f"/training/people/{starter.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training: Nadia Newstart")
    history = page.get_by_test_id("licence-history").locator("li")
    expect(history).to_have_count(1)
    expect(history).to_have_text(re.compile(rf"^Granted .+, lapsed .+: {COMPLETE}$"))
    expect(page.get_by_test_id("licence-status")).to_have_text("No licence yet")
    expect(page.get_by_test_id("completions")).to_contain_text(f"certificate {number}")
    assert_accessible(page)
    assert Licence.objects.filter(person=starter).count() == 1


def test_acknowledging_the_policy_last_grants_the_licence_at_once(
    page, assert_accessible, sign_in_as, licence_rules, comms_lead, second_comms_lead, manager, department
):
    publish_document(comms_lead, approver=second_comms_lead, title=POLICY, category=Category.POLICY)
    course = make_course(COURSE, slug=COURSE_SLUG, refresher_months=12, lessons=3)
    starter = new_starter(manager, department)
    assert read_all(starter, course) is not None
    assert licence_in_force(starter) is None
    sign_in_as(page, starter)

    page.goto(f"/policies/{POLICY_SLUG}/")
    assert_accessible(page)
    page.get_by_label(CONFIRM).check()
    submit(page, page.get_by_role("button", name="Confirm"))
    expect(success_message(page)).to_contain_text(f"You have acknowledged {POLICY}, version 1.0.")
    assert_accessible(page)

    page.goto("/training/")
    expect(licence_item(page, ACKNOWLEDGE)).to_contain_text("Done:")
    expect(licence_item(page, COMPLETE)).to_contain_text("Done:")
    assert_accessible(page)
    # Every requirement is met: the licence should be in force now, not after the next nightly run.
    assert page.get_by_test_id("licence-status").inner_text() == "Licensed to post"
    assert licence_in_force(starter) is not None


def test_a_manager_sees_the_team_and_hr_exempts_someone(
    page, assert_accessible, sign_in_as, staff, manager, hr, department
):
    today = timezone.localdate()
    course = make_course("Online safety", slug="online-safety", is_for_everyone=True, lessons=2)
    by_hand = make_course("Handling abuse online", slug="handling-abuse-online", lessons=2)
    report = UserFactory(
        email="rory.report@glenmorven.gov.uk",
        first_name="Rory",
        last_name="Report",
        department=department,
        line_manager=manager,
    )
    assignments_sync()
    # The course for everyone reaches everyone; the other has no audience, so nobody has it yet.
    assert set(Assignment.objects.filter(course=course).values_list("person", flat=True)) == {
        staff.pk,
        manager.pk,
        hr.pk,
        report.pk,
    }
    assert not Assignment.objects.filter(course=by_hand).exists()
    yesterday = today - datetime.timedelta(days=1)
    overdue = Assignment.objects.get(person=staff, course=course)
    Assignment.objects.filter(pk=overdue.pk).update(due_on=yesterday)

    # --- The manager's team: Sandy is overdue, Rory is not. ---
    sign_in_as(page, manager)
    page.goto("/training/team/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your team's training")
    expect(page.get_by_test_id("team-summary")).to_have_text("2 people: 1 with overdue training, 0 licensed to post.")
    rows = page.get_by_test_id("team").locator("tbody tr")
    expect(rows).to_have_count(2)
    sandy = rows.filter(has_text="Sandy Staff")
    expect(sandy.locator(".govuk-tag--red")).to_have_text("1")
    expect(sandy.locator("td")).to_have_text(["1", "1", "0", "Not yet"])
    rory = rows.filter(has_text="Rory Report")
    expect(rory.locator(".govuk-tag--red")).to_have_count(0)
    expect(rory.locator("td")).to_have_text(["1", "0", "0", "Not yet"])
    assert_accessible(page)

    # --- The manager assigns a course to Rory: a past date is refused, what was typed is kept. ---
    page.get_by_role("link", name="Assign a course to someone in your team").click()
    page.wait_for_url("**/training/assignments/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Assign a course")
    assert_accessible(page)
    page.get_by_label("Their email address").fill(report.email)
    page.get_by_label("Course", exact=True).select_option(label="Handling abuse online")
    page.get_by_label("Due date").fill(yesterday.isoformat())
    page.get_by_label("Why (optional)").fill("You moderate the housing page's comments.")
    response = submit(page, page.get_by_role("button", name="Assign it"))
    assert response.status == 400
    expect(error_summary(page)).to_contain_text(
        f"The due date {date_format(yesterday, 'j F Y')} is in the past: choose today or a later date"
    )
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_label("Their email address")).to_have_value(report.email)
    expect(page.get_by_label("Course", exact=True)).to_have_value(str(by_hand.pk))
    expect(page.get_by_label("Why (optional)")).to_have_value("You moderate the housing page's comments.")
    assert not Assignment.objects.filter(course=by_hand).exists()
    assert_accessible(page)

    due = today + datetime.timedelta(days=14)
    page.get_by_label("Due date").fill(due.isoformat())
    submit(page, page.get_by_role("button", name="Assign it"))
    assert page.url.endswith(f"/training/people/{report.pk}/")
    expect(success_message(page)).to_contain_text(
        f"Handling abuse online is assigned to Rory Report, due {date_format(due, 'j F Y')}."
    )
    expect(page.get_by_test_id("assignments")).to_contain_text("Handling abuse online")
    # A manager may assign, not exempt.
    expect(page.get_by_role("link", name=re.compile("^Exempt"))).to_have_count(0)
    assert_accessible(page)
    assigned = Assignment.objects.get(person=report, course=by_hand)
    assert (assigned.source, assigned.status, assigned.due_on, assigned.assigned_by) == (
        Assignment.Source.MANUAL,
        Assignment.Status.OPEN,
        due,
        manager,
    )
    assert assigned.reason == "You moderate the housing page's comments."

    # --- HR lists what is overdue, opens Sandy's record and exempts them, with a reason. ---
    switch_to(page, sign_in_as, hr)
    page.goto("/training/assignments/?status=overdue")
    expect(page.get_by_label("Overdue")).to_be_checked()
    table = page.get_by_test_id("assignments")
    expect(table.locator("caption")).to_have_text("1 assignment")
    listed = table.locator("tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Sandy Staff")
    expect(listed).to_contain_text("Online safety")
    expect(listed.locator(".govuk-tag--red")).to_have_text("Overdue")
    assert_accessible(page)
    listed.get_by_role("link", name="Sandy Staff").click()
    page.wait_for_url(f"**/training/people/{staff.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Training: Sandy Staff")
    assert_accessible(page)

    page.get_by_role("link", name="Exempt Sandy Staff from Online safety").click()
    page.wait_for_url(f"**/training/assignments/{overdue.pk}/exempt/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exempt Sandy Staff from Online safety")
    assert_accessible(page)
    response = submit(page, page.get_by_role("button", name="Exempt them"))
    assert response.status == 400
    expect(error_summary(page)).to_contain_text("Give a reason for the exemption")
    expect(page.locator("#id_reason-error")).to_contain_text("Give a reason for the exemption")
    expect(page).to_have_title(re.compile("^Error: "))
    assert_accessible(page)
    overdue.refresh_from_db()
    assert overdue.status == Assignment.Status.OPEN

    page.get_by_label("Why are they exempt?").fill("Career break until June.")
    submit(page, page.get_by_role("button", name="Exempt them"))
    assert page.url.endswith(f"/training/people/{staff.pk}/")
    expect(success_message(page)).to_contain_text("Sandy Staff is exempt from Online safety.")
    row = page.get_by_test_id("assignments").locator("tbody tr").filter(has_text="Online safety")
    expect(row).to_contain_text("Exempt")
    expect(row).to_contain_text("Career break until June.")
    expect(row.locator(".govuk-tag--red")).to_have_count(0)
    expect(page.get_by_role("link", name="Exempt Sandy Staff from Online safety")).to_have_count(0)
    assert_accessible(page)
    overdue.refresh_from_db()
    assert (overdue.status, overdue.reason, overdue.closed_by) == (
        Assignment.Status.EXEMPT,
        "Career break until June.",
        hr,
    )
    assert overdue.closed_at is not None
