"""The audit of compliance records: who changed what, and when.

Four sources, newest first: the history of training assignments and posting
licences and of policy acknowledgements (django-simple-history rows), and
course completions (written once, never changed, so the row is its own
history).

How it stays fast with millions of history rows: **keyset pagination per
source, merged.** A page is "the N newest entries before (or after) this
cursor", where a cursor is an entry's (time, source, id). Each source is
asked for at most N + 1 rows beyond the cursor, ordered by its indexed date
(``history_date``; ``completed_at``), so every query is bounded by the page
size however deep the reader goes; the few rows are merged in Python and cut
to N. An offset paginator would instead count and skip every row before the
page (``COUNT(*)`` over a union of four tables, then ``OFFSET`` 50,000), and
a database ``UNION ALL`` ordered by date cannot use each table's index for
the merge on every backend. The price: pages are "Newer" and "Older" rather
than numbered, and there is no total count.

"What changed" is worked out against the previous history row of the same
record, found for the page's rows only: one subquery per row on the
indexed record id, and one query for those previous rows.
"""

from __future__ import annotations

import datetime
import heapq
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from policies.models import Acknowledgement
from socialgov.people.models import User
from training.models import Assignment, Completion, Licence

PAGE_SIZE = 50
EXPORT_CHUNK = 1000
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
CURSOR_PATTERN = re.compile(r"^(-?\d{1,20})\.(\d)\.(\d{1,20})$")
ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass(frozen=True)
class Filters:
    person: User | None = None
    record_type: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    changed_by: User | None = None


@dataclass(frozen=True, order=True)
class Cursor:
    """An entry's place in the merged order: time, then source, then id."""

    at: datetime.datetime
    rank: int
    pk: int

    def encode(self) -> str:
        return f"{(self.at - EPOCH) // datetime.timedelta(microseconds=1)}.{self.rank}.{self.pk}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Read a cursor from a URL; ValueError for anything that is not one."""
        match = CURSOR_PATTERN.match(text or "")
        if not match:
            raise ValueError(text)
        microseconds, rank, pk = (int(part) for part in match.groups())
        if rank >= len(SOURCES):
            raise ValueError(text)
        try:
            at = EPOCH + datetime.timedelta(microseconds=microseconds)
        except OverflowError as error:
            raise ValueError(text) from error
        return cls(at, rank, pk)


@dataclass
class Entry:
    at: datetime.datetime
    rank: int
    pk: int
    record_type: str
    person: str
    record: str
    action: str
    changes: list[str] = field(default_factory=list)
    changed_by: str = ""
    reason: str = ""

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, self.rank, self.pk)


def _name(user: User | None) -> str:
    if user is None:
        return ""
    full = user.get_full_name()
    return f"{full} ({user.email})" if full else user.email


def _value(row, name: str) -> str:
    value = getattr(row, name)
    display = getattr(row, f"get_{name}_display", None)
    if display is not None:
        return display()
    if value is None or value == "":
        return "none"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%-d %b %Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%-d %b %Y")
    return str(value)


@dataclass(frozen=True)
class Source:
    """One kind of record the audit reads: where its rows are and how to describe one."""

    key: str
    label: str
    plural: str
    rank: int
    queryset: Callable[[], QuerySet]
    date_field: str
    pk_field: str
    # Fields whose changes are listed, with their labels.
    tracked: tuple[tuple[str, str], ...]
    describe: Callable[[Model], str]
    reason_field: str = ""
    # Completions have no history table: the person recorded it by finishing the course.
    is_history: bool = True

    def changer_field(self) -> str:
        return "history_user_id" if self.is_history else "person_id"

    def rows(self, filters: Filters, *, cursor: Cursor | None, older: bool, limit: int) -> list:
        """At most ``limit`` rows beyond the cursor, in the merged order: one bounded query (two with history)."""
        rows = self.queryset()
        if filters.person is not None:
            rows = rows.filter(person_id=filters.person.pk)
        if filters.changed_by is not None:
            rows = rows.filter(**{self.changer_field(): filters.changed_by.pk})
        if filters.date_from is not None:
            rows = rows.filter(**{f"{self.date_field}__gte": _day_starts(filters.date_from)})
        if filters.date_to is not None:
            rows = rows.filter(**{f"{self.date_field}__lt": _day_starts(filters.date_to + datetime.timedelta(days=1))})
        if cursor is not None:
            rows = rows.filter(self._beyond(cursor, older=older))
        sign = "-" if older else ""
        rows = rows.order_by(f"{sign}{self.date_field}", f"{sign}{self.pk_field}")
        if self.is_history:
            model = rows.model
            previous = model._default_manager.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id"))
            rows = rows.annotate(previous_id=Subquery(previous.order_by("-history_id").values("history_id")[:1]))
        return list(rows[:limit])

    def _beyond(self, cursor: Cursor, *, older: bool) -> Q:
        """Rows after the cursor in the merged order (older: before it in time), for this source's rank."""
        date, pk = self.date_field, self.pk_field
        direction = "lt" if older else "gt"
        same_time_first = self.rank < cursor.rank if older else self.rank > cursor.rank
        if same_time_first:
            return Q(**{f"{date}__{direction}e": cursor.at})
        if self.rank == cursor.rank:
            return Q(**{f"{date}__{direction}": cursor.at}) | Q(**{date: cursor.at, f"{pk}__{direction}": cursor.pk})
        return Q(**{f"{date}__{direction}": cursor.at})

    def entries(self, rows: list) -> list[Entry]:
        """The rows described; the previous version of each changed record is read in one query."""
        previous = {}
        if self.is_history:
            ids = [row.previous_id for row in rows if row.previous_id]
            if ids:
                model = type(rows[0])
                previous = {row.history_id: row for row in model._default_manager.filter(history_id__in=ids)}
        return [self._entry(row, previous.get(getattr(row, "previous_id", None))) for row in rows]

    def _entry(self, row, before) -> Entry:
        if self.is_history:
            action = ACTIONS.get(row.history_type, row.history_type)
            if before is not None and row.history_type == "~":
                changes = [
                    f"{label}: {_value(before, name)} → {_value(row, name)}"
                    for name, label in self.tracked
                    if getattr(before, name) != getattr(row, name)
                ]
            else:
                changes = [f"{label}: {_value(row, name)}" for name, label in self.tracked]
            changed_by = _name(row.history_user) or "The system"
            reason = " ".join(
                part for part in (getattr(row, self.reason_field, ""), row.history_change_reason or "") if part
            )
            at, pk = row.history_date, row.history_id
        else:
            action, changes = "Completed", [f"{label}: {_value(row, name)}" for name, label in self.tracked]
            changed_by, reason, at, pk = _name(row.person), "", getattr(row, self.date_field), row.pk
        return Entry(
            at=at,
            rank=self.rank,
            pk=pk,
            record_type=self.label,
            person=_name(row.person) or f"Person {row.person_id} (deleted)",
            record=self.describe(row),
            action=action,
            changes=changes,
            changed_by=changed_by,
            reason=reason,
        )


