"""Run a benchmark on a throwaway database that is created first and dropped afterwards, even on SIGTERM.

The benchmark commands share this so a run can never touch real data: the
database has its own name, and the configured one is refused if it already
has that name.
"""

from __future__ import annotations

import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections

Result = TypeVar("Result")


class Stopped(Exception):
    """The run was asked to stop (SIGTERM)."""


def _stop(signum, frame):
    raise Stopped


def run_on_throwaway_database(
    *, name: str, keep: bool, stdout, run: Callable[[Callable[[str], None]], Result]
) -> Result:
    """Create database ``name``, call ``run(progress)`` in it, then drop it (unless ``keep``); return the result."""
    connection = connections[DEFAULT_DB_ALIAS]
    real_name = connection.settings_dict["NAME"]
    test_name = str(Path(tempfile.gettempdir()) / f"{name}.sqlite3") if connection.vendor == "sqlite" else name
    if str(real_name) == test_name:
        raise CommandError(f"The configured database is already called {test_name}; refusing to replace it.")
    settings.DATABASES[DEFAULT_DB_ALIAS].setdefault("TEST", {})["NAME"] = test_name
    connection.settings_dict.setdefault("TEST", {})["NAME"] = test_name
    started = time.perf_counter()

    def progress(line: str) -> None:
        stdout.write(f"[{time.perf_counter() - started:7.1f} s] {line}")
        stdout.flush()

    progress(f"Creating the throwaway database {test_name} …")
    # A run in the background ignores Ctrl-C; stopping it with SIGTERM still drops the database.
    previous_handler = signal.signal(signal.SIGTERM, _stop)
    created = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    try:
        return run(progress)
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
