import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from socialgov.notifications import registry
from socialgov.notifications.digests import _write_batch, digests_build, digests_plan
from socialgov.notifications.models import Message, Notification, Preference, ReminderPolicy
from tests.factories import UserFactory
from tests.notifications.conftest import TUESDAY, at

DAY = datetime.timedelta(days=1)


def digests():
    return Message.objects.filter(kind=registry.DIGEST.key)


def test_a_new_starter_gets_a_digest_that_reads_well(new_starter):
    assert digests_build(now=at(TUESDAY, 9, 5)) == 1
    message = digests().get()
    assert message.recipient == new_starter
    assert message.to_email == new_starter.email
    assert message.status == Message.Status.PENDING
    assert message.digest_date == TUESDAY
    assert message.subject == "1 thing to do – SocialGov"
    assert "Hello Isla Newton" in message.body_text
    assert "Sign in to SocialGov for the first time" in message.body_text
    assert "Due in 4 days" in message.body_text
    assert "https://socialgov.glenmorven.gov.uk/accounts/login/" in message.body_text
    assert "https://socialgov.glenmorven.gov.uk/notifications/preferences/" in message.body_text
    assert "Glenmorven Council" in message.body_text
    assert '<html lang="en-GB">' in message.body_html
    assert 'href="https://socialgov.glenmorven.gov.uk/accounts/login/"' in message.body_html
    notification = Notification.objects.get(recipient=new_starter)
    assert notification.title == "Sign in to SocialGov for the first time"
    assert notification.read_at is None


def test_building_again_the_same_day_writes_nothing(new_starter):
    assert digests_build(now=at(TUESDAY, 9, 5)) == 1
    assert digests_build(now=at(TUESDAY, 9, 20)) == 0
    assert digests_build(now=at(TUESDAY, 14, 0)) == 0
    assert digests().count() == 1
    assert Notification.objects.count() == 1


def test_no_digest_before_the_persons_time_or_outside_working_days(new_starter):
    Preference.objects.create(person=new_starter, digest_time=datetime.time(11, 0))
    assert digests_build(now=at(TUESDAY, 10, 55)) == 0
    saturday = TUESDAY + 4 * DAY
    assert digests_build(now=at(saturday, 11, 30)) == 0
    st_andrews_day = datetime.date(2026, 11, 30)
    assert digests_build(now=at(st_andrews_day, 11, 30)) == 0
    assert digests_build(now=at(TUESDAY, 18, 0)) == 0
    assert digests_build(now=at(TUESDAY, 11, 0)) == 1


def test_the_next_digest_comes_only_with_a_new_trigger(new_starter):
    # Due on Saturday 28th: offsets 7 (already passed), 1 (Friday), 0 (Saturday → Monday).
    assert digests_build(now=at(TUESDAY, 9, 5)) == 1
    assert digests_build(now=at(TUESDAY + DAY, 9, 5)) == 0
    assert digests_build(now=at(TUESDAY + 3 * DAY, 9, 5)) == 1  # Friday: due tomorrow
    monday_holiday = datetime.date(2026, 11, 30)
    assert digests_build(now=at(monday_holiday, 9, 5)) == 0
    assert digests_build(now=at(monday_holiday + DAY, 9, 5)) == 1  # the Saturday trigger, carried over
    assert digests_build(now=at(monday_holiday + 2 * DAY, 9, 5)) == 0


def test_overdue_items_reach_the_line_manager_after_the_set_days(new_starter, manager):
    ReminderPolicy.objects.create(kind="people.account_setup", offsets="0", overdue_every_days=0, escalate_after_days=3)
    due = new_starter.start_date + datetime.timedelta(days=7)
    late = due + 3 * DAY
    while late.weekday() >= 5:
        late += DAY
    digests_build(now=at(late, 9, 5))
    manager_digest = digests().get(recipient=manager)
    assert "YOUR TEAM" in manager_digest.body_text
    assert "Isla Newton: Sign in to SocialGov for the first time" in manager_digest.body_text
    assert "Overdue by" in manager_digest.body_text
    assert manager_digest.subject == "Your team has overdue items – SocialGov"


