"""The register of accounts in the browser: access asked for, approved and lapsed; publishing paused for everyone.

The first journey follows a licensed member of staff asking to post to the
libraries' Facebook page from the account's own page, their line manager
approving it from the requests waiting for them, and the access lapsing the
moment training lapses their licence: their access page shows it, and the
owner has been told to remove them on the platform. In the second an incident
lead pauses publishing on every account, and the people who may post (an
owner, and someone with access) see it on their home page, while someone
without access does not. Every page visited is checked with axe.
"""

import pytest
from playwright.sync_api import expect

from socialgov.channels.models import AccessGrant
from socialgov.channels.services import access_request_approve, access_request_create
from socialgov.notifications.models import Notification
from tests.channels.conftest import licence_for, make_account
from tests.factories import UserFactory
from training.licensing import licence_review

PAUSE_ITEM = "Publishing is paused on every account: do not post until it is lifted"


@pytest.fixture
def licence_rules(settings):
    # The licence asks only for the social media policy, which is not published here: reviewing a licence
    # finds that requirement unmet and lapses it, as the nightly run does when a new version goes unread.
    settings.LICENCE_POLICY_SLUG = "social-media-policy"
    settings.LICENCE_COURSE_SLUGS = []
    settings.LICENCE_QUIZ_SLUGS = []


@pytest.fixture
def owner(db):
    return UserFactory(email="fiona.gray@glenmorven.gov.uk", first_name="Fiona", last_name="Gray")


@pytest.fixture
def libraries(owner, comms_lead):
    from django.utils import timezone

    return make_account(owners=[owner], by=comms_lead, platform="facebook", handle="Glenmorven Libraries",
                        url="https://www.facebook.com/GlenmorvenLibraries", today=timezone.localdate())  # fmt: skip


def submit(page, control):
    with page.expect_navigation():
        control.click()


def switch_to(page, sign_in_as, person):
    page.context.clear_cookies()
    sign_in_as(page, person)


def success_message(page):
    return page.locator(".govuk-notification-banner--success[data-testid=message]")


