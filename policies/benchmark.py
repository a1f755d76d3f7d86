"""Measuring the policies app's reads at the size of a large organisation.

``run_policies_benchmark`` fills the *current* database with generated staff
(with ``generate_people``, as the reminders benchmark does), publishes one
policy for everyone through the services, records that 60% of the staff have
acknowledged it, and then times the reads whose cost grows with the number of
people. Like the reminders benchmark it refuses a database that already has
people in it: the ``policies_benchmark`` command runs it on a throwaway
database it creates and destroys, and the test suite runs it on its own test
database.

What is measured, each run three times (the median is reported, all three are
kept), with its database statements counted by an execute wrapper:

- the acknowledgement report page's data: ``acknowledgement_report`` and the
  first page (50 rows) of ``not_acknowledged``, paginated as the page does;
- ``AcknowledgementSource().due_items`` iterated to the end, as the reminders
  engine does every day;
- ``owed_by`` for one person who still owes the policy (the home page and the
  document pages call it for the person signed in);
- ``published_search("election")``: the first page of 20 results, paginated as
  the list page does, with their snippets;
- the CSV of everyone who has not acknowledged: the report view's ``_csv``
  response, streamed to the end.

Generating the people, publishing and bulk-creating the acknowledgements is
setup: timed only as a whole, never counted. On PostgreSQL the tables are then
``ANALYZE``d, as autovacuum would have done on a live site, so the planner
works from real statistics rather than guesses about freshly filled tables.
Everything runs with ``DEBUG`` off, as in production.
"""

from __future__ import annotations

import datetime
import logging
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from policies.models import Acknowledgement, Category, Document, DocumentVersion
from policies.reminders import AcknowledgementSource
from policies.search import published_search, snippet
from policies.selectors import Report, acknowledgement_report, not_acknowledged, owed_by
from policies.services import document_create, draft_for, draft_submit, version_publish
from policies.views.oversight import PAGE_SIZE as REPORT_PAGE_SIZE
from policies.views.oversight import _csv
from policies.views.reading import PAGE_SIZE as SEARCH_PAGE_SIZE
from socialgov.notifications.benchmark import (
    CHUNK,
    EMAIL_DOMAIN,
    BenchmarkRefused,
    MachineInfo,
    QueryCounter,
    _load,
    generate_people,
    heartbeat,
    load_average,
    machine_info,
    peak_rss_mb,
)
from socialgov.people.models import Department, User
from socialgov.people.roles import Role
from socialgov.people.services import person_provision, person_set_roles

logger = logging.getLogger(__name__)

__all__ = ["BenchmarkRefused", "PoliciesBenchmarkResult", "policy_body", "run_policies_benchmark"]

Progress = Callable[[str], None]

# Each read is timed this many times; the median is reported.
RUNS = 3
# Of every five generated people, this many have acknowledged the policy: 60%.
ACKNOWLEDGED_OF_FIVE = 3
# Of the acknowledgements, one in this many was recorded by HR on someone's behalf, one in the other exempts.
ON_BEHALF_EVERY = 40
EXEMPT_EVERY = 97
SEARCH_TERM = "election"
BODY_WORDS = 1500
DOCUMENT_SLUG = "social-media-and-elections"


@dataclass
class Measurement:
    """One read, run ``RUNS`` times: the wall time and statements of each run, and what it produced."""

    name: str
    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    rows: int = 0
    unit: str = "rows"

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds) if self.seconds else 0.0

    @property
    def query_count(self) -> int:
        """The statements of one run (the same every run, or ``steady_queries`` is false)."""
        return self.queries[0] if self.queries else 0

    @property
    def steady_queries(self) -> bool:
        return len(set(self.queries)) <= 1

    def runs_ms(self) -> str:
        return " / ".join(f"{s * 1000:,.1f}" for s in self.seconds)


