"""Standings and tallies: worked out right, kept right as records change, and equal to a recount."""

from collections import Counter

import pytest

from policies.models import Acknowledgement
from socialgov.people.services import person_deactivate
from socialgov.reports import rollups
from socialgov.reports.models import LICENCE_ITEM, Kind, Snapshot, Standing, Status, Tally
from tests.factories import UserFactory
from tests.reports.conftest import TODAY, acknowledge, assign, complete, days

pytestmark = pytest.mark.django_db


def statuses(kind, item_id, people):
    rows = Standing.objects.filter(kind=kind, item_id=item_id, person__in=people.values())
    by_person = {row.person_id: row.status for row in rows}
    return {name: by_person.get(person.pk) for name, person in people.items()}


def tally(scope, kind, item_id) -> dict[str, int]:
    row = Tally.objects.filter(scope=scope, kind=kind, item_id=item_id).first()
    if row is None:
        return {}  # nobody to count there: a recount keeps no empty rows
    return {status.value: getattr(row, status.value) for status in Status if getattr(row, status.value)}


def test_each_course_state_is_worked_out(organisation):
    rollups.rebuild(today=TODAY)
    found = statuses(Kind.COURSE, organisation.course.pk, organisation.people)
    assert found == {
        "overdue": Status.OVERDUE,
        "not_started": Status.NOT_STARTED,
        "in_progress": Status.IN_PROGRESS,
        "complete": Status.COMPLETE,
        "expiring": Status.EXPIRING,
        "expired": Status.EXPIRED,
        "exempt": Status.EXEMPT,
        "librarian": None,  # never assigned: nothing owed
    }


def test_the_licence_counts_everyone(organisation):
    rollups.rebuild(today=TODAY)
    found = statuses(Kind.LICENCE, LICENCE_ITEM, organisation.people)
    assert found["complete"] == Status.COMPLETE
    assert found["expired"] == Status.EXPIRED
    assert found["librarian"] == Status.NOT_STARTED


def test_tallies_roll_up_the_department_tree(organisation):
    rollups.rebuild(today=TODAY)
    course = organisation.course.pk
    team = tally(organisation.repairs.path, Kind.COURSE, course)
    assert team == dict.fromkeys(
        ["overdue", "not_started", "in_progress", "complete", "expiring", "expired", "exempt"], 1
    )
    assert tally(organisation.housing.path, Kind.COURSE, course) == team
    assert tally(organisation.directorate.path, Kind.COURSE, course) == team
    assert not Tally.objects.filter(scope=organisation.libraries.path, kind=Kind.COURSE).exists()
    licence = Tally.objects.get(scope=organisation.directorate.path, kind=Kind.LICENCE, item_id=LICENCE_ITEM)
    assert (licence.total, licence.compliant) == (8, 1)
    row = Tally.objects.get(scope=organisation.repairs.path, kind=Kind.COURSE, item_id=course)
    assert (row.total, row.compliant, row.percent) == (7, 3, 42)


def test_policy_standings_follow_acknowledgements_and_due_dates(organisation, policy, hr):
    people = organisation.people
    acknowledge(people["complete"], policy)
    acknowledge(people["exempt"], policy, kind=Acknowledgement.Kind.EXEMPT, by=hr)
    rollups.rebuild(today=TODAY)
    found = statuses(Kind.POLICY, policy.pk, people)
    assert found["complete"] == Status.COMPLETE
    assert found["exempt"] == Status.EXEMPT
    # Published 30 days ago with 14 days allowed: everyone else is overdue.
    assert found["librarian"] == Status.OVERDUE
    # Except a new starter, whose time runs from their start date.
    starter = UserFactory(department=organisation.libraries, start_date=TODAY - days(3))
    rollups.standings_refresh([starter.pk], today=TODAY)
    row = Standing.objects.get(person=starter, kind=Kind.POLICY, item_id=policy.pk)
    assert (row.status, row.due_on) == (Status.NOT_STARTED, TODAY + days(11))


def recount() -> dict:
    """The tallies as a recount from standings gives them, to compare with the incrementally kept ones."""
    return {
        (t.scope, t.kind, t.item_id): tuple(getattr(t, s.value) for s in Status) for t in Tally.objects.all() if t.total
    }


def test_changes_move_the_tallies_exactly_as_a_recount_would(organisation, policy, django_capture_on_commit_callbacks):
    rollups.rebuild(today=TODAY)
    people = organisation.people
    with django_capture_on_commit_callbacks(execute=True):
        complete(people["overdue"], organisation.course, on=TODAY, expires_on=TODAY + days(365))
        acknowledge(people["librarian"], policy)
        people["in_progress"].department = organisation.libraries
        people["in_progress"].save()
    kept = recount()
    rollups.tallies_recount()
    assert recount() == kept
    directorate = tally(organisation.directorate.path, Kind.COURSE, organisation.course.pk)
    assert directorate["complete"] == 2
    assert "overdue" not in directorate
    # The move took the in-progress person from Housing (and Repairs) to Libraries, directorate unchanged.
    assert tally(organisation.libraries.path, Kind.COURSE, organisation.course.pk) == {"in_progress": 1}
    assert "in_progress" not in tally(organisation.housing.path, Kind.COURSE, organisation.course.pk)
    assert directorate["in_progress"] == 1


