"""Reads for the compliance reports: a fixed number of queries per page, whatever the size of the organisation.

Figures come from tallies (one row per scope and thing); only lists of people
read standings, a page at a time; only a person's record reads the records
themselves.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from policies.models import Acknowledgement
from policies.selectors import documents_needing_acknowledgement
from socialgov.people.models import Department, User
from socialgov.reports.models import (
    COMPLIANT,
    COUNT_FIELDS,
    LICENCE_ITEM,
    OWED,
    Kind,
    Snapshot,
    Standing,
    Tally,
    per_cent,
)
from training.models import Assignment, Attempt, Completion, Course, Licence

KIND_LABELS = {Kind.COURSE: "Courses", Kind.POLICY: "Policies", Kind.LICENCE: "Posting licence"}


def rag(percent: int | None) -> str:
    """Red, amber or green from the per cent compliant, by the thresholds in settings."""
    if percent is None:
        return "none"
    if percent >= settings.REPORTS_GREEN_PERCENT:
        return "green"
    return "amber" if percent >= settings.REPORTS_AMBER_PERCENT else "red"


@dataclass
class Figures:
    """Counts per status for one scope and one thing (or all things of a kind)."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, row) -> None:
        for name in COUNT_FIELDS.values():
            self.counts[name] = self.counts.get(name, 0) + getattr(row, name)

    def __getattr__(self, name: str) -> int:
        if name in COUNT_FIELDS.values():
            return self.counts.get(name, 0)
        raise AttributeError(name)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def compliant(self) -> int:
        return sum(self.counts.get(status.value, 0) for status in COMPLIANT)

    @property
    def percent(self) -> int | None:
        return per_cent(self.compliant, self.total)

    @property
    def rag(self) -> str:
        return rag(self.percent)


@dataclass(frozen=True)
class Item:
    kind: str
    item_id: int
    name: str

    @property
    def key(self) -> str:
        return Kind.LICENCE.value if self.kind == Kind.LICENCE else f"{self.kind}:{self.item_id}"


def items_catalogue() -> list[Item]:
    """Everything people can be measured on: published courses, documents to acknowledge, the licence (2 queries)."""
    courses = [
        Item(Kind.COURSE, pk, title)
        for pk, title in Course.objects.filter(is_published=True).values_list("pk", "title")
    ]
    documents = [
        Item(Kind.POLICY, pk, title)
        for pk, title in documents_needing_acknowledgement().order_by("title").values_list("pk", "title")
    ]
    return [*courses, *documents, Item(Kind.LICENCE, LICENCE_ITEM, "Posting licence")]


@dataclass
class ScopeFigures:
    """A scope's figures: per kind (all its things together) and per thing."""

    by_kind: dict[str, Figures]
    by_item: dict[tuple[str, int], Figures]


def scope_figures(scopes: list[str], item: Item | None = None) -> dict[str, ScopeFigures]:
    """Figures for each scope, from its tallies: one query."""
    tallies = Tally.objects.filter(scope__in=scopes)
    if item:
        tallies = tallies.filter(kind=item.kind, item_id=item.item_id)
    found = {scope: ScopeFigures(defaultdict(Figures), defaultdict(Figures)) for scope in scopes}
    for tally in tallies:
        figures = found[tally.scope]
        figures.by_kind[tally.kind].add(tally)
        figures.by_item[(tally.kind, tally.item_id)].add(tally)
    return found


def ancestors(department: Department | None) -> list[Department]:
    """The departments above ``department``, top first: one query."""
    if department is None:
        return []
    ids = department.ancestor_ids()[:-1]
    by_id = Department.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def children(department: Department | None) -> list[Department]:
    """Departments directly below (the top level for the whole organisation): one query."""
    return list(Department.objects.filter(parent=department).order_by("name"))


def filter_departments(department: Department | None) -> QuerySet[Department]:
    """The department filter's choices: the top level, and the way down to and just below the one chosen.

    Bounded whatever the size of the tree (a large organisation has thousands
    of teams); the tables drill down to the rest.
    """
    near = Q(depth=0)
    if department is not None:
        near |= Q(pk__in=department.ancestor_ids()) | Q(parent=department)
    return Department.objects.filter(near).order_by("path")


def series(scope: str, start: datetime.date, end: datetime.date, item: Item | None = None) -> dict[str, list]:
    """Per cent compliant by day for a scope, per kind (or for one item): one query.

    Snapshots keep each item for the whole organisation only; a department's
    line for one item is its kind's line.
    """
    rows = Snapshot.objects.filter(scope=scope, day__gte=start, day__lte=end)
    wanted = {"kind": item.kind, "item_id": item.item_id if scope == "" else 0} if item else {"item_id": 0}
    rows = rows.filter(**wanted)
    found: dict[str, list] = defaultdict(list)
    for row in rows.order_by("day"):
        found[row.kind].append((row.day, row.percent))
    return {kind: weekly(points, end) for kind, points in found.items()}


