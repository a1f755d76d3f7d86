"""The calendar feed: read back with the icalendar library, opened only by the current secret link."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from socialgov.rota.feeds import calendar_feed_person, calendar_ics
from socialgov.rota.models import CalendarFeed, Shift
from socialgov.rota.services import calendar_feed_renew, calendar_token_hash
from tests.rota.conftest import MONDAY, SATURDAY, SUNDAY, ShiftFactory, at, next_day

pytestmark = pytest.mark.django_db

NOW = at(SATURDAY, 12)


def feed_url(token: str) -> str:
    return reverse("rota:calendar", kwargs={"token": token})


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def test_the_feed_lists_the_persons_shifts_from_30_days_ago(alex, blair):
    recent = ShiftFactory(person=alex, starts_at=at(MONDAY, 17, 30), ends_at=at(next_day(MONDAY), 9))
    ShiftFactory(person=alex, starts_at=at(next_day(MONDAY, -40), 17, 30), ends_at=at(next_day(MONDAY, -39), 9))
    coming = ShiftFactory(person=alex, role=Shift.Role.SECONDARY, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9),
                          note="Gala weekend")  # fmt: skip
    ShiftFactory(person=blair, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9))
    calendar = parse(calendar_ics(person=alex, now=NOW))
    events = calendar.events
    assert [(e.start, e.end, str(e["SUMMARY"])) for e in events] == [
        (recent.starts_at, recent.ends_at, "On call (primary)"),
        (coming.starts_at, coming.ends_at, "On call (secondary)"),
    ]
    assert [str(e["UID"]) for e in events] == [
        f"rota-shift-{recent.pk}@socialgov.glenmorven.gov.uk",
        f"rota-shift-{coming.pk}@socialgov.glenmorven.gov.uk",
    ]
    assert all(e.DTSTAMP == NOW for e in events)
    assert str(events[1]["DESCRIPTION"]).startswith("Gala weekend\n\nYou are secondary on call.")
    assert calendar.refresh_interval == datetime.timedelta(hours=1)
    assert "X-PUBLISHED-TTL:PT1H" in calendar.to_ical().decode()


def test_times_are_in_utc_so_a_clock_change_needs_no_time_zone_rules(alex):
    shift = ShiftFactory(person=alex, starts_at=at(datetime.date(2026, 10, 24), 17, 30),
                         ends_at=at(datetime.date(2026, 10, 25), 9))  # fmt: skip
    content = calendar_ics(person=alex, now=at(datetime.date(2026, 10, 20), 12)).decode()
    assert "DTSTART:20261024T163000Z" in content
    assert "DTEND:20261025T090000Z" in content
    event = parse(content.encode()).events[0]
    assert event.end - event.start == shift.ends_at - shift.starts_at == datetime.timedelta(hours=16, minutes=30)


def test_uids_stay_the_same_when_a_shift_changes(alex):
    shift = ShiftFactory(person=alex, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9))
    before = parse(calendar_ics(person=alex, now=NOW)).events[0]["UID"]
    shift.ends_at = at(SUNDAY, 10)
    shift.save(update_fields=["ends_at"])
    assert parse(calendar_ics(person=alex, now=NOW)).events[0]["UID"] == before


def test_the_link_opens_the_feed_without_signing_in(client, alex):
    ShiftFactory(person=alex, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9))
    token = calendar_feed_renew(person=alex)
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    assert len(parse(response.content).events) == 1
    assert client.head(feed_url(token)).status_code == 200
    assert client.post(feed_url(token)).status_code == 405


def test_only_a_hash_of_the_token_is_stored(alex):
    token = calendar_feed_renew(person=alex)
    stored = CalendarFeed.objects.get(person=alex).token_hash
    assert token not in stored
    assert stored == calendar_token_hash(token)
    assert calendar_feed_person(token) == alex


def test_an_unknown_token_is_not_found(client, alex):
    calendar_feed_renew(person=alex)
    assert client.get(feed_url("not-a-real-token")).status_code == 404
    assert client.get("/rota/calendar/has.dots.ics").status_code == 404
    assert calendar_feed_person("x" * 500) is None


def test_a_new_link_stops_the_old_one_working(client, alex):
    old = calendar_feed_renew(person=alex)
    new = calendar_feed_renew(person=alex)
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert CalendarFeed.objects.count() == 1


def test_a_leavers_link_stops_working(client, alex):
    token = calendar_feed_renew(person=alex)
    alex.is_active = False
    alex.save(update_fields=["is_active"])
    assert client.get(feed_url(token)).status_code == 404


def test_the_feed_takes_two_queries(django_assert_num_queries, alex):
    token = calendar_feed_renew(person=alex)
    for n in range(10):
        day = next_day(MONDAY, n)
        ShiftFactory(person=alex, starts_at=at(day, 17, 30), ends_at=at(next_day(day), 9))
    with django_assert_num_queries(2):
        calendar_ics(person=calendar_feed_person(token), now=NOW)
