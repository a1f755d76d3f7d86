"""Faults the reminders engine must ride out, sending every due message exactly once.

Each test puts a sweep of a few thousand digests in flight with real services:
PostgreSQL, Redis, ``celery worker`` and ``celery beat`` processes (beat fires
the delivery run every second from the database schedule, as in production),
and an SMTP server that records what it accepts. Then something breaks: a
worker is killed with ``kill -9``, Redis restarts, two beats run at once, or a
transaction that queued an urgent message is rolled back. Every due message
must arrive once, and only once (counted by Message-ID), and every outbox row
must end sent.

Those need PostgreSQL and Redis (``DATABASE_URL`` and ``REDIS_URL``) and skip on
the embedded default. The last test, a worker whose claim went stale while it
was still sending, runs in process on any database. Waits are bounded and
generous; nothing here checks how long anything took.
"""

from __future__ import annotations

import datetime
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from conftest import free_port, wait_for
from socialgov.notifications import registry
from socialgov.notifications.backends import CommitPointSMTPBackend
from socialgov.notifications.delivery import messages_deliver
from socialgov.notifications.digests import digests_build
from socialgov.notifications.models import Message, Notification
from socialgov.notifications.services import message_queue
from socialgov.people.models import User
from tests.factories import UserFactory
from tests.notifications.conftest import BUILD, DELIVER, fire_every_second, latest_working_morning, worker_env

PEOPLE = 3000
DELIVER_ONE = "notifications.deliver_message"
INTERRUPTED = "Delivery was interrupted; sending again."
# Give-up point for each wait: far beyond what any step needs on a slow machine.
PATIENCE_SECONDS = 180

PAGE = registry.Kind(key="tests.faults.page", label="Test page", group="Pages", is_urgent=True)


def new_starters(count: int, morning: datetime.datetime) -> list[int]:
    """``count`` people who started three days before ``morning`` and have never signed in."""
    started = morning.date() - datetime.timedelta(days=3)
    people = User.objects.bulk_create(
        [
            User(
                email=f"starter{number:05d}@glenmorven.gov.uk",
                first_name="New",
                last_name=f"Starter {number}",
                start_date=started,
            )
            for number in range(count)
        ],
        batch_size=1000,
    )
    return [person.pk for person in people]


def digest_ids(people: list[int], day: datetime.date) -> set[str]:
    """The Message-IDs of these people's digests for ``day``."""
    return {Message(idempotency_key=f"digest:{pk}:{day.isoformat()}").message_id for pk in people}


def outbox() -> dict[str, int]:
    return dict(Counter(Message.objects.values_list("status", flat=True)))


def arrived(smtp_server) -> int:
    return len(smtp_server.messages)


def outbox_settled(rows: int) -> bool:
    """The outbox holds at least ``rows`` messages, and none is still waiting or being sent."""
    return Message.objects.count() >= rows and not Message.objects.exclude(status__in=["sent", "failed"]).exists()


def arrival_of(smtp_server, message_id: str):
    """A condition true once ``message_id`` has arrived; each check reads only what arrived since the last."""
    seen = 0

    def has_arrived() -> bool:
        nonlocal seen
        new = smtp_server.messages[seen:]
        seen += len(new)
        return any(message["Message-ID"] == message_id for message in new)

    return has_arrived


def progress(smtp_server, expected: set[str]) -> str:
    counts = Counter(smtp_server.message_ids())
    twice = sum(1 for n in counts.values() if n > 1)
    return (
        f"{len(expected & counts.keys())} of {len(expected)} due messages have arrived "
        f"({sum(counts.values())} messages in all, {twice} more than once); outbox: {outbox()}"
    )


def wait_until(condition, explain, *, seconds: float = PATIENCE_SECONDS, interval: float = 0.25):
    try:
        return wait_for(condition, attempts=int(seconds / interval), interval=interval)
    except AssertionError:
        raise AssertionError(f"Gave up after {seconds} s: {explain()}") from None


def quiesce(processes) -> None:
    """Stop beat, then let each worker finish what it is doing and stop: nothing is left in flight."""
    for beat in processes.beats:
        beat.kill()
    for worker in processes.workers:
        worker.stop()


