"""The escalation ladder with a controllable clock: who is paged when, once each, and what stops it."""

from __future__ import annotations

import datetime

import pytest

from incidents.escalation import escalations_run
from incidents.models import Page, TimelineEntry
from incidents.services import IncidentError, incident_acknowledge, incident_open, page_acknowledge, step_take
from socialgov.notifications.models import Message
from tests.factories import UserFactory
from tests.incidents.conftest import NIGHT

pytestmark = pytest.mark.django_db


def minutes(n: float) -> datetime.datetime:
    return NIGHT + datetime.timedelta(minutes=n)


def paged(incident, subject="incident") -> list:
    return [p.recipient for p in Page.objects.filter(incident=incident, subject=subject).order_by("sequence")]


@pytest.fixture
def incident(ladder, playbook, staff, settings):
    settings.INCIDENT_ESCALATION_MINUTES = 10
    settings.INCIDENT_ESCALATION_ROUNDS = 2
    return incident_open(opened_by=staff, playbook=playbook, now=NIGHT)


def test_the_ladder_is_climbed_rung_by_rung_and_round_after_round(incident, ladder):
    primary, secondary, head = ladder

    assert escalations_run(NIGHT) == 1
    assert paged(incident) == [primary]
    assert escalations_run(minutes(9)) == 0
    escalations_run(minutes(10))
    assert paged(incident) == [primary, secondary]
    escalations_run(minutes(20))
    assert paged(incident) == [primary, secondary, head]
    escalations_run(minutes(30))
    assert paged(incident) == [primary, secondary, head, primary]
    escalations_run(minutes(600))  # two rounds, then it stops
    assert paged(incident) == [primary, secondary, head, primary, secondary, head]


def test_a_late_run_catches_up_and_a_repeated_run_sends_nothing_twice(incident, ladder):
    # The incident: pages at 0, 10 and 20 minutes; step 1 (target 15 minutes): at 15 and 25.
    assert escalations_run(minutes(25)) == 5
    assert escalations_run(minutes(25)) == 0
    assert Message.objects.filter(kind="incidents.page").count() == 5


def test_pages_are_urgent_messages_with_an_acknowledge_link(incident, ladder):
    escalations_run(NIGHT)

    message = Message.objects.get(kind="incidents.page")
    assert message.is_urgent
    assert message.recipient == ladder[0]
    assert "/incidents/acknowledge/" in message.body_text
    assert message.subject.startswith("URGENT: Account hacked")
    assert "You are paged as number 1 of 3 on the on-call ladder (round 1)" in message.body_text


def test_acknowledging_stops_the_incident_being_paged(incident, ladder):
    escalations_run(NIGHT)
    incident_acknowledge(incident=incident, by=ladder[0])

    escalations_run(minutes(14))

    assert paged(incident) == [ladder[0]]


def test_an_overdue_step_pages_until_someone_takes_it(incident, ladder):
    incident_acknowledge(incident=incident, by=ladder[0])
    step = incident.steps.get(order=1)  # target 15 minutes

    escalations_run(minutes(15))
    assert paged(incident, f"step:{step.pk}") == []
    escalations_run(minutes(15.5))
    assert paged(incident, f"step:{step.pk}") == [ladder[0]]
    escalations_run(minutes(26))
    assert paged(incident, f"step:{step.pk}") == [ladder[0], ladder[1]]

    step_take(step=step, by=ladder[1])
    escalations_run(minutes(60))
    assert paged(incident, f"step:{step.pk}") == [ladder[0], ladder[1]]


def test_the_incident_keeps_the_ladder_it_started_with(incident, ladder):
    from socialgov.rota.models import Shift

    Shift.objects.filter(person=ladder[0]).update(person=UserFactory())

    escalations_run(NIGHT)

    assert paged(incident) == [ladder[0]]


def test_the_link_acknowledges_once_for_its_recipient_only(incident, ladder, staff, monkeypatch):
    monkeypatch.setattr("incidents.escalation.secrets.token_urlsafe", lambda n: "the-token")
    escalations_run(NIGHT)
    token = "the-token"

    with pytest.raises(IncidentError, match="sent to Priya Primary"):
        page_acknowledge(token=token, by=staff)
    incident.refresh_from_db()
    assert incident.acknowledged_at is None

    _, outcome = page_acknowledge(token=token, by=ladder[0])
    assert "You have the incident" in outcome
    _, again = page_acknowledge(token=token, by=ladder[0])
    assert "already acknowledged" in again
    incident.refresh_from_db()
    assert incident.acknowledged_by == ladder[0]

    with pytest.raises(IncidentError, match="not one we sent"):
        page_acknowledge(token="made-up", by=ladder[0])


def test_nobody_on_the_rota_is_said_plainly(playbook, staff):
    incident = incident_open(opened_by=staff, playbook=playbook, now=NIGHT)

    assert incident.ladder == []
    assert escalations_run(NIGHT) == 0
    assert "Nobody is on the rota" in incident.timeline.last().text


def test_the_timeline_is_append_only(incident):
    entry = incident.timeline.first()

    with pytest.raises(ValueError, match="never changed"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
    assert TimelineEntry.objects.filter(pk=entry.pk).exists()


def test_a_possible_breach_reminds_everyone_at_24_48_and_66_hours_until_recorded(incident, ladder, staff):
    from incidents.services import breach_mark, breach_record
    from socialgov.notifications.models import Notification

    breach_mark(incident=incident, by=staff, now=NIGHT)

    def reminders() -> set[str]:
        return set(Notification.objects.filter(kind="incidents.breach").values_list("title", flat=True))

    escalations_run(NIGHT + datetime.timedelta(hours=23, minutes=59))
    assert reminders() == set()
    escalations_run(NIGHT + datetime.timedelta(hours=24))
    assert reminders() == {"48 hours left to report a possible breach: Account hacked"}
    assert Notification.objects.filter(kind="incidents.breach").count() == 4  # the ladder and the opener
    escalations_run(NIGHT + datetime.timedelta(hours=66))
    assert len(reminders()) == 3
    count = Notification.objects.filter(kind="incidents.breach").count()

    breach_record(incident=incident, by=ladder[0], outcome="reported", note="ICO reference 0042")
    escalations_run(NIGHT + datetime.timedelta(hours=71))
    assert Notification.objects.filter(kind="incidents.breach").count() == count
    assert incident.timeline.last().text == "Breach: reported to the regulator. ICO reference 0042"
