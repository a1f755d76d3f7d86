"""Keeping standings and tallies true as compliance records change.

``standings_refresh(person_ids)`` works out afresh where each of those people
stands on every course, policy and the licence, writes only what changed, and
moves the tallies of their department and every department above it by the
difference, in a handful of statements per batch whatever the size of the
organisation. The signals in ``signals.py`` call it when a record changes;
the nightly ``dates_roll`` calls it for people a passing date affects (due
today, expiring within the window, expired); ``rebuild`` recomputes it all and
recounts the tallies from the standings, mending any drift.

Working out a standing reads the records as they were on a given day (``as_of``):
the same code backfills the daily snapshots for the charts from the records'
own dates.
"""

from __future__ import annotations

import datetime
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from policies.models import Acknowledgement, due_on
from policies.selectors import documents_needing_acknowledgement, is_in_audience, major_published_on
from socialgov.people.models import User
from socialgov.reports.models import COUNT_FIELDS, LICENCE_ITEM, Kind, Snapshot, Standing, Status, Tally
from training.models import Assignment, Completion, LessonProgress, Licence

BATCH = 2000
Key = tuple[int, str, int]  # person, kind, item


@dataclass(frozen=True)
class Computed:
    status: str
    due_on: datetime.date | None = None
    done_on: datetime.date | None = None
    expires_on: datetime.date | None = None


def scopes_of(path: str) -> list[str]:
    """The tally scopes a person in the department with ``path`` counts in: everyone, then each level down."""
    scopes = [""]
    parts = [part for part in path.strip("/").split("/") if part]
    for depth in range(1, len(parts) + 1):
        scopes.append("/" + "/".join(parts[:depth]) + "/")
    return scopes


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _soon(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.REPORTS_EXPIRING_SOON_DAYS)


def _course_standings(ids: list[int], today: datetime.date, until: datetime.datetime | None) -> dict[Key, Computed]:
    """Each person's standing on each course they were assigned or completed: three queries."""
    assignments = Assignment.objects.filter(person_id__in=ids, course__is_published=True)
    completions = Completion.objects.filter(person_id__in=ids, course__is_published=True)
    progress = LessonProgress.objects.filter(person_id__in=ids)
    if until:
        assignments = assignments.filter(assigned_at__lte=until)
        completions = completions.filter(completed_at__lte=until)
        progress = progress.filter(read_at__lte=until)
    latest_assignment: dict[tuple[int, int], tuple] = {}
    for row in assignments.order_by("assigned_at", "pk").values_list(
        "person_id", "course_id", "status", "due_on", "closed_at"
    ):
        person_id, course_id, status, due, closed_at = row
        if until and closed_at and closed_at > until:
            status = Assignment.Status.OPEN  # still open on the day asked about
        if status == Assignment.Status.WITHDRAWN:
            latest_assignment.pop((person_id, course_id), None)
            continue
        latest_assignment[(person_id, course_id)] = (status, due, closed_at)
    latest_completion: dict[tuple[int, int], tuple] = {}
    for person_id, course_id, completed_at, expires in completions.order_by("completed_at", "pk").values_list(
        "person_id", "course_id", "completed_at", "expires_on"
    ):
        latest_completion[(person_id, course_id)] = (completed_at, expires)
    started = set(progress.values_list("person_id", "lesson__course_id").distinct())

    standings = {}
    for pair in latest_assignment.keys() | latest_completion.keys():
        person_id, course_id = pair
        status, due, closed_at = latest_assignment.get(pair, (None, None, None))
        completed_at, expires = latest_completion.get(pair, (None, None))
        done = _day(completed_at)
        if status == Assignment.Status.EXEMPT:
            computed = Computed(Status.EXEMPT, done_on=_day(closed_at))
        elif completed_at and (expires is None or expires > today):
            state = Status.EXPIRING if expires and expires <= _soon(today) else Status.COMPLETE
            computed = Computed(state, done_on=done, expires_on=expires)
        elif status == Assignment.Status.OPEN:
            if due < today:
                state = Status.OVERDUE
            elif pair in started:
                state = Status.IN_PROGRESS
            else:
                state = Status.NOT_STARTED
            computed = Computed(state, due_on=due, done_on=done, expires_on=expires)
        elif completed_at:
            computed = Computed(Status.EXPIRED, done_on=done, expires_on=expires)
        else:
            # Closed as completed with its completion out of sight (unpublished since): counted as done.
            computed = Computed(Status.COMPLETE, done_on=_day(closed_at))
        standings[(person_id, Kind.COURSE.value, course_id)] = computed
    return standings


