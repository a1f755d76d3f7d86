import datetime

import pytest
from django.core.exceptions import ValidationError

from socialgov.notifications.models import ReminderPolicy, parse_offsets
from socialgov.notifications.schedule import describe_due, is_escalated, is_escalation_due, is_reminder_due

MONDAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


def policy(**fields) -> ReminderPolicy:
    values = {"offsets": "7, 1, 0", "overdue_every_days": 7, "escalate_after_days": 14} | fields
    return ReminderPolicy(kind="people.account_setup", **values)


def test_a_first_digest_includes_anything_already_triggered():
    assert is_reminder_due(MONDAY + 7 * DAY, policy(), after=None, today=MONDAY)
    assert not is_reminder_due(MONDAY + 8 * DAY, policy(), after=None, today=MONDAY)


def test_each_offset_triggers_once():
    due = MONDAY + DAY
    assert is_reminder_due(due, policy(), after=MONDAY - DAY, today=MONDAY)
    assert not is_reminder_due(due, policy(), after=MONDAY, today=MONDAY)


def test_a_trigger_on_a_weekend_is_carried_to_the_next_digest_and_no_further():
    saturday = MONDAY - 2 * DAY
    due = saturday + 7 * DAY
    friday = MONDAY - 3 * DAY
    assert is_reminder_due(due, policy(), after=friday, today=MONDAY)
    assert not is_reminder_due(due, policy(), after=MONDAY, today=MONDAY + DAY)


def test_overdue_items_repeat_at_the_policy_interval():
    due = MONDAY - 10 * DAY  # repeats at due+7 = three days ago, then due+14
    assert is_reminder_due(due, policy(), after=MONDAY - 4 * DAY, today=MONDAY)
    assert not is_reminder_due(due, policy(), after=MONDAY - 2 * DAY, today=MONDAY)
    assert not is_reminder_due(due, policy(overdue_every_days=0), after=MONDAY - 4 * DAY, today=MONDAY)


def test_escalation_waits_for_the_configured_days_overdue():
    due = MONDAY - 14 * DAY
    assert is_escalated(due, policy(), today=MONDAY)
    assert not is_escalated(due + DAY, policy(), today=MONDAY)
    assert is_escalation_due(due, policy(), after=MONDAY - DAY, today=MONDAY)
    assert not is_escalation_due(due, policy(), after=MONDAY, today=MONDAY)
    assert not is_escalated(due, policy(escalate_after_days=None), today=MONDAY)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7, x", "Item 2 (x) is not a whole number"),
        ("7,,1", "Item 2 (blank)"),
        ("400", "more than 365 days"),
        ("7, 7", "7 is listed twice"),
        ("", "Enter at least one number"),
        ("-1", "Item 1 (-1) is not a whole number"),
    ],
)
def test_bad_offsets_get_a_message_that_says_what_and_where(text, message):
    with pytest.raises(ValidationError) as error:
        parse_offsets(text)
    assert message in error.value.messages[0]


def test_offsets_are_read_largest_first():
    assert parse_offsets(" 0, 7 ,1") == [7, 1, 0]


def test_due_dates_read_as_people_say_them():
    assert describe_due(MONDAY, MONDAY) == "Due today"
    assert describe_due(MONDAY + DAY, MONDAY) == "Due tomorrow"
    assert describe_due(MONDAY + 3 * DAY, MONDAY) == "Due in 3 days"
    assert describe_due(MONDAY - DAY, MONDAY) == "Overdue by 1 day"
    assert describe_due(MONDAY - 5 * DAY, MONDAY) == "Overdue by 5 days"
