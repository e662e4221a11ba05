"""Rechecks, their events and outcomes (docs/policy.md "Recheck, gradual exit, termination":
社会救助暂行办法 arts 13, 18, 45; 最低生活保障审核确认办法; 特困人员认定办法).

"以上/以下/以内/届满" include the number itself (民法典 art. 1259); "超过" does not.
"""

from __future__ import annotations

import calendar as _calendar
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from . import defaults
from .exit import gradual_exit_end
from .facts import HouseholdFacts, MemberFacts, RecheckValues
from .money import to_money
from .tekun import ELDERLY_AGE, MINOR_AGE, unable_to_work

#: 审核确认办法 (secondary wording): stable households yearly, others every 6 months; 特困 年审.
STABLE_MONTHS = defaults.RECHECK_STABLE_MONTHS
UNSTABLE_MONTHS = defaults.RECHECK_UNSTABLE_MONTHS
TEKUN_MONTHS = defaults.RECHECK_TEKUN_MONTHS
#: Income that changes from month to month: a household living on it is not "stable".
IRREGULAR_INCOME_KINDS = frozenset({"business", "other"})
#: M2 and the 2022 national notice: gradual exit "原则上不超过6个月".
GRADUAL_EXIT_MAX_MONTHS = 6
#: 社会救助暂行办法 art 45: refusing suitable work 3 times in a row without good reason.
WORK_REFUSALS_LIMIT = 3

TEKUN_KINDS = frozenset({"tekun_concentrated", "tekun_dispersed"})

#: The events that open a recheck at once, and the months within which it is done. After a
#: death within 3 months (docs/policy.md); the others by team default, configurable per
#: deployment (settings.RECHECK_EVENT_MONTHS).
EVENT_LABELS = {
    "death": "家庭成员死亡",
    "hukou_out": "户籍迁出本县",
    "verification": "信息核对发现收入财产变化",
    "monitoring": "低收入人口监测预警",
    "reported_change": "家庭或协理员报告情况变化",
    "petition": "信访反映",
    "spot_check": "抽查发现问题",
}
EVENT_MONTHS = {"death": 3, "hukou_out": 3, "verification": 1, "monitoring": 1, "reported_change": 1, "petition": 1, "spot_check": 1}

#: The outcomes a recheck may decide.
OUTCOME_LABELS = {
    "continue": "维持原保障",
    "change_amount": "调整保障金",
    "gradual_exit": "给予渐退期",
    "suspend": "暂停保障",
    "terminate": "停止保障",
    "stop_member_share": "停发拒不就业成员的保障金",
}
#: Outcomes that reduce or stop a benefit: a written decision with facts, rule, effective
#: month and the rights to 行政复议 (60 days) and 行政诉讼 (6 months) (art 13, art 65).
REDUCING_OUTCOMES = frozenset({"gradual_exit", "suspend", "terminate", "stop_member_share"})


def member_able_to_work(member: MemberFacts) -> bool:
    """Of working age (16 to 59) and not unable to work (特困人员认定办法's list), nor in school."""
    return MINOR_AGE <= member.age < ELDERLY_AGE and not unable_to_work(member) and not member.in_school


def income_stable(facts: HouseholdFacts) -> bool:
    """审核确认办法: a household whose situation changes little: no member of working age able
    to work and no irregular income (business, other)."""
    if any(member_able_to_work(m) for m in facts.members):
        return False
    return not any(i.kind in IRREGULAR_INCOME_KINDS and i.monthly_amount > 0 for i in facts.incomes)


def recheck_interval_months(kind: str, facts: HouseholdFacts, values: RecheckValues | None = None) -> int:
    """How many months until the next recheck: 特困 yearly (年审); dibao, 低保边缘 and 单人户
    yearly when the income is stable (``income_stable``), else every 6 months."""
    values = values or RecheckValues()
    if kind in TEKUN_KINDS:
        return values.tekun_months
    return values.stable_months if income_stable(facts) else values.unstable_months


def next_recheck_date(last: date, months: int) -> date:
    """``months`` calendar months after ``last``, the same day of the month, clamped to the
    month's last day: 31 August + 6 months is the last day of February."""
    if not isinstance(months, int) or months < 0:
        raise ValueError(f"月数必须是非负整数：{months!r}")
    index = last.year * 12 + (last.month - 1) + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(last.day, _calendar.monthrange(year, month)[1]))


def event_deadline(event: str, on: date, months: dict[str, int] | None = None) -> date:
    """The day by which a recheck opened on ``event`` (reported ``on``) is done."""
    table = {**EVENT_MONTHS, **(months or {})}
    if event not in table:
        raise ValueError(f"未知的复核事由：{event}")
    return next_recheck_date(on, table[event])


def validate_exit_months(months: int) -> int:
    """A gradual exit lasts 1 to 6 months ("原则上不超过6个月")."""
    if not isinstance(months, int) or months < 1:
        raise ValueError("渐退期至少为1个月")
    if months > GRADUAL_EXIT_MAX_MONTHS:
        raise ValueError(f"渐退期原则上不超过{GRADUAL_EXIT_MAX_MONTHS}个月，不能设为{months}个月")
    return months


def exit_amounts(monthly_amount: Decimal, months: int, step_down: bool = False) -> list[Decimal]:
    """The amount paid in each month of a gradual exit: unchanged by default (practice); with
    ``step_down``, falling by equal steps to a last month of amount ÷ months (whole cents,
    never below zero)."""
    amount = to_money(monthly_amount, "保障金")
    validate_exit_months(months)
    if not step_down:
        return [amount] * months
    return [(amount * (months - i) / months).quantize(Decimal("0.01")) for i in range(months)]


def exit_last_month(first_month: date, months: int) -> date:
    """The last month paid of a gradual exit starting with ``first_month`` (the month after the
    decision)."""
    return gradual_exit_end(first_month, validate_exit_months(months))


#: Overpayments recovered from later payments: at most this share of each month's benefit
#: (team default; local practice decides, configurable per deployment).
DEDUCTION_SHARE = Decimal("0.30")


def monthly_deduction(benefit: Decimal, remaining: Decimal, share: Decimal = DEDUCTION_SHARE) -> Decimal:
    """What one month's benefit gives back of an overpayment: share × the benefit (to the cent,
    rounded down: never more than the share), and never more than what remains."""
    if share <= 0 or share > 1:
        raise ValueError(f"扣减比例应在0至1之间：{share}")
    cap = (to_money(benefit, "保障金") * share).quantize(Decimal("0.01"), rounding=ROUND_FLOOR)
    return max(Decimal("0.00"), min(cap, to_money(remaining, "待追回金额")))


def death_last_paid_month(died_on: date) -> date:
    """No payment from the month after the death: the death's month is the last one paid."""
    return died_on.replace(day=1)
