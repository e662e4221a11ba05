"""A suspension (unreachable) is told in writing and resumed by the next recheck that finds the
household eligible; an overdue recheck is escalated to the township principal like any case."""

from datetime import timedelta
from decimal import Decimal

import pytest

from notifications.models import Notification
from tests.helpers import pdf_text
from workflows.core.models import Beneficiary
from workflows.engine.escalation import escalate_overdue
from workflows.recheck import services

from .conftest import TODAY, VILLAGE_A, due, enroll, start, visit

pytestmark = pytest.mark.django_db


def recheck_to(world, beneficiary, outcome, **proposal):
    recheck = start(due(beneficiary, TODAY)).recheck
    visit(recheck, world["caseworker"])
    services.propose(recheck, user=world["clerk"], outcome=outcome, reason=proposal.pop("reason", "复核"), today=TODAY, **proposal)
    return services.decide(recheck, user=world["principal"], approve=True, comment="", today=TODAY)


def test_a_suspension_is_told_in_writing_and_the_next_recheck_resumes_it(world):
    beneficiary = enroll(VILLAGE_A, "沈利斌", "860", 2)
    suspended = recheck_to(world, beneficiary, "suspend", reason="多次联系未果，无法核实家庭经济状况")
    assert Beneficiary.objects.get(pk=beneficiary.pk).state == "suspended"
    text = "".join(pdf_text(suspended.notice.pdf).split())
    assert suspended.notice.kind == "suspension" and "暂停发放" in text and "860.00" in text and "行政复议" in text
    # Found again, still eligible: continued, the benefit resumes.
    beneficiary.refresh_from_db()
    recheck_to(world, beneficiary, "change_amount", new_amount=Decimal("800"), reason="已返乡，收入略有增加")
    beneficiary.refresh_from_db()
    assert beneficiary.state == "active" and beneficiary.next_amount == Decimal("800.00")


def test_an_overdue_recheck_is_escalated_to_the_township_principal(world):
    beneficiary = due(enroll(VILLAGE_A, "甲一", "800", 2), TODAY - timedelta(days=20))
    process = start(beneficiary)
    assert process.due_date == TODAY - timedelta(days=20)
    assert escalate_overdue(TODAY) >= 1
    assert Notification.objects.filter(user=world["principal"], kind="overdue_escalation").exists()
    # Told once: a second sweep sends nothing new to the principal.
    before = Notification.objects.filter(user=world["principal"]).count()
    escalate_overdue(TODAY)
    assert Notification.objects.filter(user=world["principal"]).count() == before
