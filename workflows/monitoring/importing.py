"""A department's feed, read and compared (M1: 每月至少进行1次信息比对).

The common layout (docs/monitoring.md): CSV in UTF-8 (GB18030 accepted) or xlsx, one header
row ``id_number,name,event,event_date,amount,detail``, one row per event:

    id_number,name,event,event_date,amount,detail
    340121195001010011,张三,death,2026-11-03,,死亡医学证明
    340121198805060022,李四,medical_cost,2026-11-20,12800.50,住院个人负担

Strict and all-or-nothing (DESIGN §4.5, §4.6): wrong columns, an unknown event, an ID number
that fails its checksum, a date outside the feed's month, an amount that is not one, or a
person registered in another county → one error listing the rows (the first 50, the rest
counted), nothing applied. An ID number we do not know is counted, not an error. The same file
twice changes nothing.

Set-based whatever the length (1,000,000 rows against 2,000,000 members, bench/bench_monitoring.py):
the file streams into a temporary table; the comparison is a few INSERT … SELECT statements.
"""

import csv
import io
from collections.abc import Generator, Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import connection
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as NumberInvalid

from workflows.core.models import Beneficiary, BeneficiaryState, Household, Member
from workflows.core.uploads import MAX_LISTED_ERRORS, RowErrors
from workflows.policy import monitoring as rules

from .models import Feed, FeedRow, Signal, SignalState

UPLOAD_TABLE = "monitoring_feed_upload"
UPLOAD_COLUMNS = ["line", "id_number", "name", "event", "event_date", "amount", "detail"]
CHUNK = 5000
XLSX_MAGIC = b"PK\x03\x04"
AMOUNT_LIMIT = Decimal("1e12")
ON_BENEFITS = [BeneficiaryState.ACTIVE.value, BeneficiaryState.SUSPENDED.value, BeneficiaryState.GRADUAL_EXIT.value]


class FeedErrors(RowErrors):
    COLUMNS, ID, NAME, EVENT, DATE, AMOUNT, COUNTY = range(7)

    def __init__(self):
        super().__init__("部门比对数据文件")


@lru_cache(maxsize=1 << 16)
def _place_known(area_and_year: str) -> bool:
    """GB 11643's address code, valid in the year of birth (python-stdnum's table). Once per
    area and year: the table look-up costs a hundred times the checksum."""
    try:
        ric.get_birth_place(f"{area_and_year}0101000X")
    except NumberInvalid:
        return False
    return True


def valid_id_number(number: str) -> bool:
    """What ``stdnum.cn.ric.is_valid`` checks (length, digits, check character, birth date,
    address code), with the address code's look-up cached."""
    if len(number) != 18 or not (number[:17].isascii() and number[:17].isdigit()) or number[17] != ric.calc_check_digit(number):
        return False
    try:
        ric.get_birth_date(number)
    except NumberInvalid:
        return False
    return _place_known(number[:10])


def is_xlsx(head: bytes) -> bool:
    return head.startswith(XLSX_MAGIC)


def csv_rows(stream, encoding: str) -> Generator[list[str], None, None]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield from csv.reader(text)
    except UnicodeDecodeError:
        raise ValidationError("文件编码无法识别，请使用 UTF-8 或 GB18030 编码的 CSV 文件，或 xlsx 文件")
    finally:
        text.detach()  # the caller's file stays open


