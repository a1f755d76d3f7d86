"""Measuring the compliance reports at the size of a large organisation.

``run_reports_benchmark`` fills the *current*, empty database with a generated
organisation and a year of its compliance records, builds the roll-ups with
``rollups.rebuild()``, writes a year of daily snapshots, and then times the
report pages as HR and a manager see them. Like the other benchmarks it
refuses a database that already has people in it: the ``reports_benchmark``
command runs it on a throwaway database it creates and destroys, and the test
suite runs it on its own test database.

The organisation: directorates, services and teams (about one team per 12
people), line managed as a tree in which nobody has more than about 8 direct
reports above team level (assistant directors group heads of service); 30
courses (some renewed by refreshers) and 12 policies to acknowledge, and a
year of assignments, completions, lessons read, acknowledgements and posting
licences in every state. The big tables are written with PostgreSQL's
``COPY`` (plain inserts elsewhere), with the ids chosen here, so generating
never sends a signal: nothing is queued for the background worker.

What is measured, each run ``runs`` times (the median is reported, every run
is kept), with its database statements counted by an execute wrapper:

- the report pages through ``django.test.Client``, signed in as an HR officer
  (an authenticator set up, as the role needs) or as a manager: the HR
  dashboard, a service's page, the manager's team and one person's record;
- the people list as CSV, streamed to the end: rows a second, and memory
  (the largest rise in resident set size during a run, and the
  ``tracemalloc`` peak of one more, untimed run);
- for comparison, the *bare aggregate*: the counts the dashboard shows,
  worked out in one SQL statement from the records themselves, and
  PostgreSQL's own ``COPY (SELECT …) TO STDOUT`` of the export's rows.

It also checks that the roll-ups agree with the records: every tally (per
department and below, per item, per status) equals what the bare SQL counts.
"""

from __future__ import annotations

import cProfile
import datetime
import io
import json
import logging
import math
import pstats
import random
import statistics
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.test import Client
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from policies.benchmark import Measurement as PoliciesMeasurement
from policies.models import Acknowledgement, Document, DocumentVersion
from socialgov.notifications.benchmark import (
    EMAIL_DOMAIN,
    FIRST_NAMES,
    BenchmarkRefused,
    MachineInfo,
    QueryCounter,
    _load,
    heartbeat,
    load_average,
    machine_info,
    peak_rss_mb,
)
from socialgov.people.models import Department, User
from socialgov.people.roles import Role
from socialgov.reports import rollups
from socialgov.reports.models import COUNT_FIELDS, Kind, Snapshot, Standing, Status, Tally
from training.models import Assignment, Completion, Course, Lesson, LessonProgress, Licence

logger = logging.getLogger(__name__)

__all__ = ["BenchmarkRefused", "ReportsBenchmarkResult", "bare_counts", "run_reports_benchmark", "summary_table"]

Progress = Callable[[str], None]

RUNS = 5
CHUNK = 5000
TEAM_SIZE = 12
TEAMS_PER_SERVICE = 6
# Above team level nobody has more than this many direct reports: assistant directors group the rest.
FAN_OUT = 8
# The manager measured is the one with the number of current staff below them nearest to this.
MANAGER_BELOW = 500
HISTORY_DAYS = 365
SEED = 2026
DIRECTORATES = ["Corporate Services", "Communities", "Place", "Education", "Adult Care", "Children's Services",
                "Economy", "Environment"]  # fmt: skip
SERVICES = ["Human Resources", "Housing", "Libraries", "Roads", "Waste", "Schools", "Planning", "Finance",
            "Customer Services", "Parks", "Social Work", "Licensing", "Transport", "Digital", "Legal"]  # fmt: skip
LAST_NAMES = ["Campbell", "MacDonald", "Stewart", "Robertson", "Murray", "Fraser", "Ross", "Reid", "Grant", "Baird"]
# (title, refresher months, audience: everyone / directorates / public-facing / optional)
COURSES = [
    ("Social media at work", 12, "everyone"),
    ("Data protection essentials", 12, "everyone"),
    ("Information security", 24, "everyone"),
    ("Equality and diversity", 36, "everyone"),
    ("Accessible content", None, "everyone"),
    ("Safeguarding basics", 24, "everyone"),
    ("Records management", None, "everyone"),
    ("Fraud awareness", 24, "everyone"),
    ("Working with elected members", None, "directorates"),
    ("Writing for the web", None, "directorates"),
    ("Freedom of information", 36, "directorates"),
    ("Consultations that work", None, "directorates"),
    ("Procurement rules", 24, "directorates"),
    ("Lone working", 12, "directorates"),
    ("Managing people's data", 24, "directorates"),
    ("Emergency planning", 12, "directorates"),
    ("Customer care", None, "public"),
    ("Handling complaints", 24, "public"),
    ("Dealing with abuse online", 12, "public"),
    ("Photographs and consent", None, "public"),
    ("Media enquiries", 36, "public"),
    ("Pre-election period", 12, "public"),
    ("Video for social media", None, "optional"),
    ("Plain English", None, "optional"),
    ("Design for posts", None, "optional"),
    ("Analytics basics", None, "optional"),
    ("Live streaming", None, "optional"),
    ("Crisis communications", 24, "optional"),
    ("Community engagement", None, "optional"),
    ("Campaign planning", None, "optional"),
]
# (title, days since 1.0 was published, days since 2.0 was, or None; audience directorates: None for everyone)
POLICIES = [
    ("Social media policy", 350, 60, None),
    ("Acceptable use of IT", 320, None, None),
    ("Data protection policy", 290, 20, None),
    ("Code of conduct", 260, None, None),
    ("Pre-election guidance", 230, None, 2),
    ("Photography and filming", 200, None, None),
    ("Personal accounts guidance", 170, None, None),
    ("Handling complaints online", 140, None, 1),
    ("Accessibility statement guidance", 110, None, None),
    ("Records retention", 80, None, 2),
    ("Live events guidance", 45, None, 1),
    ("Artificial intelligence at work", 12, None, None),
]

NOON = datetime.time(12, tzinfo=datetime.UTC)


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, NOON)


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


# --- Figures ------------------------------------------------------------------------


@dataclass
class Measurement(PoliciesMeasurement):
    """One read, run several times (as the policies benchmark measures), and whether it could be measured here."""

    available: bool = True
    note: str = ""

    @property
    def median_ms(self) -> float:
        return self.median_seconds * 1000

    def cell(self) -> str:
        if not self.available or not self.seconds:
            return "n/a"
        queries = str(self.query_count) if self.steady_queries else "/".join(str(q) for q in sorted(set(self.queries)))
        return f"{self.median_ms:,.1f} ({queries})"

    def line(self) -> str:
        if not self.available:
            return f"{self.name}: not measured ({self.note})"
        runs = self.runs_ms()
        steady = "" if self.steady_queries else f" (queries differed between runs: {self.queries})"
        note = f"; {self.note}" if self.note else ""
        return f"{self.name}: runs {runs} ms, median {self.median_ms:,.1f} ms; {self.query_count} queries{steady}{note}"


