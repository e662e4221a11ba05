"""The files exchanged with the paying bank (代理金融机构, M10).

Bank file (系统 → 银行), CSV, UTF-8 with a byte-order mark (Excel and the banks' tools read
it as UTF-8), comma-separated, one header row, one row per roster line:

    批次号,参考号,账号,户名,身份证号,金额
    340121-202605,340121-202605-1042-J,6222021234567890123,张三,340121197005040011,860.00

- 批次号: county code (6 digits) and month of the cycle; 参考号: unique within the batch, the
  same for the same line in every rebuild; 金额: yuan with two decimals, no separators.

Result file (银行 → 系统), same encoding (GB18030 also accepted), one row per line of the bank
file, every line exactly once:

    批次号,参考号,账号,金额,结果,原因
    340121-202605,340121-202605-1042-J,6222021234567890123,860.00,成功,
    340121-202605,340121-202605-1043-J,6222021234567890131,620.00,失败,账户已销户

- 结果 is 成功 or 失败; 原因 is required for 失败.

The import is strict and all-or-nothing (DESIGN §4.5, §4.6): any wrong row → one error that
lists the rows, nothing applied. The same file twice (same SHA-256) changes nothing.
"""

import csv
import io
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.dispatch import Signal

from workflows.core.services import record_recovery
from workflows.core.uploads import MAX_LISTED_ERRORS, RowErrors, digest_and_encoding

from .models import BankResultImport, CycleState, LineKind, LineStatus, PaymentCycle, RosterLine

#: A bank result file was applied and some lines failed (kwargs: cycle, failed).
results_imported = Signal()

BANK_COLUMNS = ["批次号", "参考号", "账号", "户名", "身份证号", "金额"]
RESULT_COLUMNS = ["批次号", "参考号", "账号", "金额", "结果", "原因"]
RESULTS = {"成功": LineStatus.PAID, "失败": LineStatus.FAILED}
CHUNK = 2000


class _Echo:
    """csv.writer target that hands each written row back instead of storing it."""

    def write(self, value):
        return value


def bank_file_chunks(cycle: PaymentCycle):
    """The bank file as a stream of byte chunks; memory stays constant whatever the roster's
    length (the lines are read with a server-side cursor on PostgreSQL, CHUNK at a time)."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode() + writer.writerow(BANK_COLUMNS).encode()
    # A RECOVERY line is a record of what its benefit line keeps back: nothing to pay.
    lines = (
        RosterLine.objects.filter(cycle=cycle)
        .exclude(kind=LineKind.RECOVERY)
        .order_by("pk")
        .values_list("reference", "card_number", "account_name", "id_number", "amount")
    )
    batch, buffer = cycle.batch, []
    for reference, card, name, id_number, amount in lines.iterator(chunk_size=CHUNK):
        buffer.append(writer.writerow([batch, reference, card, name, id_number, f"{amount:.2f}"]))
        if len(buffer) >= CHUNK:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


# The uploaded file, loaded row by row for the set-based checks; dropped when the import ends.
UPLOAD_TABLE = "payments_result_upload"
UPLOAD_COLUMNS = ["row_no", "reference", "card", "amount", "amount_text", "paid", "reason"]
# A line's amount: 2 decimals and at most the roster's 12 digits (RosterLine.amount).
CENT, AMOUNT_LIMIT = Decimal("0.01"), Decimal("1e10")


class _Errors(RowErrors):
    """The result file's errors; the checks of a row, in the order they are listed."""

    COLUMNS, BATCH, DUPLICATE, UNKNOWN, AMOUNT, ACCOUNT, RESULT, REASON = range(8)

    def __init__(self):
        super().__init__("银行发放结果文件")