@dataclass
class PoliciesBenchmarkResult:
    people: int
    machine: MachineInfo
    generate_seconds: float = 0.0
    publish_seconds: float = 0.0
    acknowledgements_seconds: float = 0.0
    analyze_seconds: float | None = None
    body_words: int = 0
    body_chars: int = 0
    audience: int = 0
    acknowledgements_created: int = 0
    report_total: int = 0
    report_acknowledged: int = 0
    report_outstanding: int = 0
    report_departments: int = 0
    report: Measurement = field(default_factory=lambda: Measurement("Report + first page of 50"))
    due_items: Measurement = field(default_factory=lambda: Measurement("due_items, all", unit="items"))
    owed: Measurement = field(default_factory=lambda: Measurement("owed_by, one person", unit="documents"))
    search: Measurement = field(default_factory=lambda: Measurement(f'Search "{SEARCH_TERM}", first 20', unit="hits"))
    csv: Measurement = field(default_factory=lambda: Measurement("CSV of not acknowledged, streamed"))
    csv_bytes: int = 0
    rss_mb: dict[str, float] = field(default_factory=dict)
    load_at_start: tuple[float, float, float] | None = None
    load_at_end: tuple[float, float, float] | None = None

    @property
    def measurements(self) -> list[Measurement]:
        return [self.report, self.due_items, self.owed, self.search, self.csv]

    @property
    def peak_rss_mb(self) -> float:
        return max(self.rss_mb.values(), default=0.0)

    @property
    def consistent(self) -> bool:
        """The report, the reminders, the page and the CSV agree on who still owes the policy."""
        return (
            self.report_total == self.audience
            and self.report_acknowledged == self.acknowledgements_created
            and self.report_outstanding == self.due_items.rows == self.csv.rows
            and self.report.rows == min(REPORT_PAGE_SIZE, self.report_outstanding)
            and self.owed.rows == 1
            and self.search.rows == 1
            and all(m.steady_queries for m in self.measurements)
        )

    def table(self) -> list[str]:
        """The headline figures as a Markdown table: one row a read."""
        lines = [
            "| People | Read | Median (ms) | Queries | Rows |",
            "|---:|---|---:|---:|---:|",
        ]
        for m in self.measurements:
            lines.append(
                f"| {self.people:,} | {m.name} | {m.median_seconds * 1000:,.1f} | {m.query_count} "
                f"| {m.rows:,} {m.unit} |"
            )
        lines.append(f"| {self.people:,} | Peak RSS (MB) | {self.peak_rss_mb:,.0f} | | |")
        return lines

    def lines(self) -> list[str]:
        """Everything else: the machine, the setup, each run's time, memory, and whether the counts agree."""
        analyzed = "not run" if self.analyze_seconds is None else f"{self.analyze_seconds:,.1f} s"
        result = [
            f"Machine: {self.machine.describe()}",
            f"Load average (1/5/15 min): {_load(self.load_at_start)} at the start, "
            f"{_load(self.load_at_end)} at the end",
            f"Generating {self.people:,} people: {self.generate_seconds:,.1f} s",
            f"Publishing one policy ({self.body_words:,} words, {self.body_chars:,} characters of Markdown): "
            f"{self.publish_seconds:,.2f} s",
            f"Bulk-creating {self.acknowledgements_created:,} acknowledgements: "
            f"{self.acknowledgements_seconds:,.1f} s; "
            f"ANALYZE: {analyzed}",
            f"Report: {self.report_total:,} in the audience, {self.report_acknowledged:,} acknowledged, "
            f"{self.report_outstanding:,} outstanding, {self.report_departments} department lines",
        ]
        for m in self.measurements:
            steady = "" if m.steady_queries else f" (queries differed between runs: {m.queries})"
            result.append(
                f"{m.name}: runs {m.runs_ms()} ms, median {m.median_seconds * 1000:,.1f} ms; "
                f"{m.query_count} queries; {m.rows:,} {m.unit}{steady}"
            )
        result.append(f"CSV size: {self.csv_bytes / 1e6:,.2f} MB")
        result.append(
            "Peak RSS so far (ru_maxrss): " + ", ".join(f"{step} {mb:,.0f} MB" for step, mb in self.rss_mb.items())
        )
        result.append(
            "Counts consistent (report outstanding = due items = CSV rows; first page full; "
            "same queries every run): " + ("yes" if self.consistent else "NO")
        )
        return result


# --- The document ------------------------------------------------------------------