@dataclass
class ReportsBenchmarkResult:
    people: int
    machine: MachineInfo
    runs: int = RUNS
    departments: int = 0
    teams: int = 0
    services: int = 0
    directorates: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    generate_seconds: float = 0.0
    rebuild_seconds: float = 0.0
    rebuild_queries: int = 0
    standings: int = 0
    tallies: int = 0
    snapshot_rows: int = 0
    snapshots_seconds: float = 0.0
    snapshot_take_seconds: float = 0.0
    analyze_seconds: float | None = None
    rebuild_profile: list[str] = field(default_factory=list)
    service_people: int = 0
    manager_below: int = 0
    dashboard: Measurement = field(default_factory=lambda: Measurement("HR dashboard"))
    department: Measurement = field(default_factory=lambda: Measurement("Department (a service)"))
    manager: Measurement = field(default_factory=lambda: Measurement("Manager's team"))
    person: Measurement = field(default_factory=lambda: Measurement("Person's record"))
    bare: Measurement = field(default_factory=lambda: Measurement("Bare aggregate (SQL over the records)"))
    csv: Measurement = field(default_factory=lambda: Measurement("People CSV, streamed"))
    copy: Measurement = field(default_factory=lambda: Measurement("PostgreSQL COPY of the same rows"))
    csv_bytes: int = 0
    copy_bytes: int = 0
    csv_rss_delta_mb: float | None = None
    csv_tracemalloc_mb: float | None = None
    tallies_checked: int = 0
    tally_mismatches: list[str] = field(default_factory=list)
    rss_mb: dict[str, float] = field(default_factory=dict)
    load_at_start: tuple[float, float, float] | None = None
    load_at_end: tuple[float, float, float] | None = None

    @property
    def pages(self) -> list[Measurement]:
        return [self.dashboard, self.department, self.manager, self.person]

    @property
    def measurements(self) -> list[Measurement]:
        return [*self.pages, self.bare, self.csv, self.copy]

    @property
    def consistent(self) -> bool:
        """The roll-ups agree with the records, and every read ran the same statements each time."""
        return not self.tally_mismatches and all(m.steady_queries for m in self.measurements)

    @property
    def dashboard_vs_bare(self) -> float | None:
        if not (self.dashboard.seconds and self.bare.seconds):
            return None
        return self.bare.median_ms / self.dashboard.median_ms

    @staticmethod
    def _rate(measurement: Measurement) -> float | None:
        if not measurement.seconds:
            return None
        return measurement.rows / statistics.median(measurement.seconds)

    @property
    def csv_rows_per_second(self) -> float | None:
        return self._rate(self.csv)

    @property
    def copy_rows_per_second(self) -> float | None:
        return self._rate(self.copy)

    def row(self) -> str:
        """This size's line of the summary table."""
        ratio = self.dashboard_vs_bare
        peak = "n/a"
        if self.csv_rss_delta_mb is not None:
            traced = "n/a" if self.csv_tracemalloc_mb is None else f"{self.csv_tracemalloc_mb:,.1f}"
            peak = f"{traced} / {self.csv_rss_delta_mb:,.1f}"
        return (
            f"| {self.people:,} | {self.dashboard.cell()} | {self.department.cell()} | {self.manager.cell()} "
            f"| {self.person.cell()} | {self.bare.median_ms:,.1f} | {'n/a' if ratio is None else f'{ratio:,.1f}×'} "
            f"| {_rate(self.csv_rows_per_second)} | {_rate(self.copy_rows_per_second)} | {peak} "
            f"| {self.generate_seconds:,.1f} | {self.rebuild_seconds:,.1f} |"
        )

    def lines(self) -> list[str]:
        """Everything else: the organisation, setup times, each run, memory and the agreement check."""
        analyzed = "not run" if self.analyze_seconds is None else f"{self.analyze_seconds:,.1f} s"
        result = [
            f"Machine: {self.machine.describe()}",
            f"Load average (1/5/15 min): {_load(self.load_at_start)} at the start, "
            f"{_load(self.load_at_end)} at the end",
            f"Organisation: {self.people:,} people; {self.directorates} directorates, {self.services:,} services, "
            f"{self.teams:,} teams",
            "Records: " + ", ".join(f"{name} {count:,}" for name, count in self.rows.items()),
            f"Generating: {self.generate_seconds:,.1f} s",
            f"rollups.rebuild(): {self.rebuild_seconds:,.1f} s, {self.rebuild_queries:,} queries; "
            f"{self.standings:,} standings, {self.tallies:,} tallies",
            f"A year of snapshots written directly: {self.snapshot_rows:,} rows in {self.snapshots_seconds:,.1f} s; "
            f"snapshot_take(today): {self.snapshot_take_seconds:,.2f} s; ANALYZE: {analyzed}",
            f"The service measured has {self.service_people:,} people; the manager {self.manager_below:,} "
            "current staff below them",
        ]
        result += [m.line() for m in self.measurements]
        if self.csv.seconds:
            result.append(
                f"CSV: {self.csv.rows:,} rows, {self.csv_bytes / 1e6:,.1f} MB, "
                f"{_rate(self.csv_rows_per_second)} rows/s; "
                f"RSS rise during a run {self.csv_rss_delta_mb:,.1f} MB; tracemalloc peak (one more, untimed run) "
                + ("not measured" if self.csv_tracemalloc_mb is None else f"{self.csv_tracemalloc_mb:,.1f} MB")
            )
        if self.copy.seconds:
            result.append(
                f"COPY: {self.copy.rows:,} rows, {self.copy_bytes / 1e6:,.1f} MB, {_rate(self.copy_rows_per_second)} "
                "rows/s"
            )
        result.append(
            "Peak RSS so far (ru_maxrss): " + ", ".join(f"{step} {mb:,.0f} MB" for step, mb in self.rss_mb.items())
        )
        agreement = "yes" if not self.tally_mismatches else f"NO ({len(self.tally_mismatches)} differ)"
        result.append(f"Tallies agree with the bare SQL ({self.tallies_checked:,} scope × item rows): {agreement}")
        result += [f"  {line}" for line in self.tally_mismatches[:10]]
        if self.rebuild_profile:
            result.append("Profile of rollups.rebuild() (under cProfile, so slower than the time above):")
            result += [f"  {line}" for line in self.rebuild_profile]
        return result


def _rate(value: float | None) -> str:
    return "n/a" if value is None else f"{value:,.0f}"


TABLE_HEADER = [
    "| People | Dashboard ms (queries) | Department ms (q) | Manager ms (q) | Person ms (q) | Bare aggregate ms "
    "| Dashboard ÷ aggregate | CSV rows/s | COPY rows/s | CSV peak MB (tracemalloc / RSS rise) | Generate s "
    "| Rebuild s |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
]


