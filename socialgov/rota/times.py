"""Local time for the rota: Europe/London wall-clock times, read and written without tripping over clock changes.

Shifts are stored as instants (UTC in the database). People type and read
wall-clock times, and twice a year a wall-clock time is not one instant:
when the clocks go forward an hour of times never happens, and when they go
back an hour happens twice. Such a time is refused where it is typed, with
the reason, rather than silently moved. Arithmetic on instants is done in
UTC, because Python compares two datetimes that share a ``tzinfo`` by their
wall-clock fields, which is wrong across a change.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.dateformat import format as date_format

UTC = datetime.UTC


class LocalTimeError(ValueError):
    """A wall-clock time that is not exactly one instant; the message says why."""


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def to_local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(local_zone())


def to_utc(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(UTC)


def local_date(moment: datetime.datetime) -> datetime.date:
    return to_local(moment).date()


def is_ambiguous(moment: datetime.datetime) -> bool:
    """Whether the local wall-clock time of ``moment`` happens twice (the hour the clocks go back)."""
    local = to_local(moment).replace(tzinfo=None)
    zone = local_zone()
    return local.replace(tzinfo=zone, fold=0).utcoffset() != local.replace(tzinfo=zone, fold=1).utcoffset()


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The one instant a local date and time name, in UTC; raises ``LocalTimeError`` when there is not exactly one."""
    zone = local_zone()
    wall = datetime.datetime.combine(day, time)
    first, second = wall.replace(tzinfo=zone, fold=0), wall.replace(tzinfo=zone, fold=1)
    when = f"{time:%H:%M} on {date_format(day, 'l j F Y')}"
    if first.utcoffset() != second.utcoffset():
        if to_local(to_utc(first)).replace(tzinfo=None) != wall:
            raise LocalTimeError(f"{when} does not exist: the clocks go forward an hour that night")
        raise LocalTimeError(f"{when} happens twice: the clocks go back an hour that night")
    return to_utc(first)


def day_start(day: datetime.date) -> datetime.datetime:
    """Local midnight at the start of ``day``, in UTC (midnight always exists in the UK: clocks change at 01:00 UTC)."""
    return local_moment(day, datetime.time(0, 0))


def day_span(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The instants a local day runs between: 23 hours when the clocks go forward, 25 when they go back."""
    return day_start(day), day_start(day + datetime.timedelta(days=1))


def moment_label(moment: datetime.datetime, *, with_day: bool = True) -> str:
    """A local day and time, "Sat 23 Nov 17:00"; a time that happens twice says which one ("01:30 BST")."""
    local = to_local(moment)
    text = date_format(local, "D j M H:i") if with_day else date_format(local, "H:i")
    if is_ambiguous(moment):
        text += f" {local.tzname()}"
    return text


def span_label(start: datetime.datetime, end: datetime.datetime) -> str:
    """A stretch of time, "from Sat 23 Nov 17:00 to Sun 24 Nov 09:00"; the end's day is left out on the same day."""
    same_day = local_date(start) == local_date(end)
    return f"from {moment_label(start)} to {moment_label(end, with_day=not same_day)}"
