"""Recheck rules (docs/policy.md "Recheck, gradual exit, termination")."""

from datetime import date
from decimal import Decimal

import pytest

from workflows.policy import recheck
from workflows.policy.calendar import months_between
from workflows.policy.rules import HouseholdFacts, IncomeFacts, MemberFacts, next_recheck_date, recheck_interval_months


def household(*members, incomes=()):
    return HouseholdFacts(members=tuple(members), incomes=tuple(incomes))


ELDERLY = MemberFacts(age=72)
CHILD = MemberFacts(age=9, in_school=True)
WORKER = MemberFacts(age=41)
SEVERELY_DISABLED = MemberFacts(age=35, disability_type="physical", disability_grade=1)


def test_a_household_with_no_member_able_to_work_and_no_irregular_income_is_rechecked_yearly():
    facts = household(ELDERLY, CHILD, SEVERELY_DISABLED, incomes=[IncomeFacts("pension_basic", Decimal("150"))])
    assert recheck_interval_months("dibao", facts) == 12


def test_a_member_of_working_age_able_to_work_makes_it_every_six_months():
    assert recheck_interval_months("dibao", household(ELDERLY, WORKER)) == 6


def test_irregular_income_makes_it_every_six_months():
    facts = household(ELDERLY, incomes=[IncomeFacts("business", Decimal("300"))])
    assert recheck_interval_months("dibao", facts) == 6
    assert recheck_interval_months("marginal", facts) == 6
    assert recheck_interval_months("single_person", household(ELDERLY)) == 12


def test_tekun_is_rechecked_yearly_whatever_the_household():
    assert recheck_interval_months("tekun_dispersed", household(WORKER)) == 12
    assert recheck_interval_months("tekun_concentrated", household(ELDERLY)) == 12


def test_the_intervals_are_local_values():
    values = recheck.RecheckValues(stable_months=12, unstable_months=3, tekun_months=12)
    assert recheck_interval_months("dibao", household(WORKER), values) == 3
    with pytest.raises(ValueError, match="复核周期"):
        recheck.RecheckValues(unstable_months=0)


@pytest.mark.parametrize(
    ("last", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),  # clamped to February's last day
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a leap year
        (date(2026, 3, 15), 12, date(2027, 3, 15)),
        (date(2026, 10, 31), 1, date(2026, 11, 30)),
        (date(2026, 12, 1), 6, date(2027, 6, 1)),
    ],
)
def test_next_recheck_date_counts_calendar_months(last, months, expected):
    assert next_recheck_date(last, months) == expected


def test_a_death_is_rechecked_within_three_months():
    assert recheck.event_deadline("death", date(2026, 11, 30)) == date(2027, 2, 28)
    with pytest.raises(ValueError, match="未知的复核事由"):
        recheck.event_deadline("rumour", date(2026, 11, 30))


def test_gradual_exit_lasts_one_to_six_months():
    assert recheck.validate_exit_months(6) == 6
    with pytest.raises(ValueError, match="不超过6个月"):
        recheck.validate_exit_months(7)
    with pytest.raises(ValueError, match="至少为1个月"):
        recheck.validate_exit_months(0)
    # Starting in January, six months are paid: January to June.
    assert recheck.exit_last_month(date(2027, 1, 1), 6) == date(2027, 6, 1)


def test_the_exit_amount_is_unchanged_by_default_or_stepped_down():
    assert recheck.exit_amounts(Decimal("600"), 3) == [Decimal("600.00")] * 3
    assert recheck.exit_amounts(Decimal("600"), 3, step_down=True) == [Decimal("600.00"), Decimal("400.00"), Decimal("200.00")]


def test_no_payment_from_the_month_after_a_death():
    assert recheck.death_last_paid_month(date(2026, 11, 17)) == date(2026, 11, 1)


def test_months_between_counts_calendar_months():
    assert months_between(date(2026, 11, 30), date(2027, 2, 1)) == 3
    assert months_between(date(2027, 2, 1), date(2026, 11, 30)) == -3
    assert months_between(date(2026, 6, 1), date(2026, 6, 30)) == 0
