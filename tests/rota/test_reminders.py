"""Shift reminders: each shift's person is told once, before it starts, day or night."""

import datetime

import pytest
from django_celery_beat.models import PeriodicTask

from socialgov.notifications import registry
from socialgov.notifications.models import Message, Notification
from socialgov.rota.models import OnCallPhone, RotaSettings, Shift
from socialgov.rota.reminders import SHIFT_STARTING, shift_reminders_send
from socialgov.rota.tasks import shift_reminders
from tests.rota.conftest import SATURDAY, SUNDAY, ShiftFactory, at

pytestmark = pytest.mark.django_db

STARTS = at(SATURDAY, 17, 30)


@pytest.fixture
def shift(alex):
    return ShiftFactory(person=alex, starts_at=STARTS, ends_at=at(SUNDAY, 9), note="Gala weekend")


def minutes_before(minutes: int) -> datetime.datetime:
    return STARTS - datetime.timedelta(minutes=minutes)


def test_the_reminder_goes_within_the_reminder_time_and_not_before(shift):
    assert shift_reminders_send(minutes_before(61)) == 0
    assert shift_reminders_send(minutes_before(60)) == 1
    assert Notification.objects.get().recipient == shift.person


def test_running_twice_sends_once(shift):
    assert shift_reminders_send(minutes_before(55)) == 1
    assert shift_reminders_send(minutes_before(50)) == 0
    assert shift_reminders_send(minutes_before(55)) == 0
    assert Notification.objects.count() == 1
    assert Message.objects.count() == 1


def test_the_reminder_is_urgent_so_it_goes_out_of_hours(django_capture_on_commit_callbacks, shift, blair, casey):
    assert registry.kind(SHIFT_STARTING.key).is_urgent
    ShiftFactory(person=blair, role=Shift.Role.SECONDARY, starts_at=STARTS, ends_at=at(SUNDAY, 9))
    RotaSettings.objects.create(head_of_comms=casey)
    OnCallPhone.objects.create(person=blair, number="+447700900222")
    shift_reminders_send(minutes_before(30))
    message = Message.objects.get(recipient=shift.person)
    assert message.is_urgent
    assert message.subject == "[SocialGov] You are primary on call from Sat 21 Nov 17:30"
    assert "from Sat 21 Nov 17:30 to Sun 22 Nov 09:00 (UK time)" in message.body_text
    assert "Note: Gala weekend" in message.body_text
    assert "- Secondary: Blair Brown, 07700 900222, blair.brown@glenmorven.gov.uk" in message.body_text
    assert "- Head of communications: Casey Clark, casey.clark@glenmorven.gov.uk" in message.body_text
    assert "https://socialgov.glenmorven.gov.uk/rota/mine/" in message.body_text
    assert "<strong>primary on call</strong>" in message.body_html


def test_the_reminder_time_is_a_setting(shift):
    RotaSettings.objects.create(shift_reminder_minutes=120)
    assert shift_reminders_send(minutes_before(119)) == 1


def test_a_run_missed_just_before_the_start_is_caught_up(shift):
    assert shift_reminders_send(STARTS + datetime.timedelta(minutes=10)) == 1
    shift.starts_at = at(SATURDAY, 18)
    shift.save(update_fields=["starts_at"])
    assert shift_reminders_send(at(SATURDAY, 18, 20)) == 0, "not long after its start"
    assert shift_reminders_send(at(SATURDAY, 18, 10)) == 1, "a moved shift is reminded again"


def test_a_shift_handed_to_someone_else_reminds_them_too(shift, blair):
    shift_reminders_send(minutes_before(50))
    shift.person = blair
    shift.save(update_fields=["person"])
    assert shift_reminders_send(minutes_before(45)) == 1
    assert set(Notification.objects.values_list("recipient__email", flat=True)) == {
        "alex.adams@glenmorven.gov.uk",
        "blair.brown@glenmorven.gov.uk",
    }


def test_leavers_are_not_reminded(shift):
    shift.person.is_active = False
    shift.person.save(update_fields=["is_active"])
    assert shift_reminders_send(minutes_before(30)) == 0


def test_the_task_runs_every_five_minutes_from_the_database_schedule(shift):
    task = PeriodicTask.objects.get(task="rota.shift_reminders")
    assert (task.crontab.minute, task.crontab.hour, str(task.crontab.timezone)) == ("*/5", "*", "Europe/London")
    assert shift_reminders.delay(at=minutes_before(20).isoformat()).get() == 1
    assert shift_reminders.delay(at=minutes_before(15).isoformat()).get() == 0
