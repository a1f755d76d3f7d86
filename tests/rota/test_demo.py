"""The demo rota: a fortnight of out-of-hours cover with one gap and one swap waiting, loaded once."""

import datetime

import pytest

from socialgov.people.demo import demo_organisation_load, demo_people_load
from socialgov.rota.demo import demo_rota_load
from socialgov.rota.models import RotaSettings, Shift, ShiftSwap
from socialgov.rota.selectors import Problem, on_call_at, rota_problems
from socialgov.rota.times import day_start
from tests.rota.conftest import MONDAY, at, next_day

pytestmark = pytest.mark.django_db

LOADERS = [demo_people_load, demo_rota_load]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    return demo_organisation_load(today=MONDAY, loaders=LOADERS)


def test_the_demo_covers_a_fortnight_out_of_hours_but_one_night(demo):
    problems = rota_problems(day_start(MONDAY), day_start(next_day(MONDAY, 14)))
    assert [(p.kind, p.explanation) for p in problems] == [
        (Problem.GAP, "Nobody is primary from Wed 25 Nov 17:30 to Thu 26 Nov 09:00"),
    ]
    assert Shift.objects.count() == 15 * 2 - 1


def test_weeknights_run_from_1730_and_weekends_from_0900_to_0900(demo):
    saturday, sunday = datetime.date(2026, 11, 21), datetime.date(2026, 11, 22)
    weeknights = [next_day(MONDAY, n) for n in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]
    weekends = [next_day(MONDAY, -1), saturday, sunday, next_day(saturday, 7), next_day(sunday, 7)]
    spans = {(shift.starts_at, shift.ends_at) for shift in Shift.objects.all()}
    assert spans == {(at(day, 17, 30), at(next_day(day), 9)) for day in weeknights} | {
        (at(day, 9), at(next_day(day), 9)) for day in weekends
    }


def test_someone_is_on_call_every_night_with_the_head_of_comms_behind_them(demo):
    head = RotaSettings.current().head_of_comms
    assert head.employee_number == "GC1007"
    on_call = on_call_at(at(next_day(MONDAY), 2))
    assert on_call.primary is not None
    assert on_call.secondary is not None
    assert on_call.ladder[-1] == head
    assert all(rung.phone for rung in on_call.rungs)


def test_one_swap_is_waiting_for_a_colleague_who_is_free_that_night(demo):
    swap = ShiftSwap.objects.get()
    assert swap.status == ShiftSwap.Status.REQUESTED
    assert swap.shift.starts_at == at(next_day(MONDAY, 5), 9)  # Saturday 21 November
    assert not Shift.objects.filter(person=swap.to_person).overlapping(swap.shift.starts_at, swap.shift.ends_at)


def test_loading_again_changes_nothing(demo):
    before = (Shift.objects.count(), ShiftSwap.objects.count(), Shift.history.count())
    again = demo_organisation_load(today=MONDAY, loaders=LOADERS)
    assert (Shift.objects.count(), ShiftSwap.objects.count(), Shift.history.count()) == before
    assert again.created["On-call shifts"] == 0
    assert again.unchanged["On-call shifts"] == before[0]