def _policy_standings(people: list[User], today: datetime.date, until: datetime.datetime | None) -> dict[Key, Computed]:
    """Each person's standing on each published document they must acknowledge: four queries."""
    documents = list(documents_needing_acknowledgement())
    if until:
        documents = [d for d in documents if d.current_version.published_at <= until]
    if not documents or not people:
        return {}
    group_ids: dict[int, set[int]] = defaultdict(set)
    for person_id, group_id in User.groups.through.objects.filter(user_id__in=[p.pk for p in people]).values_list(
        "user_id", "group_id"
    ):
        group_ids[person_id].add(group_id)
    first_published = major_published_on(documents)
    current_major = {d.pk: d.current_version.major for d in documents}
    acknowledged: dict[tuple[int, int], tuple[str, datetime.datetime]] = {}
    acknowledgements = Acknowledgement.objects.filter(person__in=people, version__document__in=documents)
    if until:
        acknowledgements = acknowledgements.filter(acknowledged_at__lte=until)
    for person_id, document_id, major, kind, at in acknowledgements.values_list(
        "person_id", "version__document_id", "version__major", "kind", "acknowledged_at"
    ):
        if major == current_major[document_id]:
            acknowledged[(person_id, document_id)] = (kind, at)
    standings = {}
    for person in people:
        for document in documents:
            if not is_in_audience(document, person, group_ids[person.pk]):
                continue
            found = acknowledged.get((person.pk, document.pk))
            if found:
                kind, at = found
                state = Status.EXEMPT if kind == Acknowledgement.Kind.EXEMPT else Status.COMPLETE
                computed = Computed(state, done_on=_day(at))
            else:
                due = due_on(
                    published_on=timezone.localdate(first_published[document.pk]),
                    start_date=person.start_date,
                    allowed=datetime.timedelta(days=document.acknowledge_within_days),
                )
                computed = Computed(Status.OVERDUE if due < today else Status.NOT_STARTED, due_on=due)
            standings[(person.pk, Kind.POLICY.value, document.pk)] = computed
    return standings


def _licence_standings(ids: list[int], today: datetime.date, until: datetime.datetime | None) -> dict[Key, Computed]:
    """Everyone's standing on the posting licence (everyone may earn one): one query."""
    licences = Licence.objects.filter(person_id__in=ids)
    if until:
        licences = licences.filter(granted_at__lte=until)
    latest = {}
    for person_id, granted_at, expires, lapsed_at in licences.order_by("granted_at", "pk").values_list(
        "person_id", "granted_at", "expires_on", "lapsed_at"
    ):
        if until and lapsed_at and lapsed_at > until:
            lapsed_at = None
        latest[person_id] = (granted_at, expires, lapsed_at)
    standings = {}
    for person_id in ids:
        found = latest.get(person_id)
        if found is None:
            computed = Computed(Status.NOT_STARTED)
        else:
            granted_at, expires, lapsed_at = found
            if lapsed_at is None and expires >= today:
                state = Status.EXPIRING if expires <= _soon(today) else Status.COMPLETE
                computed = Computed(state, done_on=_day(granted_at), expires_on=expires)
            else:
                computed = Computed(Status.EXPIRED, done_on=_day(granted_at), expires_on=expires)
        standings[(person_id, Kind.LICENCE.value, LICENCE_ITEM)] = computed
    return standings


def standings_compute(people: list[User], *, today: datetime.date, as_of: datetime.date | None = None):
    """Where each of ``people`` (current staff, department loaded) stands on everything, as of a day."""
    until = None
    if as_of is not None:
        today = as_of
        until = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time.max))
    ids = [person.pk for person in people]
    standings = _course_standings(ids, today, until)
    standings |= _policy_standings(people, today, until)
    standings |= _licence_standings(ids, today, until)
    return standings


def _people(ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(pk__in=list(ids), is_active=True)
        .select_related("department")
        .only("pk", "start_date", "is_public_facing", "department__path")
    )


