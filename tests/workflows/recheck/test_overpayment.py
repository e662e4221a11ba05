"""Overpayments (社会救助暂行办法 art 68): months paid after a death reported late are recorded
with the amount and the reason, told to the household, and recovered by the family or by
deduction from later payments up to a share of each (team default 30%), or written off by the
county head with a reason."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.models import Notice
from tests.helpers import pdf_text
from tests.workflows.payments.conftest import open_cycle
from workflows.core import services as registry
from workflows.core.models import AuditLog, Overpayment
from workflows.payments import bankfile, roster
from workflows.payments.models import CycleState, LineStatus, PaymentCycle
from workflows.policy.calendar import add_months, first_of_month, next_month
from workflows.recheck import services
from workflows.recheck.flows import RecheckFlow
from workflows.recheck.models import RecheckProcess

from .conftest import VILLAGE_A, enroll, visit

pytestmark = pytest.mark.django_db


def death(world, beneficiary, member, died_on, outcome, **proposal):
    today = timezone.localdate()
    process = RecheckProcess(flow_class=RecheckFlow)
    process.save()
    recheck = services.report_event(process, beneficiary, event="death", event_date=died_on, member=member, detail="家属补报", user=None, today=today)
    visit(recheck, world["caseworker"], on=today)
    services.propose(recheck, user=world["clerk"], outcome=outcome, reason="成员已死亡", today=today, **proposal)
    return services.decide(recheck, user=world["principal"], approve=True, comment="", today=today)


def flat(text):
    return "".join(text.split())


def test_a_sole_members_death_reported_two_months_late_is_repaid(world):
    beneficiary = enroll(VILLAGE_A, "钱二", "700", 1, first=date(2025, 1, 1))
    today = timezone.localdate()
    died_on = add_months(first_of_month(today), -2).replace(day=15)
    death(world, beneficiary, beneficiary.household.members.get(), died_on, "terminate")
    overpayment = Overpayment.objects.get()
    # Paid after the death's month: the month after it and the decision's month (its roster is due by the 5th).
    assert (overpayment.first_month, overpayment.last_month, overpayment.months) == (next_month(died_on), first_of_month(today), 2)
    assert overpayment.amount == Decimal("1400.00") and overpayment.plan == "repay" and overpayment.state == "open"
    text = flat(pdf_text(Notice.objects.get(kind="recovery").pdf))
    assert "1400.00" in text and "2个月" in text and "退还" in text and "行政复议" in text


def test_continuing_at_a_lower_amount_deducts_from_later_payments_and_counts_what_was_paid(world):
    beneficiary = enroll(VILLAGE_A, "孙大", "900", 3, first=date(2025, 1, 1))
    today = timezone.localdate()
    head = beneficiary.household.members.get(relation="head")
    spouse = beneficiary.household.members.get(relation="spouse")
    died_on = add_months(first_of_month(today), -1).replace(day=20)
    death(world, beneficiary, head, died_on, "change_amount", new_amount=Decimal("600"), new_head=spouse)
    overpayment = Overpayment.objects.get()
    # One month (the decision's) paid 900 instead of 600.
    assert overpayment.amount == Decimal("300.00") and overpayment.plan == "deduct"

    following = next_month(today)
    cycle = roster.build_roster(open_cycle(following).cycle)
    lines = {line.kind: line for line in cycle.lines.filter(beneficiary=beneficiary)}
    # 30% of 600 = 180.00 kept back; the line pays 420.00; a RECOVERY line records the 180.
    assert (lines["dibao"].gross_amount, lines["dibao"].offset_amount, lines["dibao"].amount) == (Decimal("600.00"), Decimal("180.00"), Decimal("420.00"))
    assert (lines["recovery"].gross_amount, lines["recovery"].amount, lines["recovery"].overpayment) == (Decimal("180.00"), Decimal("0.00"), overpayment)
    assert cycle.total_amount == sum(line.amount for line in cycle.lines.all())
    bank = b"".join(bankfile.bank_file_chunks(cycle)).decode()
    assert lines["recovery"].reference not in bank and lines["dibao"].reference in bank
    # A rebuild does not deduct twice.
    cycle = roster.build_roster(cycle)
    assert cycle.lines.filter(beneficiary=beneficiary, kind="recovery").get().gross_amount == Decimal("180.00")

    # Paid and reconciled: 180 recovered; the next cycle keeps back only the 120 left.
    cycle.lines.exclude(kind="recovery").update(status=LineStatus.PAID)
    PaymentCycle.objects.filter(pk=cycle.pk).update(state=CycleState.DISBURSING)
    bankfile.reconcile(PaymentCycle.objects.get(pk=cycle.pk))
    overpayment.refresh_from_db()
    assert overpayment.recovered == Decimal("180.00") and overpayment.state == "open"
    later = roster.build_roster(open_cycle(next_month(following)).cycle)
    assert later.lines.get(beneficiary=beneficiary, kind="recovery").gross_amount == Decimal("120.00")
    registry.record_recovery(overpayment.pk, Decimal("120.00"))
    overpayment.refresh_from_db()
    assert overpayment.state == "recovered" and overpayment.remaining == Decimal("0.00")


def test_only_the_county_head_writes_off_and_with_a_reason(world):
    beneficiary = enroll(VILLAGE_A, "钱二", "700", 1, first=date(2025, 1, 1))
    today = timezone.localdate()
    recheck = death(world, beneficiary, beneficiary.household.members.get(), add_months(first_of_month(today), -1).replace(day=3), "terminate")
    overpayment = Overpayment.objects.get()
    # Recorded once per recheck: applying the decision again records nothing more.
    services.apply_decision(recheck, today)
    assert Overpayment.objects.count() == 1 and Notice.objects.filter(kind="recovery").count() == 1
    with pytest.raises(PermissionDenied):
        registry.write_off_overpayment(overpayment, world["principal"], "无遗产可供追回")
    with pytest.raises(PermissionDenied):
        registry.write_off_overpayment(overpayment, world["other_head"], "无遗产可供追回")
    with pytest.raises(ValidationError):
        registry.write_off_overpayment(overpayment, world["head"], " ")
    registry.write_off_overpayment(overpayment, world["head"], "唯一成员死亡，无遗产可供追回")
    overpayment.refresh_from_db()
    assert overpayment.state == "written_off" and overpayment.closed_by == world["head"]
    assert AuditLog.objects.filter(action="write_off", object_id=str(overpayment.pk)).exists()


def test_the_overpayment_page_writes_off_for_the_county_head_only(client, world):
    beneficiary = enroll(VILLAGE_A, "钱二", "700", 1, first=date(2025, 1, 1))
    today = timezone.localdate()
    death(world, beneficiary, beneficiary.household.members.get(), add_months(first_of_month(today), -1).replace(day=3), "terminate")
    overpayment = Overpayment.objects.get()
    client.force_login(world["other_clerk"])
    assert "钱二" not in client.get("/recheck/overpayments/").content.decode()
    client.force_login(world["principal"])
    page = client.get("/recheck/overpayments/").content.decode()
    assert "钱二" in page and "核销理由" not in page
    assert client.post("/recheck/overpayments/", {"overpayment": overpayment.pk, "reason": "无遗产"}).status_code == 403
    client.force_login(world["head"])
    page = client.post("/recheck/overpayments/", {"overpayment": overpayment.pk, "reason": ""})
    assert page.status_code == 200 and "核销必须写明理由" in page.content.decode()
    assert Overpayment.objects.get().state == "open"
    assert client.post("/recheck/overpayments/", {"overpayment": overpayment.pk, "reason": "唯一成员死亡，无遗产"}).status_code == 302
    assert Overpayment.objects.get().state == "written_off"
    client.force_login(world["other_head"])
    assert client.post("/recheck/overpayments/", {"overpayment": overpayment.pk, "reason": "x"}).status_code == 404
