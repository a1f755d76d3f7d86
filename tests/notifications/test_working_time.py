import datetime
from zoneinfo import ZoneInfo

from socialgov.notifications.working_time import is_within_working_hours, is_working_day, previous_working_day

LONDON = ZoneInfo("Europe/London")
ST_ANDREWS_DAY = datetime.date(2026, 11, 30)


def test_scotland_and_england_keep_different_bank_holidays(settings):
    settings.BANK_HOLIDAY_NATION = "SCT"
    assert not is_working_day(ST_ANDREWS_DAY)
    settings.BANK_HOLIDAY_NATION = "ENG"
    assert is_working_day(ST_ANDREWS_DAY)


def test_weekends_and_christmas_are_not_working_days():
    assert not is_working_day(datetime.date(2026, 11, 28))
    assert not is_working_day(datetime.date(2026, 12, 25))
    assert previous_working_day(datetime.date(2026, 11, 30)) == datetime.date(2026, 11, 27)


def test_working_hours_are_local_wall_clock_time_in_summer_and_winter(settings):
    settings.WORKING_DAY_START = datetime.time(9, 0)
    settings.WORKING_DAY_END = datetime.time(17, 30)
    summer = datetime.datetime(2026, 7, 1, 8, 0, tzinfo=datetime.UTC)  # 09:00 BST
    winter = datetime.datetime(2026, 12, 1, 8, 0, tzinfo=datetime.UTC)  # 08:00 GMT
    assert is_within_working_hours(summer)
    assert not is_within_working_hours(winter)
    assert is_within_working_hours(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=LONDON))
    assert not is_within_working_hours(datetime.datetime(2026, 12, 1, 17, 30, tzinfo=LONDON))
