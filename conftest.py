"""Personas and shared fixtures for the whole suite.

Every persona exists in one small organisation: a staff member whose line
manager is ``manager``; a comms lead, HR officer, incident lead and
administrator (the roles that need MFA have an authenticator set up).
"""

import contextlib
import email
import email.message
import email.policy
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from socialgov.people.roles import Role
from tests.factories import DepartmentFactory, UserFactory

BASE_DIR = Path(__file__).resolve().parent


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The real hasher costs ~0.6 s a password by design; tests need it to be cheap."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def department(db):
    directorate = DepartmentFactory(name="Communities")
    service = DepartmentFactory(name="Housing", parent=directorate)
    return DepartmentFactory(name="Tenancy team", parent=service)


@pytest.fixture
def manager(db, department):
    return UserFactory(
        email="manager@glenmorven.gov.uk", first_name="Morag", last_name="Manager", department=department
    )


@pytest.fixture
def staff(db, department, manager):
    return UserFactory(
        email="staff@glenmorven.gov.uk",
        first_name="Sandy",
        last_name="Staff",
        department=department,
        line_manager=manager,
    )


@pytest.fixture
def comms_lead(db):
    return UserFactory(email="comms@glenmorven.gov.uk", roles=[Role.COMMS_LEAD], with_mfa=True)


@pytest.fixture
def second_comms_lead(db):
    """Another comms lead: a policy must be approved by someone other than the person who wrote it."""
    return UserFactory(
        email="aileen.approver@glenmorven.gov.uk",
        first_name="Aileen",
        last_name="Approver",
        roles=[Role.COMMS_LEAD],
        with_mfa=True,
    )


@pytest.fixture
def hr(db):
    return UserFactory(email="hr@glenmorven.gov.uk", roles=[Role.HR], with_mfa=True)


@pytest.fixture
def incident_lead(db):
    return UserFactory(email="incident@glenmorven.gov.uk", roles=[Role.INCIDENT_LEAD])


@pytest.fixture
def wellbeing(db):
    return UserFactory(email="wellbeing@glenmorven.gov.uk", roles=[Role.WELLBEING], with_mfa=True)


@pytest.fixture
def administrator(db):
    return UserFactory(email="admin@glenmorven.gov.uk", roles=[Role.ADMINISTRATOR], with_mfa=True)


@pytest.fixture
def personas(staff, manager, comms_lead, hr, incident_lead, wellbeing, administrator):
    """Every persona by name, for tests that walk through all of them."""
    return {
        "staff": staff,
        "manager": manager,
        "comms_lead": comms_lead,
        "hr": hr,
        "incident_lead": incident_lead,
        "wellbeing": wellbeing,
        "administrator": administrator,
    }


@pytest.fixture(autouse=True, scope="session")
def _tasks_run_in_process():
    """Tasks run where they are queued unless a test asks for a real worker."""
    from socialgov.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


def real_services_available() -> bool:
    from django.db import connection

    return bool(os.environ.get("REDIS_URL")) and connection.vendor == "postgresql"


# Runs a celery command in a child process that dies with the test run that
# started it (Linux's parent-death signal, set again in each pool process), so
# no worker or beat outlives an interrupted run.
CELERY_BOOTSTRAP = """
import ctypes, os, signal, sys

def die_with_parent(**_):
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (AttributeError, OSError):
        pass

die_with_parent()
if os.getppid() != int(os.environ["SOCIALGOV_TEST_PARENT_PID"]):
    sys.exit("The test run that started this process has ended.")
from celery import signals
signals.worker_process_init.connect(die_with_parent, weak=False)
from celery.__main__ import main
sys.argv[0] = "celery"
main()
"""


