"""A year without an official holiday calendar: found ahead of time, announced to the
administrators, loaded through the admin (DESIGN §4.4)."""

from datetime import date

import pytest

from workflows.policy import calendar, holiday_import

pytestmark = [pytest.mark.django_db, pytest.mark.official_calendar_only]

# Years far beyond any chinesecalendar release, loaded by the tests themselves.
YEAR = 2098


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def load(text: str) -> None:
    holiday_import.save(holiday_import.parse(text))


def test_missing_years_looks_one_quarter_ahead():
    load(f"year: {YEAR}\nholiday {YEAR}-01-01 元旦\n")
    assert calendar.missing_years(date(YEAR, 9, 1)) == []  # 92 days: up to 2 December
    assert calendar.missing_years(date(YEAR, 10, 1)) == [YEAR + 1]
    assert calendar.missing_years(date(YEAR + 1, 3, 1)) == [YEAR + 1]
    load(f"year: {YEAR + 1}\nholiday {YEAR + 1}-01-01 元旦\n")
    assert calendar.missing_years(date(YEAR, 10, 1)) == []
