"""Working-day calendar and M10 payment deadlines (workflows/policy/calendar.py).

Every expected date below was checked against chinese_calendar 1.11.0 before writing it.
"""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from workflows.policy import calendar
from workflows.policy.calendar import (
    CalendarYearMissing,
    add_working_days,
    is_working_day,
    last_working_day_on_or_before,
    payment_deadlines,
)
from workflows.policy.holiday_import import parse
from workflows.policy.models import HolidayCalendar, HolidayYear

pytestmark = [pytest.mark.django_db, pytest.mark.official_calendar_only]


@pytest.fixture(autouse=True)
def _fresh_cache():
    calendar.clear_cache()
    yield
    calendar.clear_cache()


def deadlines(roster, funds, bank):
    return {"roster": date.fromisoformat(roster), "funds": date.fromisoformat(funds), "bank": date.fromisoformat(bank)}


@pytest.mark.parametrize(
    "year, month, expected",
    [
        # Spring Festival 2024: 02-10..02-17 off; the 10th and 15th move to Fri 02-09 (除夕 is a working day)
        (2024, 2, deadlines("2024-02-05", "2024-02-09", "2024-02-09")),
        # Qingming 2024: 04-04..04-06 off; the 5th moves to Wed 04-03
        (2024, 4, deadlines("2024-04-03", "2024-04-10", "2024-04-15")),
        # Labour Day 2024: 05-01..05-05 off; the 5th moves back into April (Tue 04-30)
        (2024, 5, deadlines("2024-04-30", "2024-05-10", "2024-05-15")),
        # National Day 2024: 10-01..10-07 off; the 5th moves to Mon 09-30
        (2024, 10, deadlines("2024-09-30", "2024-10-10", "2024-10-15")),
        # an ordinary Sunday the 5th → Friday the 3rd
        (2025, 1, deadlines("2025-01-03", "2025-01-10", "2025-01-15")),
        # Qingming 2025: 04-04..04-06 off
        (2025, 4, deadlines("2025-04-03", "2025-04-10", "2025-04-15")),
        # Labour Day 2025: 05-01..05-05 off; Sat 05-10 ordinary rest day → Fri 05-09
        (2025, 5, deadlines("2025-04-30", "2025-05-09", "2025-05-15")),
        # Spring Festival 2026: 02-15..02-23 off; Sat 02-14 is a make-up working day → the bank deadline
        (2026, 2, deadlines("2026-02-05", "2026-02-10", "2026-02-14")),
        # National Day 2026: Sat 10-10 is a make-up working day, so the 10th stays
        (2026, 10, deadlines("2026-09-30", "2026-10-10", "2026-10-15")),
    ],
)
def test_payment_deadlines(year, month, expected):
    assert payment_deadlines(year, month) == expected


def test_payment_deadlines_bad_month():
    with pytest.raises(ValueError, match="月份"):
        payment_deadlines(2025, 13)


@pytest.mark.parametrize(
    "day, working",
    [
        ("2024-02-04", True),  # Sunday, make-up day for Spring Festival
        ("2024-02-10", False),  # Spring Festival
        ("2024-02-18", True),  # Sunday, make-up day
        ("2025-01-26", True),  # Sunday, make-up day
        ("2025-02-08", True),  # Saturday, make-up day
        ("2025-01-28", False),  # 除夕 2025 is a holiday
        ("2026-02-14", True),  # Saturday, make-up day
        ("2025-10-08", False),  # National Day / Mid-Autumn
        ("2025-06-14", False),  # ordinary Saturday
        ("2025-06-16", True),  # ordinary Monday
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(date.fromisoformat(day)) is working


def test_add_working_days():
    assert add_working_days(date(2025, 6, 16), 0) == date(2025, 6, 16)
    assert add_working_days(date(2025, 6, 13), 1) == date(2025, 6, 16)  # Fri → Mon
    # Fri 2024-09-27: Sun 09-29 (make-up), Mon 09-30, then National Day → Tue 10-08
    assert add_working_days(date(2024, 9, 27), 3) == date(2024, 10, 8)
    # Fri 2025-01-24: Sun 01-26 (make-up), Mon 01-27, Spring Festival 01-28..02-04, then 02-05..02-07
    assert add_working_days(date(2025, 1, 24), 5) == date(2025, 2, 7)
    # counting from inside a holiday: the first working day after it
    assert add_working_days(date(2024, 2, 12), 1) == date(2024, 2, 18)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 1, 1), -1)