def control_app(broker_url: str):
    """A Celery app of the test process that talks to the broker at ``broker_url``."""
    from celery import Celery

    app = Celery("socialgov-tests", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    return app


class CeleryProcess:
    """A ``celery`` command in a process group of its own, so that it (and its pool) can be killed whole."""

    kind = "celery"

    def __init__(self, name: str, arguments: list[str], env: dict[str, str], log_path: Path):
        self.name = name
        self.arguments = arguments
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        env = os.environ | self.env | {"SOCIALGOV_TEST_PARENT_PID": str(os.getpid())}
        command = [sys.executable, "-c", CELERY_BOOTSTRAP, "-A", "socialgov", *self.arguments]
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command, env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        raise NotImplementedError

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def _exited(self) -> RuntimeError:
        return RuntimeError(f"The {self.kind} {self.name} exited: see {self.log_path}:\n{self.log()[-3000:]}")

    def kill(self) -> None:
        """``kill -9`` the whole process group: the main process and every process it forked."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self, timeout: float = 60) -> None:
        """Ask for a warm shutdown (running tasks finish); kill the group if it takes longer than ``timeout``."""
        if self.running:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=timeout)
        self.kill()


class WorkerProcess(CeleryProcess):
    """A real Celery worker process consuming the test's queues on the real broker."""

    kind = "worker"

    def __init__(
        self,
        queue: str,
        database_url: str,
        log_path: Path,
        *,
        queues: list[str] | None = None,
        urgent_queue: str | None = None,
        name: str | None = None,
        broker_url: str | None = None,
        env: dict[str, str] | None = None,
    ):
        self.queue = queue
        self.queues = queues or [queue]
        self.urgent_queue = urgent_queue
        self.database_url = database_url
        self.broker_url = broker_url
        self.node = f"{name or queue}@{socket.gethostname()}"
        worker_env = {"DATABASE_URL": database_url, "CELERY_TASK_DEFAULT_QUEUE": queue}
        if urgent_queue:
            worker_env["CELERY_URGENT_QUEUE"] = urgent_queue
        if broker_url:
            worker_env["REDIS_URL"] = broker_url
        arguments = ["worker", "-Q", ",".join(self.queues), "-n", self.node, "--concurrency=1",
                     "--without-gossip", "--without-mingle", "--loglevel=INFO"]  # fmt: skip
        super().__init__(name or queue, arguments, worker_env | (env or {}), log_path)
        self._app = None

    @property
    def app(self):
        """A Celery app of the test process connected to this worker's broker."""
        if self._app is None:
            self._app = control_app(self.broker_url or os.environ["REDIS_URL"])
        return self._app

    def wait_until_ready(self, attempts: int = 120) -> None:
        for _ in range(attempts):
            if not self.running:
                raise self._exited()
            if self.app.control.ping(destination=[self.node], timeout=0.5):
                return
        raise RuntimeError(f"The worker {self.name} did not answer: see {self.log_path}")

    def tasks_finished(self, task: str) -> list[str]:
        """What each finished run of ``task`` returned, from the worker's log."""
        pattern = re.compile(rf"Task {re.escape(task)}\[[^\]]+\] succeeded in [\d.e-]+s: (.*)")
        return pattern.findall(self.log())

    def tasks_received(self, task: str) -> int:
        return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] received", self.log()))

    def kill(self) -> None:
        super().kill()
        if self._app is not None:
            self._app.close()
            self._app = None


class BeatProcess(CeleryProcess):
    """A real ``celery beat`` firing the periodic tasks stored in the test's database."""

    kind = "beat"

    def __init__(self, name: str, queue: str, database_url: str, log_path: Path, *, broker_url: str | None = None):
        env = {"DATABASE_URL": database_url, "CELERY_TASK_DEFAULT_QUEUE": queue}
        if broker_url:
            env["REDIS_URL"] = broker_url
        arguments = ["beat", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "--loglevel=INFO"]
        super().__init__(name, arguments, env, log_path)

    def wait_until_ready(self, attempts: int = 600) -> None:
        for _ in range(attempts):
            if not self.running:
                raise self._exited()
            if "beat: Starting..." in self.log():
                return
            time.sleep(0.1)
        raise RuntimeError(f"The beat {self.name} did not start: see {self.log_path}")

    def fired(self, task: str) -> int:
        return len(re.findall(rf"Sending due task .* \({re.escape(task)}\)", self.log()))


