"""What is wrong with the rota, in words: gaps, overlaps and leavers, across weekends and clock changes."""

import datetime

import pytest

from socialgov.rota.models import RotaSettings, Shift
from socialgov.rota.selectors import Problem, required_cover, rota_for, rota_problems
from tests.rota.conftest import CLOCKS_BACK, FRIDAY, MONDAY, SATURDAY, SUNDAY, UTC, ShiftFactory, at, next_day

pytestmark = pytest.mark.django_db

PRIMARY, SECONDARY = Shift.Role.PRIMARY, Shift.Role.SECONDARY


def explanations(problems):
    return [problem.explanation for problem in problems]


def weekend(person, role):
    """Friday 17:30 to Monday 09:00 in three shifts."""
    return [
        ShiftFactory(person=person, role=role, starts_at=at(FRIDAY, 17, 30), ends_at=at(SATURDAY, 9)),
        ShiftFactory(person=person, role=role, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9)),
        ShiftFactory(person=person, role=role, starts_at=at(SUNDAY, 9), ends_at=at(next_day(SUNDAY), 9)),
    ]


def test_out_of_hours_is_evenings_nights_weekends_and_bank_holidays():
    cover = required_cover(at(FRIDAY, 0), at(next_day(SUNDAY, 2), 0))
    assert cover == [
        (at(FRIDAY, 0), at(FRIDAY, 9)),
        (at(FRIDAY, 17, 30), at(next_day(SUNDAY), 9)),
        (at(next_day(SUNDAY), 17, 30), at(next_day(SUNDAY, 2), 0)),
    ]
    # St Andrew's Day, Monday 30 November 2026, is a Scottish bank holiday: covered all day.
    st_andrews = datetime.date(2026, 11, 30)
    assert required_cover(at(st_andrews, 0), at(next_day(st_andrews), 0)) == [
        (at(st_andrews, 0), at(next_day(st_andrews), 0))
    ]


def test_a_fully_covered_weekend_has_no_problems(alex, blair):
    weekend(alex, PRIMARY)
    weekend(blair, SECONDARY)
    assert rota_problems(at(FRIDAY, 17, 30), at(next_day(SUNDAY), 9)) == []


def test_a_missing_night_is_a_gap_explained_in_words(alex, blair):
    saturday = weekend(alex, PRIMARY)[1]
    saturday.delete()
    weekend(blair, SECONDARY)
    problems = rota_problems(at(FRIDAY, 17, 30), at(next_day(SUNDAY), 9))
    assert explanations(problems) == ["Nobody is primary from Sat 21 Nov 09:00 to Sun 22 Nov 09:00"]
    assert (problems[0].kind, problems[0].role, problems[0].day) == (Problem.GAP, PRIMARY, SATURDAY)


def test_primary_and_secondary_gaps_are_reported_separately(alex):
    ShiftFactory(person=alex, role=PRIMARY, starts_at=at(SATURDAY, 17), ends_at=at(SUNDAY, 9))
    problems = rota_problems(at(SATURDAY, 9), at(SUNDAY, 9))
    assert explanations(problems) == [
        "Nobody is primary from Sat 21 Nov 09:00 to 17:00",
        "Nobody is secondary from Sat 21 Nov 09:00 to Sun 22 Nov 09:00",
    ]


def test_working_hours_are_not_a_gap_unless_the_rota_is_round_the_clock(alex, blair):
    ShiftFactory(person=alex, role=PRIMARY, starts_at=at(MONDAY, 17, 30), ends_at=at(next_day(MONDAY), 9))
    ShiftFactory(person=blair, role=SECONDARY, starts_at=at(MONDAY, 17, 30), ends_at=at(next_day(MONDAY), 9))
    window = (at(MONDAY, 9), at(next_day(MONDAY), 17, 30))
    assert rota_problems(*window) == []
    RotaSettings.objects.update(is_round_the_clock=True)
    assert explanations(rota_problems(*window)) == [
        "Nobody is primary from Mon 16 Nov 09:00 to 17:30",
        "Nobody is secondary from Mon 16 Nov 09:00 to 17:30",
        "Nobody is primary from Tue 17 Nov 09:00 to 17:30",
        "Nobody is secondary from Tue 17 Nov 09:00 to 17:30",
    ]