def _chunks(items: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def standings_refresh(
    person_ids: Iterable[int], *, today: datetime.date | None = None, move_tallies: bool = True
) -> int:
    """Bring these people's standings and every tally above them up to date; returns standings changed.

    ``move_tallies=False`` leaves the tallies for a recount afterwards: refreshing
    everyone moves nearly every tally, and one grouped recount is far cheaper than
    thousands of small UPDATEs.
    """
    today = today or timezone.localdate()
    changed = 0
    for chunk in _chunks(sorted(set(person_ids))):
        with transaction.atomic():
            # Locking the people serialises two refreshes of one person, so no change is counted twice.
            locked = list(User.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk"))
            if not locked:
                continue
            people = _people(chunk)
            scope_of = {person.pk: person.department.path if person.department_id else "" for person in people}
            wanted = standings_compute(people, today=today)
            changed += _write(chunk, wanted, scope_of, move_tallies=move_tallies)
    return changed


def _write(chunk: list[int], wanted: dict[Key, Computed], scope_of: dict[int, str], *, move_tallies=True) -> int:
    """Write the difference between stored and wanted standings, and move the tallies by it."""
    existing = {
        (row.person_id, row.kind, row.item_id): row
        for row in Standing.objects.filter(person_id__in=chunk).only(
            "pk", "person_id", "kind", "item_id", "scope", "status", "due_on", "done_on", "expires_on"
        )
    }
    moves: Counter = Counter()  # (person scope, kind, item, status) -> change
    now = timezone.now()
    creates, updates, deletes = [], [], []
    for key, row in existing.items():
        if key not in wanted:
            deletes.append(row.pk)
            moves[(row.scope, row.kind, row.item_id, row.status)] -= 1
    for key, computed in wanted.items():
        person_id, kind, item_id = key
        scope = scope_of[person_id]
        row = existing.get(key)
        if row is None:
            creates.append(Standing(person_id=person_id, kind=kind, item_id=item_id, scope=scope, **vars(computed)))
            moves[(scope, kind, item_id, computed.status)] += 1
            continue
        if (row.scope, row.status) != (scope, computed.status):
            moves[(row.scope, kind, item_id, row.status)] -= 1
            moves[(scope, kind, item_id, computed.status)] += 1
        fields = {"scope": scope, **vars(computed)}
        if any(getattr(row, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(row, name, value)
            row.updated_at = now  # bulk_update leaves auto_now alone
            updates.append(row)
    if deletes:
        Standing.objects.filter(pk__in=deletes).delete()
    Standing.objects.bulk_create(creates, batch_size=BATCH)
    Standing.objects.bulk_update(
        updates, ["scope", "status", "due_on", "done_on", "expires_on", "updated_at"], batch_size=BATCH
    )
    if move_tallies:
        tallies_move(moves)
    return len(creates) + len(updates) + len(deletes)


# Keys a statement adds to at once: 10 parameters each, well inside every database's limit.
UPSERT_ROWS = 500


def tallies_move(moves: Counter) -> None:
    """Apply counted moves to the tallies of each scope and every scope above it.

    One ``INSERT … ON CONFLICT DO UPDATE`` adds the changes to up to 500
    tallies at once (creating any that do not exist yet), so one person's
    change is one statement however deep their department sits, and a batch
    of thousands is a handful. Adding in the database, not reading and
    writing back, keeps concurrent changes from overwriting each other.
    """
    per_tally: dict[tuple[str, str, int], Counter] = defaultdict(Counter)
    for (scope, kind, item_id, status), change in moves.items():
        if change:
            for each in scopes_of(scope):
                per_tally[(each, kind, item_id)][status] += change
    rows = [
        (scope, kind, item_id, *(counts.get(status.value, 0) for status in Status))
        for (scope, kind, item_id), counts in per_tally.items()
        if any(counts.values())
    ]
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Tally._meta.db_table)
    columns = ["scope", "kind", "item_id", *(COUNT_FIELDS[status] for status in Status)]
    additions = ", ".join(f"{quote(field)} = {table}.{quote(field)} + EXCLUDED.{quote(field)}" for field in columns[3:])
    with connection.cursor() as cursor:
        for start in range(0, len(rows), UPSERT_ROWS):
            batch = rows[start : start + UPSERT_ROWS]
            values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(batch))
            # Table and column names come from the model; every value is a parameter.
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({quote('scope')}, {quote('kind')}, {quote('item_id')}) DO UPDATE SET {additions}",
                [value for row in batch for value in row],
            )


def leavers_clear(*, batch: int = BATCH) -> int:
    """Drop the standings of people who have left, taking them out of the tallies."""
    gone = list(Standing.objects.filter(person__is_active=False).values_list("person_id", flat=True).distinct())
    for chunk in _chunks(gone, batch):
        with transaction.atomic():
            _write(chunk, {}, {})
    return len(gone)


def everyone_refresh(*, today: datetime.date | None = None) -> int:
    """Refresh every current member of staff, batch by batch, drop anyone who has left, and recount the tallies.

    Changes made meanwhile move the tallies as usual; the recount at the end
    counts the standings as they then are, so nothing is lost.
    """
    leavers_clear()
    ids = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    changed = standings_refresh(ids, today=today, move_tallies=False)
    tallies_recount()
    return changed


def rebuild(*, today: datetime.date | None = None) -> None:
    """Recompute every standing and recount every tally from them: the mend for any drift."""
    everyone_refresh(today=today)


def tallies_recount() -> None:
    """Set every tally from the standings, in one grouped query and one write per scope."""
    counts: dict[tuple[str, str, int], Counter] = defaultdict(Counter)
    rows = Standing.objects.values("scope", "kind", "item_id", "status").annotate(n=Count("pk")).order_by()
    for row in rows:
        for scope in scopes_of(row["scope"]):
            counts[(scope, row["kind"], row["item_id"])][row["status"]] += row["n"]
    # Readers go on seeing the old counts until the new ones are committed.
    with transaction.atomic():
        Tally.objects.all().delete()
        Tally.objects.bulk_create(
            [
                Tally(scope=scope, kind=kind, item_id=item_id, **_fields(found))
                for (scope, kind, item_id), found in counts.items()
            ],
            batch_size=BATCH,
        )


def dates_roll(*, today: datetime.date | None = None) -> int:
    """Refresh everyone whose standing a date has changed: now overdue, now expiring soon, now expired."""
    today = today or timezone.localdate()
    due = Q(status__in=[Status.NOT_STARTED, Status.IN_PROGRESS], due_on__lt=today)
    expiring = Q(status=Status.COMPLETE, expires_on__lte=_soon(today))
    expired = Q(status=Status.EXPIRING, expires_on__lte=today)
    ids = list(Standing.objects.filter(due | expiring | expired).values_list("person_id", flat=True).distinct())
    standings_refresh(ids, today=today)
    return len(ids)


def snapshot_take(day: datetime.date) -> int:
    """Copy today's tallies into the day's snapshot: per scope for each kind as a whole, per item for everyone."""
    whole: dict[tuple[str, str], Counter] = defaultdict(Counter)
    per_item = []
    for tally in Tally.objects.all():
        counts = {field: getattr(tally, field) for field in COUNT_FIELDS.values()}
        whole[(tally.scope, tally.kind)].update(counts)
        if tally.scope == "" and tally.kind != Kind.LICENCE:
            per_item.append(Snapshot(day=day, scope="", kind=tally.kind, item_id=tally.item_id, **counts))
    rows = per_item + [
        Snapshot(day=day, scope=scope, kind=kind, item_id=0, **counts) for (scope, kind), counts in whole.items()
    ]
    return _snapshots_write(day, rows)


def _snapshots_write(day: datetime.date, rows: list[Snapshot]) -> int:
    with transaction.atomic():
        Snapshot.objects.filter(day=day).delete()
        Snapshot.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def snapshot_backfill(day: datetime.date) -> int:
    """The day's snapshot worked out from the records' own dates, for days before reports were kept.

    Documents are taken as they are now (their current version and audience),
    and people as they are now: an approximation good enough for a trend line,
    said so in docs/decisions.md.
    """
    counts: dict[tuple[str, str, int], Counter] = defaultdict(Counter)
    ids = list(User.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    for chunk in _chunks(ids):
        people = _people(chunk)
        path = {person.pk: person.department.path if person.department_id else "" for person in people}
        for (person_id, kind, item_id), computed in standings_compute(people, today=day, as_of=day).items():
            for scope in scopes_of(path[person_id]):
                counts[(scope, kind, item_id)][computed.status] += 1
    whole: dict[tuple[str, str], Counter] = defaultdict(Counter)
    rows = []
    for (scope, kind, item_id), found in counts.items():
        whole[(scope, kind)].update(found)
        if scope == "" and kind != Kind.LICENCE:
            rows.append(Snapshot(day=day, scope="", kind=kind, item_id=item_id, **_fields(found)))
    rows += [
        Snapshot(day=day, scope=scope, kind=kind, item_id=0, **_fields(found)) for (scope, kind), found in whole.items()
    ]
    return _snapshots_write(day, rows)


def _fields(found: Counter) -> dict[str, int]:
    return {COUNT_FIELDS[Status(status)]: n for status, n in found.items()}


# --- Refreshing after a change, once per transaction -----------------------------------------
_pending = threading.local()


def people_changed(person_ids: Iterable[int]) -> None:
    """Refresh these people once the current transaction commits (at once outside one).

    Many records can change in one request; the ids gather until the commit
    and are refreshed together. A large set goes to the background worker so
    the request that caused it is not held up.
    """
    pending = getattr(_pending, "ids", None)
    if pending is None:
        pending = _pending.ids = set()
    pending.update(person_ids)
    # Robust: the change itself is committed; a failure here is logged, and the nightly pass and the
    # weekly recount catch the reports up.
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    ids = getattr(_pending, "ids", None)
    if not ids:
        return
    _pending.ids = set()
    if len(ids) > settings.REPORTS_INLINE_LIMIT:
        from socialgov.reports.tasks import refresh_people

        for chunk in _chunks(sorted(ids)):
            refresh_people.delay(chunk)
    else:
        standings_refresh(ids)


def everyone_changed() -> None:
    """A change that can move anyone (a policy published, a course withdrawn): refresh everyone in the background.

    Saving a document and its version in one request asks once.
    """
    _pending.everyone = True
    transaction.on_commit(_flush_everyone, robust=True)


def _flush_everyone() -> None:
    from socialgov.reports.tasks import refresh_everyone

    if getattr(_pending, "everyone", False):
        _pending.everyone = False
        refresh_everyone.delay()