def weekly(points: list[tuple], end: datetime.date) -> list[tuple]:
    """Past three months, one point a week (counted back from ``end``) and the latest: a readable line and table."""
    if len(points) <= 92:
        return points
    kept = [(day, value) for day, value in points if (end - day).days % 7 == 0]
    if points[-1] not in kept:
        kept.append(points[-1])
    return kept


def standings_in(scope: str, *, item: Item | None, status: str | None, start=None, end=None) -> QuerySet[Standing]:
    """Standings of current people in a scope (and below), filtered; people and departments joined."""
    standings = Standing.objects.filter(scope__startswith=scope) if scope else Standing.objects.all()
    if item:
        standings = standings.filter(kind=item.kind, item_id=item.item_id)
    if status:
        standings = standings.filter(status=status)
    # A date range keeps what fell due, or was done, within it.
    if start:
        standings = standings.filter(Q(due_on__gte=start) | Q(done_on__gte=start))
    if end:
        standings = standings.filter(Q(due_on__lte=end) | Q(done_on__lte=end))
    return standings.select_related("person", "person__department", "person__line_manager")


def item_names() -> dict[tuple[str, int], str]:
    return {(item.kind, item.item_id): item.name for item in items_catalogue()}


@dataclass
class Owing:
    person: User
    standings: list[Standing]

    @property
    def owed(self) -> list[Standing]:
        return [s for s in self.standings if s.status in OWED]


def team_figures(manager: User) -> dict[str, Figures]:
    """Everyone below ``manager``, counted per kind: one grouped query over their standings."""
    found: dict[str, Figures] = defaultdict(Figures)
    rows = (
        Standing.objects.filter(person__in=User.objects.below(manager).filter(is_active=True))
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        found[row["kind"]].counts[row["status"]] = found[row["kind"]].counts.get(row["status"], 0) + row["n"]
    return found


def team_owing(people: list[User]) -> list[Owing]:
    """What each of ``people`` owes (and holds): one query for the page's people."""
    by_person: dict[int, list[Standing]] = defaultdict(list)
    for standing in Standing.objects.filter(person__in=people).order_by("status", "due_on"):
        by_person[standing.person_id].append(standing)
    return [Owing(person, by_person[person.pk]) for person in people]


@dataclass
class Record:
    """A person's whole history: what the record page shows and the subject can download."""

    person: User
    standings: list[Standing]
    assignments: list[Assignment]
    completions: list[Completion]
    attempts: list[Attempt]
    acknowledgements: list[Acknowledgement]
    licences: list[Licence]

    def rows(self) -> Iterator[list]:
        """One line per record, for the CSV and Excel downloads."""
        for a in self.assignments:
            yield ["Course assigned", a.course.title, a.get_status_display(), a.assigned_at.date(), a.due_on, a.reason]
        for c in self.completions:
            yield ["Course completed", c.course.title, c.certificate_number, c.completed_at.date(), c.expires_on, ""]
        for t in self.attempts:
            result = "Passed" if t.is_passed else ("Not passed" if t.submitted_at else "Not finished")
            score = f"{t.score}/{t.max_score}" if t.submitted_at else ""
            yield ["Quiz attempt", t.quiz.title, result, t.started_at.date(), score, ""]
        for k in self.acknowledgements:
            yield [
                "Acknowledgement",
                f"{k.version.document.title}, version {k.version.number}",
                k.get_kind_display(),
                k.acknowledged_at.date(),
                "",
                k.reason,
            ]
        for licence in self.licences:
            state = "Lapsed" if licence.lapsed_at else "Granted"
            yield [
                "Posting licence",
                "Posting licence",
                state,
                licence.granted_at.date(),
                licence.expires_on,
                licence.lapse_reason,
            ]


RECORD_HEADINGS = ["Record", "What", "Status or result", "Date", "Due, expires or score", "Reason"]


def person_record(person: User) -> Record:
    """Everything about one person's compliance, newest first: seven queries."""
    return Record(
        person=person,
        standings=list(Standing.objects.filter(person=person).order_by("status", "kind", "item_id")),
        assignments=list(Assignment.objects.filter(person=person).select_related("course").order_by("-assigned_at")),
        completions=list(Completion.objects.filter(person=person).select_related("course").order_by("-completed_at")),
        attempts=list(Attempt.objects.filter(person=person).select_related("quiz").order_by("-started_at")),
        acknowledgements=list(
            Acknowledgement.objects.filter(person=person)
            .select_related("version", "version__document")
            .order_by("-acknowledged_at")
        ),
        licences=list(Licence.objects.filter(person=person).order_by("-granted_at")),
    )
