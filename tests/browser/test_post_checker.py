"""The post checker in the browser: a comms lead sets the house rules and an election period, and a member of
staff checks a draft, sees its problems marked in place and fixes them; the item analysis of a quiz reads well.

Every page visited is checked with axe (the ``page`` fixture fails a test that forgets one).
"""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from tests.training.conftest import make_quiz
from training.models import ElectionPeriod, HouseRules

DRAFT = "PLS come 2 our consultation on the new bins!!! Vote for change at the council election."
FIXED = "Tell us what you think of the new bins: the consultation is open until Friday. ^Waste team"


def submit(page, control):
    with page.expect_navigation():
        control.click()


def findings(page):
    return page.get_by_test_id("findings").locator("li")


def test_a_comms_lead_sets_house_rules_and_staff_check_a_draft(page, assert_accessible, sign_in_as, staff, comms_lead):
    sign_in_as(page, comms_lead)
    page.goto("/training/checker/settings/")
    expect(page.get_by_test_id("no-periods")).to_be_visible()
    assert_accessible(page)

    # A required sign-off, and a pre-election period that is on today; the first try has a mistake.
    page.get_by_label("Required sign-off (optional)").fill("^Waste team")
    submit(page, page.get_by_role("button", name="Save house rules"))
    expect(page.get_by_test_id("message")).to_contain_text("House rules saved.")
    assert HouseRules.current().sign_off == "^Waste team"
    today = timezone.localdate()
    page.get_by_label("Name").fill("Council by-election")
    page.get_by_label("Starts on").fill(today.isoformat())
    page.get_by_label("Ends on").fill((today - datetime.timedelta(days=1)).isoformat())
    submit(page, page.get_by_role("button", name="Add period"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end must be on or after the start")
    expect(page.get_by_label("Name")).to_have_value("Council by-election")
    assert_accessible(page)
    page.get_by_label("Ends on").fill((today + datetime.timedelta(days=14)).isoformat())
    submit(page, page.get_by_role("button", name="Add period"))
    expect(page.get_by_test_id("periods")).to_contain_text("Council by-election")
    expect(page.get_by_test_id("election-on")).to_be_visible()
    assert ElectionPeriod.objects.count() == 1
    assert_accessible(page)

    # Staff: the draft is checked for Bluesky, with an image and no alt text.
    page.context.clear_cookies()
    sign_in_as(page, staff)
    page.goto("/training/checker/")
    expect(page.get_by_test_id("election-on")).to_contain_text("Council by-election")
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="Check post"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Paste or type the post you want to check")
    assert_accessible(page)

    page.get_by_label("Your draft post").fill(DRAFT)
    page.get_by_label("Bluesky").check()
    page.get_by_label("An image is attached").check()
    submit(page, page.get_by_role("button", name="Check post"))
    expect(page.get_by_label("Your draft post")).to_have_value(DRAFT)
    expect(page.get_by_label("Bluesky")).to_be_checked()
    rules = {findings(page).nth(i).get_attribute("data-rule") for i in range(findings(page).count())}
    assert {"all_caps", "text_speak", "exclamations", "pre_election", "alt_text", "sign_off"} <= rules
    marked = page.get_by_test_id("marked-draft")
    expect(marked).to_contain_text("consultation on the new bins")
    expect(marked.locator("mark").first).to_be_visible()
    # Each marked span links to its explanation.
    link = marked.locator("sup a").first
    target = link.get_attribute("href")
    link.click()
    expect(page.locator(target)).to_be_visible()
    expect(page.get_by_test_id("length")).to_contain_text("of 300")
    assert_accessible(page)

    # Fixed: nothing left to say.
    page.get_by_label("Your draft post").fill(FIXED)
    page.get_by_label("Alt text for the image (optional)").fill("Three new wheelie bins, green, blue and grey.")
    submit(page, page.get_by_role("button", name="Check post"))
    expect(page.get_by_test_id("all-clear")).to_contain_text("No problems found")
    assert_accessible(page)


def test_item_analysis_reads_well_before_and_after_attempts(page, assert_accessible, sign_in_as, comms_lead):
    make_quiz("twitiquette", categories=2, per_category=3, draw=2)
    sign_in_as(page, comms_lead)

    page.goto("/training/quizzes/twitiquette/analysis/")
    expect(page.get_by_test_id("no-attempts")).to_be_visible()
    expect(page.get_by_test_id("items").locator("tbody tr")).to_have_count(6)
    assert_accessible(page)