def test_people_can_switch_off_optional_kinds_but_not_mandatory_ones(new_starter):
    optional = registry.Kind(key="tests.optional", label="Optional", group="Optional", is_mandatory=False)

    class OptionalSource:
        kind = optional

        def due_items(self, *, today):
            yield registry.DueItem(new_starter.pk, optional.key, "x", "An optional thing", "/", today)

    registry.register(OptionalSource())
    try:
        Preference.objects.create(person=new_starter, opted_out_kinds=[optional.key, "people.account_setup"])
        digests_build(now=at(TUESDAY, 9, 5))
        body = digests().get().body_text
        assert "An optional thing" not in body
        assert "Sign in to SocialGov for the first time" in body
    finally:
        registry.unregister(optional.key)


def test_a_disabled_policy_sends_nothing(new_starter):
    ReminderPolicy.objects.create(kind="people.account_setup", is_enabled=False)
    assert digests_build(now=at(TUESDAY, 9, 5)) == 0


def test_a_digest_another_sweep_wrote_first_is_left_alone(new_starter):
    # Both sweeps planned the digest; the other one inserted it first.
    planned = digests_plan(now=at(TUESDAY, 9, 5))
    assert [digest.person_id for digest in planned] == [new_starter.pk]
    Message.objects.create(
        recipient=new_starter,
        kind=registry.DIGEST.key,
        subject="Written by the other sweep",
        idempotency_key=f"digest:{new_starter.pk}:{TUESDAY}",
        digest_date=TUESDAY,
    )
    assert _write_batch(planned, today=TUESDAY, now=at(TUESDAY, 9, 5)) == 0
    assert digests().get().subject == "Written by the other sweep"
    assert not Notification.objects.exists(), "the sweep that wrote the digest also wrote its notifications"


def test_building_digests_takes_the_same_queries_for_5_or_50_people(db, manager):
    def build_for(count: int, day: datetime.date) -> int:
        Message.objects.all().delete()
        UserFactory.create_batch(count, start_date=day - DAY, line_manager=manager)
        with CaptureQueriesContext(connection) as queries:
            assert digests_build(now=at(day, 9, 5)) >= count
        return len(queries)

    small = build_for(5, TUESDAY)
    large = build_for(50, TUESDAY + DAY)
    assert small == large


def _sweep_every_quarter_hour(start: datetime.date, days: int) -> list[datetime.datetime]:
    """Run the sweep every 15 minutes of real (UTC) time, as beat does, and return when digests were written."""
    written_at = []
    moment = datetime.datetime(start.year, start.month, start.day, tzinfo=datetime.UTC)
    end = moment + datetime.timedelta(days=days)
    while moment < end:
        if digests_build(now=moment):
            written_at.append(moment)
        moment += datetime.timedelta(minutes=15)
    return written_at


def _due_every_day(person, start: datetime.date) -> None:
    """A policy that reminds every day, and an item far enough away to use it."""
    ReminderPolicy.objects.create(
        kind="people.account_setup", offsets=", ".join(str(d) for d in range(8)), overdue_every_days=1
    )
    person.start_date = start
    person.save()


def test_the_autumn_clock_change_neither_skips_nor_doubles_a_digest(new_starter):
    # British Summer Time ends at 02:00 on Sunday 25 October 2026.
    _due_every_day(new_starter, datetime.date(2026, 10, 20))
    written = _sweep_every_quarter_hour(datetime.date(2026, 10, 22), days=6)
    local = [timezone.localtime(moment) for moment in written]
    assert [m.date() for m in local] == [datetime.date(2026, 10, d) for d in (22, 23, 26, 27)]
    assert all(m.time() == datetime.time(9, 0) for m in local), local


def test_the_spring_clock_change_neither_skips_nor_doubles_a_digest(new_starter):
    # British Summer Time starts at 01:00 on Sunday 29 March 2026.
    _due_every_day(new_starter, datetime.date(2026, 3, 24))
    written = _sweep_every_quarter_hour(datetime.date(2026, 3, 26), days=6)
    local = [timezone.localtime(moment) for moment in written]
    assert [m.date() for m in local] == [datetime.date(2026, 3, d) for d in (26, 27, 30, 31)]
    assert all(m.time() == datetime.time(9, 0) for m in local), local