def summary_table(results: list[ReportsBenchmarkResult]) -> list[str]:
    """One row per size, then how the figures compare with the targets."""
    lines = [*TABLE_HEADER, *(result.row() for result in results)]
    if not results:
        return lines
    largest = max(results, key=lambda r: r.people)
    smallest = min(results, key=lambda r: r.people)
    lines.append("")
    lines.append(f"Targets, at {largest.people:,} people:")
    if largest.dashboard.seconds:
        lines.append(f"- dashboard median ≤ 100 ms: {largest.dashboard.median_ms:,.1f} ms")
        ratio = largest.dashboard_vs_bare
        lines.append(f"- ≥ 3× faster than the bare aggregate: {'n/a' if ratio is None else f'{ratio:,.1f}×'}")
        if smallest is not largest and smallest.dashboard.seconds:
            growth = largest.dashboard.median_ms / smallest.dashboard.median_ms
            lines.append(f"- grows ≤ 1.5× from {smallest.people:,} to {largest.people:,} people: {growth:,.2f}×")
    if largest.csv.seconds:
        lines.append(f"- export ≥ 100,000 rows/s: {_rate(largest.csv_rows_per_second)} rows/s")
        traced = "n/a" if largest.csv_tracemalloc_mb is None else f"{largest.csv_tracemalloc_mb:,.1f}"
        lines.append(
            f"- export under 200 MB: tracemalloc peak {traced} MB, RSS rise {largest.csv_rss_delta_mb:,.1f} MB"
        )
    return lines


# --- Writing rows fast --------------------------------------------------------------