def assert_each_arrived_once(smtp_server, expected: set[str]) -> None:
    counts = Counter(smtp_server.message_ids())
    duplicates = sorted(message_id for message_id, n in counts.items() if n > 1)
    missing = expected - counts.keys()
    unexpected = sorted(counts.keys() - expected)
    if missing:
        by_id = {m.message_id: m for m in Message.objects.only("idempotency_key", "status", "last_error")}
        missing_by_status = Counter(by_id[m].status if m in by_id else "no outbox row" for m in missing)
    else:
        missing_by_status = {}
    report = (
        f"{sum(counts.values())} messages arrived for {len(expected)} due: "
        f"{len(duplicates)} arrived more than once (e.g. {duplicates[:3]}), "
        f"{len(missing)} never arrived (outbox status of those: {dict(missing_by_status)}), "
        f"{len(unexpected)} were not due (e.g. {unexpected[:3]}); outbox: {outbox()}"
    )
    assert not duplicates, report
    assert not missing, report
    assert not unexpected, report
    statuses = outbox()
    assert statuses == {"sent": len(expected)}, f"Every outbox row should end sent: {statuses}"


def _sweep() -> tuple[datetime.datetime, set[str]]:
    """A working morning's digests for PEOPLE new starters, written into the outbox by this process."""
    morning = latest_working_morning()
    people = new_starters(PEOPLE, morning)
    assert digests_build(now=morning) == PEOPLE
    return morning, digest_ids(people, morning.date())


@pytest.mark.services
def test_a_worker_killed_mid_sweep_leaves_claims_that_its_replacement_sends_once(
    celery_processes, schedules, smtp_server
):
    _, expected = _sweep()
    fire_every_second(schedules, DELIVER)
    env = worker_env(smtp_server)
    first = celery_processes.worker(env=env)
    celery_processes.beat()

    wait_until(
        lambda: arrived(smtp_server) >= PEOPLE // 2 and Message.objects.filter(status="sending").exists(),
        lambda: progress(smtp_server, expected),
    )
    first.kill()
    arrived_at_kill = arrived(smtp_server)
    claimed_at_kill = Message.objects.filter(status="sending").count()
    assert arrived_at_kill < PEOPLE, f"The sweep had finished ({arrived_at_kill} arrived) before the worker was killed"

    celery_processes.worker(env=env)
    wait_until(lambda: outbox_settled(len(expected)), lambda: progress(smtp_server, expected))
    quiesce(celery_processes)

    assert_each_arrived_once(smtp_server, expected)
    released = Message.objects.filter(last_error=INTERRUPTED).count()
    assert released or not claimed_at_kill, (
        f"The killed worker held {claimed_at_kill} claims ({arrived_at_kill} had arrived), "
        "but none was released and sent again"
    )


# --- Redis restarting ---------------------------------------------------------------

# Exec a command that dies with the test run that started it (Linux's parent-death signal).
EXEC_DYING_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "ctypes.CDLL(None).prctl(1, signal.SIGKILL)\n"
    "if os.getppid() == int(sys.argv[1]):\n"
    "    os.execvp(sys.argv[2], sys.argv[2:])\n"
)


