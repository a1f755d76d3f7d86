"""Personas and shared fixtures for the whole suite.

Every persona exists in one small organisation: a staff member whose line
manager is ``manager``; a comms lead, HR officer, incident lead and
administrator (the roles that need MFA have an authenticator set up).
"""

import os
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
def hr(db):
    return UserFactory(email="hr@glenmorven.gov.uk", roles=[Role.HR], with_mfa=True)


@pytest.fixture
def incident_lead(db):
    return UserFactory(email="incident@glenmorven.gov.uk", roles=[Role.INCIDENT_LEAD])


@pytest.fixture
def administrator(db):
    return UserFactory(email="admin@glenmorven.gov.uk", roles=[Role.ADMINISTRATOR], with_mfa=True)


@pytest.fixture
def personas(staff, manager, comms_lead, hr, incident_lead, administrator):
    """Every persona by name, for tests that walk through all of them."""
    return {
        "staff": staff,
        "manager": manager,
        "comms_lead": comms_lead,
        "hr": hr,
        "incident_lead": incident_lead,
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


class WorkerProcess:
    """A real Celery worker process, consuming its own queue on the real broker."""

    def __init__(self, queue: str, database_url: str, log_path: Path):
        self.queue = queue
        self.database_url = database_url
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    @property
    def node(self) -> str:
        return f"{self.queue}@{socket.gethostname()}"

    def start(self) -> None:
        env = os.environ | {"DATABASE_URL": self.database_url, "CELERY_TASK_DEFAULT_QUEUE": self.queue}
        command = [sys.executable, "-m", "celery", "-A", "socialgov", "worker", "-Q", self.queue, "-n", self.node,
                   "--concurrency=1", "--without-gossip", "--without-mingle", "--loglevel=INFO"]  # fmt: skip
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, cwd=BASE_DIR, stdout=log, stderr=subprocess.STDOUT)
        self.wait_until_ready()

    def wait_until_ready(self, attempts: int = 120) -> None:
        from socialgov.celery import app

        for _ in range(attempts):
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited: see {self.log_path}:\n{self.log_path.read_text()[-2000:]}")
            if app.control.ping(destination=[self.node], timeout=0.5):
                return
        raise RuntimeError(f"The worker did not answer: see {self.log_path}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def celery_worker(transactional_db, settings, tmp_path):
    """A real worker process against the test's PostgreSQL database and Redis.

    Skipped on the embedded default (SQLite, no Redis), where tasks run in process.
    """
    if not real_services_available():
        pytest.skip("Needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL.")
    from socialgov.celery import app

    db = settings.DATABASES["default"]
    database_url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    queue = f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{uuid.uuid4().hex[:8]}"
    worker = WorkerProcess(queue, database_url, tmp_path / "worker.log")
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        worker.start()
        yield worker
    finally:
        worker.stop()
        app.conf.task_always_eager = True
        app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE


def wait_for(predicate, *, attempts: int = 300, interval: float = 0.1):
    """Poll until ``predicate()`` is true; the bound is a give-up point, not a speed check."""
    for _ in range(attempts):
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError("Gave up waiting for the condition")
