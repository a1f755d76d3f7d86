"""Local wall-clock times: one instant each, or refused with the reason; labels people can read."""

import datetime

import pytest

from socialgov.rota.times import LocalTimeError, day_span, local_moment, moment_label, span_label
from tests.rota.conftest import CLOCKS_BACK, CLOCKS_FORWARD, SATURDAY, SUNDAY, UTC, at


def test_a_winter_time_is_gmt_and_a_summer_time_is_bst():
    assert local_moment(SATURDAY, datetime.time(17, 0)) == datetime.datetime(2026, 11, 21, 17, 0, tzinfo=UTC)
    july = datetime.date(2026, 7, 4)
    assert local_moment(july, datetime.time(17, 0)) == datetime.datetime(2026, 7, 4, 16, 0, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(LocalTimeError, match="01:30 on Sunday 29 March 2026 does not exist"):
        local_moment(CLOCKS_FORWARD, datetime.time(1, 30))


def test_a_time_that_happens_twice_is_refused():
    with pytest.raises(LocalTimeError, match="01:30 on Sunday 25 October 2026 happens twice"):
        local_moment(CLOCKS_BACK, datetime.time(1, 30))


def test_days_are_23_or_25_hours_long_when_the_clocks_change():
    for day, hours in [(CLOCKS_FORWARD, 23), (CLOCKS_BACK, 25), (SATURDAY, 24)]:
        start, end = day_span(day)
        assert end - start == datetime.timedelta(hours=hours)


def test_labels_leave_out_the_second_day_when_it_is_the_same():
    assert moment_label(at(SATURDAY, 17)) == "Sat 21 Nov 17:00"
    assert span_label(at(SATURDAY, 17), at(SUNDAY, 9)) == "from Sat 21 Nov 17:00 to Sun 22 Nov 09:00"
    assert span_label(at(SATURDAY, 8, 30), at(SATURDAY, 9)) == "from Sat 21 Nov 08:30 to 09:00"


def test_a_time_that_happens_twice_says_which():
    first = datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 01:30 BST
    second = datetime.datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT
    assert moment_label(first) == "Sun 25 Oct 01:30 BST"
    assert moment_label(second) == "Sun 25 Oct 01:30 GMT"
    assert moment_label(at(CLOCKS_BACK, 9)) == "Sun 25 Oct 09:00"