class CeleryProcesses:
    """The worker and beat processes of one test, on per-test queues; all are killed when the test ends."""

    def __init__(self, *, database_url: str, queue: str, urgent_queue: str, tmp_path: Path):
        self.database_url = database_url
        self.queue = queue
        self.urgent_queue = urgent_queue
        self.tmp_path = tmp_path
        self.workers: list[WorkerProcess] = []
        self.beats: list[BeatProcess] = []
        self.broker_urls: set[str] = set()

    def worker(
        self,
        *,
        queues: list[str] | None = None,
        broker_url: str | None = None,
        env: dict[str, str] | None = None,
    ) -> WorkerProcess:
        """A worker on the test's queue and its urgent queue (or on ``queues``)."""
        number = len(self.workers) + 1
        name = self.queue if number == 1 else f"{self.queue}.{number}"
        worker = WorkerProcess(
            self.queue,
            self.database_url,
            self.tmp_path / f"worker-{number}.log",
            queues=queues or [self.queue, self.urgent_queue],
            urgent_queue=self.urgent_queue,
            name=name,
            broker_url=broker_url,
            env=env,
        )
        self.workers.append(worker)
        self.broker_urls.add(broker_url or os.environ["REDIS_URL"])
        worker.start()
        return worker

    def beat(self, *, broker_url: str | None = None) -> BeatProcess:
        """A beat firing the periodic tasks in the test's database (those without a queue go to the test's)."""
        number = len(self.beats) + 1
        beat = BeatProcess(
            f"beat-{number}", self.queue, self.database_url, self.tmp_path / f"beat-{number}.log", broker_url=broker_url
        )
        self.beats.append(beat)
        self.broker_urls.add(broker_url or os.environ["REDIS_URL"])
        beat.start()
        return beat

    def kill_all(self) -> None:
        for process in [*self.beats, *self.workers]:
            process.kill()

    def forget_queues(self) -> None:
        """Delete the test's queues from the brokers that are still up."""
        from kombu.exceptions import OperationalError
        from redis.exceptions import RedisError

        for broker_url in self.broker_urls:
            app = control_app(broker_url)
            # A broker that is no longer there has nothing to clean.
            with contextlib.suppress(OperationalError, RedisError, OSError), app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1)
                for name in (self.queue, self.urgent_queue):
                    # Declared here first, so that this connection knows the bindings it deletes.
                    queue = app.amqp.queues[name](connection.default_channel)
                    queue.declare()
                    queue.delete()
            app.close()


def _wait_for_database_connections_to_close(timeout: float = 30) -> None:
    """The test database is flushed (and dropped) after the test: no process may still be connected."""
    from django.db import connection

    others = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            cursor.execute(others)
            if not cursor.fetchall():
                return
            if time.monotonic() > deadline:
                cursor.execute(f"SELECT pg_terminate_backend(pid) FROM ({others}) AS other")  # noqa: S608
                return
            time.sleep(0.1)


@pytest.fixture
def celery_processes(transactional_db, settings, tmp_path):
    """Real worker and beat processes against the test's PostgreSQL database and Redis.

    The test's tasks go to a queue of its own, and urgent ones to an urgent
    queue of its own. Skipped on the embedded default (SQLite, no Redis),
    where tasks run in process.
    """
    if not real_services_available():
        pytest.skip("Needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL.")
    from socialgov.celery import app

    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    queue = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    processes = CeleryProcesses(
        database_url=database_url, queue=queue, urgent_queue=f"{queue}-urgent", tmp_path=tmp_path
    )
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    app.conf.update(task_routes={"notifications.deliver_message": {"queue": processes.urgent_queue}})
    try:
        yield processes
    finally:
        try:
            processes.kill_all()
            _wait_for_database_connections_to_close()
            processes.forget_queues()
        finally:
            app.conf.task_always_eager = True
            app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
            app.conf.update(task_routes=settings.CELERY_TASK_ROUTES)


@pytest.fixture
def celery_worker(celery_processes):
    """A real worker process against the test's PostgreSQL database and Redis (see ``celery_processes``)."""
    return celery_processes.worker()


def wait_for(predicate, *, attempts: int = 300, interval: float = 0.1):
    """Poll until ``predicate()`` is true; the bound is a give-up point, not a speed check."""
    for _ in range(attempts):
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("Gave up waiting for the condition")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPRecorder:
    """An SMTP server's handler that keeps what arrives, and refuses addresses on request."""

    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [m["Message-ID"] for m in self.messages]

    def to(self, address: str) -> list[email.message.Message]:
        return [m for m in self.messages if address in m["X-Envelope-To"]]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port; Django's mail goes there for the test."""
    from aiosmtpd.controller import Controller

    recorder = SMTPRecorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "socialgov.notifications.backends.CommitPointSMTPBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    recorder.port = port
    yield recorder
    controller.stop()
