"""Measure the compliance reports on throwaway databases: an organisation of N people and a year of records."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from socialgov.notifications.throwaway import run_on_throwaway_database
from socialgov.reports.benchmark import RUNS, run_reports_benchmark, summary_table

BENCHMARK_DATABASE = "socialgov_benchmark_reports"


def _sizes(value: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in value.split(",") if part.strip()]
    except ValueError:
        raise CommandError(f"--sizes takes numbers separated by commas, not {value!r}.") from None
    if not sizes or min(sizes) < 1:
        raise CommandError("--sizes needs at least one size, each at least 1.")
    return sizes


class Command(BaseCommand):
    help = (
        "For each size, create a throwaway database, generate an organisation of that many people with a year "
        "of training, policy and licence records, rebuild the roll-ups, then time the HR dashboard, a "
        "department, a manager's team, a person's record and the people CSV against the same figures worked "
        "out straight from the records. Prints figures only; never touches real data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes", default="1000,10000", help="People in each organisation, comma-separated (1000,10000)."
        )
        parser.add_argument(
            "--runs", type=int, default=RUNS, help=f"Timed runs of each read; the median is shown ({RUNS})."
        )
        parser.add_argument(
            "--profile", action="store_true", help="Profile rollups.rebuild() with cProfile and print where time goes."
        )
        parser.add_argument("--keep", action="store_true", help="Leave the last throwaway database in place.")

    def handle(self, *args, sizes: str, runs: int, profile: bool, keep: bool, **options):
        if runs < 1:
            raise CommandError("--runs must be at least 1.")
        people = _sizes(sizes)
        results = []
        for n, size in enumerate(people):
            result = run_on_throwaway_database(
                name=BENCHMARK_DATABASE,
                keep=keep and n == len(people) - 1,
                stdout=self.stdout,
                run=lambda progress, size=size: run_reports_benchmark(
                    people=size, runs=runs, profile=profile, progress=progress
                ),
            )
            results.append(result)
            self.stdout.write("")
            self.stdout.write(f"== {size:,} people ==")
            for line in result.lines():
                self.stdout.write(line)
            self.stdout.write("")

        for line in summary_table(results):
            self.stdout.write(line)
        if not all(result.consistent for result in results):
            raise CommandError("The roll-ups disagree with the records, or queries varied between runs: see above.")
