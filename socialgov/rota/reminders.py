"""Telling people about their on-call shifts: a reminder before each shift, and swap requests and answers.

The engine's daily digest cannot say "your shift starts in an hour", so the
shift reminder is its own job (``rota.shift_reminders``, every five minutes)
that sends an urgent notice (in-app and by email, day or night, ignoring
working hours) for each shift starting within the organisation's reminder
time. Each notice has a key made of the shift, its person and its start, so
running the job twice, or on two workers at once, sends it once; a shift
moved or handed to someone else is a new key and is reminded again.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from socialgov.notifications.models import Notification
from socialgov.notifications.registry import Kind
from socialgov.notifications.services import notice_send
from socialgov.rota.models import RotaSettings, Shift, ShiftSwap
from socialgov.rota.selectors import has_left_by, on_call_at
from socialgov.rota.times import moment_label, span_label

logger = logging.getLogger(__name__)

SHIFT_STARTING = Kind(
    key="rota.shift_starting",
    label="Your on-call shift is about to start",
    group="On call",
    is_urgent=True,
)
SWAP_REQUEST = Kind(key="rota.swap_request", label="Requests to take a colleague's on-call shift", group="On call")
SWAP_DECIDED = Kind(key="rota.swap_decided", label="Answers to your on-call swap requests", group="On call")
KINDS = (SHIFT_STARTING, SWAP_REQUEST, SWAP_DECIDED)

# A shift that started this recently is still reminded: a run missed by a restart is caught up by the next.
CATCH_UP = datetime.timedelta(minutes=15)


def shift_reminder_key(shift: Shift) -> str:
    return f"rota-shift-starting:{shift.pk}:{shift.person_id}:{shift.starts_at.astimezone(datetime.UTC):%Y%m%dT%H%MZ}"


def shifts_to_remind(now: datetime.datetime) -> list[Shift]:
    """Shifts starting within the reminder time (or just started) whose person has not been reminded of them."""
    minutes = RotaSettings.current().shift_reminder_minutes
    shifts = list(
        Shift.objects.filter(
            starts_at__gt=now - CATCH_UP,
            starts_at__lte=now + datetime.timedelta(minutes=minutes),
            person__is_active=True,
        ).select_related("person")
    )
    sent = set(
        Notification.objects.filter(key__in=[shift_reminder_key(s) for s in shifts]).values_list("key", flat=True)
    )
    return [shift for shift in shifts if shift_reminder_key(shift) not in sent]


def shift_reminders_send(now: datetime.datetime | None = None) -> int:
    """Remind everyone whose shift starts soon, once per shift; returns how many reminders this run sent."""
    now = now or timezone.now()
    count = 0
    for shift in shifts_to_remind(now):
        if has_left_by(shift.person, shift.starts_at):
            continue
        on_call = on_call_at(shift.starts_at)
        role = shift.get_role_display().lower()
        others = [
            (rung.label, rung.person, rung.phone)
            for rung in on_call.rungs
            if rung.person is not None and rung.person.pk != shift.person_id
        ]
        # The notice and its email are one write: both or neither, so a failure is retried by the next run.
        with transaction.atomic():
            notice_send(
                recipient=shift.person,
                kind=SHIFT_STARTING.key,
                key=shift_reminder_key(shift),
                title=f"Your {role} on-call shift starts at {moment_label(shift.starts_at)}",
                path=reverse("rota:mine"),
                template="rota/email/shift_starting",
                context={
                    "shift": shift,
                    "role": role,
                    "starts": moment_label(shift.starts_at),
                    "span": span_label(shift.starts_at, shift.ends_at),
                    "others": others,
                    "rota_url": reverse("rota:rota"),
                },
            )
        count += 1
    if count:
        logger.info("Sent %d on-call shift reminders.", count)
    return count


def swap_request_notify(swap: ShiftSwap) -> None:
    """Tell the colleague asked: a request to take a shift, with a link to answer it."""
    shift = swap.shift
    role = shift.get_role_display().lower()
    span = span_label(shift.starts_at, shift.ends_at)
    notice_send(
        recipient=swap.to_person,
        kind=SWAP_REQUEST.key,
        key=f"rota-swap-request:{swap.pk}",
        title=f"{swap.from_person} asks you to take their {role} on-call shift {span}",
        path=reverse("rota:swap", kwargs={"pk": swap.pk}),
        template="rota/email/swap_request",
        context={"swap": swap, "role": role, "span": span},
    )


def swap_decision_notify(swap: ShiftSwap) -> None:
    """Tell the asker whether their colleague took the shift."""
    shift = swap.shift
    role = shift.get_role_display().lower()
    accepted = swap.status == ShiftSwap.Status.ACCEPTED
    verb = "accepted" if accepted else "declined"
    span = span_label(shift.starts_at, shift.ends_at)
    notice_send(
        recipient=swap.from_person,
        kind=SWAP_DECIDED.key,
        key=f"rota-swap-decided:{swap.pk}",
        title=f"{swap.to_person} {verb} your request to swap your {role} on-call shift {span}",
        path=reverse("rota:swap", kwargs={"pk": swap.pk}),
        template="rota/email/swap_decided",
        context={
            "swap": swap,
            "role": role,
            "span": span,
            "accepted": accepted,
        },
    )
