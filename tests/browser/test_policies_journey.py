"""Policies in the browser: written, approved, read and acknowledged, changed, reported on, searched.

The main journey follows one policy through its life with every person who
touches it: a comms lead writes it (with the preview that works without
JavaScript), a second comms lead approves it, a member of staff reads and
acknowledges it, a major change brings it back to their list with what
changed, the owner sees who has acknowledged it and HR records an exemption.
Separate tests cover the live preview and two comms leads saving the same
draft at once. Every page visited is checked with axe (the ``page`` fixture
fails a test that forgets one).
"""

import re

import pytest
from playwright.sync_api import expect

from policies.models import Acknowledgement, Category, Document, DocumentVersion
from policies.rendering import markdown_render
from policies.services import document_create, draft_for
from socialgov.notifications.models import Message, Notification
from socialgov.people.models import User
from tests.browser.conftest import Visits
from tests.factories import UserFactory

TITLE = "Social media policy"
SLUG = "social-media-policy"
SUMMARY = "How we all use social media, at work and in our own time."
BODY_V1 = (
    "## Why we have this policy\n\n"
    "Social media helps us talk with the people we serve.\n\n"
    "## What everyone must do\n\n"
    "Keep **impartiality** in everything you post about the council.\n\n"
    "## Getting help\n\n"
    "Ask the communications team before you post about a crisis."
)
HEADINGS = ["Why we have this policy", "What everyone must do", "Getting help"]
NEW_SECTION = "## During elections\n\nDuring the pre-election period, do not post about candidates or parties."
# The comparison goes paragraph by paragraph: the new heading and its paragraph are both added.
ADDED = ["## During elections", "During the pre-election period, do not post about candidates or parties."]
WHAT_CHANGED = "A new section on what to post during the pre-election period."
CONFIRM = "I have read and understood it, and I will follow it"
INIT_SCRIPT = "**/socialgov/init*.mjs"


@pytest.fixture
def second_page(browser, axe, live_server):
    """A second browser (its own cookies), held to the same rule: axe on every page it visits."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    other = context.new_page()
    other.visits = Visits(other, axe, live_server.url)
    yield other
    context.close()
    missed = other.visits.unchecked()
    assert not missed, f"Pages visited without an accessibility check: {sorted(missed)}"


def submit(page, control):
    """Click a control that submits a form, and wait for the page the server sends back."""
    with page.expect_navigation():
        control.click()


def switch_to(page, sign_in_as, person):
    page.context.clear_cookies()
    sign_in_as(page, person)


def preview_requests(page) -> list:
    """The live preview's requests from now on, as they are made."""
    requests = []
    page.on("request", lambda request: requests.append(request) if "/policies/preview/" in request.url else None)
    return requests


def follow_from(page, assert_accessible, start: str, link: str, lands_on: str) -> None:
    """Open ``start``, follow the link named ``link`` to ``lands_on``; axe checks both pages."""
    page.goto(start)
    assert_accessible(page)
    page.get_by_role("link", name=link).click()
    page.wait_for_url(f"**{lands_on}")
    assert_accessible(page)


def success_message(page):
    return page.locator(".govuk-notification-banner--success[data-testid=message]")