def test_last_working_day_on_or_before():
    assert last_working_day_on_or_before(date(2024, 10, 7)) == date(2024, 9, 30)
    assert last_working_day_on_or_before(date(2024, 2, 4)) == date(2024, 2, 4)  # make-up Sunday


def test_the_year_after_the_provisional_one_is_an_error_naming_it():
    # 2026 is chinesecalendar's last year, so 2027 is provisional and 2028 unknown.
    with pytest.raises(CalendarYearMissing, match="2028年") as info:
        is_working_day(date(2028, 3, 1))
    assert info.value.year == 2028
    assert isinstance(info.value, ValueError)
    with pytest.raises(CalendarYearMissing, match="2028"):
        payment_deadlines(2028, 3)
    with pytest.raises(CalendarYearMissing, match="2028"):
        calendar.is_provisional(date(2028, 1, 1))
    # crossing into an unknown year is an error, never a weekends-only guess
    with pytest.raises(CalendarYearMissing, match="2028"):
        add_working_days(date(2027, 12, 31), 1)


FILE_2027 = """\
# 测试用 2027 年安排（虚构）
year: 2027
source: 测试文件

holiday 2027-01-01 元旦
holiday 2027-02-06..2027-02-12 春节
workday 2027-02-14 春节调休
holiday 2027-05-03..2027-05-05 劳动节
workday 2027-05-08 劳动节调休
holiday 2027-10-01..2027-10-07 国庆节
workday 2027-10-09 国庆节调休
"""


