"""A member of staff checks their notifications and chooses when their daily email arrives."""

import datetime

from socialgov.notifications.models import Notification, Preference


def test_staff_read_their_notifications_and_choose_a_digest_time(page, assert_accessible, sign_in_as, staff):
    for number, title in enumerate(["Read the social media policy", "Complete the online safety course"]):
        Notification.objects.create(
            recipient=staff,
            kind="people.account_setup",
            key=f"browser:{number}",
            title=title,
            url="/",
            due_on=datetime.date(2026, 12, 1) + datetime.timedelta(days=number),
        )
    sign_in_as(page, staff)
    page.goto("/")
    assert_accessible(page)

    header_link = page.get_by_role("link", name="Notifications 2 unread")
    assert header_link.get_attribute("href") == "/notifications/"
    assert header_link.locator("[aria-hidden=true]").inner_text().strip() == "(2)"
    header_link.click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("notification").count() == 2
    assert page.get_by_test_id("new").count() == 2
    assert_accessible(page)

    page.get_by_role("button", name="Mark all as read").click()
    page.wait_for_url("**/notifications/")
    assert page.get_by_test_id("message").first.is_visible()
    assert page.get_by_test_id("new").count() == 0
    assert page.get_by_role("link", name="Notifications", exact=True).is_visible()
    assert_accessible(page)
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()

    page.get_by_role("link", name="Choose when your daily email arrives, or switch off optional reminders").click()
    page.wait_for_url("**/notifications/preferences/")
    assert page.get_by_role("heading", name="Notification preferences").is_visible()
    assert_accessible(page)

    page.get_by_label("What time should your daily email arrive?").select_option(label="2:30pm")
    page.get_by_role("button", name="Save preferences").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("message").first.is_visible()
    assert page.get_by_label("What time should your daily email arrive?").input_value() == "14:30"
    assert_accessible(page)
    assert Preference.objects.get(person=staff).digest_time == datetime.time(14, 30)
