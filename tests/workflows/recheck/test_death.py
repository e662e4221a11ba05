"""A death (docs/policy.md "Recheck, gradual exit, termination": no payment from the month after
the death; the head's death is 停旧建新 as a change of head, not a new application; the sole
member's death ends the benefit)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from workflows.core.models import Beneficiary, Household
from workflows.recheck import services
from workflows.recheck.flows import RecheckFlow
from workflows.recheck.models import RecheckProcess

from .conftest import VILLAGE_A, enroll, visit

pytestmark = pytest.mark.django_db


def reported_death(world, beneficiary, member, died_on):
    today = timezone.localdate()
    process = RecheckProcess(flow_class=RecheckFlow)
    process.save()
    recheck = services.report_event(process, beneficiary, event="death", event_date=died_on, member=member, detail="村委会报告", user=None, today=today)
    visit(recheck, world["caseworker"], on=today)
    return recheck


def test_the_heads_death_continues_the_household_under_a_new_head(world):
    beneficiary = enroll(VILLAGE_A, "孙大", "900", 3)
    head = beneficiary.household.members.get(relation="head")
    spouse = beneficiary.household.members.get(relation="spouse")
    today = timezone.localdate()
    recheck = reported_death(world, beneficiary, head, today - timedelta(days=10))
    with pytest.raises(ValidationError) as error:
        services.propose(recheck, user=world["clerk"], outcome="change_amount", new_amount=Decimal("600"), reason="户主死亡", today=today)
    assert "请指定新户主" in str(error.value.message_dict["new_head"])
    services.propose(recheck, user=world["clerk"], outcome="change_amount", new_amount=Decimal("600"), reason="户主死亡", today=today, new_head=spouse)
    services.decide(recheck, user=world["principal"], approve=True, comment="", today=today)
    household = Household.objects.get(pk=beneficiary.household_id)
    beneficiary.refresh_from_db()
    assert household.head_name == spouse.name and household.members.get(relation="head") == spouse
    assert beneficiary.state == "active" and beneficiary.next_amount == Decimal("600.00") and beneficiary.covered_members == 2
    assert Beneficiary.objects.count() == 1  # not a new application: the same beneficiary


def test_the_sole_members_death_stops_the_benefit_after_the_deaths_month(world):
    beneficiary = enroll(VILLAGE_A, "钱二", "700", 1)
    head = beneficiary.household.members.get()
    today = timezone.localdate()
    died_on = (today.replace(day=1) - timedelta(days=40)).replace(day=12)  # the month before last
    recheck = reported_death(world, beneficiary, head, died_on)
    with pytest.raises(ValidationError) as error:
        services.propose(recheck, user=world["clerk"], outcome="continue", reason="", today=today)
    assert "唯一成员" in str(error.value.message_dict["outcome"])
    services.propose(recheck, user=world["clerk"], outcome="terminate", reason="唯一成员已死亡", today=today)
    recheck = services.decide(recheck, user=world["principal"], approve=True, comment="", today=today)
    beneficiary.refresh_from_db()
    assert beneficiary.state == "terminated" and beneficiary.paid_until == date(died_on.year, died_on.month, 1)
    assert recheck.effective_month == date(died_on.year + (died_on.month == 12), died_on.month % 12 + 1, 1)
    assert recheck.notice.kind == "termination"
