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
import hashlib
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import BankResultImport, CycleState, LineStatus, PaymentCycle, RosterLine

BANK_COLUMNS = ["批次号", "参考号", "账号", "户名", "身份证号", "金额"]
RESULT_COLUMNS = ["批次号", "参考号", "账号", "金额", "结果", "原因"]
RESULTS = {"成功": LineStatus.PAID, "失败": LineStatus.FAILED}
MAX_LISTED_ERRORS = 50
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
    lines = RosterLine.objects.filter(cycle=cycle).order_by("pk").values_list("reference", "card_number", "account_name", "id_number", "amount")
    batch, buffer = cycle.batch, []
    for reference, card, name, id_number, amount in lines.iterator(chunk_size=CHUNK):
        buffer.append(writer.writerow([batch, reference, card, name, id_number, f"{amount:.2f}"]))
        if len(buffer) >= CHUNK:
            yield "".join(buffer).encode()
            buffer = []
    if buffer:
        yield "".join(buffer).encode()


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise ValidationError("文件编码无法识别，请使用 UTF-8 或 GB18030 编码的 CSV 文件")


def _fail(errors: list[str]):
    shown = errors[:MAX_LISTED_ERRORS]
    more = f"\n……另有{len(errors) - len(shown)}处错误" if len(errors) > len(shown) else ""
    raise ValidationError("银行发放结果文件有误，未导入任何数据：\n" + "\n".join(shown) + more)


def parse_result_file(cycle: PaymentCycle, data: bytes) -> dict[str, tuple[str, str]]:
    """reference → (status, reason) for every line, or a ValidationError listing every bad row."""
    reader = csv.reader(io.StringIO(_decode(data)))
    header = [c.strip() for c in next(reader, [])]
    if header != RESULT_COLUMNS:
        raise ValidationError(f"银行发放结果文件列不符，未导入任何数据：应为“{','.join(RESULT_COLUMNS)}”，实为“{','.join(header)}”")
    expected = {ref: (card, amount) for ref, card, amount in cycle.lines.values_list("reference", "card_number", "amount").iterator(chunk_size=CHUNK)}
    results, seen, errors = {}, {}, []
    for number, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(RESULT_COLUMNS):
            errors.append(f"第{number}行：应有{len(RESULT_COLUMNS)}列，实有{len(row)}列")
            continue
        batch, ref, card, amount, result, reason = (c.strip() for c in row)
        if batch != cycle.batch:
            errors.append(f"第{number}行：批次号“{batch}”不是本批次（{cycle.batch}），请上传本期的结果文件")
            continue
        if ref in seen:
            errors.append(f"第{number}行：参考号“{ref}”与第{seen[ref]}行重复")
            continue
        seen[ref] = number
        if ref not in expected:
            errors.append(f"第{number}行：参考号“{ref}”不在本期花名册中")
            continue
        want_card, want_amount = expected[ref]
        try:
            got = Decimal(amount)
        except InvalidOperation:
            got = None
        if got != want_amount:
            errors.append(f"第{number}行：金额“{amount}”与花名册金额 {want_amount} 元不符")
        if card != want_card:
            errors.append(f"第{number}行：账号与花名册不符")
        if result not in RESULTS:
            errors.append(f"第{number}行：结果应为“成功”或“失败”，实为“{result}”")
        elif RESULTS[result] == LineStatus.FAILED and not reason:
            errors.append(f"第{number}行：发放失败须注明原因")
        results[ref] = (RESULTS.get(result), reason)
    missing = [ref for ref in expected if ref not in seen]
    if missing:
        errors.append(f"花名册中有{len(missing)}笔未在结果文件中反馈（如：{'、'.join(missing[:5])}）")
    if errors:
        _fail(errors)
    return results


@transaction.atomic
def import_result(cycle: PaymentCycle, data: bytes, filename: str, user) -> tuple[BankResultImport, bool]:
    """Apply the bank's result file and reconcile the cycle; (import, applied). A file already
    imported returns its first import and changes nothing (applied is False)."""
    digest = hashlib.sha256(data).hexdigest()
    cycle = PaymentCycle.objects.select_for_update().get(pk=cycle.pk)
    done = BankResultImport.objects.filter(cycle=cycle, sha256=digest).first()
    if done is not None:
        return done, False
    if cycle.state != CycleState.DISBURSING:
        raise ValidationError("本批次不在银行发放阶段，不能导入结果文件" if cycle.state != CycleState.RECONCILED else "本批次的发放结果已经导入，不能再导入另一份结果文件")
    results = parse_result_file(cycle, data)
    failed = {ref: reason for ref, (status, reason) in results.items() if status == LineStatus.FAILED}
    cycle.lines.update(status=LineStatus.PAID, fail_reason="")
    failed_lines = list(cycle.lines.filter(reference__in=list(failed)).only("pk", "reference"))
    for line in failed_lines:
        line.status, line.fail_reason = LineStatus.FAILED, failed[line.reference][:200]
    RosterLine.objects.bulk_update(failed_lines, ["status", "fail_reason"], batch_size=CHUNK)
    record = BankResultImport.objects.create(cycle=cycle, sha256=digest, filename=filename[:200], paid_count=len(results) - len(failed), failed_count=len(failed), uploaded_by=user)
    reconcile(cycle)
    return record, True


def reconcile(cycle: PaymentCycle) -> PaymentCycle:
    """Totals must match: paid + failed is the roster's total, line for line (M10)."""
    from django.db.models import Q, Sum

    sums = cycle.lines.aggregate(paid=Sum("amount", filter=Q(status=LineStatus.PAID)), failed=Sum("amount", filter=Q(status=LineStatus.FAILED)), pending=Sum("amount", filter=Q(status=LineStatus.PENDING)))
    paid, failed = sums["paid"] or Decimal("0"), sums["failed"] or Decimal("0")
    if sums["pending"] or paid + failed != cycle.total_amount:
        raise ValidationError(f"对账不平：花名册合计 {cycle.total_amount} 元，到账 {paid} 元，失败 {failed} 元")
    cycle.reconcile(paid, failed)
    cycle.save()
    return cycle