_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Why we have this policy",
        [
            "Social media lets us reach residents where they already are, quickly and in plain words.",
            "What one of us posts can be read as the view of the council, even from a personal account.",
            "This policy sets out what we expect, so that you can post with confidence.",
            "It protects residents, colleagues and you, and it keeps the council's accounts trustworthy.",
        ],
    ),
    (
        "Who it applies to",
        [
            "It applies to everyone who works for the council, including agency staff, contractors and volunteers.",
            "It covers every platform, including ones that do not exist yet.",
            "Elected members have their own code of conduct, which the monitoring officer looks after.",
            "Managers must make sure that new starters read it in their first weeks.",
        ],
    ),
    (
        "Your personal accounts",
        [
            "You may say where you work, but make clear that your views are your own.",
            "Do not share anything you learned at work that has not been made public.",
            "Think before you comment on a service you work in, even to defend it.",
            "Never post photographs of residents, service users or their homes without written consent.",
            "If a resident asks about council business on a personal account, refer them to the contact centre.",
        ],
    ),
    (
        "Posting for the council",
        [
            "Only people trained by the communications team may post on the council's corporate accounts.",
            "Each service account has a named owner, who answers for what it posts.",
            "Write in plain English, in the active voice, and avoid jargon and acronyms.",
            "Check facts, dates and links before you post, and ask a colleague to read anything sensitive.",
            "Reply to questions within one working day, even if only to say when a full answer will follow.",
        ],
    ),
    (
        "During elections",
        [
            "In the pre-election period before any election, the council must stay politically neutral.",
            "From the day the election is called, do not publish anything that could be seen as supporting a "
            "candidate or party.",
            "Do not share, like or reply to posts by candidates from council accounts during an election.",
            "Routine service information, such as bin collection changes, can still be published during an election.",
            "If you are unsure whether a post is allowed during an election, ask the communications team first.",
            "Personal accounts are yours, but staff in politically restricted posts must not campaign in any election.",
        ],
    ),
    (
        "Dealing with abuse",
        [
            "Nobody has to put up with abuse because they work for the council.",
            "Do not argue with people who are abusive; take a screenshot, then hide, mute or block them.",
            "Report threats of violence to your manager straight away, and to the police if you feel unsafe.",
            "The communications team can help you decide whether a comment should be removed.",
        ],
    ),
    (
        "Records and retention",
        [
            "Posts on council accounts are public records, and may be requested under freedom of information law.",
            "Direct messages about a resident's case must be copied into the case record.",
            "Keep screenshots of anything you report for as long as the case is open.",
        ],
    ),
    (
        "If something goes wrong",
        [
            "If you post something by mistake, delete it and tell the communications team at once.",
            "A breach of this policy may lead to action under the disciplinary procedure.",
            "We will always take account of whether you reported a mistake yourself.",
        ],
    ),
    (
        "Getting help",
        [
            "The communications team runs a short course every month: book it through the learning portal.",
            "You can ask for advice before you post anything you are unsure about.",
            "Read the [house style guide](/policies/house-style/) and the [data protection policy](/policies/data/).",
        ],
    ),
]
_LIST_ITEMS = [
    "a photograph of a resident without their written consent",
    "the name or address of anyone who uses a council service",
    "personal opinions about a candidate during an election",
    "details of a complaint or an investigation",
    "anything marked official or sensitive",
    "a reply to an abusive comment",
    "jokes about colleagues, residents or partners",
]


def policy_body(*, words: int = BODY_WORDS, seed: int = 2026) -> str:
    """A realistic Markdown policy of about ``words`` words: sections, subsections, lists, a table, links."""
    rng = random.Random(seed)  # noqa: S311 - varied text, not secrets
    sections: list[list[str]] = []
    for number, (heading, sentences) in enumerate(_SECTIONS):
        blocks = [f"## {heading}"]
        blocks.append(" ".join(sentences))
        if number == 2:
            blocks.append("### Never post\n\n" + "\n".join(f"- {item}" for item in _LIST_ITEMS))
        if number == 3:
            blocks.append(
                "### Before you post\n\n"
                "1. Read it aloud: would you be happy to see it quoted in the local paper?\n"
                "2. Check every fact, date and link.\n"
                "3. Ask **a colleague** to read anything sensitive.\n"
                "4. Post it, then watch for replies for the rest of the day."
            )
        if number == 6:
            blocks.append(
                "| What | Where it is kept | For how long |\n"
                "|---|---|---|\n"
                "| Posts on council accounts | The platform and the monthly archive | Six years |\n"
                "| Direct messages about a case | The case record | As long as the case record |\n"
                "| Screenshots of abuse | The shared incident folder | Until the case is closed, then one year |"
            )
        sections.append(blocks)

    def count(all_sections: list[list[str]]) -> int:
        return sum(len(block.split()) for blocks in all_sections for block in blocks)

    # Pad each section in turn with a paragraph made from its own sentences until the text is long enough.
    turn = 0
    while count(sections) < words:
        number = turn % len(_SECTIONS)
        sentences = _SECTIONS[number][1]
        paragraph = " ".join(rng.sample(sentences, k=min(len(sentences), rng.randint(2, 4))))
        if turn % 5 == 4:
            paragraph = f"**In short:** {paragraph}"
        sections[number].append(paragraph)
        turn += 1
    return "\n\n".join(block for blocks in sections for block in blocks) + "\n"


