"""Measure the policies app's reads on a throwaway database: N people, one policy, 60% acknowledged."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from policies.benchmark import run_policies_benchmark
from socialgov.notifications.throwaway import run_on_throwaway_database

BENCHMARK_DATABASE = "socialgov_benchmark_policies"


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
        result = run_on_throwaway_database(
            name=BENCHMARK_DATABASE,
            keep=keep,
            stdout=self.stdout,
            run=lambda progress: run_policies_benchmark(people=people, progress=progress),
        )

        self.stdout.write("")
        for line in result.table():
            self.stdout.write(line)
        self.stdout.write("")
        for line in result.lines():
            self.stdout.write(line)
        if not result.consistent:
            raise CommandError("The counts do not agree: see above.")
