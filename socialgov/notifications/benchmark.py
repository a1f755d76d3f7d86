"""Measuring the reminders engine at the size of a large organisation.

``run_benchmark`` fills the *current* database with generated new starters
(every one has a due item: their first sign-in), builds the day's digests,
delivers them into a local SMTP server that only counts what arrives, and
returns the figures. It refuses a database that already has people in it, so
it can only ever add to an empty one: the ``notifications_benchmark`` command
runs it on a throwaway database it creates and destroys, and the test suite
runs it on its own test database.

What is measured, and how:

- building: wall time of one ``digests_build`` over everyone, and the number
  of database queries it ran (counted by an execute wrapper, which is cheap and
  has no cap, unlike ``CaptureQueriesContext`` whose log keeps only the last
  9,000 queries and stores the full text of each);
- delivery: wall time of ``messages_deliver`` until the outbox is empty, in
  this one process, with the SMTP server in a thread of the same process;
- memory: the process's peak resident set size (``ru_maxrss``), sampled
  after each step; optionally, Python's own allocation peak for a build, from
  ``tracemalloc`` in a separate, untimed rebuild (tracemalloc makes Python much
  slower, so it never runs during the timed steps).

Everything runs with ``DEBUG`` off, as in production: with it on, Django keeps
the text of recent queries, and the build's bulk inserts carry every rendered
email body.
"""

from __future__ import annotations

import datetime
import logging
import os
import platform
import resource
import socket
import sys
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import django
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test.utils import override_settings

from socialgov.notifications import registry
from socialgov.notifications.delivery import messages_deliver
from socialgov.notifications.digests import digests_build
from socialgov.notifications.models import Message, Notification, Preference
from socialgov.notifications.working_time import is_working_day, local_now
from socialgov.people.models import Department, User
from socialgov.people.services import department_create

logger = logging.getLogger(__name__)

CHUNK = 5000
EMAIL_DOMAIN = "benchmark.example"
# New starters began on one of the last this-many days, so each has a first sign-in due.
START_WINDOW_DAYS = 20
# One person in this many manages others; four in five of the rest have a line manager.
MANAGER_EVERY = 25
# Delivery is driven as the periodic task drives it: up to this many messages a call.
DELIVERY_CHUNK = 5000
HEARTBEAT_SECONDS = 15
FIRST_NAMES = ["Isla", "Morag", "Sandy", "Eilidh", "Calum", "Ruaridh", "Ailsa", "Fraser", "Kirsty", "Hamish"]
DIGEST_TIMES = [datetime.time(7, 30), datetime.time(8, 0), datetime.time(8, 30), datetime.time(9, 0)]

Progress = Callable[[str], None]


class BenchmarkRefused(Exception):
    """The database is not one the benchmark may fill."""


@dataclass
class MachineInfo:
    cores: int
    usable_cores: int
    cpu: str
    memory_gb: float
    system: str
    python: str
    django: str
    database_vendor: str
    database_version: str

    def describe(self) -> str:
        return (
            f"{self.cpu}, {self.cores} cores ({self.usable_cores} usable), {self.memory_gb:.1f} GB RAM; "
            f"{self.system}; Python {self.python}; Django {self.django}; "
            f"{self.database_vendor} {self.database_version}"
        )