def test_access_is_asked_for_approved_by_the_manager_and_lapses_with_the_licence(
    page, assert_accessible, sign_in_as, licence_rules, staff, manager, owner, libraries
):
    licence_for(staff)

    # --- A licensed member of staff asks from the account's page. ---
    sign_in_as(page, staff)
    page.goto(f"/channels/{libraries.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Glenmorven Libraries")
    expect(page.get_by_test_id("credentials-location")).to_have_count(0)
    assert_accessible(page)
    submit(page, page.get_by_role("button", name="Ask for access"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you need to post to this account")
    assert_accessible(page)
    page.get_by_label("Why do you need to post to this account?").fill("Posting the summer reading challenge.")
    submit(page, page.get_by_role("button", name="Ask for access"))
    assert page.url.endswith("/channels/access/")
    expect(success_message(page)).to_contain_text("You have asked to post to Glenmorven Libraries on Facebook")
    expect(page.get_by_test_id("my-requests")).to_contain_text("Waiting")
    assert_accessible(page)

    # --- Their line manager approves it. ---
    switch_to(page, sign_in_as, manager)
    page.goto("/channels/requests/")
    expect(page.get_by_test_id("requests")).to_contain_text("Glenmorven Libraries on Facebook")
    assert_accessible(page)
    page.get_by_test_id("requests").get_by_role("link", name="Sandy Staff").click()
    page.wait_for_url("**/channels/requests/*/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sandy Staff asks to post to Glenmorven Libraries")
    assert_accessible(page)
    submit(page, page.get_by_test_id("approve"))
    assert page.url.endswith("/channels/requests/")
    expect(success_message(page)).to_contain_text("Sandy Staff can now post to Glenmorven Libraries on Facebook.")
    expect(page.get_by_test_id("no-requests")).to_be_visible()
    assert_accessible(page)
    grant = AccessGrant.objects.get(person=staff, account=libraries)
    assert grant.approved_by == manager

    # --- They can post, and see where the password is kept. ---
    switch_to(page, sign_in_as, staff)
    page.goto(f"/channels/{libraries.pk}/")
    expect(page.get_by_test_id("your-access")).to_contain_text("You can post to this account.")
    expect(page.get_by_test_id("credentials-location")).to_have_text(libraries.credentials_location)
    expect(page.get_by_test_id("grants")).to_contain_text("Sandy Staff")
    assert_accessible(page)

    # --- Training lapses the licence: the access lapses with it, at once. ---
    assert licence_review(person=staff) is None
    page.goto("/channels/access/")
    expect(page.get_by_test_id("no-access")).to_be_visible()
    lapsed = page.get_by_test_id("access-lapsed")
    expect(lapsed).to_contain_text("Glenmorven Libraries on Facebook")
    expect(lapsed).to_contain_text("Lapsed")
    expect(lapsed).to_contain_text("Their posting licence lapsed (Acknowledge the social media policy)")
    assert_accessible(page)
    told = Notification.objects.get(kind="channels.grant_lapsed")
    assert (told.recipient, told.title) == (owner, "Remove Sandy Staff from Glenmorven Libraries on Facebook")

    # --- The account page no longer offers them a form: they need their licence back first. ---
    page.goto(f"/channels/{libraries.pk}/")
    expect(page.get_by_test_id("licence-needed")).to_contain_text("You need a posting licence")
    expect(page.get_by_test_id("licence-needed").get_by_role("link", name="Go to your learning")).to_have_attribute(
        "href", "/training/"
    )
    assert_accessible(page)


def test_an_incident_lead_pauses_publishing_and_everyone_with_access_sees_it(
    page, assert_accessible, sign_in_as, incident_lead, staff, owner, manager, libraries
):
    poster = UserFactory(first_name="Skye", last_name="Murray", line_manager=owner)
    licence_for(poster)
    access_request = access_request_create(person=poster, account=libraries, reason="Library events")
    access_request_approve(access_request=access_request, by=owner)

    # --- The incident lead pauses every account. ---
    sign_in_as(page, incident_lead)
    page.goto("/channels/pauses/")
    expect(page.get_by_test_id("no-pauses")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Pause publishing").click()
    page.wait_for_url("**/channels/pauses/new/")
    assert_accessible(page)
    page.get_by_label("Why is publishing paused?").fill("Flooding in Glenmorven: hold every scheduled post.")
    submit(page, page.get_by_role("button", name="Pause publishing"))
    page.wait_for_url("**/channels/pauses/*/")
    expect(success_message(page)).to_contain_text("Publishing is paused on every account.")
    expect(page.get_by_test_id("pause-in-force")).to_be_visible()
    assert_accessible(page)

    # --- The owner and the person with access see it first thing on their home page. ---
    for person in (owner, poster):
        switch_to(page, sign_in_as, person)
        page.goto("/")
        item = page.get_by_test_id("todo").get_by_role("link", name=PAUSE_ITEM)
        expect(item).to_be_visible()
        assert_accessible(page)
    item.click()
    page.wait_for_url("**/channels/pauses/*/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publishing is paused")
    expect(page.get_by_test_id("lift")).to_have_count(0)
    assert_accessible(page)

    # --- The register shows it on every row and on the account's page. ---
    page.goto("/channels/")
    expect(page.get_by_test_id("pause-banner")).to_contain_text("Do not publish on every account")
    expect(page.get_by_test_id(f"account-{libraries.pk}").get_by_test_id("paused")).to_be_visible()
    assert_accessible(page)

    # --- Someone without access is not told to stop what they cannot do. ---
    switch_to(page, sign_in_as, manager)
    page.goto("/")
    expect(page.get_by_role("link", name=PAUSE_ITEM)).to_have_count(0)
    assert_accessible(page)

    # --- Lifted: gone from the home page. ---
    switch_to(page, sign_in_as, incident_lead)
    page.goto("/channels/pauses/")
    page.get_by_test_id("pauses-in-force").get_by_role("link").click()
    page.wait_for_url("**/channels/pauses/*/")
    assert_accessible(page)
    submit(page, page.get_by_test_id("lift"))
    expect(page.get_by_test_id("pause-lifted")).to_be_visible()
    assert_accessible(page)
    switch_to(page, sign_in_as, owner)
    page.goto("/")
    expect(page.get_by_role("link", name=PAUSE_ITEM)).to_have_count(0)
    assert_accessible(page)