def test_two_primaries_at_once_are_an_overlap_explained_and_still_cover(alex, blair, casey):
    ShiftFactory(person=alex, role=PRIMARY, starts_at=at(SATURDAY, 9), ends_at=at(SATURDAY, 18))
    ShiftFactory(person=blair, role=PRIMARY, starts_at=at(SATURDAY, 17), ends_at=at(SUNDAY, 9))
    ShiftFactory(person=casey, role=SECONDARY, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9))
    problems = rota_problems(at(SATURDAY, 9), at(SUNDAY, 9))
    assert explanations(problems) == ["Alex Adams and Blair Brown are both primary from Sat 21 Nov 17:00 to 18:00"]
    assert problems[0].kind == Problem.OVERLAP
    assert {shift.person for shift in problems[0].shifts} == {alex, blair}


def test_three_overlapping_shifts_make_one_problem_per_pair(alex, blair, casey):
    for person in (alex, blair, casey):
        ShiftFactory(person=person, role=SECONDARY, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9))
    overlaps = [p for p in rota_problems(at(SATURDAY, 9), at(SUNDAY, 9)) if p.kind == Problem.OVERLAP]
    assert len(overlaps) == 3


def test_a_leavers_shift_is_a_problem_and_not_cover(alex, blair):
    blair.leaving_date = SUNDAY
    blair.save(update_fields=["leaving_date"])
    ShiftFactory(person=alex, role=SECONDARY, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9))
    ShiftFactory(person=blair, role=PRIMARY, starts_at=at(SATURDAY, 9), ends_at=at(SUNDAY, 9))
    assert explanations(rota_problems(at(SATURDAY, 9), at(SUNDAY, 9))) == [
        "Nobody is primary from Sat 21 Nov 09:00 to Sun 22 Nov 09:00",
        "Blair Brown is primary from Sat 21 Nov 09:00 to Sun 22 Nov 09:00, but leaves on 22 November 2026: "
        "give the shift to someone else",
    ]


def test_a_gap_in_the_hour_that_happens_twice_says_which_hour(alex, blair):
    # Alex is on until 01:30 BST; Blair comes on at 01:30 GMT, an hour later by the clock on the wall.
    bst_0130, gmt_0130 = (
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )
    ShiftFactory(person=alex, starts_at=at(next_day(CLOCKS_BACK, -1), 9), ends_at=bst_0130)
    ShiftFactory(person=blair, starts_at=gmt_0130, ends_at=at(next_day(CLOCKS_BACK), 9))
    gaps = [p for p in rota_problems(at(CLOCKS_BACK, 0), at(CLOCKS_BACK, 9)) if p.role == PRIMARY]
    assert explanations(gaps) == ["Nobody is primary from Sun 25 Oct 01:30 BST to 01:30 GMT"]
    assert gaps[0].ends_at - gaps[0].starts_at == datetime.timedelta(hours=1)


def test_the_fortnight_lists_each_shift_on_the_day_it_starts(alex, blair):
    saturday = weekend(alex, PRIMARY)[1]
    weekend(blair, SECONDARY)
    saturday.delete()
    rota = rota_for(first_day=FRIDAY, days=3)
    assert [day.day for day in rota.days] == [FRIDAY, SATURDAY, SUNDAY]
    assert [[row.shift.person for row in day.rows] for day in rota.days] == [[alex, blair], [blair], [alex, blair]]
    assert explanations(rota.days[1].problems) == ["Nobody is primary from Sat 21 Nov 09:00 to Sun 22 Nov 09:00"]
    # Friday 00:00 to 09:00 is out of hours, and nobody was on Thursday night.
    assert explanations(rota.days[0].problems) == [
        "Nobody is primary from Fri 20 Nov 00:00 to 09:00",
        "Nobody is secondary from Fri 20 Nov 00:00 to 09:00",
    ]


def test_a_shift_already_on_is_listed_on_the_first_day(alex):
    ShiftFactory(person=alex, starts_at=at(FRIDAY, 17, 30), ends_at=at(SATURDAY, 9))
    rota = rota_for(first_day=SATURDAY, days=1)
    assert [row.shift.person for row in rota.days[0].rows] == [alex]


def test_the_fortnight_takes_the_same_queries_for_two_shifts_or_sixty(django_assert_num_queries, alex, blair):
    RotaSettings.current()
    ShiftFactory(person=alex, starts_at=at(MONDAY, 17, 30), ends_at=at(next_day(MONDAY), 9))
    with django_assert_num_queries(3):
        rota_for(first_day=MONDAY)
    for n in range(1, 14):
        for person, role in ((alex, PRIMARY), (blair, SECONDARY)):
            day = next_day(MONDAY, n)
            ShiftFactory(person=person, role=role, starts_at=at(day, 17, 30), ends_at=at(next_day(day), 9))
    with django_assert_num_queries(3):
        rota_for(first_day=MONDAY)