# --- The run ------------------------------------------------------------------------


def _measure(measurement: Measurement, read: Callable[[], Any], count: Callable[[Any], int], say: Progress) -> Any:
    """Run ``read`` ``RUNS`` times, timing it and counting its statements; ``count`` says how many rows it made."""
    value = None
    for _ in range(RUNS):
        counter = QueryCounter()
        with heartbeat(say, measurement.name, counter), connection.execute_wrapper(counter):
            started = time.perf_counter()
            value = read()
            measurement.seconds.append(time.perf_counter() - started)
        measurement.queries.append(counter.count)
        measurement.rows = count(value)
    say(
        f"  {measurement.name}: median {measurement.median_seconds * 1000:,.1f} ms, "
        f"{measurement.query_count} queries, {measurement.rows:,} {measurement.unit}"
    )
    return value


def _lead(today: datetime.date, *, email: str, first_name: str, last_name: str) -> User:
    person = person_provision(
        email=f"{email}@{EMAIL_DOMAIN}",
        first_name=first_name,
        last_name=last_name,
        job_title="Communications lead",
        start_date=today - datetime.timedelta(days=700),
    )
    person_set_roles(person=person, roles=[Role.COMMS_LEAD])
    return person


def _publish(today: datetime.date) -> tuple[Document, DocumentVersion, str]:
    author = _lead(today, email="comms.author", first_name="Ailsa", last_name="Author")
    approver = _lead(today, email="comms.approver", first_name="Fraser", last_name="Approver")
    body = policy_body()
    document = document_create(
        author=author,
        title="Social media and elections policy",
        slug=DOCUMENT_SLUG,
        summary="How to use social media at work and in your own time, including during an election.",
        category=Category.POLICY,
        owner=author,
        body=body,
        acknowledge_within_days=14,
    )
    draft = draft_for(document)
    draft_submit(version=draft, actor=author, approver=approver)
    version = version_publish(version=draft, actor=approver)
    document.refresh_from_db()
    return document, version, body


def _acknowledge(version: DocumentVersion, say: Progress) -> int:
    """Acknowledgements for three in five of the generated people, in bulk: a few by HR, a few exemptions."""
    recorder = version.published_by
    ids = list(User.objects.filter(email__startswith="person").order_by("pk").values_list("pk", flat=True))
    chosen = [pk for n, pk in enumerate(ids) if n % 5 < ACKNOWLEDGED_OF_FIVE]
    base = timezone.now()
    made = 0
    for first in range(0, len(chosen), CHUNK):
        rows = []
        for n, pk in enumerate(chosen[first : first + CHUNK], start=first):
            acknowledgement = Acknowledgement(
                version=version, person_id=pk, acknowledged_at=base + datetime.timedelta(seconds=n % 3600)
            )
            if n % ON_BEHALF_EVERY == 0:
                acknowledgement.kind = Acknowledgement.Kind.ON_BEHALF
                acknowledgement.recorded_by = recorder
                acknowledgement.reason = "Signed a paper copy at a team briefing."
            elif n % EXEMPT_EVERY == 0:
                acknowledgement.kind = Acknowledgement.Kind.EXEMPT
                acknowledgement.recorded_by = recorder
                acknowledgement.reason = "On long-term leave."
            rows.append(acknowledgement)
        Acknowledgement.objects.bulk_create(rows, batch_size=CHUNK)
        made += len(rows)
        say(f"  {made:,} of {len(chosen):,} acknowledgements")
    return made


