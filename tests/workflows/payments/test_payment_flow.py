"""The whole monthly cycle through the task pages: roster → funds → bank → reconcile → close,
failed lines paid again next month, reminders and escalation on the M10 deadlines."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from documents.models import Notice
from documents.rendering import render_html
from notifications.models import Notification
from tests.factories import COUNTY
from workflows.core.models import BankAccount
from workflows.payments.flows import PaymentFlow
from workflows.payments.models import CycleState, PaymentCycle, PaymentProcess

from .conftest import MAY, card, do, open_cycle, task_of


def allocation_day() -> str:
    """The roster is submitted today (the review page does so): funds cannot come earlier."""
    return timezone.localdate().isoformat()


# The roster jobs, and the account fixes a bank file's import opens, run once each commits.
pytestmark = pytest.mark.django_db(transaction=True)


def bank_rows(client, user, cycle):
    client.force_login(user)
    response = client.get(reverse("payments:bank_file", args=[cycle.pk]))
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def result_file(rows, fail=None):
    """The bank's answer to its file: every line paid except those in `fail` {reference: reason}."""
    fail = fail or {}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["批次号", "参考号", "账号", "金额", "结果", "原因"])
    for batch, ref, account, _name, _id, amount in rows[1:]:
        writer.writerow([batch, ref, account, amount, "失败" if ref in fail else "成功", fail.get(ref, "")])
    return out.getvalue().encode("utf-8-sig")


def test_the_month_from_roster_to_closing(client, county):
    client.force_login(county["officer"])
    response = client.post(PaymentFlow.start.reverse("execute"), {"county": COUNTY, "month": "2026-05"})
    assert response.status_code == 302, response.content.decode()[:2000]
    process = PaymentProcess.objects.get()
    cycle = process.cycle
    assert cycle.state == CycleState.ROSTER_BUILT and cycle.total_amount == Decimal("2360")
    assert process.due_date == date(2026, 4, 30)

    review = task_of(process, PaymentFlow.review)
    client.post(review.flow_task.reverse("assign", args=[process.pk, review.pk]))
    page = client.get(review.flow_task.reverse("execute", args=[process.pk, review.pk])).content.decode()
    assert "水湖镇" in page and "2026-04-30" in page
    workbook = client.get(reverse("payments:roster_xlsx", args=[cycle.pk]))
    assert workbook.status_code == 200 and workbook["Content-Type"].startswith("application/vnd.openxmlformats")

    assert do(client, county["officer"], process, PaymentFlow.review, {"action": "submit"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == CycleState.ROSTER_SUBMITTED and cycle.roster_notice.kind == "roster"
    roster = Notice.objects.get(kind="roster")
    assert roster.context["total_amount"] == "2360.00" and len(roster.context["rows"]) == 3
    assert all("*" in row["id_masked"] for row in roster.context["rows"])

    # finance must allocate exactly the roster's total
    wrong = do(
        client, county["finance"], process, PaymentFlow.allocate, {"allocated_on": allocation_day(), "reference": "长财社〔2026〕31号", "amount": "2000"}
    )
    assert "与花名册合计 2360.00 元不符" in wrong.content.decode()
    ok = do(
        client, county["finance"], process, PaymentFlow.allocate, {"allocated_on": allocation_day(), "reference": "长财社〔2026〕31号", "amount": "2360.00"}
    )
    assert ok.status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == CycleState.DISBURSING and cycle.allocation_reference == "长财社〔2026〕31号"

    rows = bank_rows(client, county["bank"], cycle)
    assert rows[0] == ["批次号", "参考号", "账号", "户名", "身份证号", "金额"] and len(rows) == 4
    a1_ref = cycle.lines.get(beneficiary=county["a1"]).reference
    upload = SimpleUploadedFile("结果.csv", result_file(rows, {a1_ref: "账户已销户"}), content_type="text/csv")
    assert do(client, county["bank"], process, PaymentFlow.upload, {"result_file": upload}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == CycleState.RECONCILED
    assert (cycle.paid_amount, cycle.failed_amount) == (Decimal("1560"), Decimal("800"))
    report = client.get(reverse("payments:report", args=[cycle.pk]))
    assert report.status_code == 200 and "账户已销户" in report.content.decode()

    assert do(client, county["officer"], process, PaymentFlow.close, {"confirm": "on"}).status_code == 302
    cycle.refresh_from_db()
    assert cycle.state == CycleState.CLOSED and PaymentProcess.objects.get().status == "DONE"
    # the report (PDF, rendered from this HTML) states the reconciled totals and the failed line, masked
    report = cycle.report_notice
    assert report.kind == "payment_report" and report.created_by == county["officer"] and report.pdf
    text = render_html(report)
    assert "发放到账2笔，计1560.00元" in text and "发放失败1笔，计800.00元" in text and "长财社〔2026〕31号" in text
    assert "<td>甲一</td>" in text and "账户已销户" in text and "转入下月花名册补发" in text
    assert county["a1"].household.members.first().id_number not in text

    # the township corrects the account; June pays the failed 800 again, to the new account
    new_card = card()
    BankAccount.objects.filter(household=county["a1"].household).update(card_number=new_card)
    june = open_cycle(date(2026, 6, 1)).cycle
    arrears = june.lines.get(kind="arrears")
    assert (arrears.beneficiary_id, arrears.amount, arrears.card_number) == (county["a1"].pk, Decimal("800"), new_card)
    assert june.lines.filter(beneficiary=county["a1"]).count() == 2  # June's own 800 and the arrears
    assert cycle.lines.get(status="failed").carried_to_id == june.pk
    # rebuilding June does not carry it twice, and July does not carry it again
    from workflows.payments import roster

    roster.build_roster(june)
    assert june.lines.filter(kind="arrears").count() == 1


def test_reminder_before_and_escalation_after_the_roster_deadline(county):
    from workflows.engine.tasks import escalate_overdue, send_deadline_reminders

    process = open_cycle()
    assert process.due_date == date(2026, 4, 30)
    send_deadline_reminders.apply(args=["2026-04-28"]).get()
    assert Notification.objects.filter(user=county["officer"], kind="deadline_reminder").count() == 1
    assert not Notification.objects.filter(user=county["finance"]).exists()
    # 6 May, first working day after Labour Day: overdue, the county head is told once
    escalate_overdue.apply(args=["2026-05-06"]).get()
    escalate_overdue.apply(args=["2026-05-07"]).get()
    assert Notification.objects.filter(user=county["head"], kind="overdue_escalation").count() == 1


def test_the_deadline_follows_the_stage(client, county):
    process = open_cycle()
    do(client, county["officer"], process, PaymentFlow.review, {"action": "submit"})
    process.refresh_from_db()
    assert process.due_date == date(2026, 5, 9) and "资金拨付" in process.deadline_note
    do(client, county["finance"], process, PaymentFlow.allocate, {"allocated_on": allocation_day(), "reference": "长财社〔2026〕31号", "amount": "2360"})
    process.refresh_from_db()
    assert process.due_date == date(2026, 5, 15) and "银行发放" in process.deadline_note


def test_rebuild_from_the_review_task_keeps_the_task_open(client, county):
    from .conftest import enroll

    process = open_cycle()
    enroll(name="新纳入", amount="500", members=1, first=MAY)
    response = do(client, county["officer"], process, PaymentFlow.review, {"action": "rebuild"})
    assert response.status_code == 302
    cycle = PaymentCycle.objects.get()
    assert cycle.line_count == 4 and cycle.state == CycleState.ROSTER_BUILT
    assert task_of(process, PaymentFlow.review).status != "DONE"
