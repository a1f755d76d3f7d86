"""The reports benchmark on a tiny organisation: every figure is there, and the roll-ups agree with the records.

No wall-clock thresholds: the test checks the structure of the figures, that
each page ran the same statements every time, and that every tally equals
what the bare SQL counts straight from the records.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from socialgov.people.models import User
from socialgov.reports import rollups
from socialgov.reports.benchmark import BenchmarkRefused, bare_counts, run_reports_benchmark, summary_table
from socialgov.reports.models import COUNT_FIELDS, Kind, Snapshot, Standing, Tally
from training.models import Assignment, Completion

PEOPLE = 60
RUNS = 2


def test_the_benchmark_measures_every_report_and_the_rollups_agree_with_the_records(db):
    lines: list[str] = []
    result = run_reports_benchmark(people=PEOPLE, runs=RUNS, progress=lines.append)

    # An organisation with a year of records in every state.
    assert result.people == User.objects.count() == PEOPLE
    assert result.directorates >= 3
    assert result.services >= result.directorates
    assert result.teams >= result.services
    assert result.rows["people"] == PEOPLE
    assert result.rows["assignments"] == Assignment.objects.count() > PEOPLE
    assert result.rows["completions"] == Completion.objects.count() > 0
    assert all(result.rows[name] > 0 for name in ("lessons read", "acknowledgements", "licences"))
    statuses = set(Standing.objects.values_list("status", flat=True))
    assert {"overdue", "not_started", "complete", "expired", "exempt"} <= statuses
    assert result.standings == Standing.objects.count() > 0
    assert result.tallies == Tally.objects.count() > 0
    # A year of days before today, and today's own snapshot.
    days = set(Snapshot.objects.values_list("day", flat=True))
    assert len(days) == 366
    assert result.snapshot_rows == Snapshot.objects.count()

    # Every tally equals what the bare SQL counts from the records.
    assert result.tallies_checked == result.tallies
    assert result.tally_mismatches == []
    assert result.consistent

    # Grouped by directorate, as the timed comparison is, the counts match each directorate's tallies.
    by_directorate = bare_counts(today=timezone.localdate(), by="directorate")
    expected: dict[tuple[str, str, int], Counter] = {}
    for (path, kind, item_id, status), n in by_directorate.items():
        expected.setdefault((path, kind, item_id), Counter())[status] += n
    tallies = Tally.objects.exclude(scope="").filter(scope__regex=r"^/[0-9]+/$")
    assert tallies.exists()
    for tally in tallies:
        counts = +Counter({status: getattr(tally, name) for status, name in COUNT_FIELDS.items()})
        assert counts == expected[(tally.scope, tally.kind, tally.item_id)]

    # Every read measured, with the same statements each run.
    for measurement in [*result.pages, result.bare, result.csv]:
        assert measurement.available, measurement.note
        assert len(measurement.seconds) == RUNS
        assert all(isinstance(q, int) and q > 0 for q in measurement.queries), measurement.name
        assert measurement.steady_queries, measurement.queries
    assert result.bare.query_count == 1
    assert result.csv.rows == Standing.objects.count()
    assert result.csv_bytes > 0
    assert result.csv_tracemalloc_mb > 0
    assert result.csv_rss_delta_mb >= 0
    if connection.vendor == "postgresql":
        assert result.copy.rows == result.csv.rows
        assert result.copy_bytes > 0
    else:
        assert not result.copy.available

    # The summary: one row for the size, as wide as its heading.
    table = summary_table([result])
    assert table[0].startswith("| People | Dashboard ms (queries)")
    assert table[2].startswith(f"| {PEOPLE} | ")
    assert len(table[2].split("|")) == len(table[0].split("|"))
    assert any("dashboard median" in line for line in table)
    assert result.lines()[-1].startswith("Tallies agree")
    assert result.lines()[-1].endswith("yes")
    assert any("records of" in line for line in lines)

    # A person in a team counts in the organisation, their directorate, service and team.
    people = User.objects.filter(is_active=True, department__isnull=False).select_related("department")
    person = people.filter(department__depth=2).first()
    scopes = rollups.scopes_of(person.department.path)
    assert len(scopes) == 4
    assert Tally.objects.filter(scope__in=scopes, kind=Kind.LICENCE).count() == 4


def test_the_benchmark_refuses_a_database_with_people_in_it(staff):
    with pytest.raises(BenchmarkRefused):
        run_reports_benchmark(people=10, progress=lambda line: None)
