"""The pages people use (notifications, preferences) and the admin pages for the outbox."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socialgov.notifications import registry
from socialgov.notifications.models import Message, Notification, Preference, ReminderPolicy
from tests.factories import UserFactory

NEWSLETTER = registry.Kind(key="tests.newsletter", label="Team newsletter", group="News", is_mandatory=False)
MANDATORY = "people.account_setup"


@pytest.fixture
def optional_kind():
    registry.register_kind(NEWSLETTER)
    yield NEWSLETTER
    registry.unregister(NEWSLETTER.key)


def notify(person, count=1, **fields):
    start = Notification.objects.count()
    return [
        Notification.objects.create(
            recipient=person,
            kind=MANDATORY,
            key=f"test:{person.pk}:{start + number}",
            title=fields.get("title", f"Thing {start + number} to do"),
            url=fields.get("url", "/"),
            due_on=fields.get("due_on", datetime.date(2026, 12, 1)),
            read_at=fields.get("read_at"),
        )
        for number in range(count)
    ]


def page_text(response) -> str:
    return response.content.decode()


# --- The list of notifications ---------------------------------------------------


def test_the_list_shows_the_persons_own_notifications_only(client, staff, manager):
    notify(staff, title="Read the social media policy", due_on=datetime.date(2026, 12, 1))
    notify(staff, title="Already seen", read_at=timezone.now())
    notify(manager, title="Approve the team's posts")
    client.force_login(staff)
    response = client.get(reverse("notifications:list"))
    text = page_text(response)
    assert "Read the social media policy" in text
    assert "1 December 2026" in text
    assert "Approve the team" not in text
    assert text.count('data-testid="new"') == 1
    assert "You have 1 unread notification." in text
    assert reverse("notifications:preferences") in text
    assert [n.title for n in response.context["page"]] == ["Already seen", "Read the social media policy"]


def test_someone_with_no_notifications_is_told_what_will_appear(client, staff):
    client.force_login(staff)
    text = page_text(client.get(reverse("notifications:list")))
    assert 'data-testid="notifications-empty"' in text
    assert "Mark all as read" not in text


def test_the_list_is_paginated_newest_first(client, staff):
    notify(staff, 30)
    client.force_login(staff)
    response = client.get(reverse("notifications:list"))
    assert len(response.context["page"]) == 25
    assert response.context["page"][0].title == "Thing 29 to do"
    assert "Next" in page_text(response)
    assert len(client.get(reverse("notifications:list"), {"page": 2}).context["page"]) == 5


def test_the_list_runs_a_fixed_number_of_queries(client, staff, django_assert_num_queries):
    notify(staff, 2)
    client.force_login(staff)
    client.get(reverse("notifications:list"))  # warm the session and caches
    with django_assert_num_queries(7) as small:
        client.get(reverse("notifications:list"))
    notify(staff, 28)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("notifications:list"))
    assert response.context["page"].paginator.count == 30


# --- The unread count in the header -----------------------------------------------


def test_the_header_shows_the_unread_count_in_one_query(client, staff, django_assert_num_queries):
    notify(staff, 2)
    notify(staff, read_at=timezone.now())
    client.force_login(staff)
    client.get(reverse("web:home"))
    # The session, the person, their roles, what they owe (one query per source that can answer for
    # one person: acknowledgements, reviews, approvals, courses, the licence, account reviews, accounts
    # without two-step verification, absences without cover, access requests, publishing pauses,
    # incident review actions) and the unread count.
    with django_assert_num_queries(18) as small:
        response = client.get(reverse("web:home"))
    assert (
        'Notifications<span aria-hidden="true"> (2)</span> <span class="govuk-visually-hidden">2 unread</span>'
        in page_text(response)
    )
    assert sum("notifications_notification" in query["sql"] for query in small.captured_queries) == 1
    notify(staff, 28)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("web:home"))
    assert (
        'Notifications<span aria-hidden="true"> (30)</span> <span class="govuk-visually-hidden">30 unread</span>'
        in page_text(response)
    )


def test_the_header_shows_no_count_when_everything_is_read(client, staff):
    notify(staff, read_at=timezone.now())
    client.force_login(staff)
    text = page_text(client.get(reverse("web:home")))
    assert f'href="{reverse("notifications:list")}"' in text
    assert "unread</span>" not in text
    assert 'aria-hidden="true"> (' not in text


def test_visitors_who_are_not_signed_in_see_no_notifications_link(client, db):
    response = client.get(reverse("account_login"))
    assert reverse("notifications:list") not in page_text(response)


# --- Marking notifications read ---------------------------------------------------


def test_mark_all_as_read_marks_only_the_persons_own(client, staff, manager):
    notify(staff, 3)
    theirs = notify(manager)[0]
    client.force_login(staff)
    response = client.post(reverse("notifications:mark-read"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("notifications:list")
    assert "3 notifications marked as read" in page_text(response)
    assert not Notification.objects.filter(recipient=staff).unread().exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "Mark all as read" not in page_text(response)


def test_mark_all_as_read_goes_back_to_the_page_it_came_from_on_this_site_only(client, staff):
    notify(staff, 30)
    client.force_login(staff)
    back = reverse("notifications:list") + "?page=2"
    assert client.post(reverse("notifications:mark-read"), {"next": back})["Location"] == back
    response = client.post(reverse("notifications:mark-read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")


def test_mark_all_as_read_needs_a_post(client, staff):
    notify(staff)
    client.force_login(staff)
    assert client.get(reverse("notifications:mark-read")).status_code == 405
    assert Notification.objects.unread().count() == 1


def test_the_mark_all_as_read_form_carries_a_csrf_token(staff):
    from django.test import Client

    notify(staff)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(reverse("notifications:mark-read")).status_code == 403
    text = page_text(client.get(reverse("notifications:list")))
    assert 'name="csrfmiddlewaretoken"' in text


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client, staff):
    opened, other = notify(staff, 2, url="/people/")
    client.force_login(staff)
    response = client.get(reverse("notifications:open", args=[opened.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/people/"
    opened.refresh_from_db()
    other.refresh_from_db()
    assert opened.read_at is not None
    assert other.read_at is None


def test_someone_elses_notification_is_not_found(client, staff, manager):
    theirs = notify(manager)[0]
    client.force_login(staff)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize(
    "url", ["https://evil.example", "//evil.example/path", "/\\evil.example", "javascript:alert(1)", ""]
)
def test_a_notification_never_leads_off_the_site(client, staff, url):
    notification = notify(staff, url=url)[0]
    client.force_login(staff)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


# --- Preferences ------------------------------------------------------------------


def test_preferences_list_optional_kinds_as_choices_and_mandatory_ones_as_always_sent(client, staff, optional_kind):
    client.force_login(staff)
    response = client.get(reverse("notifications:preferences"))
    text = page_text(response)
    assert f'value="{optional_kind.key}"' in text
    assert f'value="{MANDATORY}"' not in text
    assert "Setting up your account" in text  # always sent
    assert 'value="09:00" selected' in text
    assert 'value="17:00"' in text
    assert 'value="17:30"' not in text
    assert 'value="08:30"' not in text
    assert not Preference.objects.exists()  # looking changes nothing


def test_preferences_say_so_when_nothing_can_be_switched_off(client, staff):
    client.force_login(staff)
    text = page_text(client.get(reverse("notifications:preferences")))
    assert 'data-testid="no-optional-kinds"' in text
    assert 'type="checkbox"' not in text


def test_preferences_are_saved(client, staff, optional_kind):
    client.force_login(staff)
    response = client.post(
        reverse("notifications:preferences"), {"digest_time": "14:30", "opted_out_kinds": [optional_kind.key]}
    )
    assert response.status_code == 302
    preference = Preference.objects.get(person=staff)
    assert preference.digest_time == datetime.time(14, 30)
    assert preference.opted_out_kinds == [optional_kind.key]
    text = page_text(client.get(response["Location"]))
    assert "Your notification preferences have been saved" in text
    assert 'value="14:30" selected' in text
    assert f'value="{optional_kind.key}" checked' in text

    client.post(reverse("notifications:preferences"), {"digest_time": "09:30"})
    preference.refresh_from_db()
    assert preference.opted_out_kinds == []


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ([MANDATORY], "You cannot switch off “Setting up your account”: it is always sent"),
        ([registry.DIGEST.key], "You cannot switch off “Daily digest”: it is always sent"),
        (["tests.no-such-kind"], "Choose reminders from the list: “tests.no-such-kind” is not one of them"),
    ],
)
def test_a_tampered_form_cannot_switch_off_a_mandatory_or_unknown_kind(client, staff, optional_kind, posted, message):
    client.force_login(staff)
    response = client.post(reverse("notifications:preferences"), {"digest_time": "10:00", "opted_out_kinds": posted})
    assert response.status_code == 200
    text = page_text(response)
    assert "There is a problem" in text
    assert "<title>Error:" in text
    assert message in text
    assert 'href="#id_opted_out_kinds"' in text
    assert not Preference.objects.exists()


def test_a_tampered_mandatory_kind_is_refused_even_when_nothing_is_optional(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("notifications:preferences"), {"digest_time": "10:00", "opted_out_kinds": [MANDATORY]}
    )
    assert "You cannot switch off “Setting up your account”" in page_text(response)
    assert 'id="id_opted_out_kinds"' in page_text(response)
    assert not Preference.objects.exists()


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ("20:00", "Choose a time in the working day, from 9am to 5pm"),
        ("08:30", "Choose a time in the working day, from 9am to 5pm"),
        ("17:30", "Choose a time in the working day, from 9am to 5pm"),
        ("09:15", "Choose a time from the list"),
        ("teatime", "Choose a time from the list"),
        ("", "Choose a time for your daily email"),
    ],
)
def test_a_time_outside_working_hours_is_refused(client, staff, posted, message):
    client.force_login(staff)
    response = client.post(reverse("notifications:preferences"), {"digest_time": posted})
    assert response.status_code == 200
    text = page_text(response)
    assert message in text
    assert 'href="#id_digest_time"' in text
    assert "govuk-select--error" in text
    assert not Preference.objects.exists()


def test_the_times_follow_the_working_day(client, staff, settings):
    settings.WORKING_DAY_START = datetime.time(8, 15)
    settings.WORKING_DAY_END = datetime.time(12, 0)
    client.force_login(staff)
    response = client.get(reverse("notifications:preferences"))
    times = [value for value, _ in response.context["form"].fields["digest_time"].choices]
    assert times == ["08:30", "09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]
    labels = [label for _, label in response.context["form"].fields["digest_time"].choices]
    assert labels[:2] == ["8:30am", "9am"]


# --- The admin site -----------------------------------------------------------------


def failed_message(person, key="failed-1", reason="The mail server refused the address. 550 No such mailbox"):
    return Message.objects.create(
        recipient=person,
        to_email=person.email,
        kind=registry.DIGEST.key,
        subject="3 things to do – SocialGov",
        idempotency_key=key,
        status=Message.Status.FAILED,
        attempts=8,
        last_error=reason,
    )


def test_administrators_see_failed_deliveries_with_the_reason(client, administrator, staff):
    failed_message(staff)
    Message.objects.create(to_email="sent@glenmorven.gov.uk", kind=MANDATORY, idempotency_key="sent-1",
                           status=Message.Status.SENT)  # fmt: skip
    client.force_login(administrator)
    response = client.get(reverse("admin:notifications_message_changelist"))
    text = page_text(response)
    assert 'data-testid="failed-note"' in text
    assert "1 message has failed to send" in text
    assert "?status__exact=failed" in text
    assert "550 No such mailbox" in text
    assert "Send again now" in text
    failed_only = client.get(reverse("admin:notifications_message_changelist"), {"status__exact": "failed"})
    assert failed_only.context["cl"].result_count == 1


def test_send_again_now_queues_failed_messages_only(client, administrator, staff):
    failed = failed_message(staff)
    sent = Message.objects.create(to_email="sent@glenmorven.gov.uk", kind=MANDATORY, idempotency_key="sent-1",
                                  status=Message.Status.SENT, attempts=1)  # fmt: skip
    client.force_login(administrator)
    response = client.post(
        reverse("admin:notifications_message_changelist"),
        {"action": "send_again", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    text = page_text(response)
    assert "1 failed message will be sent again" in text
    assert "1 of the selected messages had not failed" in text
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == Message.Status.PENDING
    assert failed.attempts == 0
    assert failed.last_error == ""
    assert failed.send_after <= timezone.now()
    assert sent.status == Message.Status.SENT


def test_messages_and_notifications_are_read_only_in_the_admin_site(client, administrator, staff):
    message = failed_message(staff)
    notification = notify(staff)[0]
    client.force_login(administrator)
    response = client.get(reverse("admin:notifications_message_change", args=[message.pk]))
    assert response.status_code == 200
    assert "550 No such mailbox" in page_text(response)
    assert 'name="_save"' not in page_text(response)
    response = client.post(reverse("admin:notifications_message_change", args=[message.pk]), {"subject": "Changed"})
    assert response.status_code == 403
    assert client.get(reverse("admin:notifications_notification_change", args=[notification.pk])).status_code == 200


def test_a_reminder_policy_shows_what_is_wrong_with_its_offsets(client, administrator):
    client.force_login(administrator)
    add = reverse("admin:notifications_reminderpolicy_add")
    form = client.get(add).context["adminform"].form
    assert (MANDATORY, "Setting up your account") in list(form.fields["kind"].choices)
    assert registry.DIGEST.key not in dict(form.fields["kind"].choices)
    values = {"kind": MANDATORY, "overdue_every_days": 7, "escalate_after_days": 14, "is_enabled": "on"}
    response = client.post(add, values | {"offsets": "7, soon, 0"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["offsets"] == [
        "Item 2 (soon) is not a whole number of days: use numbers like 7, 1, 0."
    ]
    response = client.post(add, values | {"offsets": "0,7, 1"})
    assert response.status_code == 302
    policy = ReminderPolicy.objects.get(kind=MANDATORY)
    assert policy.offsets == "7, 1, 0"
    changelist = page_text(client.get(reverse("admin:notifications_reminderpolicy_changelist")))
    assert "Setting up your account" in changelist


def test_the_admin_site_lists_preferences_by_person(client, administrator, optional_kind):
    person = UserFactory(email="pref@glenmorven.gov.uk")
    Preference.objects.create(person=person, opted_out_kinds=[optional_kind.key])
    client.force_login(administrator)
    text = page_text(client.get(reverse("admin:notifications_preference_changelist")))
    assert "pref@glenmorven.gov.uk" in text or str(person) in text
    assert "Team newsletter" in text
