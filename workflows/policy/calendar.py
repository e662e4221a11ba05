"""Chinese working-day calendar and the monthly payment deadlines (DESIGN §4.4; M10); month
arithmetic and Chinese dates, for every caller (end of the module).

Where a year's calendar comes from, in order:

1. the ``HolidayCalendar`` table, for years registered in ``HolidayYear`` (loaded with
   ``manage.py load_holidays FILE`` from the State Council's yearly notice). A loaded year
   wins over chinesecalendar, so local corrections are possible. Within a loaded year a day
   without a row is an ordinary day (Monday–Friday work, weekends rest);
2. the ``chinesecalendar`` package (import name ``chinese_calendar``), for the years it covers
   (2004–2026 in version 1.11.0);
3. for the one year right after the last official one (the years of 1. and 2. that follow
   each other from chinesecalendar's first), a **provisional** calendar computed from the law
   (``statutory``: the statutory holidays and the days made up for those on a weekend, no
   调休 working weekends). ``is_provisional(d)`` tells such a day; every deadline counted on
   one is marked 暂定 and recomputed when the State Council's notice is loaded (the
   ``holidays_loaded`` signal, sent by ``holiday_import.save``). The office never stops at a
   year end while the notice is late (DESIGN §4.4);
4. otherwise ``CalendarYearMissing`` (a ValueError naming the year). There is never a
   weekends-only fallback: a deadline computed without the holidays would be wrong.

Each year is resolved into a set of working days and kept in a module-level cache for
``CACHE_SECONDS``; ``clear_cache()`` drops it at once in the process that loads a year, and
every other process (web workers, Celery workers) sees a loaded or corrected year within
that time. A missing year is never cached, so loading one takes effect everywhere at once; a
provisional year is cached like an official one, and whatever another process counted on it
in the minutes after the notice was loaded is still marked 暂定, so the daily escalation job
recomputes it too.
The Django model is imported lazily, so this module imports without Django configured; in
that case only chinesecalendar is used.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta

import chinese_calendar

from . import defaults, statutory

_ONE_DAY = timedelta(days=1)

#: year → (frozenset of the working days of that year, provisional?, time.monotonic() it expires at).
_cache: dict[int, tuple[frozenset[date], bool, float]] = {}

#: The last year chinesecalendar 1.11.0 knows (2026); official years go on from there.
PACKAGE_LAST_YEAR = max(chinese_calendar.holidays).year

#: How long a process trusts a resolved year; one re-read costs a query and ~1 ms.
CACHE_SECONDS = 300

#: How far ahead the official calendar must be known. The longest clock is 45 working days
#: (procedure.PROCEDURE_WORKING_DAYS_EXTENDED), about ten weeks with the holidays in between; a quarter
#: starts warning in early October, before any clock can reach the next year and about when
#: the State Council's notice for that year comes out.
LOOKAHEAD_DAYS = 92


class CalendarYearMissing(ValueError):
    """No official holiday arrangement is known for ``year``."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"{year}年的法定节假日安排尚未导入，请先用 load_holidays 导入国务院办公厅通知")

    @property
    def for_staff(self) -> str:
        """What a caseworker reads when a deadline cannot be computed: nothing was saved, and
        who can fix it."""
        return f"无法计算办理期限：{self.year}年的法定节假日安排尚未导入系统，本次提交未保存。请联系系统管理员导入国务院办公厅节假日安排通知后再提交。"


def clear_cache() -> None:
    """Forget every resolved year (after the holiday table changed)."""
    _cache.clear()


def _year_days(year: int) -> Iterator[date]:
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += _ONE_DAY


def _table_year(year: int) -> frozenset[date] | None:
    """Working days of ``year`` from the HolidayCalendar table, or None when not loaded there
    (or when Django is not configured, e.g. in a pure script)."""
    from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

    try:
        from .models import HolidayCalendar, HolidayYear
    except (ImproperlyConfigured, AppRegistryNotReady):
        return None
    if not HolidayYear.objects.filter(year=year).exists():
        return None
    rows = dict(HolidayCalendar.objects.filter(day__gte=date(year, 1, 1), day__lte=date(year, 12, 31)).values_list("day", "is_working_day"))
    return frozenset(d for d in _year_days(year) if rows.get(d, d.weekday() < 5))


