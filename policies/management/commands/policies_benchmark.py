"""Measure the policies app's reads on a throwaway database: N people, one policy, 60% acknowledged."""

from __future__ import annotations

import signal
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from policies.benchmark import run_policies_benchmark

BENCHMARK_DATABASE = "socialgov_benchmark_policies"


class Stopped(Exception):
    """The run was asked to stop (SIGTERM)."""


def _stop(signum, frame):
    raise Stopped


class Command(BaseCommand):
    help = (
        "Create a throwaway database, fill it with N people and one published policy that 60% have acknowledged, "
        "then time the acknowledgement report, the reminders, one person's list, search and the CSV export, and "
        "print the figures. Never touches real data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000, help="How many people to generate (10,000).")
        parser.add_argument(
            "--keep", action="store_true", help="Leave the throwaway database in place afterwards, for a look."
        )

    def handle(self, *args, people: int, keep: bool, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        connection = connections[DEFAULT_DB_ALIAS]
        real_name = connection.settings_dict["NAME"]
        if connection.vendor == "sqlite":
            test_name = str(Path(tempfile.gettempdir()) / f"{BENCHMARK_DATABASE}.sqlite3")
        else:
            test_name = BENCHMARK_DATABASE
        if str(real_name) == test_name:
            raise CommandError(f"The configured database is already called {test_name}; refusing to replace it.")
        settings.DATABASES[DEFAULT_DB_ALIAS].setdefault("TEST", {})["NAME"] = test_name
        connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name

        started = time.perf_counter()

        def progress(line: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {line}")
            self.stdout.flush()

        progress(f"Creating the throwaway database {test_name} …")
        # A run in the background ignores Ctrl-C; stopping it with SIGTERM still drops the database.
        previous_handler = signal.signal(signal.SIGTERM, _stop)
        created = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
        try:
            result = run_policies_benchmark(people=people, progress=progress)
        except Stopped:
            progress("Stopped before the end.")
            raise CommandError("Stopped before the end; no figures.") from None
        finally:
            signal.signal(signal.SIGTERM, previous_handler)
            if keep:
                progress(f"Kept the throwaway database {created}.")
            else:
                progress(f"Destroying the throwaway database {created} …")
                connection.creation.destroy_test_db(real_name, verbosity=0, keepdb=False)

        self.stdout.write("")
        for line in result.table():
            self.stdout.write(line)
        self.stdout.write("")
        for line in result.lines():
            self.stdout.write(line)
        if not result.consistent:
            raise CommandError("The counts do not agree: see above.")