class RedisServer:
    """A private ``redis-server`` with nothing saved to disk, so a restart starts it empty."""

    def __init__(self, port: int, log_path: Path):
        self.port = port
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [sys.executable, "-c", EXEC_DYING_WITH_PARENT, str(os.getpid()), "redis-server",
                   "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                   "--daemonize", "no"]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
        try:
            wait_until(self._answers(client), lambda: f"redis-server did not start: {self.log_path.read_text()}")
        finally:
            client.close()

    def _answers(self, client):
        def answers() -> bool:
            if self.process.poll() is not None:
                raise AssertionError(f"redis-server exited: {self.log_path.read_text()}")
            try:
                return client.ping()
            except redis.exceptions.ConnectionError:
                return False

        return answers

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        if self.process is not None:
            self.process.wait()


@pytest.fixture
def private_redis(tmp_path):
    server = RedisServer(free_port(), tmp_path / "redis.log")
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.mark.services
def test_redis_restarting_mid_sweep_loses_nothing_and_sends_nothing_twice(
    private_redis, celery_processes, schedules, smtp_server
):
    _, expected = _sweep()
    fire_every_second(schedules, DELIVER)
    worker = celery_processes.worker(env=worker_env(smtp_server), broker_url=private_redis.url)
    beat = celery_processes.beat(broker_url=private_redis.url)

    wait_until(lambda: arrived(smtp_server) >= PEOPLE // 2, lambda: progress(smtp_server, expected))
    private_redis.kill()
    fired_at_outage = beat.fired(DELIVER)
    # Stay down until the worker has lost its connection and beat has tried (and failed) to fire twice.
    wait_until(
        lambda: "Connection to broker lost" in worker.log() and beat.fired(DELIVER) >= fired_at_outage + 2,
        lambda: f"The worker or beat did not notice that Redis had gone: see {worker.log_path}, {beat.log_path}",
    )
    arrived_in_outage = arrived(smtp_server)
    private_redis.start()
    fired_at_restart = beat.fired(DELIVER)

    wait_until(lambda: outbox_settled(len(expected)), lambda: progress(smtp_server, expected))
    quiesce(celery_processes)

    assert_each_arrived_once(smtp_server, expected)
    assert beat.fired(DELIVER) > fired_at_restart, f"beat stopped firing after Redis came back: see {beat.log_path}"
    log = worker.log()
    assert log.count("Connected to redis") >= 2, f"The worker never reconnected: see {worker.log_path}"
    sent_after = runs_received_after(log, "Connected to redis", DELIVER)
    assert sum(sent_after), (
        f"{arrived_in_outage} had arrived when Redis came back, but the delivery runs beat fired after "
        f"the worker reconnected sent nothing ({sent_after}): see {worker.log_path}"
    )


def runs_received_after(log: str, marker: str, task: str) -> list[int]:
    """What each run of ``task`` received after the last ``marker`` in a worker's log sent."""
    after = log.rsplit(marker, 1)[-1]
    name = re.escape(task)
    received = set(re.findall(rf"Task {name}\[([^\]]+)\] received", after))
    finished = re.findall(rf"Task {name}\[([^\]]+)\] succeeded in [\d.e-]+s: (\d+)", after)
    return [int(sent) for task_id, sent in finished if task_id in received]


# --- Two beats ------------------------------------------------------------------------


@pytest.mark.services
def test_two_beats_at_once_build_each_digest_once_and_send_it_once(celery_processes, schedules, smtp_server):
    morning = latest_working_morning()
    people = new_starters(PEOPLE, morning)
    expected = digest_ids(people, morning.date())
    fire_every_second(schedules, BUILD, at=morning.isoformat())
    fire_every_second(schedules, DELIVER)
    env = worker_env(smtp_server)
    workers = [celery_processes.worker(env=env), celery_processes.worker(env=env)]
    beats = [celery_processes.beat(), celery_processes.beat()]

    wait_until(lambda: outbox_settled(len(expected)), lambda: progress(smtp_server, expected))
    quiesce(celery_processes)

    assert_each_arrived_once(smtp_server, expected)
    for beat in beats:
        assert beat.fired(BUILD), f"{beat.name} never fired {BUILD}: see {beat.log_path}"
        assert beat.fired(DELIVER), f"{beat.name} never fired {DELIVER}: see {beat.log_path}"
    twice = list(Message.objects.values("recipient_id", "digest_date").annotate(n=Count("pk")).filter(n__gt=1)[:3])
    assert not twice, f"Some people have more than one digest for the day: {twice}"
    assert Notification.objects.count() == PEOPLE, f"{Notification.objects.count()} notifications for {PEOPLE}"
    builds = [int(written) for worker in workers for written in worker.tasks_finished(BUILD)]
    assert sum(builds) == PEOPLE, f"The builds together reported writing {sum(builds)} digests: {builds}"


# --- An urgent message in a rolled-back transaction ------------------------------------


@pytest.fixture
def page_kind():
    registry.register_kind(PAGE)
    yield PAGE
    registry.unregister(PAGE.key)


@pytest.mark.services
def test_a_rolled_back_transaction_never_sends_its_urgent_message(celery_processes, schedules, smtp_server, page_kind):
    on_call = UserFactory(email="on.call@glenmorven.gov.uk")
    _, expected = _sweep()
    fire_every_second(schedules, DELIVER)
    env = worker_env(smtp_server)
    # One worker for the sweep and one for the urgent queue only, as in production.
    sweeper = celery_processes.worker(env=env, queues=[celery_processes.queue])
    pager = celery_processes.worker(env=env, queues=[celery_processes.urgent_queue])
    celery_processes.beat()
    wait_until(lambda: arrived(smtp_server) >= PEOPLE // 4, lambda: progress(smtp_server, expected))

    def page(key: str, subject: str) -> Message:
        return message_queue(
            recipient=on_call, kind=page_kind.key, subject=subject, body_text="Call the duty desk.", idempotency_key=key
        )

    def failing_request() -> None:
        with transaction.atomic():
            page("page:rolled-back", "Rolled back: never send")
            raise RuntimeError("The request failed after queueing the page")

    rows_before = Message.objects.count()
    with pytest.raises(RuntimeError):
        failing_request()
    assert not Message.objects.filter(idempotency_key="page:rolled-back").exists()
    assert Message.objects.count() == rows_before
    rolled_back = Message(idempotency_key="page:rolled-back").message_id

    with transaction.atomic():
        committed = page("page:committed", "Committed: send once")
    assert committed.is_urgent
    wait_until(
        arrival_of(smtp_server, committed.message_id),
        lambda: f"The committed page has not arrived; {progress(smtp_server, expected)}",
    )
    expected = expected | {committed.message_id}
    wait_until(lambda: outbox_settled(len(expected)), lambda: progress(smtp_server, expected))
    quiesce(celery_processes)

    assert rolled_back not in smtp_server.message_ids()
    assert [m["Subject"] for m in smtp_server.to(on_call.email)] == ["Committed: send once"]
    assert_each_arrived_once(smtp_server, expected)
    assert pager.tasks_received(DELIVER_ONE) == 1, (
        f"The urgent queue should have had one task (the committed page): see {pager.log_path}"
    )
    assert len(pager.tasks_finished(DELIVER_ONE)) == 1
    assert sweeper.tasks_received(DELIVER_ONE) == 0


# --- A claim that goes stale while its worker is still sending --------------------------


class TakenOverSMTPBackend(CommitPointSMTPBackend):
    """Stalls before recording its first send for so long that another worker takes the message over."""

    takeover = None

    def send_with_commit_point(self, message, commit):
        takeover, TakenOverSMTPBackend.takeover = TakenOverSMTPBackend.takeover, None
        if takeover is None:
            return super().send_with_commit_point(message, commit)

        @contextmanager
        def commit_after_takeover():
            takeover()
            with commit():
                yield

        return super().send_with_commit_point(message, commit_after_takeover)


def test_a_worker_whose_claim_went_stale_while_sending_leaves_the_message_to_the_new_claim(
    settings, smtp_server, db, monkeypatch
):
    settings.EMAIL_BACKEND = f"{__name__}.{TakenOverSMTPBackend.__name__}"
    person = UserFactory(email="slow.relay@glenmorven.gov.uk")
    message = message_queue(
        recipient=person, kind="people.account_setup", subject="Hello", body_text="Text", idempotency_key="stale"
    )
    stale = timezone.now() + datetime.timedelta(seconds=settings.NOTIFICATIONS_STALE_CLAIM_SECONDS + 1)
    taken_over = []
    monkeypatch.setattr(TakenOverSMTPBackend, "takeover", lambda: taken_over.append(messages_deliver(now=stale).sent))

    first = messages_deliver()

    assert taken_over == [1], "the second worker should have released the stale claim and sent the message"
    assert first.sent == 0
    assert [m["Message-ID"] for m in smtp_server.messages] == [message.message_id]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Message.Status.SENT, 1)
