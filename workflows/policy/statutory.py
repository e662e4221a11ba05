"""The statutory holidays of a year, computed from the law alone (docs/policy.md "Working days and
periods"), for the year whose State Council notice (the 调休 arrangement) is not out yet.

全国年节及纪念日放假办法 (2024 revision, in force 2025):

* art 2: 元旦 1 day (1 January); 春节 4 days (农历除夕, 正月初一 to 初三); 清明节 1 day (the day
  of the solar term 清明); 劳动节 2 days (1–2 May); 端午节 1 day (农历五月初五); 中秋节 1 day
  (农历八月十五); 国庆节 3 days (1–3 October);
* art 6: a holiday of all citizens that falls on a Saturday or Sunday is made up on working
  days (补假). The law does not say which: here they are the working days right after the
  holiday, which is where the State Council has put them every year.

The make-up weekends (调休上班) and any longer bridges exist only in the yearly notice, so a
calendar from this module is *provisional* (``calendar.is_provisional``): it has no weekend
working days, and deadlines counted with it are marked 暂定 until the notice is loaded.

Lunar dates come from lunar-python (6tail's 寿星天文历 algorithm: astronomical, no year
table to run out of). 清明 comes from chinesecalendar's solar-term table where it covers the
year (the package the official years come from), else from lunar-python.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar
from lunar_python import Lunar

_ONE_DAY = timedelta(days=1)


def _solar(lunar: Lunar) -> date:
    solar = lunar.getSolar()
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def qingming(year: int) -> date:
    """The day of the solar term 清明 (4 or 5 April in this era)."""
    try:
        terms = chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 10))
    except NotImplementedError:  # outside 1900–2100
        terms = []
    for day, name in terms:
        if name == "清明":
            return date(day.year, day.month, day.day)
    table = Lunar.fromYmd(year, 1, 1).getJieQiTable()  # the terms of the lunar year that starts in `year`
    solar = table["清明"]
    return date(solar.getYear(), solar.getMonth(), solar.getDay())


def festivals(year: int) -> list[tuple[str, list[date]]]:
    """Art 2: each holiday of all citizens with its days, in the order of the year."""
    new_year = _solar(Lunar.fromYmd(year, 1, 1))  # 正月初一 of the lunar year starting in `year`
    spring = [new_year - _ONE_DAY + timedelta(days=i) for i in range(4)]  # 除夕 (the day before, 29th or 30th) … 初三
    found = [
        ("元旦", [date(year, 1, 1)]),
        ("春节", spring),
        ("清明节", [qingming(year)]),
        ("劳动节", [date(year, 5, 1), date(year, 5, 2)]),
        ("端午节", [_solar(Lunar.fromYmd(year, 5, 5))]),
        ("中秋节", [_solar(Lunar.fromYmd(year, 8, 15))]),
        ("国庆节", [date(year, 10, d) for d in (1, 2, 3)]),
    ]
    return sorted(found, key=lambda item: item[1][0])


@lru_cache(maxsize=16)
def rest_days(year: int) -> dict[date, str]:
    """Every weekday of ``year`` that is off by law: the holidays themselves and the days made
    up for those that fall on a weekend (art 6), named e.g. "春节" and "春节（补休）".

    A holiday day on a Saturday or Sunday, or on a day already off for another holiday (中秋
    on 1 October), is made up on the next weekday after that holiday that is not off already.
    Days of ``year`` only: a make-up day pushed into the next January is not counted here.
    """
    days: dict[date, str] = {}
    every = festivals(year)
    festival_days = {d for _, holiday in every for d in holiday}
    for name, holiday in every:
        owed = 0
        for d in holiday:
            if d.weekday() >= 5 or d in days:
                owed += 1
            else:
                days[d] = name
        d = holiday[-1]
        while owed:
            d += _ONE_DAY
            if d.weekday() < 5 and d not in days and d not in festival_days:
                days[d] = f"{name}（补休）"
                owed -= 1
    return {d: n for d, n in days.items() if d.year == year}


def working_days(year: int) -> frozenset[date]:
    """The provisional working days of ``year``: Monday–Friday except ``rest_days``."""
    off = rest_days(year)
    d, found = date(year, 1, 1), set()
    while d.year == year:
        if d.weekday() < 5 and d not in off:
            found.add(d)
        d += _ONE_DAY
    return frozenset(found)
