"""Rosters follow the rechecks by themselves (docs/policy.md "Recheck, gradual exit,
termination"): a new amount from the month after the decision; gradual exit paid to its last
month, then exited; a stopped benefit paid to the decision's month (after a death, to the
death's month); a suspended one skipped. Three months of rosters, every line checked."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.helpers import pdf_text
from tests.workflows.payments.conftest import open_cycle
from workflows.core.models import Beneficiary, IncomeItem
from workflows.payments import roster
from workflows.policy.models import Standard
from workflows.recheck import services, tasks
from workflows.recheck.models import RecheckProcess

from .conftest import TODAY, VILLAGE_A, due, enroll, start, visit

pytestmark = pytest.mark.django_db
DEC, JAN, FEB, MAR = date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1)


def decide(world, beneficiary, outcome, *, trigger_death=None, **proposal):
    recheck = start(due(beneficiary, TODAY)).recheck
    if trigger_death is not None:
        member, day = trigger_death
        services.note_event_on_open(
            recheck, trigger="death", today=TODAY, event_date=day, event_member=member, event_detail="死亡", event_key=f"death:{member.pk}"
        )
    visit(recheck, world["caseworker"])
    services.propose(recheck, user=world["clerk"], outcome=outcome, reason=proposal.pop("reason", "复核查明情况变化"), today=TODAY, **proposal)
    return services.decide(recheck, user=world["principal"], approve=True, comment="", today=TODAY)


def lines(month):
    # The build job runs after commit, which a test in one transaction never reaches: build here.
    cycle = roster.build_roster(open_cycle(month).cycle)
    return {(line.beneficiary_id, line.kind): line.amount for line in cycle.lines.all()}


def test_three_months_of_rosters_across_every_outcome(world, settings):
    unchanged = enroll(VILLAGE_A, "甲零", "500", 1)
    changed = enroll(VILLAGE_A, "甲一", "800", 2)
    exiting = enroll(VILLAGE_A, "甲二", "940", 2)
    stopped = enroll(VILLAGE_A, "甲三", "620", 1)
    suspended = enroll(VILLAGE_A, "甲四", "700", 1)
    died = enroll(VILLAGE_A, "甲五", "660", 1)

    decide(world, unchanged, "continue")
    decide(world, changed, "change_amount", new_amount=Decimal("700"))
    # Its income rose above the standard: (4,100 − 200) ÷ 2 = 1,950 元 > 750 元 (M2).
    IncomeItem.objects.filter(household=exiting.household).update(monthly_amount=Decimal("4100"))
    decide(world, exiting, "gradual_exit", exit_months=2)
    decide(world, stopped, "terminate")
    decide(world, suspended, "suspend", reason="长期外出，无法联系")
    # The sole member died in October; reported in December: no payment after October.
    head = died.household.members.get()
    decide(world, died, "terminate", trigger_death=(head, date(2026, 10, 20)), reason="户主（唯一成员）已死亡")

    assert lines(DEC) == {
        (unchanged.pk, "dibao"): Decimal("500.00"),
        (changed.pk, "dibao"): Decimal("800.00"),  # the decision's month: unchanged
        (exiting.pk, "dibao"): Decimal("940.00"),
        (stopped.pk, "dibao"): Decimal("620.00"),  # the decision's month is still paid
    }
    assert lines(JAN) == {
        (unchanged.pk, "dibao"): Decimal("500.00"),
        (changed.pk, "dibao"): Decimal("700.00"),  # from the month after the decision
        (exiting.pk, "dibao"): Decimal("940.00"),  # gradual exit, month 1 of 2
    }
    assert tasks.settle_month(JAN.isoformat()) == {"exited": 0, "amounts": 1}
    assert Beneficiary.objects.get(pk=changed.pk).monthly_amount == Decimal("700.00")
    assert lines(FEB) == {
        (unchanged.pk, "dibao"): Decimal("500.00"),
        (changed.pk, "dibao"): Decimal("700.00"),
        (exiting.pk, "dibao"): Decimal("940.00"),  # month 2 of 2: the last
    }
    assert lines(MAR) == {(unchanged.pk, "dibao"): Decimal("500.00"), (changed.pk, "dibao"): Decimal("700.00")}
    assert tasks.settle_month(MAR.isoformat()) == {"exited": 1, "amounts": 0}
    assert tasks.settle_month(MAR.isoformat()) == {"exited": 0, "amounts": 0}
    states = dict(Beneficiary.objects.values_list("pk", "state"))
    assert states[exiting.pk] == "exited" and states[stopped.pk] == "terminated" and states[suspended.pk] == "suspended"
    assert Beneficiary.objects.get(pk=died.pk).paid_until == date(2026, 10, 1)

    # Resumed, the suspended beneficiary is paid again from the next roster built.
    services.resume(Beneficiary.objects.get(pk=suspended.pk))
    assert (suspended.pk, "dibao") in lines(date(2027, 4, 1))


def test_a_decision_signed_twice_applies_once(world):
    beneficiary = enroll(VILLAGE_A, "甲一", "800", 2)
    recheck = decide(world, beneficiary, "change_amount", new_amount=Decimal("700"))
    again = services.decide(recheck, user=world["principal"], approve=True, comment="", today=TODAY + timedelta(days=1))
    assert services.apply_decision(again, TODAY + timedelta(days=40)).decided_on == TODAY
    assert again.notice_id == recheck.notice_id and RecheckProcess.objects.count() == 1
    assert Beneficiary.objects.get(pk=beneficiary.pk).next_amount_from == JAN


def test_a_county_that_steps_the_exit_down_pays_falling_amounts(world):
    """The gradual exit's amount per the county's rule (docs/policy.md: unchanged by default,
    configurable): stepped down by equal steps, 600 → 600, 400, 200 over 3 months."""
    Standard.objects.filter(county_id="340121000000").update(gradual_exit_step_down=True)
    exiting = enroll(VILLAGE_A, "甲二", "600", 2)
    IncomeItem.objects.filter(household=exiting.household).update(monthly_amount=Decimal("4100"))
    recheck = decide(world, exiting, "gradual_exit", exit_months=3)
    assert "分别为600.00、400.00、200.00" in "".join(pdf_text(recheck.notice.pdf).split())
    assert lines(JAN)[(exiting.pk, "dibao")] == Decimal("600.00")
    assert lines(FEB)[(exiting.pk, "dibao")] == Decimal("400.00")
    assert lines(MAR)[(exiting.pk, "dibao")] == Decimal("200.00")
    assert (exiting.pk, "dibao") not in lines(date(2027, 4, 1))
