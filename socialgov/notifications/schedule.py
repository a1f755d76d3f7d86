"""When a reminder is due to go: offsets before the due date, repeats while overdue, escalation.

A *trigger* is a date on which an item deserves a reminder. A digest covers
every trigger since the person's previous digest (exclusive) up to today
(inclusive), so a trigger that falls on a weekend, a bank holiday or a day the
platform was down is carried to the next digest rather than lost, and no
trigger is ever counted in two digests.
"""

from __future__ import annotations

import datetime

from socialgov.notifications.models import ReminderPolicy


def _repeats_hit(start: datetime.date, every: int, after: datetime.date | None, today: datetime.date) -> bool:
    """Whether start, start+every, start+2*every, ... has a date in (after, today]."""
    if start > today:
        return False
    if every <= 0:
        return after is None or start > after
    latest = start + datetime.timedelta(days=((today - start).days // every) * every)
    return after is None or latest > after


def is_reminder_due(
    due_on: datetime.date, policy: ReminderPolicy, *, after: datetime.date | None, today: datetime.date
) -> bool:
    """Whether an item due on ``due_on`` has a reminder trigger in (after, today]."""
    for offset in policy.offset_days():
        trigger = due_on - datetime.timedelta(days=offset)
        if trigger <= today and (after is None or trigger > after):
            return True
    if policy.overdue_every_days and today > due_on:
        first_repeat = due_on + datetime.timedelta(days=policy.overdue_every_days)
        return _repeats_hit(first_repeat, policy.overdue_every_days, after, today)
    return False


def is_escalation_due(
    due_on: datetime.date, policy: ReminderPolicy, *, after: datetime.date | None, today: datetime.date
) -> bool:
    """Whether the line manager should hear of an overdue item in (after, today]."""
    if policy.escalate_after_days is None:
        return False
    start = due_on + datetime.timedelta(days=policy.escalate_after_days)
    if start <= due_on:
        start = due_on + datetime.timedelta(days=1)
    return _repeats_hit(start, policy.overdue_every_days, after, today)


def is_escalated(due_on: datetime.date, policy: ReminderPolicy, *, today: datetime.date) -> bool:
    """Whether an item is far enough overdue to be listed on the line manager's digest."""
    if policy.escalate_after_days is None or today <= due_on:
        return False
    return (today - due_on).days >= max(policy.escalate_after_days, 1)


def describe_due(due_on: datetime.date, today: datetime.date) -> str:
    days = (due_on - today).days
    if days < 0:
        return f"Overdue by {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Due today"
    if days == 1:
        return "Due tomorrow"
    return f"Due in {days} days"
