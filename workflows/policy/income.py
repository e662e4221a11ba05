"""Counting a household's income (最低生活保障审核确认办法; M2).

Exempt kinds are not counted; the employment cost deduction and the M2 income exemption
come off earned income; rigid costs of disability and illness come off up to the local cap.
The per-capita figure compared with the standard is the exact quotient, never a rounded one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .facts import EARNED_INCOME_KINDS, HouseholdFacts, StandardValues
from .money import CENT, ZERO


class IncomeCount(NamedTuple):
    """Every figure of one count, for the decision and its explanation alike."""

    total: Decimal  # every listed income
    exempt: Decimal  # std.exempt_income_kinds
    counted: Decimal  # total − exempt
    employment_deduction: Decimal
    employed_count: int
    income_exemption: Decimal  # M2, taken from earned income
    rigid: Decimal  # rigid costs deducted (after the local cap)
    net: Decimal  # counted − deductions − rigid costs, floored at 0
    exact: Decimal  # net ÷ members, unrounded: every comparison uses this
    per_capita: Decimal  # exact, quantized to the fen for display


def count_income(h: HouseholdFacts, std: StandardValues) -> IncomeCount:
    """The household's income counted once (see ``per_capita_income`` for the rule)."""
    members = h.members
    n = len(members)
    if n == 0:
        raise ValueError("家庭成员为空，无法计算人均收入")
    exempt_kinds = std.exempt_income_kinds
    total = exempt = earned_total = ZERO
    for inc in h.incomes:
        total += inc.monthly_amount
        if inc.kind in exempt_kinds:
            exempt += inc.monthly_amount
        elif inc.kind in EARNED_INCOME_KINDS:
            earned_total += inc.monthly_amount
    counted = total - exempt

    # M2: employment cost deduction — up to std.employment_deduction per employed member,
    # taken only from that member's own wage/business income and never below 0 for them.
    deduction = ZERO
    employed = 0
    per_member = std.employment_deduction
    for i, m in enumerate(members):
        if m.employed:
            employed += 1
            if per_member:
                earned = ZERO
                for inc in h.incomes:
                    if inc.member_index == i and inc.kind in EARNED_INCOME_KINDS:
                        earned += inc.monthly_amount
                if earned > 0:
                    deduction += per_member if earned >= per_member else earned

    # M2 income exemption: up to the local amount, from the earned income left after the
    # employment deduction.
    exemption = ZERO
    if std.income_exemption and earned_total > deduction:
        exemption = min(std.income_exemption, earned_total - deduction)

    rigid = h.rigid_costs
    if std.rigid_cost_cap is not None and rigid > std.rigid_cost_cap:
        rigid = std.rigid_cost_cap

    net = counted - deduction - exemption - rigid
    if net < 0:
        net = ZERO
    exact = net / n
    return IncomeCount(total, exempt, counted, deduction, employed, exemption, rigid, net, exact, exact.quantize(CENT, ROUND_HALF_UP))


def per_capita_income(h: HouseholdFacts, std: StandardValues) -> Decimal:
    """Monthly per-capita income (最低生活保障审核确认办法; M2), for display.

    counted income (all items except std.exempt_income_kinds)
    − employment cost deduction: for each employed member, std.employment_deduction, but no
      more than that member's own wage + business income (so no member's earned income goes
      below 0; income items not attributed to a member are never reduced)
    − M2 income exemption (std.income_exemption, from the earned income left)
    − rigid costs of disability / illness (h.rigid_costs, at most std.rigid_cost_cap)
    floored at 0, divided by the number of members, quantized to 0.01 ROUND_HALF_UP.
    Comparisons with the standard and the marginal line use the exact quotient
    (``exact_per_capita_income``), never this rounded figure. An empty household is a ValueError.
    """
    return count_income(h, std).per_capita


def exact_per_capita_income(h: HouseholdFacts, std: StandardValues) -> Decimal:
    """The per-capita income unrounded (net ÷ members): what the standard is compared with."""
    return count_income(h, std).exact


def member_counted_income(h: HouseholdFacts, std: StandardValues, member_index: int) -> Decimal:
    """A member's own counted monthly income (单人户): their items not in
    std.exempt_income_kinds, less their own employment cost deduction when employed."""
    if not 0 <= member_index < len(h.members):
        raise ValueError(f"家庭成员序号不存在：{member_index}")
    counted = earned = ZERO
    for inc in h.incomes:
        if inc.member_index == member_index and inc.kind not in std.exempt_income_kinds:
            counted += inc.monthly_amount
            if inc.kind in EARNED_INCOME_KINDS:
                earned += inc.monthly_amount
    if h.members[member_index].employed and earned > 0:
        counted -= min(std.employment_deduction, earned)
    return counted
