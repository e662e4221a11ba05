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
the calendar cache is cleared (other running processes see the change within five minutes).
A documented sample is ``workflows/policy/holidays/2027.sample.txt`` (format only — NOT the
official 2027 arrangement): its ``sample:`` line makes every import of it fail, also here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from workflows.policy.holiday_import import counts, parse, save


class Command(BaseCommand):
    help = (
        "导入一年的法定节假日安排（国务院办公厅通知）到工作日日历。文件为 UTF-8 文本，每行一项："
        "“# …”为注释；“year: 2027”（必填，写在日期之前）；“source: 国办发明电〔2026〕X号”（可选）；"
        "“holiday 2027-01-01 元旦”或“holiday 2027-02-06..2027-02-12 春节”为休息日；"
        "“workday 2027-02-14 春节调休”为调休上班日（须为周六或周日）。日期须在该年内，同一天不能重复；"
        "未列出的日子按周一至周五上班、周六周日休息。有任何错误（注明行号）则不保存；"
        "否则整体替换该年数据。示例见 workflows/policy/holidays/2027.sample.txt（仅为格式示例，含“sample:”一行，不能导入）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="节假日安排文本文件（UTF-8）")
        parser.add_argument("--dry-run", action="store_true", help="只检查文件，不保存")

    def handle(self, *args: Any, **options: Any) -> None:
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

        if options["dry_run"]:
            rest, work = counts(parsed)
            self.stdout.write(f"检查通过（未保存）：{parsed.year} 年休息日 {rest} 天，调休上班日 {work} 天")
            return

        rest, work = save(parsed)
        self.stdout.write(
            self.style.SUCCESS(
                f"已导入 {parsed.year} 年节假日安排：休息日 {rest} 天，调休上班日 {work} 天" + (f"（依据：{parsed.source}）" if parsed.source else "")
            )
        )