def xlsx_rows(stream) -> Generator[list[str], None, None]:
    """The first sheet, streamed (openpyxl's read-only mode keeps memory flat)."""
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ValidationError(f"xlsx 文件无法打开：{error}")
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell(v) for v in values]
    finally:
        book.close()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def month_end(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _amount(text: str) -> tuple[bool, Decimal | None]:
    if not text:
        return True, None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return False, None
    if not value.is_finite() or value < 0 or value >= AMOUNT_LIMIT:
        return False, None
    return True, value.quantize(Decimal("0.01"))


def read_rows(rows: Iterator[list[str]], month: date, events: set[str], errors: FeedErrors, counts: dict) -> Iterator[tuple]:
    """The file's rows as upload-table rows, streamed. Every check a row can make alone is made
    here; a row with an error is not loaded. The header is checked first."""
    header = [c.strip().lstrip("\ufeff") for c in next(rows, [])]
    while header and header[-1] == "":
        header.pop()
    if header != rules.COLUMNS:
        raise ValidationError(f"部门比对数据文件列不符，未导入任何数据：应为“{','.join(rules.COLUMNS)}”，实为“{','.join(header)}”")
    width, end = len(rules.COLUMNS), month_end(month)
    valid = valid_id_number
    for number, row in enumerate(rows, start=2):
        if len(row) > width and not any(c.strip() for c in row[width:]):
            row = row[:width]
        if len(row) != width:
            if any(c.strip() for c in row):
                errors.add(number, FeedErrors.COLUMNS, f"第{number}行：应有{width}列，实有{len(row)}列")
            continue
        id_number, name, event, day, amount, detail = (c.strip() for c in row)
        if not (id_number or name or event or day or amount or detail):
            continue
        counts["rows"] += 1
        ok = True
        id_number = id_number.upper()
        if not valid(id_number):
            errors.add(number, FeedErrors.ID, f"第{number}行：公民身份号码“{id_number}”校验不通过")
            ok = False
        if not name:
            errors.add(number, FeedErrors.NAME, f"第{number}行：姓名不能为空")
            ok = False
        if event not in events:
            errors.add(number, FeedErrors.EVENT, f"第{number}行：事项代码“{event}”不是已登记的比对事项")
            ok = False
        try:
            when = date.fromisoformat(day)
        except ValueError:
            errors.add(number, FeedErrors.DATE, f"第{number}行：发生日期“{day}”应为 YYYY-MM-DD 格式")
            ok = False
        else:
            if not (month <= when < end):
                errors.add(number, FeedErrors.DATE, f"第{number}行：发生日期 {when:%Y-%m-%d} 不在本期数据月份（{month:%Y年%-m月}）内")
                ok = False
        good, value = _amount(amount)
        if not good:
            errors.add(number, FeedErrors.AMOUNT, f"第{number}行：金额“{amount}”应为不小于0的数字")
            ok = False
        if ok:
            yield number, id_number, name[:50], event, when, value, detail[:200]


def load(rows: Iterator[tuple]) -> None:
    """Fill the upload table: COPY on PostgreSQL, batched INSERTs elsewhere; the same SQL
    compares both."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {UPLOAD_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {UPLOAD_TABLE} (line integer NOT NULL, id_number varchar(18) NOT NULL, name varchar(50) NOT NULL, "
            "event varchar(32) NOT NULL, event_date date NOT NULL, amount numeric(14, 2) NULL, detail varchar(200) NOT NULL)"
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '256MB'")
            with cursor.cursor.copy(f"COPY {UPLOAD_TABLE} ({', '.join(UPLOAD_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(f"CREATE INDEX ON {UPLOAD_TABLE} (id_number)")
            cursor.execute(f"ANALYZE {UPLOAD_TABLE}")
            return
        sql = f"INSERT INTO {UPLOAD_TABLE} ({', '.join(UPLOAD_COLUMNS)}) VALUES ({', '.join(['%s'] * len(UPLOAD_COLUMNS))})"
        for batch in iter(lambda: list(islice(rows, CHUNK)), []):
            cursor.executemany(sql, batch)
        cursor.execute(f"CREATE INDEX {UPLOAD_TABLE}_id ON {UPLOAD_TABLE} (id_number)")


def drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {UPLOAD_TABLE}")


_MEMBERS, _HOUSEHOLDS, _BENEFICIARIES = Member._meta.db_table, Household._meta.db_table, Beneficiary._meta.db_table


def other_county_rows(county_prefix: str) -> FeedErrors:
    """Rows about a person whose household is in another county: the file is not this
    county's (or the person's record is wrong); either way nothing is applied."""
    errors = FeedErrors()
    with connection.cursor() as cursor:
        where = f"FROM {UPLOAD_TABLE} u JOIN {_MEMBERS} m ON m.id_number = u.id_number JOIN {_HOUSEHOLDS} h ON h.id = m.household_id WHERE h.region_code NOT LIKE %s"
        cursor.execute(f"SELECT COUNT(*) {where}", [county_prefix + "%"])
        (count,) = cursor.fetchone()
        if count:
            cursor.execute(f"SELECT u.line, u.id_number, h.region_code {where} ORDER BY u.line LIMIT {MAX_LISTED_ERRORS}", [county_prefix + "%"])
            for line, id_number, region in cursor.fetchall():
                errors.add(line, FeedErrors.COUNTY, f"第{line}行：{id_number[:6]}…{id_number[-4:]} 的家庭档案在其他县（区划 {region}），不是本县的数据")
            errors.count = count
    return errors


def _action_case(table: list[rules.Rule]) -> tuple[str, list]:
    """The rule table as one SQL CASE over (event, on benefits, amount), so that a feed's
    signals are classified in the INSERT that creates them; tests check it against
    ``rules.action_for`` for every event."""
    whens: list[str] = []
    params: list[object] = []
    for rule in table:
        condition = "s.event = %s AND " + ("s.beneficiary_id IS NOT NULL" if rule.beneficiary else "s.beneficiary_id IS NULL")
        params.append(rule.event)
        if rule.min_amount is not None:
            condition += " AND s.amount IS NOT NULL AND s.amount >= %s"
            params.append(rule.min_amount)
        whens.append(f"WHEN {condition} THEN %s")
        params.append(rule.action)
    return "CASE " + " ".join(whens) + " ELSE %s END", [*params, rules.NONE]


def compare(feed: Feed, table: list[rules.Rule], found_on: date, due_on: date) -> dict:
    """Store the feed's rows with whom they matched, and its new signals (one per person, event
    and day, whatever the number of rows or departments that report it). Returns the counts."""
    county_code = feed.county_id
    signals = Signal._meta.db_table
    case, case_params = _action_case(table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FeedRow._meta.db_table} (feed_id, line, id_number, name, event, event_date, amount, detail, member_id, region_code) "
            f"SELECT %s, u.line, u.id_number, u.name, u.event, u.event_date, u.amount, u.detail, m.id, COALESCE(h.region_code, %s) "
            f"FROM {UPLOAD_TABLE} u LEFT JOIN {_MEMBERS} m ON m.id_number = u.id_number LEFT JOIN {_HOUSEHOLDS} h ON h.id = m.household_id",
            [feed.pk, county_code],
        )
        cursor.execute(
            f"SELECT COUNT(*), COUNT(r.member_id), COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM {_BENEFICIARIES} b WHERE b.household_id = m.household_id "
            f"AND b.state IN ({', '.join(['%s'] * len(ON_BENEFITS))})) THEN r.member_id END) FROM {FeedRow._meta.db_table} r "
            f"LEFT JOIN {_MEMBERS} m ON m.id = r.member_id "
            "WHERE r.feed_id = %s",
            [*ON_BENEFITS, feed.pk],
        )
        rows, matched, beneficiaries = cursor.fetchone()
        # The facts already known (an earlier feed, another department): counted again, not new.
        cursor.execute(
            f"UPDATE {signals} SET reports = reports + 1 WHERE EXISTS (SELECT 1 FROM {UPLOAD_TABLE} u WHERE u.id_number = {signals}.id_number "
            f"AND u.event = {signals}.event AND u.event_date = {signals}.event_date)"
        )
        known = cursor.rowcount
        # One signal per fact: the first row that reports it.
        cursor.execute(
            f"INSERT INTO {signals} (id_number, name, event, event_date, amount, detail, feed_id, reports, region_code, member_id, household_id, "
            "beneficiary_id, action, state, found_on, due_on, placed_note) "
            f"SELECT s.id_number, s.name, s.event, s.event_date, s.amount, s.detail, %s, s.reports, s.region_code, s.member_id, s.household_id, s.beneficiary_id, "
            f"{case}, CASE WHEN {case} = %s THEN %s ELSE %s END, %s, CASE WHEN {case} = %s THEN NULL ELSE %s END, '' FROM ("
            "SELECT u.id_number, u.name, u.event, u.event_date, u.amount, u.detail, f.reports, COALESCE(h.region_code, %s) AS region_code, "
            "m.id AS member_id, h.id AS household_id, "
            # The household's benefit, looked up only for the few rows that name a household.
            f"(SELECT MIN(b.id) FROM {_BENEFICIARIES} b WHERE b.household_id = h.id AND b.state IN ({', '.join(['%s'] * len(ON_BENEFITS))})) AS beneficiary_id "
            f"FROM (SELECT id_number, event, event_date, MIN(line) AS line, COUNT(*) AS reports FROM {UPLOAD_TABLE} GROUP BY id_number, event, event_date) f "
            f"JOIN {UPLOAD_TABLE} u ON u.line = f.line "
            f"LEFT JOIN {_MEMBERS} m ON m.id_number = u.id_number LEFT JOIN {_HOUSEHOLDS} h ON h.id = m.household_id "
            f"WHERE NOT EXISTS (SELECT 1 FROM {signals} x WHERE x.id_number = f.id_number AND x.event = f.event AND x.event_date = f.event_date)"
            ") s",
            [
                feed.pk,
                *case_params,
                *case_params,
                rules.NONE,
                SignalState.RECORDED.value,
                SignalState.PENDING.value,
                found_on,
                *case_params,
                rules.NONE,
                due_on,
                county_code,
                *ON_BENEFITS,
            ],
        )
        new = cursor.rowcount
        cursor.execute(f"SELECT COUNT(*) FROM {signals} WHERE feed_id = %s AND state = %s", [feed.pk, SignalState.PENDING.value])
        (actions,) = cursor.fetchone()
        cursor.execute(f"SELECT COUNT(*) FROM {UPLOAD_TABLE}")
        (loaded,) = cursor.fetchone()
    return {"rows": rows, "matched": matched, "beneficiaries": beneficiaries, "signals": new, "duplicates": loaded - new, "actions": actions, "known": known}
