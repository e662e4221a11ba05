"""The year after the last official one, answered from the law (全国年节及纪念日放假办法, 2024
revision) until the State Council's notice is loaded (DESIGN §4.4; workflows/policy/statutory.py).

chinesecalendar 1.11.0 ends with 2026, so 2027 is that year. Every expected day below was worked
out by hand from the law's text and a 2027 calendar before writing it:

* 元旦 Fri 01-01: a weekday, nothing to make up;
* 春节: 正月初一 is Sat 02-06; 腊月 of 2026 has 29 days, so 除夕 is Fri 02-05; the holiday is
  02-05..02-08, Sat 02-06 and Sun 02-07 are made up on the next working days, Tue 02-09 and
  Wed 02-10;
* 清明 Mon 04-05 (the solar term's day);
* 劳动节 Sat 05-01 and Sun 05-02: both made up, Mon 05-03 and Tue 05-04;
* 端午 (五月初五) Wed 06-09 and 中秋 (八月十五) Wed 09-15: weekdays, nothing to make up;
* 国庆 Fri 10-01..Sun 10-03: Sat and Sun made up, Mon 10-04 and Tue 10-05.
"""

from datetime import date, timedelta

import chinese_calendar
import pytest

from workflows.policy import calendar, statutory
from workflows.policy.calendar import CalendarYearMissing, add_working_days, is_provisional, is_working_day, payment_deadlines

pytestmark = [pytest.mark.django_db, pytest.mark.official_calendar_only]


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


REST_2027 = {
    "2027-01-01": "元旦",
    "2027-02-05": "春节",
    "2027-02-08": "春节",
    "2027-02-09": "春节（补休）",
    "2027-02-10": "春节（补休）",
    "2027-04-05": "清明节",
    "2027-05-03": "劳动节（补休）",
    "2027-05-04": "劳动节（补休）",
    "2027-06-09": "端午节",
    "2027-09-15": "中秋节",
    "2027-10-01": "国庆节",
    "2027-10-04": "国庆节（补休）",
    "2027-10-05": "国庆节（补休）",
}


def test_the_weekdays_off_in_2027_by_law():
    assert {d.isoformat(): name for d, name in statutory.rest_days(2027).items()} == REST_2027


@pytest.mark.parametrize(
    "day, working",
    [
        ("2027-01-01", False),  # 元旦, a Friday
        ("2027-01-02", False),  # an ordinary Saturday
        ("2027-01-04", True),
        ("2027-02-04", True),  # the day before 除夕
        ("2027-02-05", False),  # 除夕 (腊月廿九)
        ("2027-02-06", False),  # 正月初一, a Saturday
        ("2027-02-09", False),  # made up for Sat 02-06
        ("2027-02-10", False),  # made up for Sun 02-07
        ("2027-02-11", True),
        ("2027-02-20", False),  # no 调休 working weekend before the notice says so
        ("2027-04-05", False),  # 清明
        ("2027-05-03", False),  # made up for 劳动节 on Sat 05-01
        ("2027-05-04", False),  # made up for Sun 05-02
        ("2027-05-05", True),
        ("2027-06-08", True),
        ("2027-06-09", False),  # 端午, a Wednesday
        ("2027-06-10", True),  # a holiday on a weekday is not made up
        ("2027-09-15", False),  # 中秋, a Wednesday
        ("2027-09-16", True),
        ("2027-10-05", False),  # made up for Sun 10-03
        ("2027-10-06", True),
    ],
)
def test_2027_is_answered_provisionally(day, working):
    day = date.fromisoformat(day)
    assert is_working_day(day) is working
    assert is_provisional(day)


def test_is_provisional_only_in_the_year_after_the_official_ones():
    assert not is_provisional(date(2026, 12, 31))
    assert not is_provisional(date(2004, 1, 1))
    assert is_provisional(date(2027, 1, 1)) and is_provisional(date(2027, 12, 31))
    assert calendar.provisional_year() == 2027
    with pytest.raises(CalendarYearMissing, match="2028年"):
        is_provisional(date(2028, 1, 1))
    with pytest.raises(CalendarYearMissing, match="2003年"):
        is_working_day(date(2003, 6, 2))  # before chinesecalendar: not the provisional year either