def _insert(model: type[models.Model], names: list[str], rows: Iterable[tuple]) -> int:
    """Rows into ``model``'s table: PostgreSQL's COPY, or plain inserts elsewhere. No signals, no history."""
    fields = [model._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    written = 0
    if connection.vendor == "postgresql":
        json_at = [n for n, f in enumerate(fields) if isinstance(f, models.JSONField)]
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                if json_at:
                    row = list(row)
                    for n in json_at:
                        row[n] = json.dumps(row[n])
                copy.write_row(row)
                written += 1
        return written
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
    batch: list[list] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append([f.get_db_prep_save(value, connection) for f, value in zip(fields, row, strict=True)])
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written


def _next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1


def _sequences_reset(models_written: list[type[models.Model]]) -> None:
    """After writing ids ourselves, new rows made by the application must not collide with them."""
    statements = connection.ops.sequence_reset_sql(no_style(), models_written)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


# --- The organisation ---------------------------------------------------------------


@dataclass
class Person:
    pk: int
    department: int | None
    manager: int | None
    title: str
    start: datetime.date
    is_public_facing: bool
    is_active: bool = True


@dataclass
class Organisation:
    directorates: list[int]
    services: list[int]
    teams: list[int]
    path: dict[int, str]
    directorate_of: dict[int, int]
    people: list[Person]
    hr: int
    member: int
    manager: int
    manager_below: int
    service: int
    service_people: int


def _shape(count: int) -> tuple[int, int, int]:
    """Directorates, services and teams for ``count`` people: teams of about 12, services of about 6 teams."""
    directorates = 4 if count < 5_000 else 6 if count < 50_000 else 8
    teams = max(1, round(count / TEAM_SIZE))
    services = max(directorates, math.ceil(teams / TEAMS_PER_SERVICE))
    return directorates, services, max(teams, services)


def _departments(count: int) -> tuple[list[int], list[int], list[int], dict[int, str], dict[int, int], dict[int, int]]:
    """The department tree, written with ids chosen here; returns ids, paths and parents."""
    n_directorates, n_services, n_teams = _shape(count)
    next_id = _next_id(Department)
    now = timezone.now()
    rows = []
    path: dict[int, str] = {}
    parent_of: dict[int, int] = {}
    directorate_of: dict[int, int] = {}

    def add(name: str, parent: int | None) -> int:
        nonlocal next_id
        pk = next_id
        next_id += 1
        path[pk] = f"{path[parent] if parent else '/'}{pk}/"
        if parent:
            parent_of[pk] = parent
        directorate_of[pk] = directorate_of[parent] if parent else pk
        rows.append((pk, name, parent, path[pk], path[pk].count("/") - 2, now))
        return pk

    directorates = [add(DIRECTORATES[d], None) for d in range(n_directorates)]
    services = []
    for s in range(n_services):
        directorate = directorates[s * n_directorates // n_services]
        round_, name = divmod(s, len(SERVICES))
        services.append(add(SERVICES[name] + (f" {round_ + 1}" if round_ else ""), directorate))
    teams = [add(f"Team {t + 1}", services[t * n_services // n_teams]) for t in range(n_teams)]
    _insert(Department, ["id", "name", "parent", "path", "depth", "updated_at"], rows)
    return directorates, services, teams, path, parent_of, directorate_of


USER_FIELDS = ["id", "password", "is_superuser", "email", "first_name", "last_name", "job_title", "department",
               "line_manager", "start_date", "leaving_date", "is_public_facing", "is_active", "is_staff",
               "date_joined", "updated_at"]  # fmt: skip


def organisation_generate(count: int, *, today: datetime.date, rng: random.Random) -> Organisation:
    """Departments and ``count`` people, line managed as a tree; the people are written here."""
    directorates, services, teams, path, parent_of, directorate_of = _departments(count)
    first_id = _next_id(User)
    people: list[Person] = []

    def add(department: int | None, manager: int | None, title: str) -> Person:
        # One in twelve is a new starter.
        start = today - _days(rng.randint(0, 200) if rng.random() < 0.08 else rng.randint(200, 3650))
        person = Person(first_id + len(people), department, manager, title, start, rng.random() < 0.3)
        people.append(person)
        return person

    chief = add(directorates[0], None, "Chief executive")
    director = {d: add(d, chief.pk, "Director") for d in directorates}
    head = {s: add(s, None, "Head of service") for s in services}
    # Heads of service in groups of FAN_OUT under assistant directors, and so on up to their director.
    for d in directorates:
        level = [head[s] for s in services if parent_of[s] == d]
        while len(level) > FAN_OUT:
            above = []
            for first in range(0, len(level), FAN_OUT):
                assistant = add(d, None, "Assistant director")
                for person in level[first : first + FAN_OUT]:
                    person.manager = assistant.pk
                above.append(assistant)
            level = above
        for person in level:
            person.manager = director[d].pk
    leader = {t: add(t, head[parent_of[t]].pk, "Team leader") for t in teams}
    members = []
    for _ in range(max(0, count - len(people))):
        if rng.random() < 0.01:
            members.append(add(None, None, "Agency officer"))  # on nobody's establishment yet
            continue
        team = teams[rng.randrange(len(teams))]
        member = add(team, leader[team].pk, "Officer")
        member.is_active = rng.random() >= 0.02  # leavers keep their records but count nowhere
        members.append(member)

    by_pk = {person.pk: person for person in people}
    below: Counter = Counter()
    for person in people:
        if not person.is_active:
            continue
        manager = person.manager
        while manager is not None:
            below[manager] += 1
            manager = by_pk[manager].manager
    candidates = [pk for pk in below if pk != chief.pk] or [chief.pk]
    manager = min(candidates, key=lambda pk: (abs(below[pk] - MANAGER_BELOW), pk))
    hr_teams = {t for t in teams if parent_of[t] == services[0]}
    current = [m for m in members if m.is_active and m.department is not None]
    hr = next((m for m in current if m.department in hr_teams), head[services[0]])
    member = current[len(current) // 2] if current else chief
    service_people = sum(
        1 for p in people if p.is_active and p.department and path[p.department].startswith(path[services[0]])
    )

    # An unusable password: nobody signs in with one here.
    unusable = "!" + "benchmark"
    now = timezone.now()
    rows = (
        (p.pk, unusable, False, f"person{n}@{EMAIL_DOMAIN}", FIRST_NAMES[n % len(FIRST_NAMES)],
         f"{LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)]}{n}", p.title, p.department, p.manager, p.start,
         None if p.is_active else max(p.start, today - _days(1 + n % 200)), p.is_public_facing, p.is_active,
         False, _at(p.start), now)
        for n, p in enumerate(people)
    )  # fmt: skip
    _insert(User, USER_FIELDS, rows)
    _sequences_reset([Department, User])
    return Organisation(
        directorates=directorates,
        services=services,
        teams=teams,
        path=path,
        directorate_of=directorate_of,
        people=people,
        hr=hr.pk,
        member=member.pk,
        manager=manager,
        manager_below=below[manager],
        service=services[0],
        service_people=service_people,
    )


# --- Courses, policies and a year of records ----------------------------------------


@dataclass
class CourseSpec:
    pk: int
    refresher_days: int | None
    audience: str
    directorates: frozenset[int]
    lessons: list[int]


@dataclass
class PolicySpec:
    pk: int
    # (version id, published on), oldest first; the last is current.
    versions: list[tuple[int, datetime.date]]
    directorates: frozenset[int] | None
    within_days: int


def _courses(org: Organisation, rng: random.Random) -> list[CourseSpec]:
    created = Course.objects.bulk_create(
        [
            Course(
                title=title,
                slug=f"course-{n + 1}",
                summary=f"{title}: what you need to know.",
                is_for_everyone=audience == "everyone",
                is_for_public_facing=audience == "public",
                refresher_months=months,
                due_within_days=28,
            )
            for n, (title, months, audience) in enumerate(COURSES)
        ]
    )
    specs = []
    lessons = []
    through = []
    for course, (_, months, audience) in zip(created, COURSES, strict=True):
        chosen = frozenset()
        if audience == "directorates":
            chosen = frozenset(rng.sample(org.directorates, k=min(len(org.directorates), rng.randint(1, 2))))
            through += [
                Course.audience_departments.through(course_id=course.pk, department_id=d) for d in sorted(chosen)
            ]
        for order in range(1, rng.randint(3, 5) + 1):
            lessons.append(Lesson(course=course, order=order, title=f"Part {order}", body="Read this part."))
        specs.append(CourseSpec(course.pk, months * 365 // 12 if months else None, audience, chosen, []))
    Course.audience_departments.through.objects.bulk_create(through)
    by_course = {spec.pk: spec for spec in specs}
    for lesson in Lesson.objects.bulk_create(lessons):
        by_course[lesson.course_id].lessons.append(lesson.pk)
    return specs


def _policies(org: Organisation, today: datetime.date, rng: random.Random) -> list[PolicySpec]:
    owner = org.hr
    documents = Document.objects.bulk_create(
        [
            Document(
                title=title,
                slug=f"policy-{n + 1}",
                summary=f"{title}, in one sentence.",
                owner_id=owner,
                is_for_everyone=audience is None,
                acknowledge_within_days=14 if n % 2 else 28,
            )
            for n, (title, _, _, audience) in enumerate(POLICIES)
        ]
    )
    versions = []
    for document, (title, first_age, second_age, _) in zip(documents, POLICIES, strict=True):
        ages = [first_age] + ([second_age] if second_age else [])
        for major, age in enumerate(ages, start=1):
            published = _at(today - _days(age))
            current = major == len(ages)
            versions.append(
                DocumentVersion(
                    document=document,
                    status=DocumentVersion.Status.PUBLISHED if current else DocumentVersion.Status.SUPERSEDED,
                    major=major,
                    minor=0,
                    what_changed="" if major == 1 else "New rules on what you may share.",
                    body=f"# {title}\n\nWhat we expect of everyone.",
                    author_id=owner,
                    updated_by_id=owner,
                    approver_id=org.manager,
                    published_at=published,
                    published_by_id=org.manager,
                    ended_at=None if current else _at(today - _days(ages[major])),
                )
            )
    versions = DocumentVersion.objects.bulk_create(versions)
    specs = []
    through = []
    for document, (_, _, _, audience) in zip(documents, POLICIES, strict=True):
        mine = [v for v in versions if v.document_id == document.pk]
        Document.objects.filter(pk=document.pk).update(current_version=mine[-1])
        chosen = None
        if audience:
            chosen = frozenset(rng.sample(org.directorates, k=min(audience, len(org.directorates))))
            through += [
                Document.audience_departments.through(document_id=document.pk, department_id=d) for d in sorted(chosen)
            ]
        specs.append(
            PolicySpec(
                document.pk,
                [(v.pk, timezone.localdate(v.published_at)) for v in mine],
                chosen,
                document.acknowledge_within_days,
            )
        )
    Document.audience_departments.through.objects.bulk_create(through)
    return specs


@dataclass
class Records:
    completions: list[tuple] = field(default_factory=list)
    assignments: list[tuple] = field(default_factory=list)
    progress: list[tuple] = field(default_factory=list)
    acknowledgements: list[tuple] = field(default_factory=list)
    licences: list[tuple] = field(default_factory=list)


COMPLETION_FIELDS = ["id", "person", "course", "completed_at", "expires_on", "certificate_number", "lesson_versions"]
ASSIGNMENT_FIELDS = ["person", "course", "source", "status", "due_on", "assigned_at", "completion", "closed_at",
                     "reason", "updated_at"]  # fmt: skip
PROGRESS_FIELDS = ["person", "lesson", "lesson_version", "read_at"]
ACKNOWLEDGEMENT_FIELDS = ["version", "person", "kind", "acknowledged_at", "recorded_by", "reason"]
LICENCE_FIELDS = ["person", "granted_at", "expires_on", "lapsed_at", "lapse_reason", "updated_at"]


class History:
    """A year of one organisation's compliance records, person by person."""

    def __init__(self, org, courses, policies, today, rng, hr):
        self.org = org
        self.courses = courses
        self.policies = policies
        self.today = today
        self.rng = rng
        self.hr = hr
        self.completion_id = _next_id(Completion)
        self.now = timezone.now()

    def _completion(self, out: Records, person: Person, course: CourseSpec, day: datetime.date) -> int:
        pk = self.completion_id
        self.completion_id += 1
        expires = day + _days(course.refresher_days) if course.refresher_days else None
        out.completions.append((pk, person.pk, course.pk, _at(day), expires, f"SG-BM{pk:010d}", {}))
        return pk

    def _assignment(self, out, person, course, *, on, status="open", completion=None, closed=None, source="rule"):
        reason = "Does not post for the organisation." if status == "exempt" else ""
        out.assignments.append(
            (person.pk, course.pk, source, status, on + _days(28), _at(on), completion, closed, reason, self.now)
        )

    def _read(self, out: Records, person: Person, course: CourseSpec, on: datetime.date) -> None:
        for lesson in course.lessons[: self.rng.randint(1, len(course.lessons) - 1)]:
            out.progress.append((person.pk, lesson, 1, _at(on)))

    def course(self, out: Records, person: Person, course: CourseSpec) -> None:
        rng, today = self.rng, self.today
        served = max(1, (today - person.start).days)
        r = rng.random()
        if course.audience == "optional" and r >= 0.5:
            r = 0.6 + (r - 0.5) * 0.5  # optional courses are never exempted or left unassigned
        if r < 0.5:  # done, and still current (some about to expire)
            limit = course.refresher_days - 1 if course.refresher_days else 700
            day = today - _days(rng.randint(1, max(1, min(limit, served))))
            completion = self._completion(out, person, course, day)
            if course.audience != "optional":
                on = day - _days(rng.randint(1, 25))
                self._assignment(out, person, course, on=on, status="completed", completion=completion, closed=_at(day))
        elif r < 0.58 and course.refresher_days:  # done once, now expired; usually a refresher is open
            day = today - _days(course.refresher_days + rng.randint(1, 200))
            completion = self._completion(out, person, course, day)
            on = day - _days(rng.randint(1, 25))
            self._assignment(out, person, course, on=on, status="completed", completion=completion, closed=_at(day))
            if rng.random() < 0.6:
                expires = day + _days(course.refresher_days)
                self._assignment(out, person, course, on=expires - _days(28), source="refresher")
        elif r < 0.7:  # assigned lately, due in the weeks ahead
            on = today - _days(rng.randint(0, 27))
            self._assignment(out, person, course, on=on)
            if rng.random() < 0.4:
                self._read(out, person, course, today)
        elif r < 0.85:  # overdue
            on = today - _days(rng.randint(29, 330))
            self._assignment(out, person, course, on=on)
            if rng.random() < 0.3:
                self._read(out, person, course, on + _days(3))
        elif r < 0.9:
            on = today - _days(rng.randint(5, 300))
            self._assignment(out, person, course, on=on, status="exempt", closed=_at(on + _days(3)))
        # else: not assigned yet

    def policy(self, out: Records, person: Person, policy: PolicySpec) -> None:
        rng, today = self.rng, self.today
        for number, (version, published) in enumerate(policy.versions, start=1):
            current = number == len(policy.versions)
            age = (today - published).days
            chance = 0.9 if not current or age > 60 else 0.75 if age > 20 else 0.4
            if rng.random() >= chance:
                continue
            begins = max(published, person.start)
            day = min(today, begins + _days(rng.randint(0, 40)))
            kind, by, reason = "read", None, ""
            r = rng.random()
            if r < 0.02:
                kind, by, reason = "exempt", self.hr, "On long-term leave."
            elif r < 0.05:
                kind, by, reason = "on_behalf", self.hr, "Signed a paper copy at a team briefing."
            out.acknowledgements.append((version, person.pk, kind, _at(day), by, reason))

    def licence(self, out: Records, person: Person) -> None:
        rng, today = self.rng, self.today
        r = rng.random()

        def grant(day: datetime.date, *, lapsed: bool) -> None:
            expires = day + _days(365)
            lapsed_at = _at(expires) if lapsed else None
            out.licences.append((person.pk, _at(day), expires, lapsed_at, "Expired" if lapsed else "", self.now))

        if r < 0.5:  # in force (some expiring within the month)
            grant(today - _days(rng.randint(1, 364)), lapsed=False)
        elif r < 0.6:  # lapsed once, granted again
            grant(today - _days(rng.randint(400, 700)), lapsed=True)
            grant(today - _days(rng.randint(1, 30)), lapsed=False)
        elif r < 0.7:
            grant(today - _days(rng.randint(400, 700)), lapsed=True)
        elif r < 0.75:  # expired, not yet marked as lapsed
            grant(today - _days(rng.randint(366, 400)), lapsed=False)
        # else: never held one

    def write(self, people: list[Person]) -> Counter:
        """Every record of these people, table by table in the order their keys need."""
        out = Records()
        for person in people:
            directorate = self.org.directorate_of.get(person.department) if person.department else None
            for course in self.courses:
                if course.audience == "directorates" and directorate not in course.directorates:
                    continue
                if course.audience == "public" and not person.is_public_facing:
                    continue
                if course.audience == "optional" and self.rng.random() >= 0.12:
                    continue
                self.course(out, person, course)
            for policy in self.policies:
                if policy.directorates is None or directorate in policy.directorates:
                    self.policy(out, person, policy)
            self.licence(out, person)
        return Counter(
            {
                "completions": _insert(Completion, COMPLETION_FIELDS, out.completions),
                "assignments": _insert(Assignment, ASSIGNMENT_FIELDS, out.assignments),
                "lessons read": _insert(LessonProgress, PROGRESS_FIELDS, out.progress),
                "acknowledgements": _insert(Acknowledgement, ACKNOWLEDGEMENT_FIELDS, out.acknowledgements),
                "licences": _insert(Licence, LICENCE_FIELDS, out.licences),
            }
        )


def history_generate(
    org: Organisation, *, today: datetime.date, rng: random.Random, progress: Progress
) -> dict[str, int]:
    """Courses, policies, the HR officer's role, and a year of everyone's records, written chunk by chunk."""
    courses = _courses(org, rng)
    policies = _policies(org, today, rng)
    hr = Group.objects.get(name=Role.HR)
    User.groups.through.objects.create(user_id=org.hr, group_id=hr.pk)
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(User.objects.get(pk=org.hr), "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    history = History(org, courses, policies, today, rng, org.hr)
    written: Counter = Counter()
    for first in range(0, len(org.people), CHUNK):
        written += history.write(org.people[first : first + CHUNK])
        progress(f"  records of {min(first + CHUNK, len(org.people)):,} of {len(org.people):,} people")
    _sequences_reset([Completion])
    return {"people": len(org.people), **written}


# --- The bare aggregate -------------------------------------------------------------


def _date_of(sql: str) -> str:
    """SQL for the local date of a timestamp column, as Django works it out (the zone written in, not a parameter)."""
    fragment, params = connection.ops.datetime_cast_date_sql(sql, (), settings.TIME_ZONE)
    for param in params:
        if not all(c.isalnum() or c in "/_+-" for c in str(param)):
            raise ValueError(f"Unexpected time zone name: {param}")
        fragment = fragment.replace("%s", f"'{param}'", 1)
    return fragment


def _plus_days(date_sql: str, days_sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"({date_sql} + {days_sql})"
    return f"date({date_sql}, '+' || {days_sql} || ' days')"


def _group_expression(by: str) -> str:
    """The whole path (a person's own department), or its first step (their directorate)."""
    if by == "department":
        return "path"
    position = "strpos" if connection.vendor == "postgresql" else "instr"
    return f"substr(path, 1, {position}(substr(path, 2), '/') + 1)"


def bare_sql(by: str) -> str:
    """Where everyone stands on every course, policy and the licence, counted per group, straight from the records.

    The rules are the roll-ups' own (``rollups.standings_compute``), written as one statement: the latest
    assignment and completion of each course, lessons read, acknowledgements of the current major version
    of each document in the person's audience, the latest licence.
    """
    q = connection.ops.quote_name
    published_on = _date_of("d.first_published")
    begins = (
        "CASE WHEN u.start_date IS NOT NULL AND u.start_date > d.published_on THEN u.start_date ELSE d.published_on END"
    )
    return f"""
WITH active AS (
  SELECT u.id, u.start_date, u.is_public_facing, COALESCE(p.path, '') AS path
  FROM {q(User._meta.db_table)} u LEFT JOIN {q(Department._meta.db_table)} p ON p.id = u.department_id
  WHERE u.is_active = %(yes)s
),
ranked_assignments AS (
  SELECT a.person_id, a.course_id, a.status, a.due_on,
         ROW_NUMBER() OVER (PARTITION BY a.person_id, a.course_id ORDER BY a.assigned_at DESC, a.id DESC) AS n
  FROM training_assignment a JOIN training_course c ON c.id = a.course_id
  WHERE c.is_published = %(yes)s
),
latest_assignments AS (
  SELECT person_id, course_id, status, due_on FROM ranked_assignments WHERE n = 1 AND status <> 'withdrawn'
),
ranked_completions AS (
  SELECT m.person_id, m.course_id, m.expires_on,
         ROW_NUMBER() OVER (PARTITION BY m.person_id, m.course_id ORDER BY m.completed_at DESC, m.id DESC) AS n
  FROM training_completion m JOIN training_course c ON c.id = m.course_id
  WHERE c.is_published = %(yes)s
),
latest_completions AS (SELECT person_id, course_id, expires_on FROM ranked_completions WHERE n = 1),
pairs AS (
  SELECT person_id, course_id FROM latest_assignments UNION SELECT person_id, course_id FROM latest_completions
),
started AS (
  SELECT DISTINCT r.person_id, l.course_id FROM training_lessonprogress r JOIN training_lesson l ON l.id = r.lesson_id
),
courses AS (
  SELECT u.path, 'course' AS kind, pr.course_id AS item_id,
    CASE
      WHEN a.status = 'exempt' THEN 'exempt'
      WHEN m.person_id IS NOT NULL AND (m.expires_on IS NULL OR m.expires_on > %(today)s) THEN
        CASE WHEN m.expires_on IS NOT NULL AND m.expires_on <= %(soon)s THEN 'expiring' ELSE 'complete' END
      WHEN a.status = 'open' THEN
        CASE WHEN a.due_on < %(today)s THEN 'overdue' WHEN s.person_id IS NOT NULL THEN 'in_progress'
             ELSE 'not_started' END
      WHEN m.person_id IS NOT NULL THEN 'expired'
      ELSE 'complete'
    END AS status
  FROM pairs pr
  JOIN active u ON u.id = pr.person_id
  LEFT JOIN latest_assignments a ON a.person_id = pr.person_id AND a.course_id = pr.course_id
  LEFT JOIN latest_completions m ON m.person_id = pr.person_id AND m.course_id = pr.course_id
  LEFT JOIN started s ON s.person_id = pr.person_id AND s.course_id = pr.course_id
),
documents AS (
  SELECT d.id, d.is_for_everyone, d.is_for_public_facing, d.acknowledge_within_days AS within, v.major,
         (SELECT MIN(f.published_at) FROM policies_documentversion f
          WHERE f.document_id = d.id AND f.major = v.major) AS first_published
  FROM policies_document d JOIN policies_documentversion v ON v.id = d.current_version_id
  WHERE d.requires_acknowledgement = %(yes)s AND d.is_retired = %(no)s
),
dated AS (
  SELECT d.id, d.is_for_everyone, d.is_for_public_facing, d.within, d.major, {published_on} AS published_on
  FROM documents d
),
acknowledged AS (
  SELECT k.person_id, v.document_id, MAX(CASE WHEN k.kind = 'exempt' THEN 1 ELSE 0 END) AS exempt
  FROM policies_acknowledgement k
  JOIN policies_documentversion v ON v.id = k.version_id
  JOIN dated d ON d.id = v.document_id AND d.major = v.major
  GROUP BY k.person_id, v.document_id
),
audience AS (
  SELECT u.id AS person_id, d.id AS document_id FROM active u CROSS JOIN dated d WHERE d.is_for_everyone = %(yes)s
  UNION
  SELECT u.id, d.id FROM active u JOIN dated d ON d.is_for_public_facing = %(yes)s AND u.is_public_facing = %(yes)s
  UNION
  SELECT u.id, ad.document_id FROM policies_document_audience_departments ad
  JOIN {q(Department._meta.db_table)} t ON t.id = ad.department_id
  JOIN active u ON u.path LIKE t.path || '%%'
  UNION
  SELECT g.user_id, ar.document_id FROM policies_document_audience_roles ar
  JOIN people_user_groups g ON g.group_id = ar.group_id
),
policies AS (
  SELECT u.path, 'policy' AS kind, d.id AS item_id,
    CASE
      WHEN k.person_id IS NOT NULL THEN CASE WHEN k.exempt = 1 THEN 'exempt' ELSE 'complete' END
      WHEN {_plus_days(begins, "d.within")} < %(today)s THEN 'overdue'
      ELSE 'not_started'
    END AS status
  FROM audience a
  JOIN active u ON u.id = a.person_id
  JOIN dated d ON d.id = a.document_id
  LEFT JOIN acknowledged k ON k.person_id = a.person_id AND k.document_id = a.document_id
),
ranked_licences AS (
  SELECT l.person_id, l.expires_on, l.lapsed_at,
         ROW_NUMBER() OVER (PARTITION BY l.person_id ORDER BY l.granted_at DESC, l.id DESC) AS n
  FROM training_licence l
),
licences AS (
  SELECT u.path, 'licence' AS kind, 0 AS item_id,
    CASE
      WHEN l.person_id IS NULL THEN 'not_started'
      WHEN l.lapsed_at IS NULL AND l.expires_on >= %(today)s THEN
        CASE WHEN l.expires_on <= %(soon)s THEN 'expiring' ELSE 'complete' END
      ELSE 'expired'
    END AS status
  FROM active u LEFT JOIN ranked_licences l ON l.person_id = u.id AND l.n = 1
),
standings AS (
  SELECT path, kind, item_id, status FROM courses
  UNION ALL SELECT path, kind, item_id, status FROM policies
  UNION ALL SELECT path, kind, item_id, status FROM licences
)
SELECT {_group_expression(by)} AS grp, kind, item_id, status, COUNT(*) FROM standings GROUP BY 1, 2, 3, 4
"""  # noqa: S608 - table names from model metadata, values as parameters


def bare_counts(*, today: datetime.date, by: str = "department") -> Counter:
    """{(group path, kind, item, status): people}, grouped by each person's department or directorate."""
    soon = today + datetime.timedelta(days=settings.REPORTS_EXPIRING_SOON_DAYS)
    params = {
        "yes": True,
        "no": False,
        "today": connection.ops.adapt_datefield_value(today),
        "soon": connection.ops.adapt_datefield_value(soon),
    }
    counts: Counter = Counter()
    with connection.cursor() as cursor:
        cursor.execute(bare_sql(by), params)
        for group, kind, item_id, status, n in cursor.fetchall():
            counts[(group or "", kind, int(item_id), status)] += n
    return counts


def tallies_compare(expected_by_department: Counter) -> tuple[int, list[str]]:
    """Every tally against the bare SQL's counts rolled up to each department and above: the differences."""
    expected: dict[tuple[str, str, int], Counter] = defaultdict(Counter)
    for (path, kind, item_id, status), n in expected_by_department.items():
        for scope in rollups.scopes_of(path):
            expected[(scope, kind, item_id)][status] += n
    stored = {}
    names = list(COUNT_FIELDS.values())
    for scope, kind, item_id, *counts in Tally.objects.values_list("scope", "kind", "item_id", *names).iterator():
        stored[(scope, kind, item_id)] = +Counter(dict(zip(names, counts, strict=True)))
    mismatches = []
    for key in sorted(expected.keys() | stored.keys()):
        want, have = +expected.get(key, Counter()), stored.get(key, Counter())
        if want != have:
            mismatches.append(f"{key}: records say {dict(want)}, tally says {dict(have)}")
    return len(expected.keys() | stored.keys()), mismatches


# --- Snapshots ----------------------------------------------------------------------


def snapshots_generate(*, today: datetime.date, days: int = HISTORY_DAYS) -> int:
    """A year of daily snapshots before today, from today's tallies, compliance rising towards today.

    Written in one statement: for each day back, a share of the compliant (a quarter a year ago, with a
    weekly wobble) is moved to overdue and not started. Totals stay as they are.
    """
    q = connection.ops.quote_name
    counts = list(COUNT_FIELDS.values())
    day = "CAST(%(today)s AS date) - n" if connection.vendor == "postgresql" else "date(%(today)s, '-' || n || ' days')"
    moved = "(complete * n / 1460 + complete * (n %% 7) / 700)"
    shifted = {name: name for name in counts}
    shifted["complete"] = f"complete - {moved}"
    shifted["overdue"] = f"overdue + {moved} - {moved} / 3"
    shifted["not_started"] = f"not_started + {moved} / 3"
    summed = ", ".join(f"SUM({name}) AS {name}" for name in counts)
    plain = ", ".join(counts)
    sql = f"""
WITH RECURSIVE back(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM back WHERE n < %(days)s),
latest AS (
  SELECT scope, kind, 0 AS item_id, {summed} FROM {q(Tally._meta.db_table)} GROUP BY scope, kind
  UNION ALL
  SELECT scope, kind, item_id, {plain} FROM {q(Tally._meta.db_table)} WHERE scope = '' AND kind <> %(licence)s
)
INSERT INTO {q(Snapshot._meta.db_table)} (day, scope, kind, item_id, {plain})
SELECT {day}, scope, kind, item_id, {", ".join(shifted[name] for name in counts)} FROM latest CROSS JOIN back
"""  # noqa: S608 - table names from model metadata
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            {"today": connection.ops.adapt_datefield_value(today), "days": days, "licence": Kind.LICENCE.value},
        )
    # SQLite does not count the rows of an INSERT that starts with WITH.
    return Snapshot.objects.filter(day__lt=today).count()


# --- Measuring ----------------------------------------------------------------------


def _rss_mb() -> float:
    """The process's resident set size now (not its peak), from /proc; 0 where there is none."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    import resource

    return pages * resource.getpagesize() / (1024 * 1024)


def _measure(measurement: Measurement, read: Callable[[], Any], runs: int, say: Progress, *, warm: bool = True):
    """Run ``read`` (after one untimed warm-up) ``runs`` times, timing it and counting its statements."""
    value = None
    try:
        if warm:
            read()
        for _ in range(runs):
            counter = QueryCounter()
            with heartbeat(say, measurement.name, counter), connection.execute_wrapper(counter):
                started = time.perf_counter()
                value = read()
                measurement.seconds.append(time.perf_counter() - started)
            measurement.queries.append(counter.count)
    except NoReverseMatch as error:
        measurement.available = False
        measurement.note = f"no such page yet: {error}"
        say(f"  {measurement.name}: {measurement.note}")
        return None
    say(f"  {measurement.name}: median {measurement.median_ms:,.1f} ms, {measurement.query_count} queries")
    return value


def _page(client: Client, name: str, *args, **query) -> Callable[[], int]:
    """A GET of a report page; it must answer 200. Returns the size of the page."""

    def read() -> int:
        response = client.get(reverse(name, args=args), query, secure=True)
        if response.status_code != 200:
            raise RuntimeError(f"{name} answered {response.status_code}")
        return len(response.content)

    return read


@dataclass
class Streamed:
    rows: int = 0
    bytes: int = 0
    rss_rise_mb: float = 0.0


def _stream(client: Client, name: str, **query) -> Streamed:
    """A CSV download read to the end, as a browser would: rows (not the heading), bytes, and the rise in RSS."""
    baseline = _rss_mb()
    highest = baseline
    found = Streamed()
    response = client.get(reverse(name), query, secure=True)
    if response.status_code != 200 or not response.streaming:
        raise RuntimeError(f"{name} answered {response.status_code} (streaming: {response.streaming})")
    lines = 0
    for n, chunk in enumerate(response.streaming_content):
        found.bytes += len(chunk)
        lines += chunk.count(b"\n")
        if n % 200 == 0:
            highest = max(highest, _rss_mb())
    found.rows = max(lines - 1, 0)
    found.rss_rise_mb = max(highest, _rss_mb()) - baseline
    return found


def export_copy_sql() -> str:
    """The people CSV's columns, row for row, as one SELECT for PostgreSQL's COPY."""
    labels = " ".join(f"WHEN '{status.value}' THEN '{status.label}'" for status in Status)
    return f"""
SELECT u.first_name, u.last_name, u.email, u.employee_number, d.name,
       CASE s.kind WHEN 'course' THEN c.title WHEN 'policy' THEN p.title ELSE 'Posting licence' END,
       CASE s.status {labels} END, s.due_on, s.done_on, s.expires_on
FROM reports_standing s
JOIN people_user u ON u.id = s.person_id
LEFT JOIN people_department d ON d.id = u.department_id
LEFT JOIN training_course c ON s.kind = 'course' AND c.id = s.item_id
LEFT JOIN policies_document p ON s.kind = 'policy' AND p.id = s.item_id
ORDER BY s.id
"""  # noqa: S608 - fixed text


def _copy_out() -> Streamed:
    """PostgreSQL writing the export's rows as CSV itself, read to the end."""
    found = Streamed()
    lines = 0
    with connection.cursor() as cursor:
        query = f"COPY ({export_copy_sql()}) TO STDOUT WITH (FORMAT csv, HEADER true)"
        with cursor.cursor.copy(query) as copy:
            for data in copy:
                found.bytes += len(data)
                lines += bytes(data).count(b"\n")
    found.rows = max(lines - 1, 0)
    return found


@contextmanager
def _profiled(enabled: bool, lines: list[str], top: int = 25) -> Iterator[None]:
    if not enabled:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).strip_dirs().sort_stats(order).print_stats(top)
            lines.append(f"--- by {order} ---")
            lines += [line for line in out.getvalue().splitlines() if line.strip()]


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run_reports_benchmark(
    *, people: int, runs: int = RUNS, profile: bool = False, progress: Progress | None = None
) -> ReportsBenchmarkResult:
    """Fill the current, empty database with an organisation and a year of records; time the reports."""
    say = progress or logger.info
    if people < 1:
        raise ValueError("The benchmark needs at least one person.")
    if User.objects.exists():
        raise BenchmarkRefused("This database already has people in it; the benchmark only runs on an empty one.")
    today = timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 - made-up records, not secrets
    result = ReportsBenchmarkResult(people=people, machine=machine_info(), runs=runs, load_at_start=load_average())
    say(f"Database: {result.machine.database_vendor} {result.machine.database_version}; today {today}")

    with override_settings(DEBUG=False, ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
        say(f"Generating an organisation of {people:,} and a year of records …")
        started = time.perf_counter()
        org = organisation_generate(people, today=today, rng=rng)
        result.directorates, result.services, result.teams = len(org.directorates), len(org.services), len(org.teams)
        result.departments = len(org.path)
        result.rows = history_generate(org, today=today, rng=rng, progress=say)
        result.generate_seconds = time.perf_counter() - started
        result.service_people, result.manager_below = org.service_people, org.manager_below
        result.rss_mb["after generating"] = peak_rss_mb()
        say(f"  generated in {result.generate_seconds:,.1f} s: {result.rows}")

        say("rollups.rebuild() …")
        counter = QueryCounter()
        with (
            heartbeat(say, "rebuild", counter),
            connection.execute_wrapper(counter),
            _profiled(profile, result.rebuild_profile),
        ):
            started = time.perf_counter()
            rollups.rebuild(today=today)
            result.rebuild_seconds = time.perf_counter() - started
        result.rebuild_queries = counter.count
        result.standings, result.tallies = Standing.objects.count(), Tally.objects.count()
        result.rss_mb["after rebuild"] = peak_rss_mb()
        say(f"  {result.standings:,} standings, {result.tallies:,} tallies in {result.rebuild_seconds:,.1f} s")

        say("A year of snapshots …")
        started = time.perf_counter()
        result.snapshot_rows = snapshots_generate(today=today)
        result.snapshots_seconds = time.perf_counter() - started
        started = time.perf_counter()
        result.snapshot_rows += rollups.snapshot_take(today)
        result.snapshot_take_seconds = time.perf_counter() - started
        if connection.vendor == "postgresql":
            started = time.perf_counter()
            _analyze()
            result.analyze_seconds = time.perf_counter() - started

        say("Measuring …")
        hr, manager = Client(), Client()
        hr.force_login(User.objects.get(pk=org.hr))
        manager.force_login(User.objects.get(pk=org.manager))
        _measure(result.dashboard, _page(hr, "reports:dashboard"), runs, say)
        _measure(result.department, _page(hr, "reports:department", org.service), runs, say)
        _measure(result.manager, _page(manager, "reports:team"), runs, say)
        _measure(result.person, _page(hr, "reports:person", org.member), runs, say)

        def bare() -> int:
            counts = bare_counts(today=today, by="directorate")
            # The organisation's own line, as the dashboard shows it: every directorate's counts together.
            whole: Counter = Counter()
            for (_, kind, item_id, status), n in counts.items():
                whole[(kind, item_id, status)] += n
            return len(counts)

        _measure(result.bare, bare, runs, say, warm=False)
        result.bare.note = "grouped by directorate, the dashboard's lines"
        result.rss_mb["after the pages"] = peak_rss_mb()

        found = _measure(result.csv, lambda: _stream(hr, "reports:people", format="csv"), runs, say)
        if found is not None:
            result.csv.rows, result.csv_bytes = found.rows, found.bytes
            result.csv_rss_delta_mb = found.rss_rise_mb
            was_tracing = tracemalloc.is_tracing()
            if not was_tracing:
                tracemalloc.start()
            tracemalloc.reset_peak()
            baseline = tracemalloc.get_traced_memory()[0]
            try:
                _stream(hr, "reports:people", format="csv")
                result.csv_tracemalloc_mb = (tracemalloc.get_traced_memory()[1] - baseline) / (1024 * 1024)
            finally:
                if not was_tracing:
                    tracemalloc.stop()
        result.rss_mb["after the CSV"] = peak_rss_mb()

        if connection.vendor == "postgresql":
            copied = _measure(result.copy, _copy_out, runs, say, warm=False)
            result.copy.rows, result.copy_bytes = copied.rows, copied.bytes
        else:
            result.copy.available = False
            result.copy.note = "PostgreSQL only"
        result.load_at_end = load_average()

        # Last, so the memory it takes does not colour the figures above.
        say("Checking the tallies against the records …")
        result.tallies_checked, result.tally_mismatches = tallies_compare(bare_counts(today=today, by="department"))
        say(f"  {result.tallies_checked:,} compared, {len(result.tally_mismatches)} differ")
        result.rss_mb["after the check"] = peak_rss_mb()

    if result.tally_mismatches:
        logger.warning("Tallies differ from the records: %s", result.tally_mismatches[:5])
    return result
