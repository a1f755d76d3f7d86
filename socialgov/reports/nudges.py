"""A manager's one-click reminder: what the person owes, sent through the reminders engine."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from socialgov.notifications.models import Notification
from socialgov.notifications.registry import Kind as NoticeKind
from socialgov.notifications.services import notice_send
from socialgov.reports.models import OWED, Standing
from socialgov.reports.selectors import item_names

NUDGE = NoticeKind(
    key="reports.nudge",
    label="Reminders from your manager",
    group="From your manager",
    is_mandatory=True,
)


@dataclass(frozen=True)
class Outcome:
    sent: bool
    message: str


def nudge_send(*, person, by) -> Outcome:
    """Remind ``person`` of everything they owe, once a day at most whoever asks."""
    owed = list(Standing.objects.filter(person=person, status__in=OWED).order_by("due_on"))
    if not owed:
        return Outcome(False, f"{person} has nothing to do, so no reminder was sent.")
    names = item_names()
    lines = [
        {
            "name": names.get((s.kind, s.item_id), "Something no longer published"),
            "status": s.get_status_display(),
            "due_on": s.due_on,
        }
        for s in owed
    ]
    key = f"reports.nudge:{person.pk}:{timezone.localdate():%Y-%m-%d}"
    if Notification.objects.filter(key=key).exists():
        return Outcome(False, f"{person} was already reminded today; they will see it on their home page.")
    notice_send(
        recipient=person,
        kind=NUDGE.key,
        key=key,
        title=f"{by.get_full_name() or by} asked you to catch up on {len(owed)} thing{'s' if len(owed) != 1 else ''}",
        path=reverse("web:home"),
        template="reports/email/nudge",
        context={"manager": by.get_full_name() or str(by), "owed": lines},
    )
    return Outcome(True, f"Reminder sent to {person}: {len(owed)} thing{'s' if len(owed) != 1 else ''} to do.")
