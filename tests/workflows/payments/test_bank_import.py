"""The bank result import is strict and all-or-nothing; the same file twice changes nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from workflows.payments import bankfile, roster, services
from workflows.payments.models import BankResultImport, CycleState, PaymentCycle

from .conftest import open_cycle

# A cycle's roster is built by a job that runs once the cycle's opening commits.
pytestmark = pytest.mark.django_db(transaction=True)
HEADER = "批次号,参考号,账号,金额,结果,原因"


@pytest.fixture
def disbursing(county):
    process = open_cycle()
    services.submit_roster(process, date(2026, 4, 28))
    services.allocate_funds(process, day=date(2026, 5, 8), reference="长财社〔2026〕31号", amount=process.cycle.total_amount)
    services.start_disbursing(process)
    return PaymentCycle.objects.get()


def rows(cycle, **override):
    """The correct result rows of the cycle: [batch, reference, account, amount, result, reason]."""
    return [[cycle.batch, line.reference, line.card_number, f"{line.amount:.2f}", "成功", ""] for line in cycle.lines.order_by("pk")]


def as_file(rows, header=HEADER) -> bytes:
    return ("\ufeff" + header + "\n" + "\n".join(",".join(r) for r in rows) + "\n").encode()


def assert_nothing_applied(cycle):
    cycle.refresh_from_db()
    assert cycle.state == CycleState.DISBURSING
    assert set(cycle.lines.values_list("status", flat=True)) == {"pending"}
    assert not BankResultImport.objects.exists()


def test_wrong_columns(disbursing, county):
    with pytest.raises(ValidationError, match="列不符"):
        bankfile.import_result(disbursing, as_file(rows(disbursing), header="参考号,金额,结果"), "r.csv", county["bank"])
    assert_nothing_applied(disbursing)


def test_every_bad_row_is_listed_and_nothing_applied(disbursing, county):
    good = rows(disbursing)
    bad = [
        good[0],
        list(good[1]),
        list(good[2]),
        list(good[1]),
        [disbursing.batch, "340121-202605-999999-J", "6222", "1.00", "成功", ""],
        ["340121-202604", *good[2][1:]],
    ]
    bad[1][3] = "621.00"  # amount differs
    bad[2][4], bad[2][5] = "失败", ""  # failure without reason
    with pytest.raises(ValidationError) as error:
        bankfile.import_result(disbursing, as_file(bad), "r.csv", county["bank"])
    message = "\n".join(error.value.messages)
    assert "未导入任何数据" in message
    assert "第3行：金额“621.00”与花名册金额" in message
    assert "第4行：发放失败须注明原因" in message
    assert "第5行：参考号“" in message and "与第3行重复" in message
    assert "第6行：参考号“340121-202605-999999-J”不在本期花名册中" in message
    assert "第7行：批次号“340121-202604”不是本批次" in message
    assert_nothing_applied(disbursing)


def test_a_file_with_lines_missing_is_refused(disbursing, county):
    with pytest.raises(ValidationError, match="有1笔未在结果文件中反馈"):
        bankfile.import_result(disbursing, as_file(rows(disbursing)[:2]), "r.csv", county["bank"])
    assert_nothing_applied(disbursing)


def test_a_file_of_another_cycle_is_refused(disbursing, county):
    other = [[f"{r[0][:7]}202606", *r[1:]] for r in rows(disbursing)]
    with pytest.raises(ValidationError, match="不是本批次"):
        bankfile.import_result(disbursing, as_file(other), "r.csv", county["bank"])
    assert_nothing_applied(disbursing)


def test_the_same_file_twice_changes_nothing(disbursing, county):
    data = rows(disbursing)
    data[0][4], data[0][5] = "失败", "户名不符"
    record, applied = bankfile.import_result(disbursing, as_file(data), "r.csv", county["bank"])
    assert applied and (record.paid_count, record.failed_count) == (2, 1)
    before = sorted(disbursing.lines.values_list("pk", "status", "fail_reason"))
    again, applied = bankfile.import_result(disbursing, as_file(data), "r-copy.csv", county["bank"])
    assert not applied and again.pk == record.pk
    assert sorted(disbursing.lines.values_list("pk", "status", "fail_reason")) == before
    assert BankResultImport.objects.count() == 1
    # a different file after reconciliation is refused, nothing changes
    with pytest.raises(ValidationError, match="已经导入"):
        bankfile.import_result(disbursing, as_file(rows(disbursing)), "other.csv", county["bank"])
    assert sorted(disbursing.lines.values_list("pk", "status", "fail_reason")) == before


def test_gb18030_files_are_read(disbursing, county):
    data = rows(disbursing)
    data[0][4], data[0][5] = "失败", "账户冻结"
    payload = (HEADER + "\n" + "\n".join(",".join(r) for r in data)).encode("gb18030")
    bankfile.import_result(disbursing, payload, "r.csv", county["bank"])
    assert disbursing.lines.get(status="failed").fail_reason == "账户冻结"


def test_closed_cycle_cannot_be_reopened(disbursing, county):
    from django_fsm import TransitionNotAllowed

    from workflows.payments.models import PaymentProcess

    bankfile.import_result(disbursing, as_file(rows(disbursing)), "r.csv", county["bank"])
    process = PaymentProcess.objects.get()
    services.close_cycle(process, date(2026, 5, 20))
    cycle = PaymentCycle.objects.get()
    assert cycle.state == CycleState.CLOSED
    for transition in (
        lambda: cycle.mark_built(0, 0, None),
        lambda: cycle.submit(None),
        lambda: cycle.allocate(None, ""),
        cycle.start_disbursing,
        lambda: cycle.reconcile(0, 0),
        lambda: cycle.close(None),
    ):
        with pytest.raises(TransitionNotAllowed):
            transition()
    with pytest.raises(ValidationError, match="已办结"):
        services.close_cycle(process, date(2026, 5, 21))
    with pytest.raises(ValidationError, match="不能重新生成"):
        roster.build_roster(cycle)


def messages_of(error) -> list[str]:
    return error.value.messages[0].split("\n")


def test_errors_are_listed_in_row_order_whether_found_while_reading_or_by_the_database(disbursing, county):
    good = rows(disbursing)
    wrong_card, bad_result, bad_amount = list(good[0]), list(good[1]), list(good[2])
    wrong_card[2] = "6228480402000000000"
    bad_result[4] = "已付"
    bad_amount[3] = "八百"
    data = [wrong_card, bad_result, bad_amount, good[0][:5], ["", "", "", "", "", ""], good[1]]
    with pytest.raises(ValidationError) as error:
        bankfile.import_result(disbursing, as_file(data), "r.csv", county["bank"])
    assert messages_of(error) == [
        "银行发放结果文件有误，未导入任何数据：",
        "第2行：账号与花名册不符",
        "第3行：结果应为“成功”或“失败”，实为“已付”",
        f"第4行：金额“八百”与花名册金额 {good[2][3]} 元不符",
        "第5行：应有6列，实有5列",
        # the blank row 6 is skipped; row 7 repeats row 3's reference
        f"第7行：参考号“{good[1][1]}”与第3行重复",
    ]
    assert_nothing_applied(disbursing)


def test_amounts_are_compared_to_the_cent(disbursing, county):
    data = rows(disbursing)
    data[0][3] = data[0][3] + "1"  # 800.001: not an amount of the roster
    data[1][3] = data[1][3][:-1]  # 620.0: the same amount
    with pytest.raises(ValidationError) as error:
        bankfile.import_result(disbursing, as_file(data), "r.csv", county["bank"])
    assert messages_of(error)[1:] == [f"第2行：金额“{data[0][3]}”与花名册金额 {data[0][3][:-1]} 元不符"]
    assert_nothing_applied(disbursing)


def test_only_the_first_errors_are_listed_and_the_rest_counted(disbursing, county):
    good = rows(disbursing)
    data = [good[0]] * 60  # 59 duplicates, and the other 2 lines unanswered
    with pytest.raises(ValidationError) as error:
        bankfile.import_result(disbursing, as_file(data), "r.csv", county["bank"])
    listed = messages_of(error)
    assert listed[1] == f"第3行：参考号“{good[0][1]}”与第2行重复"
    assert listed[50] == f"第52行：参考号“{good[0][1]}”与第2行重复"
    assert listed[51:] == ["……另有10处错误"]
    assert_nothing_applied(disbursing)


def test_unknown_references_and_unanswered_lines(disbursing, county):
    good = rows(disbursing)
    stranger = [disbursing.batch, f"{disbursing.batch}-999999-J", good[0][2], good[0][3], "成功", ""]
    with pytest.raises(ValidationError) as error:
        bankfile.import_result(disbursing, as_file([good[0], stranger]), "r.csv", county["bank"])
    listed = messages_of(error)
    assert listed[1] == f"第3行：参考号“{stranger[1]}”不在本期花名册中"
    assert listed[2].startswith("花名册中有2笔未在结果文件中反馈（如：") and good[1][1] in listed[2] and good[2][1] in listed[2]
    assert_nothing_applied(disbursing)


def test_an_unreadable_encoding_is_refused(disbursing, county):
    with pytest.raises(ValidationError, match="编码无法识别"):
        bankfile.import_result(disbursing, HEADER.encode() + b"\n\xff\xfe\xff,\x80\x80\n", "r.csv", county["bank"])
    assert_nothing_applied(disbursing)


def test_an_uploaded_file_is_read_as_a_stream_and_left_open(disbursing, county):
    from django.core.files.uploadedfile import TemporaryUploadedFile

    data = rows(disbursing)
    data[2][4], data[2][5] = "失败", "账户已销户"
    payload = as_file(data)
    upload = TemporaryUploadedFile("结果.csv", "text/csv", len(payload), None)
    upload.write(payload)
    upload.seek(0)
    record, applied = bankfile.import_result(disbursing, upload, upload.name, county["bank"])
    assert applied and (record.paid_count, record.failed_count) == (2, 1)
    assert not upload.closed
    upload.close()
    disbursing.refresh_from_db()
    line = disbursing.lines.get(reference=data[2][1])
    assert (disbursing.state, line.status, line.fail_reason) == (CycleState.RECONCILED, "failed", "账户已销户")
    assert disbursing.failed_amount == line.amount and disbursing.paid_amount + disbursing.failed_amount == disbursing.total_amount


def test_a_cycle_is_closed_only_once_reconciled(disbursing, county):
    from workflows.payments.models import PaymentProcess

    with pytest.raises(ValidationError, match="尚未对账"):
        services.close_cycle(PaymentProcess.objects.get(), date(2026, 5, 20))
    assert_nothing_applied(disbursing)
    assert disbursing.report_notice is None