def _amount(text: str) -> Decimal | None:
    """The amount as the roster stores it, or None when it cannot be one (then it differs)."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= AMOUNT_LIMIT or value != value.quantize(CENT):
        return None
    return value.quantize(CENT)


def _read_rows(cycle: PaymentCycle, text, errors: _Errors, counts: dict):
    """The file's rows as upload-table rows, streamed. Checks that need only the row itself
    (column count, batch, result, reason) are made here; a row with the wrong column count or
    of another batch is not loaded. The header is checked before anything else."""
    reader = csv.reader(text)
    header = [c.strip() for c in next(reader, [])]
    if header != RESULT_COLUMNS:
        raise ValidationError(f"银行发放结果文件列不符，未导入任何数据：应为“{','.join(RESULT_COLUMNS)}”，实为“{','.join(header)}”")
    width, batch_of_cycle = len(RESULT_COLUMNS), cycle.batch
    for number, row in enumerate(reader, start=2):
        if len(row) != width:
            if any(c.strip() for c in row):
                errors.add(number, _Errors.COLUMNS, f"第{number}行：应有{width}列，实有{len(row)}列")
            continue
        batch, ref, card, amount, result, reason = (c.strip() for c in row)
        if batch != batch_of_cycle:
            if batch or ref or card or amount or result or reason:
                errors.add(number, _Errors.BATCH, f"第{number}行：批次号“{batch}”不是本批次（{batch_of_cycle}），请上传本期的结果文件")
            continue
        status = RESULTS.get(result)
        if status is None:
            errors.add(number, _Errors.RESULT, f"第{number}行：结果应为“成功”或“失败”，实为“{result}”")
        elif status == LineStatus.FAILED and not reason:
            errors.add(number, _Errors.REASON, f"第{number}行：发放失败须注明原因")
        counts[status] = counts.get(status, 0) + 1
        yield number, ref, card, _amount(amount), amount, None if status is None else status == LineStatus.PAID, reason[:200]


def _load(rows) -> None:
    """Fill the upload table: one COPY on PostgreSQL (2,000,000 lines in seconds, not one
    INSERT each), batched INSERTs elsewhere. Both fill the same table, and the same SQL checks
    and applies it, so that SQLite and PostgreSQL give identical results."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {UPLOAD_TABLE}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {UPLOAD_TABLE} (row_no integer NOT NULL, reference varchar(200) NOT NULL, card varchar(200) NOT NULL, "
            "amount numeric(14, 2) NULL, amount_text varchar(200) NOT NULL, paid boolean NULL, reason varchar(200) NOT NULL)"
        )
        if connection.vendor == "postgresql":
            # The checks below hash-join and group the whole file: let them do it in memory.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            with cursor.cursor.copy(f"COPY {UPLOAD_TABLE} ({', '.join(UPLOAD_COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            # Temporary tables are never analysed automatically; the planner needs the size.
            cursor.execute(f"ANALYZE {UPLOAD_TABLE}")
            return
        sql = f"INSERT INTO {UPLOAD_TABLE} ({', '.join(UPLOAD_COLUMNS)}) VALUES ({', '.join(['%s'] * len(UPLOAD_COLUMNS))})"
        for batch in iter(lambda: list(islice(rows, CHUNK)), []):
            cursor.executemany(sql, batch)


# Every loaded row beside the first row of its reference and the roster line it names.
_CHECKED = f"""
    WITH firsts AS (SELECT reference, MIN(row_no) AS first_row FROM {UPLOAD_TABLE} GROUP BY reference)
    SELECT u.row_no, u.reference, f.first_row, u.amount_text, l.id AS line_id, l.amount AS line_amount,
           CASE WHEN u.row_no > f.first_row THEN 1 ELSE 0 END AS duplicate,
           CASE WHEN u.row_no = f.first_row AND l.id IS NULL THEN 1 ELSE 0 END AS unknown,
           CASE WHEN u.row_no = f.first_row AND l.id IS NOT NULL AND (u.amount IS NULL OR u.amount <> l.amount) THEN 1 ELSE 0 END AS wrong_amount,
           CASE WHEN u.row_no = f.first_row AND l.id IS NOT NULL AND u.card <> l.card_number THEN 1 ELSE 0 END AS wrong_card
    FROM {UPLOAD_TABLE} u JOIN firsts f ON f.reference = u.reference
    LEFT JOIN {RosterLine._meta.db_table} l ON l.cycle_id = %s AND l.reference = u.reference
"""


def _cross_check(cycle: PaymentCycle) -> tuple[_Errors, str | None]:
    """The checks across rows and against the roster, in SQL: duplicates (named by the first
    row of their reference), unknown references, amounts and accounts that differ, and roster
    lines the file does not answer. A correct file costs one aggregate query."""
    errors, lines = _Errors(), RosterLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(duplicate), 0), COALESCE(SUM(unknown), 0), COALESCE(SUM(wrong_amount), 0), COALESCE(SUM(wrong_card), 0), "
            f"COALESCE(SUM(CASE WHEN duplicate = 0 AND line_id IS NOT NULL THEN 1 ELSE 0 END), 0), (SELECT COUNT(*) FROM {lines} WHERE cycle_id = %s AND kind <> 'recovery') FROM ({_CHECKED}) checked",
            [cycle.pk, cycle.pk],
        )
        duplicates, unknown, amounts, cards, answered, expected = cursor.fetchone()
        if duplicates or unknown or amounts or cards:
            cursor.execute(
                f"SELECT * FROM ({_CHECKED}) checked WHERE duplicate + unknown + wrong_amount + wrong_card > 0 ORDER BY row_no LIMIT {MAX_LISTED_ERRORS}",
                [cycle.pk],
            )
            for number, ref, first_row, amount_text, _line, line_amount, duplicate, is_unknown, wrong_amount, wrong_card in cursor.fetchall():
                if duplicate:
                    errors.add(number, _Errors.DUPLICATE, f"第{number}行：参考号“{ref}”与第{first_row}行重复")
                elif is_unknown:
                    errors.add(number, _Errors.UNKNOWN, f"第{number}行：参考号“{ref}”不在本期花名册中")
                if wrong_amount:
                    errors.add(number, _Errors.AMOUNT, f"第{number}行：金额“{amount_text}”与花名册金额 {Decimal(str(line_amount)).quantize(CENT)} 元不符")
                if wrong_card:
                    errors.add(number, _Errors.ACCOUNT, f"第{number}行：账号与花名册不符")
            # The listing stops at MAX_LISTED_ERRORS rows; the count is of all of them.
            errors.count = duplicates + unknown + amounts + cards
        missing = None
        if answered < expected:
            cursor.execute(
                f"SELECT reference FROM {lines} l WHERE cycle_id = %s AND kind <> 'recovery' AND NOT EXISTS (SELECT 1 FROM {UPLOAD_TABLE} u WHERE u.reference = l.reference) ORDER BY region_code, id LIMIT 5",
                [cycle.pk],
            )
            missing = f"花名册中有{expected - answered}笔未在结果文件中反馈（如：{'、'.join(r for (r,) in cursor.fetchall())}）"
    return errors, missing


