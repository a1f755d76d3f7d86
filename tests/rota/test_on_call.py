"""Who is on call at a moment, and the escalation ladder the incident pages will ring down."""

import datetime

import pytest

from socialgov.rota.models import OnCallPhone, RotaSettings, Shift
from socialgov.rota.selectors import escalation_ladder, on_call_at
from tests.rota.conftest import CLOCKS_BACK, CLOCKS_FORWARD, MONDAY, UTC, ShiftFactory, at, next_day

pytestmark = pytest.mark.django_db

PRIMARY, SECONDARY = Shift.Role.PRIMARY, Shift.Role.SECONDARY


@pytest.fixture
def head(casey):
    RotaSettings.objects.create(head_of_comms=casey)
    return casey


def overnight(person, role, day=MONDAY):
    return ShiftFactory(person=person, role=role, starts_at=at(day, 17, 30), ends_at=at(next_day(day), 9))


def test_the_night_shift_covers_both_sides_of_midnight(alex, blair, head):
    overnight(alex, PRIMARY)
    overnight(blair, SECONDARY)
    for moment in (at(MONDAY, 23, 59), at(next_day(MONDAY), 0, 0), at(next_day(MONDAY), 8, 59)):
        on_call = on_call_at(moment)
        assert (on_call.primary, on_call.secondary, on_call.head_of_comms) == (alex, blair, head)


def test_a_shift_starts_on_its_first_minute_and_is_over_at_its_last(alex, head):
    overnight(alex, PRIMARY)
    assert on_call_at(at(MONDAY, 17, 30)).primary == alex
    assert on_call_at(at(MONDAY, 17, 29)).primary is None
    assert on_call_at(at(next_day(MONDAY), 9)).primary is None


def test_the_night_the_clocks_go_back_is_an_hour_longer_and_covered_throughout(alex):
    shift = ShiftFactory(person=alex, starts_at=at(next_day(CLOCKS_BACK, -1), 17, 30), ends_at=at(CLOCKS_BACK, 9))
    assert shift.ends_at - shift.starts_at == datetime.timedelta(hours=16, minutes=30)
    # 01:30 happens twice that night: BST, then GMT an hour later.
    bst_0130, gmt_0130 = (
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )
    for moment in (bst_0130, gmt_0130):
        assert on_call_at(moment).primary == alex
    assert on_call_at(at(CLOCKS_BACK, 9)).primary is None


def test_the_night_the_clocks_go_forward_is_an_hour_shorter(alex):
    shift = ShiftFactory(person=alex, starts_at=at(next_day(CLOCKS_FORWARD, -1), 17, 30), ends_at=at(CLOCKS_FORWARD, 9))
    assert shift.ends_at - shift.starts_at == datetime.timedelta(hours=14, minutes=30)
    assert on_call_at(at(CLOCKS_FORWARD, 8, 59)).primary == alex
    assert on_call_at(at(CLOCKS_FORWARD, 9)).primary is None


def test_in_a_handover_the_person_coming_on_is_primary(alex, blair):
    ShiftFactory(person=alex, starts_at=at(MONDAY, 9), ends_at=at(MONDAY, 17, 45))
    ShiftFactory(person=blair, starts_at=at(MONDAY, 17, 30), ends_at=at(next_day(MONDAY), 9))
    on_call = on_call_at(at(MONDAY, 17, 40))
    assert on_call.primary == blair
    assert {shift.person for shift in on_call.shifts} == {alex, blair}
    assert on_call_at(at(MONDAY, 17, 20)).primary == alex


def test_a_leaver_is_never_on_call(alex, blair, head):
    overnight(alex, PRIMARY)
    overnight(blair, SECONDARY)
    alex.is_active = False
    alex.save(update_fields=["is_active"])
    blair.leaving_date = next_day(MONDAY)
    blair.save(update_fields=["leaving_date"])
    on_call = on_call_at(at(MONDAY, 20))
    assert (on_call.primary, on_call.secondary) == (None, blair)
    # Blair's leaving date is her first day gone.
    assert on_call_at(at(next_day(MONDAY), 1)).secondary is None
    assert escalation_ladder(at(next_day(MONDAY), 1)) == [head]


def test_the_ladder_is_primary_then_secondary_then_head_of_comms(alex, blair, head):
    overnight(alex, PRIMARY)
    overnight(blair, SECONDARY)
    assert escalation_ladder(at(MONDAY, 20)) == [alex, blair, head]


def test_the_ladder_names_nobody_twice_and_skips_nobody(alex, head):
    overnight(head, PRIMARY)
    overnight(alex, SECONDARY)
    assert escalation_ladder(at(MONDAY, 20)) == [head, alex]
    assert escalation_ladder(at(MONDAY, 12)) == [head]
    RotaSettings.objects.update(head_of_comms=None)
    assert escalation_ladder(at(MONDAY, 12)) == []


def test_the_rungs_carry_phone_numbers_and_say_who_is_missing(alex, head):
    overnight(alex, PRIMARY)
    OnCallPhone.objects.create(person=alex, number="+447700900123")
    rungs = on_call_at(at(MONDAY, 20)).rungs
    assert [(r.label, r.person, r.phone) for r in rungs] == [
        ("Primary", alex, "07700 900123"),
        ("Secondary", None, ""),
        ("Head of communications", head, ""),
    ]
    assert rungs[0].phone_e164 == "+447700900123"


def test_on_call_takes_three_queries_however_long_the_rota(django_assert_num_queries, alex, blair, head):
    RotaSettings.current()
    for n in range(30):
        overnight(alex if n % 2 else blair, PRIMARY, day=next_day(MONDAY, n))
    with django_assert_num_queries(3):
        on_call_at(at(next_day(MONDAY, 3), 20))


def test_cover_is_needed_out_of_hours_or_round_the_clock():
    assert not on_call_at(at(MONDAY, 12)).is_cover_needed
    assert on_call_at(at(MONDAY, 17, 30)).is_cover_needed
    assert on_call_at(at(next_day(MONDAY, 5), 12)).is_cover_needed  # Saturday
    RotaSettings.objects.update(is_round_the_clock=True)
    assert on_call_at(at(MONDAY, 12)).is_cover_needed
