"""Load one year's official holiday arrangement into the working-day calendar.

    python manage.py load_holidays FILE [--dry-run]

Use it for years the chinesecalendar package does not cover yet, or to correct a covered
year locally (a loaded year wins, see ``workflows.policy.calendar``). The source is the State
Council General Office's yearly notice (国务院办公厅关于××年部分节假日安排的通知).

File format (UTF-8, one statement per line)::

    # 2027年部分节假日安排（国办发明电〔2026〕X号）     ← "#" starts a comment line
    year: 2027                                          ← required, once, before the days
    source: 国办发明电〔2026〕X号                        ← optional, once (at most 200 chars)
    holiday 2027-01-01 元旦                             ← a rest day
    holiday 2027-02-06..2027-02-12 春节                 ← an inclusive range of rest days
    workday 2027-02-14 春节调休                         ← a make-up working day (调休上班)

* dates are YYYY-MM-DD and must lie inside the declared year; a range is ``START..END`` with
  START ≤ END; the name after the date is optional (at most 40 characters);
* no day may be listed twice (also across lines and ranges);
* a ``workday`` must be a Saturday or Sunday (other days are working days anyway);
* at least one ``holiday`` line;
* days not listed are ordinary days: Monday–Friday work, Saturday/Sunday rest.

Every error names its line number; when there is any error nothing is saved. Otherwise the
year's rows in HolidayCalendar and its HolidayYear row are replaced in one transaction and
the calendar cache is cleared (other running processes pick the change up on restart).
A documented sample is ``workflows/policy/holidays/2027.sample.txt`` (format only — NOT the
official 2027 arrangement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from workflows.policy import calendar
from workflows.policy.models import HolidayCalendar, HolidayYear

WEEKDAYS = "一二三四五六日"
NAME_MAX = HolidayCalendar._meta.get_field("name").max_length
SOURCE_MAX = HolidayYear._meta.get_field("source").max_length

_HEADER = re.compile(r"^(year|source)\s*[:：]\s*(.*)$")
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

    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            header = _HEADER.match(line)
            if header:
                key, value = header.group(1), header.group(2).strip()
                if key == "year":
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

    if year is None:
        errors.append("文件中没有“year: 年份”一行")
    elif not holidays and not errors:
        errors.append("文件中没有任何 holiday 行")
    if errors:
        raise ValueError("\n".join(errors))
    return ParsedYear(year, source, days)


class Command(BaseCommand):
    help = (
        "导入一年的法定节假日安排（国务院办公厅通知）到工作日日历。文件为 UTF-8 文本，每行一项："
        "“# …”为注释；“year: 2027”（必填，写在日期之前）；“source: 国办发明电〔2026〕X号”（可选）；"
        "“holiday 2027-01-01 元旦”或“holiday 2027-02-06..2027-02-12 春节”为休息日；"
        "“workday 2027-02-14 春节调休”为调休上班日（须为周六或周日）。日期须在该年内，同一天不能重复；"
        "未列出的日子按周一至周五上班、周六周日休息。有任何错误（注明行号）则不保存；"
        "否则整体替换该年数据。示例见 workflows/policy/holidays/2027.sample.txt（仅为格式示例）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="节假日安排文本文件（UTF-8）")
        parser.add_argument("--dry-run", action="store_true", help="只检查文件，不保存")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{path}") from None
        except UnicodeDecodeError:
            raise CommandError(f"文件不是 UTF-8 编码：{path}") from None
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from None

        try:
            parsed = parse(text)
        except ValueError as exc:
            raise CommandError(f"{path} 有错误，未导入：\n{exc}") from None

        rest = sum(1 for working, _ in parsed.days.values() if not working)
        work = len(parsed.days) - rest
        if options["dry_run"]:
            self.stdout.write(f"检查通过（未保存）：{parsed.year} 年休息日 {rest} 天，调休上班日 {work} 天")
            return

        with transaction.atomic():
            HolidayCalendar.objects.filter(day__gte=date(parsed.year, 1, 1), day__lte=date(parsed.year, 12, 31)).delete()
            HolidayCalendar.objects.bulk_create(
                [HolidayCalendar(day=d, is_working_day=working, name=name) for d, (working, name) in sorted(parsed.days.items())]
            )
            HolidayYear.objects.update_or_create(year=parsed.year, defaults={"source": parsed.source})
        calendar.clear_cache()
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入 {parsed.year} 年节假日安排：休息日 {rest} 天，调休上班日 {work} 天"
                + (f"（依据：{parsed.source}）" if parsed.source else "")
            )
        )
