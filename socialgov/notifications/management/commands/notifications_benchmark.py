"""Measure the reminders engine on a throwaway database: build and deliver a digest for each of N people."""

from __future__ import annotations

import argparse

from django.core.management.base import BaseCommand, CommandError

from socialgov.notifications.benchmark import run_benchmark
from socialgov.notifications.throwaway import run_on_throwaway_database

BENCHMARK_DATABASE = "socialgov_benchmark"
# The tracemalloc rebuild is slow; above this many people it runs only when asked for.
TRACEMALLOC_AUTO_MAX = 20_000


class Command(BaseCommand):
    help = (
        "Create a throwaway database, fill it with N new starters, then time building and delivering their "
        "digests (into a local SMTP server that only counts) and print the figures. Never touches real data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=100_000, help="How many people to generate (100,000).")
        parser.add_argument(
            "--keep", action="store_true", help="Leave the throwaway database in place afterwards, for a look."
        )
        parser.add_argument(
            "--tracemalloc",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=(
                "Measure Python's allocation peak for a build with tracemalloc, in a separate untimed rebuild that "
                f"runs about four times slower than the timed one. By default only up to {TRACEMALLOC_AUTO_MAX:,} "
                "people."
            ),
        )

    def handle(self, *args, people: int, keep: bool, tracemalloc: bool | None, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        if tracemalloc is None:
            tracemalloc = people <= TRACEMALLOC_AUTO_MAX
        result = run_on_throwaway_database(
            name=BENCHMARK_DATABASE,
            keep=keep,
            stdout=self.stdout,
            run=lambda progress: run_benchmark(people, measure_tracemalloc=tracemalloc, progress=progress),
        )

        self.stdout.write("")
        for line in result.table():
            self.stdout.write(line)
        self.stdout.write("")
        for line in result.details():
            self.stdout.write(line)
        if not result.consistent:
            raise CommandError("The counts do not agree: see above.")
