"""Reading and saving one year's official holiday arrangement (DESIGN §4.4).

The file format is described in ``manage.py load_holidays``; the admin's import page and
the command share this code, so both accept and refuse exactly the same files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.dispatch import Signal

from . import calendar
from .models import HolidayCalendar, HolidayYear

#: Sent after a year is saved, with ``year``: whatever was counted provisionally on that year
#: is counted again (the engine recomputes its open deadlines).
holidays_loaded = Signal()

#: Who may import a year (the admin's import page), and who is told when one is missing.
IMPORT_PERMISSION = "policy.add_holidayyear"

#: The shipped format example says so on a line of its own; a real notice never does.
SAMPLE_MESSAGE = (
    "这是格式示例文件（含“sample:”一行），其中的日期是虚构的，不是正式的节假日安排，不能导入。"
    "请按国务院办公厅节假日安排通知新建文件（不要含“sample:”一行）后再导入。"
)


def _declared(max_length: int | None) -> int:
    assert max_length is not None  # both fields below are CharFields that declare one
    return max_length


WEEKDAYS = "一二三四五六日"
NAME_MAX = _declared(HolidayCalendar._meta.get_field("name").max_length)
SOURCE_MAX = _declared(HolidayYear._meta.get_field("source").max_length)

_HEADER = re.compile(r"^(year|source|sample)\s*[:：]\s*(.*)$")
_DAY = re.compile(r"^(holiday|workday)\s+(\S+)(?:\s+(.+))?$")


@dataclass
class ParsedYear:
    year: int
    source: str
    days: dict[date, tuple[bool, str]]  # day → (is_working_day, name)


def _parse_date(text: str, lineno: int) -> date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"第 {lineno} 行：日期格式应为 YYYY-MM-DD：{text}")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"第 {lineno} 行：日期不存在：{text}") from None


def parse(text: str) -> ParsedYear:
    """Parse the file text; a ValueError lists every error with its line number."""
    errors: list[str] = []
    year: int | None = None
    source = ""
    seen_source = False
    days: dict[date, tuple[bool, str]] = {}
    first_line: dict[date, int] = {}
    holidays = 0
    sample = False

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            header = _HEADER.match(line)
            if header:
                key, value = header.group(1), header.group(2).strip()
                if key == "sample":
                    sample = True
                elif key == "year":
                    if year is not None:
                        raise ValueError(f"第 {lineno} 行：year 只能写一次")
                    if days:
                        raise ValueError(f"第 {lineno} 行：year 必须写在日期之前")
                    if not re.fullmatch(r"\d{4}", value) or not 2000 <= int(value) <= 2100:
                        raise ValueError(f"第 {lineno} 行：年份应为 2000–2100 之间的四位数字：{value}")
                    year = int(value)
                else:
                    if seen_source:
                        raise ValueError(f"第 {lineno} 行：source 只能写一次")
                    if len(value) > SOURCE_MAX:
                        raise ValueError(f"第 {lineno} 行：依据超过 {SOURCE_MAX} 个字符")
                    seen_source, source = True, value
                continue

            entry = _DAY.match(line)
            if not entry:
                keyword = line.split()[0]
                if keyword in ("holiday", "workday"):
                    raise ValueError(f"第 {lineno} 行：{keyword} 后缺少日期")
                raise ValueError(f"第 {lineno} 行：无法识别的关键字“{keyword}”（应为 year:、source:、holiday 或 workday）")
            if year is None:
                raise ValueError(f"第 {lineno} 行：请先用“year: 年份”声明年份")
            kind, span, name = entry.group(1), entry.group(2), (entry.group(3) or "").strip()
            if len(name) > NAME_MAX:
                raise ValueError(f"第 {lineno} 行：名称超过 {NAME_MAX} 个字符")
            if ".." in span:
                start_text, _, end_text = span.partition("..")
                start, end = _parse_date(start_text, lineno), _parse_date(end_text, lineno)
                if end < start:
                    raise ValueError(f"第 {lineno} 行：日期范围的结束早于开始：{span}")
            else:
                start = end = _parse_date(span, lineno)
            if start.year != year or end.year != year:
                raise ValueError(f"第 {lineno} 行：日期不在 {year} 年内：{span}")
            working = kind == "workday"
            line_days = []
            d = start
            while d <= end:
                if d in first_line:
                    raise ValueError(f"第 {lineno} 行：{d:%Y-%m-%d} 已在第 {first_line[d]} 行列出")
                if working and d.weekday() < 5:
                    raise ValueError(f"第 {lineno} 行：{d:%Y-%m-%d} 是星期{WEEKDAYS[d.weekday()]}，本来就是工作日，不能列为调休上班日")
                line_days.append(d)
                d += timedelta(days=1)
            for d in line_days:
                days[d] = (working, name)
                first_line[d] = lineno
            holidays += 0 if working else len(line_days)
        except ValueError as exc:
            errors.append(str(exc))

    if sample:
        # First and alone: the rest of the example is well formed, and its errors would only
        # suggest that fixing them makes it importable.
        raise ValueError(SAMPLE_MESSAGE)
    if year is None:
        errors.append("文件中没有“year: 年份”一行")
    elif not holidays and not errors:
        errors.append("文件中没有任何 holiday 行")
    if errors:
        raise ValueError("\n".join(errors))
    assert year is not None  # a missing year is one of the errors
    return ParsedYear(year, source, days)


def save(parsed: ParsedYear) -> tuple[int, int]:
    """Replace the year's rows and mark it loaded, in one transaction. This process's calendar
    cache is cleared; other processes see the change within calendar.CACHE_SECONDS. Returns
    the number of rest days and of make-up working days."""
    with transaction.atomic():
        HolidayCalendar.objects.filter(day__gte=date(parsed.year, 1, 1), day__lte=date(parsed.year, 12, 31)).delete()
        HolidayCalendar.objects.bulk_create([HolidayCalendar(day=d, is_working_day=working, name=name) for d, (working, name) in sorted(parsed.days.items())])
        HolidayYear.objects.update_or_create(year=parsed.year, defaults={"source": parsed.source})
        calendar.clear_cache()
        # In the same transaction: the year and the deadlines recomputed with it are saved
        # together or not at all.
        holidays_loaded.send(sender=ParsedYear, year=parsed.year)
    calendar.clear_cache()
    return counts(parsed)


def counts(parsed: ParsedYear) -> tuple[int, int]:
    """(rest days, make-up working days) listed in the file."""
    rest = sum(1 for working, _ in parsed.days.values() if not working)
    return rest, len(parsed.days) - rest