@dataclass
class BenchmarkResult:
    people: int
    now: datetime.datetime
    machine: MachineInfo
    generate_seconds: float = 0.0
    build_seconds: float = 0.0
    digests_written: int = 0
    build_queries: int = 0
    delivery_seconds: float = 0.0
    delivery_queries: int = 0
    messages_sent: int = 0
    messages_failed: int = 0
    messages_retrying: int = 0
    messages_received: int = 0
    bytes_received: int = 0
    rss_mb: dict[str, float] = field(default_factory=dict)
    tracemalloc_peak_mb: float | None = None
    tracemalloc_seconds: float | None = None
    tracemalloc_digests: int | None = None
    # Other work on the machine skews every figure: the 1, 5 and 15 minute load averages.
    load_at_start: tuple[float, float, float] | None = None
    load_at_end: tuple[float, float, float] | None = None

    @property
    def digests_per_second(self) -> float:
        return self.digests_written / self.build_seconds if self.build_seconds else 0.0

    @property
    def messages_per_second(self) -> float:
        return self.messages_sent / self.delivery_seconds if self.delivery_seconds else 0.0

    @property
    def queries_per_person(self) -> float:
        return self.build_queries / self.people if self.people else 0.0

    @property
    def peak_rss_mb(self) -> float:
        return max(self.rss_mb.values(), default=0.0)

    @property
    def consistent(self) -> bool:
        """Every person got one digest, and the mail server received each one once."""
        return self.digests_written == self.messages_sent == self.messages_received == self.people

    def table(self) -> list[str]:
        """The headline figures as a Markdown table."""
        tracemalloc_cell = "not measured" if self.tracemalloc_peak_mb is None else f"{self.tracemalloc_peak_mb:,.0f}"
        return [
            "| People | Build (s) | Digests built/s | Delivery (msgs/s) | Peak RSS (MB) | Build tracemalloc peak (MB) "
            "| Queries/person (build) |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            f"| {self.people:,} | {self.build_seconds:,.1f} | {self.digests_per_second:,.0f} "
            f"| {self.messages_per_second:,.0f} | {self.peak_rss_mb:,.0f} | {tracemalloc_cell} "
            f"| {self.queries_per_person:.4f} |",
        ]

    def details(self) -> list[str]:
        average = self.bytes_received / self.messages_received if self.messages_received else 0
        lines = [
            f"Machine: {self.machine.describe()}",
            f"Moment: {self.now.isoformat()} ({self.now:%A})",
            f"Load average (1/5/15 min): {_load(self.load_at_start)} at the start, "
            f"{_load(self.load_at_end)} after delivering",
            f"Generating {self.people:,} people: {self.generate_seconds:,.1f} s",
            f"Build: {self.digests_written:,} digests in {self.build_seconds:,.2f} s, "
            f"{self.build_queries:,} queries ({self.queries_per_person:.4f} a person)",
            f"Delivery (one process; the SMTP server is a thread in it): {self.messages_sent:,} sent, "
            f"{self.messages_failed:,} failed, {self.messages_retrying:,} to retry, in {self.delivery_seconds:,.2f} s "
            f"({self.messages_per_second:,.0f} a second), {self.delivery_queries:,} queries",
            f"SMTP server received: {self.messages_received:,} messages, {self.bytes_received / 1e6:,.1f} MB "
            f"({average:,.0f} bytes each)",
            "Peak RSS so far (ru_maxrss): " + ", ".join(f"{step} {mb:,.0f} MB" for step, mb in self.rss_mb.items()),
        ]
        if self.tracemalloc_peak_mb is None:
            lines.append("tracemalloc: not measured")
        else:
            lines.append(
                f"tracemalloc (separate untimed rebuild of all {self.tracemalloc_digests:,} digests): "
                f"peak {self.tracemalloc_peak_mb:,.1f} MB of Python allocations "
                f"({self.tracemalloc_peak_mb * 1024 / self.people:,.1f} KB a person), "
                f"took {self.tracemalloc_seconds:,.1f} s under tracing"
            )
        lines.append(
            "Counts consistent (digests written = messages sent = messages received = people): "
            + ("yes" if self.consistent else "NO")
        )
        return lines


def _load(load: tuple[float, float, float] | None) -> str:
    return "unknown" if load is None else " / ".join(f"{value:.2f}" for value in load)


def load_average() -> tuple[float, float, float] | None:
    try:
        return os.getloadavg()
    except (AttributeError, OSError):
        return None


class CountingSMTPHandler:
    """An aiosmtpd handler that accepts everything and keeps only counts."""

    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages += 1
        self.bytes += len(envelope.original_content or envelope.content or b"")
        return "250 Message accepted for delivery"


