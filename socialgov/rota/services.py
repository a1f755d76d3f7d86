"""The rota's rules: every write to shifts, swaps, settings, calendar links and on-call numbers goes through here.

Views, the demo, tasks and tests call these functions, so the rules hold
wherever a change comes from:

- comms leads and administrators add, change and delete shifts;
- a shift needs a current member of staff who is not leaving before it ends;
- nobody is primary and secondary at once, and nobody holds two shifts at
  once (two *different* people in the same role may overlap: handovers);
- a swap is asked for by the shift's person before it starts, answered by
  the colleague asked, and, when accepted, makes the shift theirs.

Every datetime taken is an aware instant; it is stored in UTC.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from socialgov.people.models import User
from socialgov.people.roles import Role, has_role
from socialgov.rota.models import (
    MAX_REMINDER_MINUTES,
    MIN_REMINDER_MINUTES,
    CalendarFeed,
    OnCallPhone,
    RotaSettings,
    Shift,
    ShiftSwap,
)
from socialgov.rota.phones import phone_parse
from socialgov.rota.reminders import swap_decision_notify, swap_request_notify
from socialgov.rota.times import local_date, span_label, to_utc

MANAGE_ROLES = (Role.COMMS_LEAD, Role.ADMINISTRATOR)
# A typing slip (a year out, a month out) makes a shift of months; nobody is on call for more than a week.
MAX_SHIFT = datetime.timedelta(days=7)


class RotaError(Exception):
    """A change the rules refuse. The message says why and what to do; ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def can_manage_rota(person) -> bool:
    return has_role(person, *MANAGE_ROLES)


def _require_manager(by) -> None:
    if not can_manage_rota(by):
        raise RotaError("Only comms leads and administrators can change the rota.")


def _role_label(role: str) -> str:
    return Shift.Role(role).label.lower()


def _check_person_stays(person: User, ends_at: datetime.datetime, *, field: str = "person") -> None:
    if not person.is_active:
        raise RotaError(f"{person} has left: choose someone who works here now", field=field)
    if person.leaving_date is not None and person.leaving_date <= local_date(ends_at):
        leaves = date_format(person.leaving_date, "j F Y")
        raise RotaError(
            f"{person} leaves on {leaves}, before this shift ends: choose someone who still works here then",
            field=field,
        )


def _check_free(
    person: User, role: str, starts_at: datetime.datetime, ends_at: datetime.datetime, *, exclude: int | None = None
) -> None:
    """Refuse a second shift for someone already on call then, in either role."""
    clash = (
        Shift.objects.filter(person=person).overlapping(starts_at, ends_at).exclude(pk=exclude).order_by("starts_at")
    ).first()
    if clash is None:
        return
    already = f"{person} is already {_role_label(clash.role)} {span_label(clash.starts_at, clash.ends_at)}"
    if clash.role != role:
        raise RotaError(f"{already}: nobody can be primary and secondary at the same time", field="person")
    raise RotaError(f"{already}: change that shift rather than adding another", field="person")


def _check_shift(*, person: User, role: str, starts_at, ends_at, exclude: int | None = None) -> None:
    if role not in Shift.Role.values:
        raise RotaError("Choose primary or secondary", field="role")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Shift times must be aware datetimes.")
    if ends_at <= starts_at:
        raise RotaError("The end must be after the start", field="ends_at")
    if ends_at - starts_at > MAX_SHIFT:
        raise RotaError("A shift can last at most 7 days: check the dates, or split it into shorter shifts",
                        field="ends_at")  # fmt: skip
    _check_person_stays(person, ends_at)
    _check_free(person, role, starts_at, ends_at, exclude=exclude)


def _close_open_swaps(shift: Shift, *, now: datetime.datetime) -> int:
    """A swap asked for one shift does not carry over to a changed one: close it."""
    return ShiftSwap.objects.filter(shift=shift, status=ShiftSwap.Status.REQUESTED).update(
        status=ShiftSwap.Status.WITHDRAWN, decided_at=now
    )


