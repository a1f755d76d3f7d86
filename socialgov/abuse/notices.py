"""What people are told about abuse reports, and how.

Every notice is an in-app notification and an email holding only a link: the
outbox and its copies of emails can be read in the admin site, and email
travels through systems nobody here controls, so nothing of what happened to
the person is ever written into one.
"""

from __future__ import annotations

import logging

from django.urls import reverse

from socialgov.notifications.registry import Kind
from socialgov.notifications.services import notice_send
from socialgov.people.models import User
from socialgov.people.roles import Role

logger = logging.getLogger(__name__)

GROUP = "Reports of online abuse"
RECEIVED = Kind(key="abuse.received", label="Confirmation of your reports of online abuse", group=GROUP)
NEW_REPORT = Kind(key="abuse.new_report", label="New reports of online abuse (HR wellbeing)", group=GROUP)
ASSIGNED = Kind(key="abuse.assigned", label="Reports of online abuse given to you", group=GROUP)
KINDS = (RECEIVED, NEW_REPORT, ASSIGNED)


def _path(report) -> str:
    return reverse("abuse:detail", kwargs={"pk": report.pk})


def wellbeing_people():
    return User.objects.filter(is_active=True, groups__name=Role.WELLBEING).distinct().order_by("pk")


def report_received_tell(report) -> None:
    """The person who reported it hears it arrived, where to follow it and where to find support now."""
    notice_send(
        recipient=report.reporter,
        kind=RECEIVED.key,
        key=f"abuse-received:{report.pk}",
        title="We have your report of online abuse",
        path=_path(report),
        template="abuse/email/received",
    )


def report_new_tell(report) -> None:
    """Everyone in HR wellbeing hears a report arrived; the person who made it is not told twice."""
    recipients = [person for person in wellbeing_people() if person.pk != report.reporter_id]
    if not recipients:
        logger.warning("Nobody holds the HR wellbeing role: nobody was told of abuse report %s.", report.pk)
    for person in recipients:
        notice_send(
            recipient=person,
            kind=NEW_REPORT.key,
            key=f"abuse-new:{report.pk}:{person.pk}",
            title="A member of staff has reported online abuse",
            path=_path(report),
            template="abuse/email/new_report",
        )


def report_assigned_tell(report) -> None:
    """The comms lead a report was given to hears of it; each assignment is told once."""
    notice_send(
        recipient=report.assigned_to,
        kind=ASSIGNED.key,
        key=f"abuse-assigned:{report.pk}:{report.assigned_to_id}:{report.assigned_at.timestamp():.0f}",
        title="A report of online abuse has been given to you",
        path=_path(report),
        template="abuse/email/assigned",
    )
