"""Demo figures: standings for everyone, and a year of weekly snapshots so the charts have a history.

Runs last, after every loader that writes records. The snapshots are worked out
from the records' own dates (``snapshot_backfill``), so the trend the demo shows
is the demo organisation's real one, not invented numbers.
"""

from __future__ import annotations

import datetime

from socialgov.people.demo import DemoContext
from socialgov.reports import rollups
from socialgov.reports.models import Snapshot

KIND = "Compliance snapshots"
WEEKS = 52


def demo_reports_load(context: DemoContext) -> None:
    rollups.rebuild(today=context.today)
    rollups.snapshot_take(context.today)
    made = 0
    for week in range(1, WEEKS + 1):
        day = context.today - datetime.timedelta(weeks=week)
        if not Snapshot.objects.filter(day=day).exists():
            rollups.snapshot_backfill(day)
            made += 1
    context.result.record(KIND, created=made, unchanged=WEEKS - made)