class QueryCounter:
    """A database execute wrapper that counts statements."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def counting_smtp_server() -> Iterator[CountingSMTPHandler]:
    """A local SMTP server on a free port, with Django's mail pointed at it."""
    from aiosmtpd.controller import Controller

    handler = CountingSMTPHandler()
    port = _free_port()
    # The server logs every SMTP command at INFO; keep only its warnings.
    server_log = logging.getLogger("mail.log")
    level = server_log.level
    server_log.setLevel(logging.WARNING)
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="socialgov.notifications.backends.CommitPointSMTPBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ):
            yield handler
    finally:
        controller.stop()
        server_log.setLevel(level)


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _read_proc(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def machine_info() -> MachineInfo:
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    memory_kb = _read_proc("/proc/meminfo", "MemTotal").split(" ")[0]
    version = connection.get_database_version()
    return MachineInfo(
        cores=cores,
        usable_cores=usable,
        cpu=_read_proc("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        memory_gb=int(memory_kb) / 1024 / 1024 if memory_kb.isdigit() else 0.0,
        system=platform.platform(terse=True),
        python=platform.python_version(),
        django=django.get_version(),
        database_vendor=connection.display_name,
        database_version=".".join(str(part) for part in version),
    )


def benchmark_moment(today: datetime.date | None = None) -> datetime.datetime:
    """Five minutes after digests may first go on the latest working day up to ``today``: 09:05 by default."""
    day = today or local_now().date()
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    start = max(settings.WORKING_DAY_START, settings.NOTIFICATIONS_DIGEST_TIME)
    moment = datetime.datetime.combine(day, start, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment + datetime.timedelta(minutes=5)


def _departments() -> list[Department]:
    departments = []
    for directorate_name in ["Communities", "Corporate Services", "Education", "Place"]:
        directorate = department_create(name=directorate_name, parent=None)
        departments.append(directorate)
        for service_name in ["Operations", "Policy", "Customer Services"]:
            departments.append(department_create(name=service_name, parent=directorate))
    return departments


def generate_people(count: int, *, today: datetime.date, progress: Progress) -> None:
    """``count`` active new starters who have never signed in, in bulk, with a few managers and preferences."""
    departments = _departments()
    window = max(1, min(START_WINDOW_DAYS, settings.NEW_STARTER_DAYS))
    manager_count = max(1, count // MANAGER_EVERY)
    optional_kinds = sorted(kind.key for kind in registry.kinds() if not kind.is_mandatory)
    manager_ids: list[int] = []

    def person(n: int) -> User:
        has_manager = n >= manager_count and n % 5 != 0
        return User(
            email=f"person{n}@{EMAIL_DOMAIN}",
            first_name=FIRST_NAMES[n % len(FIRST_NAMES)],
            last_name=f"Person{n}",
            password=make_password(None),
            job_title="Manager" if n < manager_count else "Officer",
            department=None if n % 7 == 0 else departments[n % len(departments)],
            line_manager_id=manager_ids[n % len(manager_ids)] if has_manager else None,
            start_date=today - datetime.timedelta(days=n % window),
            is_active=True,
        )

    # Managers first, so everyone after them can point at one.
    bounds = [(0, manager_count)] + [(start, min(start + CHUNK, count)) for start in range(manager_count, count, CHUNK)]
    made = 0
    for first, last in bounds:
        if first >= last:
            continue
        people = User.objects.bulk_create([person(n) for n in range(first, last)], batch_size=CHUNK)
        if people[0].pk is None:
            # A backend that cannot return keys from a bulk insert: look them up.
            ids = dict(User.objects.filter(email__in=[p.email for p in people]).values_list("email", "pk"))
            for created in people:
                created.pk = ids[created.email]
        if first == 0:
            manager_ids = [p.pk for p in people]
        Preference.objects.bulk_create(
            [
                Preference(
                    person_id=p.pk,
                    digest_time=DIGEST_TIMES[n % len(DIGEST_TIMES)],
                    opted_out_kinds=optional_kinds if n % 20 == 0 else [],
                )
                for n, p in enumerate(people, start=first)
                if n % 10 == 0
            ],
            batch_size=CHUNK,
        )
        made += len(people)
        progress(f"  {made:,} of {count:,} people")


@contextmanager
def heartbeat(progress: Progress, label: str, counter: QueryCounter | None = None) -> Iterator[None]:
    """Say every few seconds that a long step is still going."""
    stop = threading.Event()
    started = time.perf_counter()

    def beat() -> None:
        while not stop.wait(HEARTBEAT_SECONDS):
            queries = f", {counter.count:,} queries so far" if counter else ""
            progress(f"  … {label}: {time.perf_counter() - started:,.0f} s{queries}")

    thread = threading.Thread(target=beat, name=f"benchmark heartbeat: {label}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run_benchmark(
    people: int, *, measure_tracemalloc: bool = True, progress: Progress | None = None
) -> BenchmarkResult:
    """Fill the current, empty database with ``people`` new starters, build and deliver their digests, measure."""
    say = progress or logger.info
    if people < 1:
        raise ValueError("The benchmark needs at least one person.")
    if User.objects.exists():
        raise BenchmarkRefused("This database already has people in it; the benchmark only runs on an empty one.")
    now = benchmark_moment()
    today = local_now(now).date()
    result = BenchmarkResult(people=people, now=now, machine=machine_info(), load_at_start=load_average())
    say(f"Database: {result.machine.database_vendor} {result.machine.database_version}; moment {now.isoformat()}")

    with override_settings(DEBUG=False):
        say(f"Generating {people:,} people …")
        started = time.perf_counter()
        generate_people(people, today=today, progress=say)
        result.generate_seconds = time.perf_counter() - started
        result.rss_mb["after generating"] = peak_rss_mb()

        say("Building digests …")
        counter = QueryCounter()
        with heartbeat(say, "building", counter), connection.execute_wrapper(counter):
            started = time.perf_counter()
            result.digests_written = digests_build(now=now)
            result.build_seconds = time.perf_counter() - started
        result.build_queries = counter.count
        result.rss_mb["after building"] = peak_rss_mb()
        say(f"  {result.digests_written:,} digests in {result.build_seconds:,.2f} s")

        with counting_smtp_server() as server:
            say("Delivering …")
            counter = QueryCounter()
            deliver_at = now + datetime.timedelta(minutes=1)
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                while True:
                    outcome = messages_deliver(now=deliver_at, max_messages=DELIVERY_CHUNK)
                    handled = outcome.sent + outcome.failed + outcome.retrying
                    result.messages_sent += outcome.sent
                    result.messages_failed += outcome.failed
                    result.messages_retrying += outcome.retrying
                    if not handled:
                        break
                    elapsed = time.perf_counter() - started
                    say(
                        f"  {result.messages_sent:,} sent, {server.messages:,} received "
                        f"({result.messages_sent / elapsed:,.0f} a second)"
                    )
                result.delivery_seconds = time.perf_counter() - started
            result.delivery_queries = counter.count
            result.messages_received = server.messages
            result.bytes_received = server.bytes
        result.rss_mb["after delivering"] = peak_rss_mb()
        result.load_at_end = load_average()

        if measure_tracemalloc:
            say("Rebuilding every digest under tracemalloc (untimed, for memory only) …")
            Message.objects.filter(kind=registry.DIGEST.key, digest_date=today).delete()
            Notification.objects.all().delete()
            was_tracing = tracemalloc.is_tracing()
            if not was_tracing:
                tracemalloc.start()
            tracemalloc.reset_peak()
            baseline = tracemalloc.get_traced_memory()[0]
            try:
                with heartbeat(say, "rebuilding under tracemalloc"):
                    started = time.perf_counter()
                    result.tracemalloc_digests = digests_build(now=now)
                    result.tracemalloc_seconds = time.perf_counter() - started
                result.tracemalloc_peak_mb = (tracemalloc.get_traced_memory()[1] - baseline) / (1024 * 1024)
            finally:
                if not was_tracing:
                    tracemalloc.stop()
    if not result.consistent:
        logger.warning(
            "Counts differ: %s people, %s digests written, %s sent, %s received by the mail server",
            people,
            result.digests_written,
            result.messages_sent,
            result.messages_received,
        )
    return result