def test_a_policy_is_written_approved_acknowledged_changed_and_reported_on(
    page, assert_accessible, sign_in_as, comms_lead, second_comms_lead, staff, manager, hr, department
):
    author, owner = comms_lead, manager
    on_leave = UserFactory(
        email="lorna.leave@glenmorven.gov.uk", first_name="Lorna", last_name="Leave", department=department
    )

    # --- The comms lead writes the policy, previewing it without JavaScript. ---
    sign_in_as(page, author)
    page.goto("/policies/")
    assert page.get_by_test_id("no-documents").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Write a new document").click()
    page.wait_for_url("**/policies/new/")
    assert_accessible(page)

    # Without the enhancement script the preview comes from the "Preview the text" button alone.
    live_previews = preview_requests(page)
    page.route(INIT_SCRIPT, lambda route: route.abort())
    page.reload()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary", exact=True).fill(SUMMARY)
    page.get_by_label("Policy", exact=True).check()
    page.get_by_label("Owner's email address").fill(owner.email)
    page.get_by_label("Text", exact=True).fill(BODY_V1)
    preview = page.get_by_test_id("preview")
    assert preview.locator("h2").count() == 0
    submit(page, page.get_by_role("button", name="Preview the text"))
    expect(preview.locator("h2")).to_have_text(HEADINGS)
    expect(preview.locator("strong")).to_have_text("impartiality")
    # What was typed is kept for the save.
    assert page.get_by_label("Title", exact=True).input_value() == TITLE
    assert page.get_by_label("Text", exact=True).input_value() == BODY_V1
    assert not Document.objects.exists()
    assert live_previews == []
    assert_accessible(page)
    page.unroute(INIT_SCRIPT)

    submit(page, page.get_by_role("button", name="Save as a draft"))
    assert page.url.endswith(f"/policies/{SLUG}/draft/")
    expect(success_message(page)).to_contain_text(f"{TITLE} is saved as a draft.")
    assert_accessible(page)
    document = Document.objects.get(slug=SLUG)
    assert (document.category, document.owner, document.is_for_everyone) == (Category.POLICY, owner, True)
    assert draft_for(document).body.replace("\r\n", "\n") == BODY_V1

    # --- Sent for approval to the second comms lead, chosen by name. ---
    page.get_by_test_id("send-for-approval").click()
    page.wait_for_url("**/draft/submit/")
    assert_accessible(page)
    page.get_by_label("Who should approve it?").select_option(label="Aileen Approver")
    submit(page, page.get_by_role("button", name="Send for approval"))
    expect(success_message(page)).to_contain_text(f"{TITLE} is sent to Aileen Approver for approval.")
    expect(page.get_by_test_id("waiting")).to_contain_text("Aileen Approver")
    # The author cannot approve their own draft: no button for them...
    assert page.get_by_test_id("approve").count() == 0
    assert_accessible(page)

    # ... and a hand-made request to publish it is refused with a message.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    with page.expect_navigation():
        page.evaluate(
            """([action, token]) => {
                const form = document.createElement("form");
                form.method = "post";
                form.action = action;
                const field = document.createElement("input");
                field.type = "hidden";
                field.name = "csrfmiddlewaretoken";
                field.value = token;
                form.append(field);
                document.body.append(form);
                form.submit();
            }""",
            [f"/policies/{SLUG}/draft/publish/", token],
        )
    assert page.url.endswith(f"/policies/{SLUG}/draft/")
    expect(page.get_by_test_id("message")).to_contain_text("You cannot approve your own draft")
    assert_accessible(page)
    assert draft_for(document).status == DocumentVersion.Status.SUBMITTED
    assert document.versions.filter(status=DocumentVersion.Status.PUBLISHED).count() == 0

    # --- The approver is told in the app (and by email, from the outbox), and publishes it. ---
    notice = Notification.objects.get(recipient=second_comms_lead, kind="policies.approval")
    assert notice.title == f"Approve {TITLE}"
    assert Message.objects.filter(recipient=second_comms_lead, kind="policies.approval").exists()
    switch_to(page, sign_in_as, second_comms_lead)
    page.goto("/notifications/")
    row = page.get_by_test_id("notification").filter(has_text=f"Approve {TITLE}")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("new")).to_be_visible()
    assert_accessible(page)
    row.get_by_role("link", name=f"Approve {TITLE}").click()
    page.wait_for_url(f"**/policies/{SLUG}/draft/")
    expect(page.get_by_test_id("draft-body").locator("h2")).to_have_text(HEADINGS)
    assert_accessible(page)
    submit(page, page.get_by_test_id("approve"))
    assert page.url.endswith(f"/policies/{SLUG}/")
    expect(success_message(page)).to_contain_text(f"{TITLE} version 1.0 is published.")
    assert_accessible(page)
    document.refresh_from_db()
    first = document.current_version
    assert (first.number, first.author, first.published_by) == ("1.0", author, second_comms_lead)

    # --- A member of staff is asked to read it, and must tick the box to confirm. ---
    switch_to(page, sign_in_as, staff)
    page.goto("/")
    assert_accessible(page)
    page.get_by_test_id("todo").get_by_role("link", name=f"Read and acknowledge {TITLE}").click()
    page.wait_for_url(f"**/policies/{SLUG}/")
    expect(page.get_by_test_id("must-acknowledge")).to_be_visible()
    contents = page.get_by_test_id("contents")
    expect(contents.get_by_role("link")).to_have_text(HEADINGS)
    for heading in document.current_version.contents:
        assert contents.get_by_role("link", name=heading["text"]).get_attribute("href") == f"#{heading['id']}"
        expect(page.get_by_test_id("document-body").locator(f"h2#{heading['id']}")).to_have_text(heading["text"])
    assert_accessible(page)

    submit(page, page.get_by_role("button", name="Confirm"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Tick the box to confirm you have read it")
    assert_accessible(page)
    assert not Acknowledgement.objects.filter(person=staff).exists()

    page.get_by_label(CONFIRM).check()
    submit(page, page.get_by_role("button", name="Confirm"))
    page.wait_for_url(re.compile(r"/$"))
    expect(success_message(page)).to_contain_text(f"Thank you. You have acknowledged {TITLE}, version 1.0.")
    expect(page.get_by_role("link", name=f"Read and acknowledge {TITLE}")).to_have_count(0)
    assert_accessible(page)
    assert Acknowledgement.objects.get(person=staff).version == first

    # --- Search finds it by a word of its text, highlighted. ---
    page.goto("/policies/?q=impartiality")
    results = page.get_by_test_id("documents")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results.locator("mark").first).to_have_text(re.compile(r"^impartiality$", re.IGNORECASE))
    expect(page.get_by_test_id("result-count")).to_contain_text("1 document matching impartiality")
    assert_accessible(page)

    # --- The author makes a major change, says what changed, and sends it for approval again. ---
    switch_to(page, sign_in_as, author)
    follow_from(page, assert_accessible, f"/policies/{SLUG}/", "Change this document", f"/policies/{SLUG}/draft/")
    submit(page, page.get_by_role("button", name="Start a new draft"))
    text = page.get_by_label("Text", exact=True)
    expect(text).to_have_value(BODY_V1)
    assert_accessible(page)
    text.fill(f"{BODY_V1}\n\n{NEW_SECTION}")
    page.get_by_label("Major: everyone must acknowledge it again").check()
    page.get_by_label("What changed", exact=True).fill(WHAT_CHANGED)
    submit(page, page.get_by_role("button", name="Save the draft"))
    expect(success_message(page)).to_contain_text("Your changes are saved.")
    assert_accessible(page)
    page.get_by_test_id("send-for-approval").click()
    page.wait_for_url("**/draft/submit/")
    assert_accessible(page)
    page.get_by_label("Who should approve it?").select_option(label="Aileen Approver")
    submit(page, page.get_by_role("button", name="Send for approval"))
    expect(page.get_by_test_id("waiting")).to_be_visible()
    assert page.get_by_test_id("approve").count() == 0
    assert_accessible(page)

    # --- The approver finds it among the drafts waiting for them, sees the changes, and publishes. ---
    switch_to(page, sign_in_as, second_comms_lead)
    page.goto("/policies/drafts/")
    assert_accessible(page)
    page.get_by_test_id("waiting-for-me").get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/policies/{SLUG}/draft/")
    expect(page.get_by_test_id("comparison").locator("ins")).to_contain_text(ADDED)
    assert_accessible(page)
    submit(page, page.get_by_test_id("approve"))
    expect(success_message(page)).to_contain_text(f"{TITLE} version 2.0 is published.")
    assert_accessible(page)
    document.refresh_from_db()
    second = document.current_version
    assert (second.number, second.what_changed) == ("2.0", WHAT_CHANGED)

    # --- The member of staff is asked again, told what changed, and can see exactly what. ---
    switch_to(page, sign_in_as, staff)
    page.goto("/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Read and acknowledge {TITLE}").click()
    page.wait_for_url(f"**/policies/{SLUG}/")
    changed = page.get_by_test_id("what-changed")
    expect(changed).to_contain_text("You acknowledged version 1.0")
    expect(changed).to_contain_text(WHAT_CHANGED)
    assert_accessible(page)
    changed.get_by_role("link", name="See exactly what changed").click()
    page.wait_for_url(re.compile(rf"/policies/{SLUG}/compare/\?from={first.pk}&to={second.pk}$"))
    expect(page.get_by_test_id("comparison").locator("ins")).to_contain_text(ADDED)
    expect(page.get_by_test_id("comparison").locator("del")).to_have_count(0)
    expect(page.get_by_test_id("difference-count")).to_have_text("2 paragraphs added, 0 removed, 0 changed.")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).first.click()
    page.wait_for_url(f"**/policies/{SLUG}/")
    assert_accessible(page)
    page.get_by_label(CONFIRM).check()
    submit(page, page.get_by_role("button", name="Confirm"))
    expect(success_message(page)).to_contain_text(f"You have acknowledged {TITLE}, version 2.0.")
    expect(page.get_by_role("link", name=f"Read and acknowledge {TITLE}")).to_have_count(0)
    assert_accessible(page)

    # --- The owner sees who has acknowledged it: totals, departments, and who has not. ---
    switch_to(page, sign_in_as, owner)
    follow_from(page, assert_accessible, f"/policies/{SLUG}/", "Who has acknowledged it", f"/policies/{SLUG}/report/")
    audience = User.objects.filter(is_active=True).count()
    assert audience == 6
    expect(page.get_by_test_id("acknowledged")).to_have_text("1")
    expect(page.get_by_test_id("outstanding")).to_have_text(str(audience - 1))
    expect(page.get_by_test_id("totals")).to_contain_text(f"of {audience} people")
    team = page.get_by_test_id("by-department").get_by_role("row", name=re.compile("Tenancy team"))
    # Staff, their manager and Lorna are in the team; Sandy has acknowledged.
    expect(team.locator("td")).to_have_text(["3", "1", re.compile(r"33%")])
    outstanding = page.get_by_test_id("not-acknowledged")
    expect(outstanding).to_contain_text(on_leave.email)
    expect(outstanding).to_contain_text(hr.email)
    expect(outstanding).not_to_contain_text(staff.email)
    assert_accessible(page)

    # --- HR records an exemption for someone on long-term leave, with a reason. ---
    switch_to(page, sign_in_as, hr)
    follow_from(page, assert_accessible, f"/policies/{SLUG}/report/", "Record an acknowledgement or an exemption",
                f"/policies/{SLUG}/record/")  # fmt: skip
    submit(page, page.get_by_role("button", name="Record it"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the person's email address")
    assert_accessible(page)
    page.get_by_label("Their email address").fill(on_leave.email)
    page.get_by_label("They are exempt from it").check()
    page.get_by_label("Reason", exact=True).fill("On long-term sick leave until March.")
    submit(page, page.get_by_role("button", name="Record it"))
    assert page.url.endswith(f"/policies/{SLUG}/report/")
    expect(success_message(page)).to_contain_text("Recorded for Lorna Leave: Exempt.")
    expect(page.get_by_test_id("acknowledged")).to_have_text("2")
    expect(page.get_by_test_id("not-acknowledged")).not_to_contain_text(on_leave.email)
    assert_accessible(page)
    exemption = Acknowledgement.objects.get(person=on_leave)
    assert (exemption.kind, exemption.version, exemption.recorded_by) == (Acknowledgement.Kind.EXEMPT, second, hr)
    assert exemption.reason == "On long-term sick leave until March."


def test_the_live_preview_follows_the_typing(page, assert_accessible, sign_in_as, comms_lead):
    previews = preview_requests(page)
    sign_in_as(page, comms_lead)
    page.goto("/policies/new/")
    preview = page.get_by_test_id("preview")
    # The script asks for a preview as soon as the page opens: an empty text has nothing to show.
    expect(preview).to_contain_text("Nothing to preview yet.")
    assert_accessible(page)

    text = page.get_by_label("Text", exact=True)
    text.press_sequentially("## Live heading\n\nSome **bold** words")
    expect(preview.locator("h2")).to_have_text("Live heading")
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview.locator("p")).to_have_text("Some bold words")
    assert page.url.endswith("/policies/new/")
    assert_accessible(page)

    text.fill("## Another heading\n\n- one\n- two")
    expect(preview.locator("h2")).to_have_text("Another heading")
    expect(preview.locator("li")).to_have_text(["one", "two"])
    # The preview is rendered by the server, exactly as a save would render it (heading ids included).
    heading_id = markdown_render("## Another heading").contents[0].id
    page.wait_for_function(
        "(id) => document.querySelector('[data-testid=preview] h2')?.id === id",
        arg=heading_id,
    )
    assert previews
    assert {request.method for request in previews} == {"POST"}
    assert not Document.objects.exists()
    assert_accessible(page)


def test_two_comms_leads_save_the_same_draft_and_the_second_sees_the_conflict(
    page, second_page, assert_accessible, sign_in_as, comms_lead, second_comms_lead
):
    document = document_create(
        author=comms_lead,
        title="House style",
        slug="house-style",
        summary="How we write.",
        category=Category.HOUSE_STYLE,
        owner=comms_lead,
        body="## Numbers\n\nWrite numbers as numerals.",
    )
    first_text = "## Numbers\n\nWrite numbers as numerals, except at the start of a sentence."
    second_text = "## Dates\n\nWrite dates as 5 March 2026."
    first, second = page, second_page
    sign_in_as(first, comms_lead)
    sign_in_as(second, second_comms_lead)
    for editor in (first, second):
        editor.goto("/policies/house-style/draft/")
        expect(editor.get_by_label("Text", exact=True)).to_have_value("## Numbers\n\nWrite numbers as numerals.")
        assert_accessible(editor)

    first.get_by_label("Text", exact=True).fill(first_text)
    second.get_by_label("Text", exact=True).fill(second_text)

    submit(first, first.get_by_role("button", name="Save the draft"))
    expect(success_message(first)).to_contain_text("Your changes are saved.")
    assert_accessible(first)

    submit(second, second.get_by_role("button", name="Save the draft"))
    expect(second.get_by_test_id("conflict")).to_be_visible()
    summary = second.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"{comms_lead} saved this draft at")
    expect(summary).to_contain_text("Your text has not been saved")
    # What the second editor typed is still in the box, and the comparison shows both texts.
    expect(second.get_by_label("Text", exact=True)).to_have_value(second_text)
    comparison = second.get_by_test_id("conflict-comparison")
    expect(comparison).to_contain_text("except at the start of a sentence")
    expect(comparison).to_contain_text("Write dates as 5 March 2026.")
    assert_accessible(second)

    # Nothing of the first editor's text is lost.
    version = draft_for(document)
    assert version.body.replace("\r\n", "\n") == first_text
    assert (version.updated_by, version.revision) == (comms_lead, 2)

    # The second editor puts both together and saves on top of what they have now seen.
    second.get_by_label("Text", exact=True).fill(f"{first_text}\n\n{second_text}")
    submit(second, second.get_by_role("button", name="Save the draft"))
    expect(success_message(second)).to_contain_text("Your changes are saved.")
    assert_accessible(second)
    version.refresh_from_db()
    assert version.body.replace("\r\n", "\n") == f"{first_text}\n\n{second_text}"
    assert (version.updated_by, version.revision) == (second_comms_lead, 3)