def _day_starts(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of a local day, so "from 1 March" means 1 March in the UK."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _course(row) -> str:
    return str(row.course) if row.course else "A deleted course"


def _acknowledged(row) -> str:
    version = row.version
    return f"{version.document} {version.number}".strip() if version else ""


SOURCES: list[Source] = [
    Source(
        key="assignment",
        label="Assignment",
        plural="Training assignments",
        rank=0,
        queryset=lambda: Assignment.history.select_related("history_user", "person", "course"),
        date_field="history_date",
        pk_field="history_id",
        tracked=(("status", "Status"), ("due_on", "Due"), ("closed_at", "Closed")),
        describe=_course,
        reason_field="reason",
    ),
    Source(
        key="completion",
        label="Completion",
        plural="Course completions",
        rank=1,
        queryset=lambda: Completion.objects.select_related("person", "course"),
        date_field="completed_at",
        pk_field="id",
        tracked=(("certificate_number", "Certificate"), ("expires_on", "Expires")),
        describe=_course,
        is_history=False,
    ),
    Source(
        key="licence",
        label="Licence",
        plural="Posting licences",
        rank=2,
        queryset=lambda: Licence.history.select_related("history_user", "person"),
        date_field="history_date",
        pk_field="history_id",
        tracked=(("expires_on", "Expires"), ("lapsed_at", "Lapsed")),
        describe=lambda row: "Posting licence",
        reason_field="lapse_reason",
    ),
    Source(
        key="acknowledgement",
        label="Acknowledgement",
        plural="Policy acknowledgements",
        rank=3,
        queryset=lambda: Acknowledgement.history.select_related("history_user", "person", "version__document"),
        date_field="history_date",
        pk_field="history_id",
        tracked=(("kind", "How"), ("acknowledged_at", "Acknowledged")),
        describe=_acknowledged,
        reason_field="reason",
    ),
]
SOURCES_BY_KEY = {source.key: source for source in SOURCES}


@dataclass
class AuditPage:
    entries: list[Entry]
    # Where the next page towards newer or older entries starts; None at either end.
    newer: Cursor | None
    older: Cursor | None


def audit_page(
    filters: Filters, *, before: Cursor | None = None, after: Cursor | None = None, size: int = PAGE_SIZE
) -> AuditPage:
    """One page of entries, newest first: the newest overall, those older than ``before``, or newer than ``after``."""
    older = after is None
    cursor = before if older else after
    sources = [SOURCES_BY_KEY[filters.record_type]] if filters.record_type else SOURCES
    fetched = {source.key: source.rows(filters, cursor=cursor, older=older, limit=size + 1) for source in sources}
    keyed = [
        [(Cursor(getattr(row, s.date_field), s.rank, getattr(row, s.pk_field)), s.key, row) for row in fetched[s.key]]
        for s in sources
    ]
    merged = list(heapq.merge(*keyed, key=lambda item: item[0], reverse=older))[: size + 1]
    has_more = len(merged) > size
    merged = merged[:size]
    if not older:
        merged.reverse()
    # Describe only the rows on the page, a source at a time (one query each for previous versions).
    described: dict[tuple[str, int], Entry] = {}
    for source in sources:
        rows = [row for _, key, row in merged if key == source.key]
        for entry in source.entries(rows) if rows else []:
            described[(source.key, entry.pk)] = entry
    entries = [described[(key, cursor_.pk)] for cursor_, key, _ in merged]
    if older:
        newer_cursor = entries[0].cursor if entries and before is not None else None
        older_cursor = entries[-1].cursor if has_more else None
    else:
        newer_cursor = entries[0].cursor if has_more else None
        older_cursor = entries[-1].cursor if entries else None
    return AuditPage(entries=entries, newer=newer_cursor, older=older_cursor)


def audit_entries(filters: Filters, *, chunk: int = EXPORT_CHUNK) -> Iterator[Entry]:
    """Every matching entry, newest first, read a bounded page at a time (for the CSV download)."""
    cursor = None
    while True:
        page = audit_page(filters, before=cursor, size=chunk)
        yield from page.entries
        if page.older is None:
            return
        cursor = page.older