@transaction.atomic
def shift_add(
    *,
    by: User,
    person: User,
    role: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    note: str = "",
) -> Shift:
    """Put someone on call; overlaps with other people are allowed and reported by ``rota_problems``."""
    _require_manager(by)
    starts_at, ends_at = to_utc(starts_at), to_utc(ends_at)
    # Serialise changes to one person's shifts, so two requests cannot both pass the clash check.
    User.objects.select_for_update().filter(pk=person.pk).first()
    _check_shift(person=person, role=role, starts_at=starts_at, ends_at=ends_at)
    shift = Shift(person=person, role=role, starts_at=starts_at, ends_at=ends_at, note=note.strip(), created_by=by)
    shift._history_user = by
    shift.save()
    return shift


@transaction.atomic
def shift_update(
    *,
    shift: Shift,
    by: User,
    person: User,
    role: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    note: str = "",
) -> Shift:
    """Change a shift. An open swap request for it is withdrawn if its person or times change."""
    _require_manager(by)
    starts_at, ends_at = to_utc(starts_at), to_utc(ends_at)
    User.objects.select_for_update().filter(pk=person.pk).first()
    _check_shift(person=person, role=role, starts_at=starts_at, ends_at=ends_at, exclude=shift.pk)
    moved = (shift.person_id, shift.starts_at, shift.ends_at) != (person.pk, starts_at, ends_at)
    shift.person, shift.role, shift.note = person, role, note.strip()
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift._history_user = by
    shift.save(update_fields=["person", "role", "starts_at", "ends_at", "note", "updated_at"])
    if moved:
        _close_open_swaps(shift, now=timezone.now())
    return shift


@transaction.atomic
def shift_delete(*, shift: Shift, by: User) -> None:
    """Take a shift off the rota (its history is kept)."""
    _require_manager(by)
    shift._history_user = by
    shift.delete()


# --- Swaps ----------------------------------------------------------------------------------


def _check_can_take(shift: Shift, person: User) -> None:
    _check_person_stays(person, shift.ends_at, field="to_person")
    try:
        _check_free(person, shift.role, shift.starts_at, shift.ends_at, exclude=shift.pk)
    except RotaError as error:
        raise RotaError(f"{error}. Ask someone else", field="to_person") from None


@transaction.atomic
def swap_request(
    *, shift: Shift, by: User, to_person: User, note: str = "", now: datetime.datetime | None = None
) -> ShiftSwap:
    """Ask a colleague to take your shift; they are told at once and the shift stays yours until they accept."""
    now = now or timezone.now()
    shift = Shift.objects.select_for_update().select_related("person").get(pk=shift.pk)
    if shift.person_id != by.pk:
        raise RotaError(f"Only {shift.person} can ask to swap this shift.")
    if shift.has_started(now):
        raise RotaError("This shift has started: ask a comms lead to change the rota instead.")
    if to_person.pk == by.pk:
        raise RotaError("Choose someone other than yourself", field="to_person")
    _check_can_take(shift, to_person)
    waiting = shift.swaps.filter(status=ShiftSwap.Status.REQUESTED).select_related("to_person").first()
    if waiting is not None:
        raise RotaError(f"You have already asked {waiting.to_person} to take this shift: withdraw that request first.")
    swap = ShiftSwap.objects.create(
        shift=shift, from_person=by, to_person=to_person, note=note.strip(), requested_at=now
    )
    transaction.on_commit(lambda: swap_request_notify(swap))
    return swap


def _claim(swap: ShiftSwap, status: str, now: datetime.datetime) -> None:
    """Close an open swap with a conditional update: of two answers at once, only one wins."""
    closed = ShiftSwap.objects.filter(pk=swap.pk, status=ShiftSwap.Status.REQUESTED).update(
        status=status, decided_at=now
    )
    if closed != 1:
        swap.refresh_from_db(fields=["status", "decided_at"])
        raise RotaError(f"This request has already been answered: {swap.get_status_display().lower()}.")
    swap.status, swap.decided_at = status, now