def write(tmp_path, text, name="holidays.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_load_holidays_then_deadlines_follow_the_table(tmp_path):
    # Provisional first: 春节 2027 by law is 02-05..02-08 with 02-09 and 02-10 made up.
    assert payment_deadlines(2027, 2) == deadlines("2027-02-04", "2027-02-04", "2027-02-15")
    assert calendar.is_provisional(date(2027, 2, 4))
    call_command("load_holidays", write(tmp_path, FILE_2027))
    assert HolidayYear.objects.get(year=2027).source == "测试文件"
    assert HolidayCalendar.objects.filter(day__year=2027).count() == 1 + 7 + 1 + 3 + 1 + 7 + 1

    # Feb 2027: Fri 02-05 works; 02-10 is in the Spring Festival → Fri 02-05; Mon 02-15 works
    assert payment_deadlines(2027, 2) == deadlines("2027-02-05", "2027-02-05", "2027-02-15")
    # May 2027: 05-03..05-05 off → the 5th moves to Fri 04-30; Mon 05-10 works
    assert payment_deadlines(2027, 5) == deadlines("2027-04-30", "2027-05-10", "2027-05-14")
    # Oct 2027: the 5th → Thu 09-30; Sun 10-10 ordinary rest day → Sat 10-09 make-up day
    assert payment_deadlines(2027, 10) == deadlines("2027-09-30", "2027-10-09", "2027-10-15")
    assert is_working_day(date(2027, 2, 14))  # make-up Sunday
    assert not is_working_day(date(2027, 1, 1))
    assert not is_working_day(date(2027, 3, 6))  # unlisted Saturday: ordinary rest day
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert not calendar.is_provisional(date(2027, 2, 4)) and calendar.is_provisional(date(2028, 2, 4))


def test_load_holidays_replaces_the_year(tmp_path):
    call_command("load_holidays", write(tmp_path, FILE_2027))
    assert is_working_day(date(2027, 2, 14))
    call_command("load_holidays", write(tmp_path, "year: 2027\nholiday 2027-01-01 元旦\n", "v2.txt"))
    assert HolidayCalendar.objects.filter(day__year=2027).count() == 1
    assert HolidayYear.objects.get(year=2027).source == ""
    assert not is_working_day(date(2027, 2, 14))  # cache cleared by the command
    assert is_working_day(date(2027, 2, 8))


def test_other_processes_see_a_corrected_year_within_the_cache_time(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(calendar.time, "monotonic", lambda: clock[0])
    assert not is_working_day(date(2026, 10, 1))  # National Day, from chinesecalendar
    # Another process loads a correction: this one's cache is not cleared.
    HolidayYear.objects.create(year=2026, source="更正")
    HolidayCalendar.objects.create(day=date(2026, 10, 1), is_working_day=True, name="更正")
    assert not is_working_day(date(2026, 10, 1))
    clock[0] += calendar.CACHE_SECONDS + 1
    assert is_working_day(date(2026, 10, 1))


def test_table_wins_over_chinesecalendar(tmp_path):
    assert is_working_day(date(2025, 6, 16))
    call_command("load_holidays", write(tmp_path, "year: 2025\nsource: 本地更正\nholiday 2025-06-16 测试\n"))
    assert not is_working_day(date(2025, 6, 16))
    # the rest of a loaded year comes from the table only: 2025 Spring Festival is now unlisted
    assert is_working_day(date(2025, 1, 28))


@pytest.mark.parametrize(
    "text, message",
    [
        ("year: 2027\nholiday 2027-01-01 元旦\nfestival 2027-02-06 春节\n", "第 3 行"),
        ("year: 2027\nholiday 2028-01-01 元旦\n", "第 2 行.*不在 2027 年内"),
        ("year: 2027\nholiday 2027-01-01 元旦\nholiday 2026-12-31..2027-01-02 跨年\n", "第 3 行"),
        ("year: 2027\nholiday 2027-02-06..2027-02-12 春节\nworkday 2027-02-10 重复\n", "第 3 行.*第 2 行"),
        ("year: 2027\nholiday 2027-01-01 元旦\nworkday 2027-01-04 周一\n", "第 3 行.*星期一"),
        ("year: 2027\nholiday 2027-02-30 错误日期\n", "第 2 行.*日期不存在"),
        ("year: 2027\nholiday 2027-02-12..2027-02-06 倒序\n", "第 2 行.*结束早于开始"),
        ("holiday 2027-01-01 元旦\n", "第 1 行.*year"),
        ("year: 2027\nyear: 2027\nholiday 2027-01-01 元旦\n", "第 2 行"),
        ("year: 2027\nholiday\n", "第 2 行.*缺少日期"),
        ("year: 2027\nworkday 2027-02-14 调休\n", "没有任何 holiday"),
        ("# 空文件\n", "year"),
    ],
)
def test_load_holidays_rejects_bad_files(tmp_path, text, message):
    with pytest.raises(CommandError, match=message):
        call_command("load_holidays", write(tmp_path, text))
    assert not HolidayYear.objects.exists()
    assert not HolidayCalendar.objects.exists()


def test_load_holidays_bad_file_keeps_previous_year(tmp_path):
    call_command("load_holidays", write(tmp_path, FILE_2027))
    with pytest.raises(CommandError, match="第 4 行"):
        call_command("load_holidays", write(tmp_path, "year: 2027\nsource: x\nholiday 2027-01-01 元旦\nbogus\n", "bad.txt"))
    assert HolidayCalendar.objects.filter(day__year=2027).count() == 21
    assert HolidayYear.objects.get(year=2027).source == "测试文件"


def test_load_holidays_missing_file(tmp_path):
    with pytest.raises(CommandError, match="找不到文件"):
        call_command("load_holidays", str(tmp_path / "nope.txt"))


SAMPLE = Path(calendar.__file__).parent / "holidays" / "2027.sample.txt"


def test_the_shipped_sample_is_refused_by_the_command():
    with pytest.raises(CommandError, match="这是格式示例文件") as info:
        call_command("load_holidays", str(SAMPLE))
    assert "不能导入" in str(info.value) and "第" not in str(info.value)  # the one reason, no line errors
    with pytest.raises(CommandError, match="这是格式示例文件"):
        call_command("load_holidays", str(SAMPLE), "--dry-run")
    assert not HolidayYear.objects.exists() and not HolidayCalendar.objects.exists()
    assert calendar.is_provisional(date(2027, 6, 1))


def test_the_sample_shows_a_valid_format_once_its_sample_line_is_gone():
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    assert "SAMPLE" in lines[1]
    parsed = parse("\n".join(line for line in lines if not line.startswith("sample:")))
    assert parsed.year == 2027 and len(parsed.days) == 31 + 6  # rest days and make-up working days