def _package_year(year: int) -> frozenset[date] | None:
    """Working days of ``year`` from chinesecalendar, or None when it does not cover the year."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    return frozenset(d for d in _year_days(year) if chinese_calendar.is_workday(d))


def _loaded_years_after(year: int) -> set[int]:
    """The years after ``year`` registered in HolidayYear (none without Django)."""
    from django.core.exceptions import AppRegistryNotReady, ImproperlyConfigured

    try:
        from .models import HolidayYear
    except (ImproperlyConfigured, AppRegistryNotReady):
        return set()
    return set(HolidayYear.objects.filter(year__gt=year).values_list("year", flat=True))


def last_official_year() -> int:
    """The last of the official years that follow each other from chinesecalendar's: 2026 with
    nothing loaded, 2027 once its notice is loaded. A year loaded beyond a gap is official too,
    but the gap is no provisional year: only the one right after the unbroken run is."""
    year, loaded = PACKAGE_LAST_YEAR, _loaded_years_after(PACKAGE_LAST_YEAR)
    while year + 1 in loaded:
        year += 1
    return int(year)


def _resolve(year: int) -> tuple[frozenset[date], bool]:
    cached = _cache.get(year)
    now = time.monotonic()
    if cached is not None and now < cached[2]:
        return cached[0], cached[1]
    provisional = False
    days = _table_year(year)
    if days is None:
        days = _package_year(year)
    if days is None and year == last_official_year() + 1:
        days, provisional = statutory.working_days(year), True
    if days is None:
        raise CalendarYearMissing(year)
    _cache[year] = (days, provisional, now + CACHE_SECONDS)
    return days, provisional


def _working_days(year: int) -> frozenset[date]:
    return _resolve(year)[0]


def is_provisional(d: date) -> bool:
    """True when the answer for ``d``'s year is the provisional one computed from the law (the
    year after the last official one); False in an official year. CalendarYearMissing for a
    year with neither."""
    return _resolve(_as_date(d).year)[1]


def provisional_year() -> int:
    """The year answered provisionally now (the year after the last official one)."""
    return last_official_year() + 1


def _years_ahead(start: date, days_ahead: int) -> range:
    start = _as_date(start)
    return range(start.year, (start + timedelta(days=days_ahead)).year + 1)


def missing_years(start: date, days_ahead: int = LOOKAHEAD_DAYS) -> list[int]:
    """The years from ``start`` to ``days_ahead`` days later that have no calendar at all, not
    even a provisional one, so that administrators load them before a deadline needs them."""
    missing = []
    for year in _years_ahead(start, days_ahead):
        try:
            _resolve(year)
        except CalendarYearMissing:
            missing.append(year)
    return missing


def provisional_years(start: date, days_ahead: int = LOOKAHEAD_DAYS) -> list[int]:
    """The years from ``start`` to ``days_ahead`` days later answered provisionally: their
    State Council notice is still to be loaded."""
    found = []
    for year in _years_ahead(start, days_ahead):
        try:
            if _resolve(year)[1]:
                found.append(year)
        except CalendarYearMissing:
            pass
    return found


def _as_date(d: date) -> date:
    if isinstance(d, datetime):
        return d.date()
    if not isinstance(d, date):
        raise TypeError(f"需要日期，得到 {type(d).__name__}")
    return d


def is_working_day(d: date) -> bool:
    """True on a working day: Monday–Friday that is not a statutory holiday, or a make-up
    working day (调休上班日) on a weekend. CalendarYearMissing for an unknown year."""
    d = _as_date(d)
    return d in _working_days(d.year)


def add_working_days(d: date, n: int) -> date:
    """The n-th working day after ``d`` (``d`` itself is not counted; ``d`` may be a holiday).
    ``n == 0`` returns ``d`` unchanged. E.g. a deadline "within 3 working days of acceptance"
    is ``add_working_days(accepted_on, 3)``."""
    d = _as_date(d)
    if not isinstance(n, int) or n < 0:
        raise ValueError(f"工作日天数必须是非负整数：{n!r}")
    year: int | None = None
    days: frozenset[date] = frozenset()
    while n:
        d += _ONE_DAY
        if d.year != year:  # one cache look-up per year crossed, not per day
            year, days = d.year, _working_days(d.year)
        if d in days:
            n -= 1
    return d


def last_working_day_on_or_before(d: date) -> date:
    """``d`` when it is a working day, else the nearest earlier working day (DESIGN §4.4: a
    deadline that falls on a holiday moves to the last working day before it)."""
    d = _as_date(d)
    while d not in _working_days(d.year):
        d -= _ONE_DAY
    return d


def payment_deadlines(year: int, month: int) -> dict[str, date]:
    """M10 deadlines of one month: "roster" (county civil affairs → finance, by the 5th),
    "funds" (finance allocates, by the 10th), "bank" (paid into accounts, by the 15th); the
    nominal days come from ``defaults.PAYMENT_DAYS``. A nominal day that is not a working day
    moves to the last working day on or before it (M10: may pay earlier around statutory
    holidays), which can fall in the previous month."""
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValueError(f"月份必须是 1–12：{month!r}")
    return {key: last_working_day_on_or_before(date(year, month, day)) for key, day in defaults.PAYMENT_DAYS.items()}


# ---------------------------------------------------------------------------
# Months, and dates as Chinese documents write them
# ---------------------------------------------------------------------------


def is_first_working_day_of_month(day: date) -> bool:
    """``day`` is its month's first working day (the monthly jobs of M8, M10 and rechecks)."""
    return is_working_day(day) and not any(is_working_day(day.replace(day=d)) for d in range(1, day.day))


def first_of_month(day: date) -> date:
    """The first day of ``day``'s month: a month is kept as its first day (首次发放月份,
    发放月份, 渐退期截止月份)."""
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month (before it when negative):
    2024-11-17 + 6 → 2025-05-01, 2026-01-31 − 1 → 2025-12-01."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(earlier: date, later: date) -> int:
    """How many months ``later``'s month is after ``earlier``'s (negative when before):
    2026-11-30 → 2027-02-01 is 3."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return add_months(day, 1)


def last_of_month(day: date) -> date:
    """The last day of ``day``'s month."""
    return add_months(day, 1) - _ONE_DAY


def cn_date(day: date) -> str:
    """A date as Chinese documents write it: Arabic numerals without leading zeros (GB/T
    9704-2012 §7.3.5.3 for the 成文日期), e.g. 2026年11月28日."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month(day: date) -> str:
    """``day``'s month the same way, e.g. 2026年11月."""
    return f"{day.year}年{day.month}月"