@transaction.atomic
def swap_decide(*, swap: ShiftSwap, by: User, accept: bool, now: datetime.datetime | None = None) -> ShiftSwap:
    """The colleague asked accepts (the shift becomes theirs) or declines; the asker is told either way."""
    now = now or timezone.now()
    if by.pk != swap.to_person_id:
        raise RotaError(f"Only {swap.to_person} can answer this request.")
    if not swap.is_open:
        raise RotaError(f"This request has already been answered: {swap.get_status_display().lower()}.")
    if accept:
        shift = Shift.objects.select_for_update().select_related("person").get(pk=swap.shift_id)
        if shift.person_id != swap.from_person_id:
            raise RotaError(f"This shift is now {shift.person}'s, so the request no longer applies.")
        if shift.has_started(now):
            raise RotaError("This shift has started: ask a comms lead to change the rota instead.")
        User.objects.select_for_update().filter(pk=by.pk).first()
        _check_can_take(shift, swap.to_person)
        _claim(swap, ShiftSwap.Status.ACCEPTED, now)
        shift.person = swap.to_person
        shift._history_user = by
        shift.save(update_fields=["person", "updated_at"])
        swap.shift = shift
    else:
        _claim(swap, ShiftSwap.Status.DECLINED, now)
    transaction.on_commit(lambda: swap_decision_notify(swap))
    return swap


@transaction.atomic
def swap_withdraw(*, swap: ShiftSwap, by: User, now: datetime.datetime | None = None) -> ShiftSwap:
    """The asker changes their mind before the colleague answers."""
    if by.pk != swap.from_person_id:
        raise RotaError(f"Only {swap.from_person} can withdraw this request.")
    _claim(swap, ShiftSwap.Status.WITHDRAWN, now or timezone.now())
    return swap


# --- Settings, calendar links, phone numbers ---------------------------------------------------


@transaction.atomic
def rota_settings_update(
    *, by: User, head_of_comms: User | None, shift_reminder_minutes: int, is_round_the_clock: bool
) -> RotaSettings:
    """Who is the last rung of escalation, when reminders go, and what the rota must cover."""
    _require_manager(by)
    if head_of_comms is not None and not head_of_comms.is_active:
        raise RotaError(f"{head_of_comms} has left: choose someone who works here now", field="head_of_comms")
    if not MIN_REMINDER_MINUTES <= shift_reminder_minutes <= MAX_REMINDER_MINUTES:
        raise RotaError(
            f"Enter a number of minutes from {MIN_REMINDER_MINUTES} to {MAX_REMINDER_MINUTES}",
            field="shift_reminder_minutes",
        )
    rota_settings = RotaSettings.current()
    rota_settings.head_of_comms = head_of_comms
    rota_settings.shift_reminder_minutes = shift_reminder_minutes
    rota_settings.is_round_the_clock = is_round_the_clock
    rota_settings.updated_by = by
    rota_settings._history_user = by
    rota_settings.save()
    return rota_settings


def calendar_token_hash(token: str) -> str:
    """SHA-256 of a token: the token is random and long, so a fast hash is enough and lookups stay indexed."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_renew(*, person: User) -> str:
    """Make a new secret calendar link for ``person`` and return its token; the old link stops working at once.

    Only the token's hash is kept, so the token can be shown this once and never again.
    """
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        person=person, defaults={"token_hash": calendar_token_hash(token), "created_at": timezone.now()}
    )
    return token


@transaction.atomic
def on_call_phone_set(*, person: User, number: str) -> OnCallPhone | None:
    """Save the number colleagues ring while ``person`` is on call; a blank number removes it."""
    if not number.strip():
        OnCallPhone.objects.filter(person=person).delete()
        return None
    try:
        e164 = phone_parse(number)
    except ValueError as error:
        raise RotaError(str(error), field="number") from None
    phone, _ = OnCallPhone.objects.update_or_create(person=person, defaults={"number": e164})
    return phone
