"""Month arithmetic and Chinese dates (workflows/policy/calendar.py): pure, no database."""

from datetime import date

import pytest

from workflows.policy import calendar


@pytest.mark.parametrize(
    ("day", "months", "first"),
    [
        (date(2024, 11, 17), 6, date(2025, 5, 1)),
        (date(2026, 12, 31), 1, date(2027, 1, 1)),
        (date(2026, 1, 31), -1, date(2025, 12, 1)),
        (date(2026, 3, 1), -14, date(2025, 1, 1)),
        (date(2026, 3, 9), 0, date(2026, 3, 1)),
    ],
)
def test_add_months_gives_the_first_of_the_month(day, months, first):
    assert calendar.add_months(day, months) == first


def test_first_next_and_last_of_month():
    assert calendar.first_of_month(date(2026, 2, 18)) == date(2026, 2, 1)
    assert calendar.next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert calendar.next_month(date(2026, 1, 31)) == date(2026, 2, 1)
    assert calendar.last_of_month(date(2028, 2, 3)) == date(2028, 2, 29)  # a leap year
    assert calendar.last_of_month(date(2026, 2, 3)) == date(2026, 2, 28)
    assert calendar.last_of_month(date(2026, 12, 1)) == date(2026, 12, 31)


def test_chinese_dates_have_no_leading_zeros():
    # GB/T 9704-2012 §7.3.5.3: the date in Arabic numerals, year in full, no leading zeros.
    assert calendar.cn_date(date(2026, 3, 5)) == "2026年3月5日"
    assert calendar.cn_date(date(2026, 11, 28)) == "2026年11月28日"
    assert calendar.cn_month(date(2027, 1, 9)) == "2027年1月"