@transaction.atomic
def import_result(cycle: PaymentCycle, data, filename: str, user) -> tuple[BankResultImport, bool]:
    """Apply the bank's result file (bytes or a binary file) and reconcile the cycle;
    (import, applied). A file already imported returns its first import and changes nothing
    (applied is False).

    Set-based whatever the file's length (2,000,000 lines in ≤ 120 s, bench/bench_payments_scale.py): the file is
    read as a stream into a temporary table, checked by a few SQL queries, and applied by one
    UPDATE … FROM. Any error → a ValidationError listing the first rows, nothing applied."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    digest, encoding = digest_and_encoding(stream)
    cycle = PaymentCycle.objects.select_for_update().get(pk=cycle.pk)
    done = BankResultImport.objects.filter(cycle=cycle, sha256=digest).first()
    if done is not None:
        return done, False
    if cycle.state != CycleState.DISBURSING:
        raise ValidationError(
            "本批次不在银行发放阶段，不能导入结果文件" if cycle.state != CycleState.RECONCILED else "本批次的发放结果已经导入，不能再导入另一份结果文件"
        )

    errors = _Errors()
    counts: dict[LineStatus | None, int] = {}  # rows by result; None: a result not understood
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        _load(_read_rows(cycle, text, errors, counts))
    except UnicodeDecodeError:
        raise ValidationError("文件编码无法识别，请使用 UTF-8 或 GB18030 编码的 CSV 文件")
    finally:
        text.detach()  # the caller's file stays open
    found, missing = _cross_check(cycle)
    errors.merge(found)
    errors.raise_if_any(missing)

    with connection.cursor() as cursor:
        lines = RosterLine._meta.db_table
        cursor.execute(
            f"UPDATE {lines} SET status = CASE WHEN u.paid THEN %s ELSE %s END, fail_reason = CASE WHEN u.paid THEN '' ELSE u.reason END "
            f"FROM {UPLOAD_TABLE} u WHERE {lines}.cycle_id = %s AND {lines}.reference = u.reference",
            [LineStatus.PAID.value, LineStatus.FAILED.value, cycle.pk],
        )
        cursor.execute(f"DROP TABLE {UPLOAD_TABLE}")
    paid, failed = counts.get(LineStatus.PAID, 0), counts.get(LineStatus.FAILED, 0)
    record = BankResultImport.objects.create(cycle=cycle, sha256=digest, filename=filename[:200], paid_count=paid, failed_count=failed, uploaded_by=user)
    reconcile(cycle)
    if failed:
        # The township's account fixes are opened by the flow layer (tasks.on_results_imported).
        results_imported.send(sender=PaymentCycle, cycle=cycle, failed=failed)
    return record, True


def reconcile(cycle: PaymentCycle) -> PaymentCycle:
    """Totals must match: paid + failed is the roster's total, line for line (M10)."""
    from django.db.models import Q, Sum

    sums = cycle.lines.aggregate(
        paid=Sum("amount", filter=Q(status=LineStatus.PAID)),
        failed=Sum("amount", filter=Q(status=LineStatus.FAILED)),
        pending=Sum("amount", filter=Q(status=LineStatus.PENDING)),
    )
    paid, failed = sums["paid"] or Decimal("0"), sums["failed"] or Decimal("0")
    if sums["pending"] or paid + failed != cycle.total_amount:
        raise ValidationError(f"对账不平：花名册合计 {cycle.total_amount} 元，到账 {paid} 元，失败 {failed} 元")
    cycle.reconcile(paid, failed)
    cycle.save()
    # What the paid benefit lines kept back is recovered; a failed line's deduction is not (the
    # arrears pay its net amount, the next roster deducts again).
    paid_beneficiaries = cycle.lines.filter(status=LineStatus.PAID).exclude(kind=LineKind.RECOVERY).values("beneficiary_id")
    for overpayment_id, amount in cycle.lines.filter(kind=LineKind.RECOVERY, beneficiary_id__in=paid_beneficiaries).values_list(
        "overpayment_id", "gross_amount"
    ):
        record_recovery(overpayment_id, amount)
    return cycle