def test_a_leaver_leaves_the_figures(organisation, django_capture_on_commit_callbacks):
    rollups.rebuild(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        person_deactivate(person=organisation.people["overdue"])
    assert not Standing.objects.filter(person=organisation.people["overdue"]).exists()
    assert "overdue" not in tally(organisation.repairs.path, Kind.COURSE, organisation.course.pk)


def test_one_change_costs_a_fixed_number_of_queries(organisation, django_assert_max_num_queries):
    rollups.rebuild(today=TODAY)
    person = organisation.people["overdue"]
    complete(person, organisation.course, on=TODAY, expires_on=TODAY + days(365))
    with django_assert_max_num_queries(16):
        rollups.standings_refresh([person.pk], today=TODAY)


def test_the_nightly_pass_moves_what_dates_have_changed(organisation):
    rollups.rebuild(today=TODAY)
    people = organisation.people
    later = TODAY + days(21)  # past the open assignments' due date and the expiring completion's expiry
    rolled = rollups.dates_roll(today=later)
    assert rolled >= 2
    found = statuses(Kind.COURSE, organisation.course.pk, people)
    assert found["not_started"] == Status.OVERDUE
    assert found["in_progress"] == Status.OVERDUE
    assert found["expiring"] == Status.EXPIRED
    assert found["complete"] == Status.COMPLETE
    kept = recount()
    rollups.tallies_recount()
    assert recount() == kept


def test_snapshots_keep_the_day_and_backfill_from_record_dates(organisation):
    rollups.rebuild(today=TODAY)
    rollups.snapshot_take(TODAY)
    today = Snapshot.objects.get(day=TODAY, scope=organisation.repairs.path, kind=Kind.COURSE, item_id=0)
    assert (today.total, today.compliant) == (7, 3)
    # A year ago only the (now expired) completion existed, and was current then.
    rollups.snapshot_backfill(TODAY - days(380))
    then = Snapshot.objects.get(day=TODAY - days(380), scope=organisation.repairs.path, kind=Kind.COURSE, item_id=0)
    assert (then.total, then.compliant, then.complete) == (1, 1, 1)
    counted = Counter(Snapshot.objects.filter(day=TODAY, scope="").values_list("kind", flat=True))
    assert counted[Kind.COURSE] == 2  # the course itself, and all courses together


def test_a_withdrawn_assignment_owes_nothing(organisation):
    person = organisation.people["librarian"]
    assign(person, organisation.course, due_on=TODAY + days(5), status="withdrawn", closed_at=None)
    rollups.rebuild(today=TODAY)
    assert not Standing.objects.filter(person=person, kind=Kind.COURSE).exists()


def test_publishing_a_policy_asks_its_audience_and_drafts_do_not(
    organisation, comms_lead, django_capture_on_commit_callbacks
):
    from tests.policies.conftest import document_draft, publish_document

    with django_capture_on_commit_callbacks(execute=True):
        document = publish_document(comms_lead, title="Posting in a personal capacity")
    assert Standing.objects.filter(kind=Kind.POLICY, item_id=document.pk).count() > 8
    rollups._pending.everyone = False
    with django_capture_on_commit_callbacks(execute=False):
        document_draft(comms_lead, title="A draft nobody is asked to read")
    assert rollups._pending.everyone is False


def test_moving_a_department_moves_its_people_in_the_tallies(organisation, django_capture_on_commit_callbacks):
    from socialgov.people.services import department_create

    rollups.rebuild(today=TODAY)
    other = department_create(name="Resources", parent=None)
    repairs = organisation.repairs
    with django_capture_on_commit_callbacks(execute=True):
        repairs.parent = other
        repairs.path = f"{other.path}{repairs.pk}/"
        repairs.depth = 1
        repairs.save()
    assert tally(other.path, Kind.COURSE, organisation.course.pk)["overdue"] == 1
    assert "overdue" not in tally(organisation.directorate.path, Kind.COURSE, organisation.course.pk)


def test_a_long_series_is_shown_a_week_at_a_time():
    import datetime

    from socialgov.reports.selectors import weekly

    end = datetime.date(2026, 11, 24)
    points = [(end - datetime.timedelta(days=n), n) for n in range(364, -1, -1)]
    kept = weekly(points, end)
    assert len(kept) == 53
    assert kept[-1] == (end, 0)
    assert all((end - day).days % 7 == 0 for day, _ in kept)
    assert weekly(points[-30:], end) == points[-30:]


def test_the_nightly_task_is_scheduled_and_keeps_the_day(organisation):
    from django_celery_beat.models import PeriodicTask

    from socialgov.reports import tasks

    scheduled = set(PeriodicTask.objects.filter(task__startswith="reports.").values_list("task", flat=True))
    assert scheduled == {"reports.nightly", "reports.rebuild"}
    tasks.rebuild.delay()
    done = tasks.nightly.delay(day=TODAY.isoformat()).get()
    assert done["snapshot_rows"] > 0
    assert Snapshot.objects.filter(day=TODAY, scope=organisation.repairs.path, kind=Kind.COURSE).exists()