def test_add_working_days_across_the_year_end():
    # December 2026 (official): 22 working days after 12-01; 01-01 off; 01-04..01-08; 01-11..01-13.
    assert add_working_days(date(2026, 12, 1), 30) == date(2027, 1, 13)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert add_working_days(date(2027, 2, 4), 1) == date(2027, 2, 11)  # over 春节 and its two made-up days
    assert add_working_days(date(2027, 4, 30), 1) == date(2027, 5, 5)
    with pytest.raises(CalendarYearMissing, match="2028"):
        add_working_days(date(2027, 12, 1), 30)


def test_payment_deadlines_of_a_provisional_month():
    # roster Fri 02-05 is 除夕 → Thu 02-04; funds Wed 02-10 is made up → 02-04; bank Mon 02-15
    assert payment_deadlines(2027, 2) == {"roster": date(2027, 2, 4), "funds": date(2027, 2, 4), "bank": date(2027, 2, 15)}
    # roster Tue 10-05 made up, 10-04 too, 10-01..03 国庆 → Thu 09-30; funds Sun 10-10 → Fri 10-08
    assert payment_deadlines(2027, 10) == {"roster": date(2027, 9, 30), "funds": date(2027, 10, 8), "bank": date(2027, 10, 15)}


def test_the_law_agrees_with_the_official_years():
    """Every weekday the law gives off is off in the State Council's own 2025 and 2026 notices
    (chinesecalendar); the notices only add bridges and 调休 around them."""
    for year in (2025, 2026):
        law = statutory.rest_days(year)
        assert len(law) >= 11
        assert [d for d in law if chinese_calendar.is_workday(d)] == []


def test_a_holiday_on_another_is_made_up_after_both():
    # 2028: 国庆 Sun 10-01..Tue 10-03, and 中秋 (八月十五) on Tue 10-03 as well.
    law = statutory.rest_days(2028)
    assert law[date(2028, 10, 4)] == "国庆节（补休）"  # for Sun 10-01
    assert law[date(2028, 10, 5)] == "中秋节（补休）"  # 10-03 was off already
    assert date(2028, 10, 6) not in law
    # 元旦 2028 is a Saturday: made up on Mon 01-03
    assert law[date(2028, 1, 3)] == "元旦（补休）"


def test_qingming_from_the_library_beyond_chinesecalendars_solar_terms():
    assert statutory.qingming(2027) == date(2027, 4, 5)  # chinesecalendar's solar terms
    assert statutory.qingming(2101) in (date(2101, 4, 4), date(2101, 4, 5))  # lunar-python's
    assert statutory.festivals(2101)[0] == ("元旦", [date(2101, 1, 1)])


def test_the_provisional_year_follows_the_loaded_ones():
    from workflows.policy.models import HolidayYear

    HolidayYear.objects.create(year=2027, source="测试")
    calendar.clear_cache()
    assert not is_provisional(date(2027, 2, 9)) and is_working_day(date(2027, 2, 9))  # a loaded year: only its rows
    assert is_provisional(date(2028, 1, 3)) and not is_working_day(date(2028, 1, 3))
    # A year loaded beyond a gap is official, and the gap is no provisional year.
    HolidayYear.objects.create(year=2030, source="测试")
    calendar.clear_cache()
    assert calendar.provisional_year() == 2028
    assert not is_provisional(date(2030, 3, 1))
    with pytest.raises(CalendarYearMissing, match="2029"):
        is_working_day(date(2029, 3, 1))


def test_no_working_weekend_in_a_provisional_year():
    d = date(2027, 1, 1)
    while d.year == 2027:
        if d.weekday() >= 5:
            assert not is_working_day(d), d
        d += timedelta(days=1)