def _analyze() -> None:
    models = [User, Department, Document, DocumentVersion, Acknowledgement]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _stream(response) -> tuple[int, int]:
    """Rows (without the header) and bytes of a streamed CSV response, read to the end."""
    lines = 0
    size = 0
    # Read to the end, so the generator and its cursor are finished. Not ``response.close()``: that sends
    # ``request_finished``, whose handler closes the database connection (in a test, mid-transaction).
    for chunk in response.streaming_content:
        lines += chunk.count(b"\n")
        size += len(chunk)
    # Chunks hold many rows; names and emails hold no line breaks, so lines are rows (the first the header).
    return max(lines - 1, 0), size


def run_policies_benchmark(*, people: int, progress: Progress | None = None) -> PoliciesBenchmarkResult:
    """Fill the current, empty database with ``people`` staff and one policy 60% have acknowledged; time the reads."""
    say = progress or logger.info
    if people < 1:
        raise ValueError("The benchmark needs at least one person.")
    if User.objects.exists():
        raise BenchmarkRefused("This database already has people in it; the benchmark only runs on an empty one.")
    today = timezone.localdate()
    result = PoliciesBenchmarkResult(people=people, machine=machine_info(), load_at_start=load_average())
    say(f"Database: {result.machine.database_vendor} {result.machine.database_version}")

    with override_settings(DEBUG=False):
        say(f"Generating {people:,} people …")
        started = time.perf_counter()
        generate_people(people, today=today, progress=say)
        result.generate_seconds = time.perf_counter() - started

        say("Publishing the policy …")
        started = time.perf_counter()
        document, version, body = _publish(today)
        result.publish_seconds = time.perf_counter() - started
        result.body_words = len(body.split())
        result.body_chars = len(body)

        say("Recording acknowledgements …")
        started = time.perf_counter()
        result.acknowledgements_created = _acknowledge(version, say)
        result.acknowledgements_seconds = time.perf_counter() - started
        result.audience = User.objects.current().count()
        if connection.vendor == "postgresql":
            started = time.perf_counter()
            _analyze()
            result.analyze_seconds = time.perf_counter() - started
        result.rss_mb["after setup"] = peak_rss_mb()

        say("Measuring …")

        def report_page() -> tuple[Report, list[User]]:
            report = acknowledgement_report(document, version)
            page = Paginator(not_acknowledged(document, version), REPORT_PAGE_SIZE).get_page(1)
            rows = list(page.object_list)
            # What the template shows of each row; all of it comes with the page's one query.
            shown = [
                (p.get_full_name(), p.department.name if p.department else "", p.line_manager and p.line_manager.email)
                for p in rows
            ]
            return report, shown

        report, _ = _measure(result.report, report_page, lambda value: len(value[1]), say)
        result.report_total = report.total
        result.report_acknowledged = report.acknowledged
        result.report_outstanding = report.outstanding
        result.report_departments = len(report.departments)
        result.rss_mb["after the report"] = peak_rss_mb()

        source = AcknowledgementSource()
        _measure(result.due_items, lambda: sum(1 for _ in source.due_items(today=today)), lambda n: n, say)
        result.rss_mb["after due_items"] = peak_rss_mb()

        # Someone who still owes it and has a department, so owed_by takes its longest path.
        person = not_acknowledged(document, version).filter(department__isnull=False).first()
        _measure(result.owed, lambda: owed_by(person), len, say)

        def search() -> list:
            page = Paginator(published_search(SEARCH_TERM), SEARCH_PAGE_SIZE).get_page(1)
            return [(hit, snippet(hit, SEARCH_TERM)) for hit in page]

        _measure(result.search, search, len, say)

        def export() -> tuple[int, int]:
            return _stream(_csv(document, version, not_acknowledged(document, version)))

        _, result.csv_bytes = _measure(result.csv, export, lambda value: value[0], say)
        result.rss_mb["after the CSV"] = peak_rss_mb()
        result.load_at_end = load_average()

    if not result.consistent:
        logger.warning(
            "Counts differ: %s outstanding in the report, %s due items, %s CSV rows, %s on the first page",
            result.report_outstanding,
            result.due_items.rows,
            result.csv.rows,
            result.report.rows,
        )
    return result
