"""Reads of the rota: who is on call at a moment, the escalation ladder, and what is wrong with the rota.

``on_call_at`` and ``escalation_ladder`` are the interface the incident
escalation calls: whatever else changes, they answer "who do we ring, in
what order" for any instant, in a fixed number of queries.

``rota_problems`` explains, in plain words, every overlap of two people in
the same role, every shift held by someone who has left, and every stretch
the rota must cover with nobody primary (and separately nobody secondary).
Unless the rota is set to cover round the clock, it must cover the hours
outside working hours: evenings and nights of working days, and all of
weekends and bank holidays (``socialgov.notifications.working_time``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateformat import format as date_format

from socialgov.notifications.working_time import is_within_working_hours, is_working_day, working_hours
from socialgov.people.models import User
from socialgov.rota.models import OnCallPhone, RotaSettings, Shift, ShiftSwap
from socialgov.rota.phones import phone_display
from socialgov.rota.times import day_span, day_start, local_date, local_moment, span_label, to_utc

Interval = tuple[datetime.datetime, datetime.datetime]


def has_left_by(person: User, moment: datetime.datetime) -> bool:
    """Whether ``person`` no longer works here at ``moment`` (their leaving date is their first day gone)."""
    if not person.is_active:
        return True
    return person.leaving_date is not None and person.leaving_date <= local_date(moment)


# --- Who is on call -----------------------------------------------------------------


@dataclass(frozen=True)
class Rung:
    """One step of the escalation ladder as shown to people: who, in what capacity, and how to reach them."""

    label: str
    person: User | None
    # E.164 ("+447700900123"), or "" when the person has given no number.
    phone_e164: str = ""
    shift: Shift | None = None

    @property
    def phone(self) -> str:
        """The number as people read it ("07700 900123")."""
        return phone_display(self.phone_e164) if self.phone_e164 else ""


@dataclass(frozen=True)
class OnCall:
    """Who is on call at ``moment``: the primary, the secondary and the head of communications, each maybe None."""

    moment: datetime.datetime
    primary: User | None
    secondary: User | None
    head_of_comms: User | None
    primary_shift: Shift | None = None
    secondary_shift: Shift | None = None
    # Every shift on at the moment, including the other side of a handover.
    shifts: tuple[Shift, ...] = ()
    # On-call phone numbers (E.164) by person id, for those who have given one.
    phones: dict[int, str] = field(default_factory=dict)
    # Whether the rota must cover this moment: false in working hours, unless the rota runs round the clock.
    is_cover_needed: bool = True

    @property
    def rungs(self) -> list[Rung]:
        """The three rungs in order, empty ones included, for pages to show what is missing."""
        return [
            Rung("Primary", self.primary, self._phone(self.primary), self.primary_shift),
            Rung("Secondary", self.secondary, self._phone(self.secondary), self.secondary_shift),
            Rung("Head of communications", self.head_of_comms, self._phone(self.head_of_comms)),
        ]

    @property
    def ladder(self) -> list[User]:
        """Who to try, in order: nobody twice, nobody missing."""
        people: list[User] = []
        for person in (self.primary, self.secondary, self.head_of_comms):
            if person is not None and all(person.pk != seen.pk for seen in people):
                people.append(person)
        return people

    def _phone(self, person: User | None) -> str:
        return self.phones.get(person.pk, "") if person is not None else ""


def _current_holder(shifts: Iterable[Shift], moment: datetime.datetime) -> Shift | None:
    """Of the shifts of one role on at a moment, the one who came on most recently (a handover's incoming person)."""
    present = [shift for shift in shifts if not has_left_by(shift.person, moment)]
    return max(present, key=lambda shift: (shift.starts_at, shift.pk), default=None)


def on_call_at(moment: datetime.datetime | None = None) -> OnCall:
    """Who is on call at ``moment`` (now if not given): three queries, whatever the size of the rota."""
    moment = moment or timezone.now()
    shifts = tuple(Shift.objects.covering(moment).select_related("person").order_by("starts_at", "pk"))
    primary = _current_holder((s for s in shifts if s.role == Shift.Role.PRIMARY), moment)
    secondary = _current_holder((s for s in shifts if s.role == Shift.Role.SECONDARY), moment)
    rota_settings = RotaSettings.current()
    head = rota_settings.head_of_comms
    if head is not None and has_left_by(head, moment):
        head = None
    people = [p.pk for p in (primary and primary.person, secondary and secondary.person, head) if p is not None]
    phones = dict(OnCallPhone.objects.filter(person_id__in=people).values_list("person_id", "number"))
    return OnCall(
        moment=moment,
        primary=primary.person if primary else None,
        secondary=secondary.person if secondary else None,
        head_of_comms=head,
        primary_shift=primary,
        secondary_shift=secondary,
        shifts=shifts,
        phones=phones,
        is_cover_needed=rota_settings.is_round_the_clock or not is_within_working_hours(moment),
    )


def escalation_ladder(moment: datetime.datetime | None = None) -> list[User]:
    """Who to call at ``moment``, in order: primary, secondary, head of communications; no one twice, no one missing."""
    return on_call_at(moment).ladder


# --- What is wrong with the rota -------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    GAP = "gap"
    OVERLAP = "overlap"
    LEAVER = "leaver"

    kind: str
    role: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    explanation: str
    shifts: tuple[Shift, ...] = ()

    @property
    def day(self) -> datetime.date:
        return local_date(self.starts_at)

    @property
    def shift_ids(self) -> frozenset[int]:
        return frozenset(shift.pk for shift in self.shifts)


def _merged(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted intervals with touching and overlapping ones joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _subtract(required: Sequence[Interval], covered: Sequence[Interval]) -> list[Interval]:
    """The parts of ``required`` that ``covered`` leaves uncovered; both merged and sorted."""
    gaps: list[Interval] = []
    for start, end in required:
        cursor = start
        for c_start, c_end in covered:
            if c_end <= cursor or c_start >= end:
                continue
            if c_start > cursor:
                gaps.append((cursor, c_start))
            cursor = max(cursor, c_end)
            if cursor >= end:
                break
        if cursor < end:
            gaps.append((cursor, end))
    return gaps


def required_cover(
    start: datetime.datetime, end: datetime.datetime, *, is_round_the_clock: bool = False
) -> list[Interval]:
    """The stretches between ``start`` and ``end`` someone must be on call: out of hours, or all of it."""
    start, end = to_utc(start), to_utc(end)
    if is_round_the_clock:
        return [(start, end)] if start < end else []
    opens, closes = working_hours()
    intervals: list[Interval] = []
    day, last = local_date(start) - datetime.timedelta(days=1), local_date(end)
    while day <= last:
        midnight, next_midnight = day_span(day)
        if is_working_day(day):
            intervals += [(midnight, local_moment(day, opens)), (local_moment(day, closes), next_midnight)]
        else:
            intervals.append((midnight, next_midnight))
        day += datetime.timedelta(days=1)
    clipped = ((max(s, start), min(e, end)) for s, e in intervals)
    return _merged((s, e) for s, e in clipped if s < e)


def _overlaps(shifts: list[Shift], role_label: str, start, end) -> list[Problem]:
    problems = []
    ordered = sorted(shifts, key=lambda s: (to_utc(s.starts_at), s.pk))
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if to_utc(second.starts_at) >= to_utc(first.ends_at):
                break
            o_start = max(to_utc(second.starts_at), start)
            o_end = min(to_utc(first.ends_at), to_utc(second.ends_at), end)
            if o_start >= o_end:
                continue
            span = span_label(o_start, o_end)
            if first.person_id == second.person_id:
                text = f"{first.person} is {role_label} twice {span}"
            else:
                text = f"{first.person} and {second.person} are both {role_label} {span}"
            problems.append(Problem(Problem.OVERLAP, first.role, o_start, o_end, text, (first, second)))
    return problems


def _leaver(shift: Shift, role_label: str, start, end) -> Problem:
    span = span_label(shift.starts_at, shift.ends_at)
    person = shift.person
    if person.is_active and person.leaving_date:
        why = f"leaves on {date_format(person.leaving_date, 'j F Y')}"
    else:
        why = "has left"
    text = f"{person} is {role_label} {span}, but {why}: give the shift to someone else"
    clipped = (max(to_utc(shift.starts_at), start), min(to_utc(shift.ends_at), end))
    return Problem(Problem.LEAVER, shift.role, *clipped, text, (shift,))


def rota_problems(
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    shifts: Sequence[Shift] | None = None,
    rota_settings: RotaSettings | None = None,
) -> list[Problem]:
    """Everything wrong with the rota between ``start`` and ``end``, each explained in words, in time order.

    ``shifts`` (with their people loaded) saves the query when the caller has them already.
    """
    start, end = to_utc(start), to_utc(end)
    if shifts is None:
        shifts = list(Shift.objects.overlapping(start, end).select_related("person"))
    rota_settings = rota_settings or RotaSettings.current()
    required = required_cover(start, end, is_round_the_clock=rota_settings.is_round_the_clock)
    problems: list[Problem] = []
    for role, label in Shift.Role.choices:
        label = label.lower()
        of_role = [s for s in shifts if s.role == role and s.starts_at < end and s.ends_at > start]
        leavers = [s for s in of_role if has_left_by(s.person, s.ends_at)]
        problems += [_leaver(s, label, start, end) for s in leavers]
        problems += _overlaps(of_role, label, start, end)
        covered = _merged((to_utc(s.starts_at), to_utc(s.ends_at)) for s in of_role if s not in leavers)
        for g_start, g_end in _subtract(required, covered):
            text = f"Nobody is {label} {span_label(g_start, g_end)}"
            problems.append(Problem(Problem.GAP, role, g_start, g_end, text))
    order = {Problem.GAP: 0, Problem.LEAVER: 1, Problem.OVERLAP: 2}
    return sorted(problems, key=lambda p: (p.starts_at, p.role != Shift.Role.PRIMARY, order[p.kind]))


# --- The rota page -------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftRow:
    shift: Shift
    # The open request to hand this shift to someone, if there is one.
    open_swap: ShiftSwap | None
    # Whether the shift is part of an overlap or held by a leaver (gaps belong to no shift).
    has_problem: bool


@dataclass(frozen=True)
class RotaDay:
    day: datetime.date
    rows: list[ShiftRow]
    problems: list[Problem]


@dataclass(frozen=True)
class Rota:
    start: datetime.datetime
    end: datetime.datetime
    days: list[RotaDay]
    problems: list[Problem]


def rota_for(*, first_day: datetime.date, days: int = 14) -> Rota:
    """``days`` days of the rota from ``first_day``: each day's shifts (by the day they start) and problems.

    A shift already on at the start is listed on the first day. Four queries.
    """
    start = day_start(first_day)
    end = day_start(first_day + datetime.timedelta(days=days))
    shifts = list(Shift.objects.overlapping(start, end).select_related("person"))
    problems = rota_problems(start, end, shifts=shifts)
    swaps = ShiftSwap.objects.filter(shift__in=[s.pk for s in shifts], status=ShiftSwap.Status.REQUESTED)
    open_swaps = {swap.shift_id: swap for swap in swaps.select_related("to_person")}
    by_day: dict[datetime.date, list[Shift]] = {}
    for shift in shifts:
        by_day.setdefault(max(local_date(shift.starts_at), first_day), []).append(shift)
    problems_by_day: dict[datetime.date, list[Problem]] = {}
    for problem in problems:
        problems_by_day.setdefault(max(problem.day, first_day), []).append(problem)
    flagged = {pk for problem in problems for pk in problem.shift_ids}

    def rows(day: datetime.date) -> list[ShiftRow]:
        ordered = sorted(by_day.get(day, []), key=lambda s: (s.starts_at, s.role != Shift.Role.PRIMARY, s.pk))
        return [ShiftRow(s, open_swaps.get(s.pk), s.pk in flagged) for s in ordered]

    listed = [
        RotaDay(day=day, rows=rows(day), problems=problems_by_day.get(day, []))
        for day in (first_day + datetime.timedelta(days=n) for n in range(days))
    ]
    return Rota(start, end, listed, problems)
