"""Price subsidies linked to price rises (M9; 发改价格〔2021〕1553号). Pure rules, no Django.

The trigger is a single month's year-on-year rise: CPI ≥ 3.5% or food CPI ≥ 6% ("以上"
includes the number itself, 民法典 art. 1259). The amount is the common local formula: the
local monthly dibao standard × the triggering rise, rounded to a whole yuan; when both
figures trigger, the larger amount. Figures are percentages: 3.5 means a 3.5% rise.

1553号 leaves the mechanism to the city (or province): a city may set lower thresholds
(paying more often, also for a limited period), never higher ones; it may pay a fixed amount
or guarantee a minimum instead of the bare formula; and it may widen the recipients, e.g. to
低保边缘家庭. A city's rule is dated (RuleValues, from the payments app's SubsidyRule); with no
rule in force the defaults below apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

# 发改价格〔2021〕1553号: CPI single-month year-on-year rise reaches 3.5%.
CPI_THRESHOLD = Decimal("3.5")
# 发改价格〔2021〕1553号: or the food CPI single-month year-on-year rise reaches 6%.
FOOD_CPI_THRESHOLD = Decimal("6")
# Recipients named by 1553号 that this system pays (dibao and tekun kinds); a city may widen it.
ELIGIBLE_KINDS = frozenset({"dibao", "single_person", "tekun_concentrated", "tekun_dispersed"})
# Kinds a city may widen the recipients to: recognised households that draw no benefit of their
# own (a 低保边缘家庭 is recognised at 0.00, 最低生活保障审核确认办法), so their subsidy line has
# no benefit line beside it.
WIDENABLE_KINDS = frozenset({"marginal"})

# Amount formulas (1553号: the city sets the amount; the standard × rise is the common one).
STANDARD_X_RISE = "standard_x_rise"
FIXED = "fixed"
FORMULAS = {STANDARD_X_RISE: "低保标准 × 涨幅", FIXED: "固定金额"}

YUAN = Decimal("1")


def thresholds(cpi: Decimal | None = None, food: Decimal | None = None) -> tuple[Decimal, Decimal]:
    """A city's thresholds: its own where set, else the defaults. ValueError when a city tries
    to raise one (M9: the city decides, but only towards more protection)."""
    cpi = CPI_THRESHOLD if cpi is None else Decimal(cpi)
    food = FOOD_CPI_THRESHOLD if food is None else Decimal(food)
    if cpi > CPI_THRESHOLD or food > FOOD_CPI_THRESHOLD:
        raise ValueError(f"启动条件只能调低：居民消费价格涨幅不高于{CPI_THRESHOLD}%，食品价格涨幅不高于{FOOD_CPI_THRESHOLD}%")
    if cpi <= 0 or food <= 0:
        raise ValueError("启动条件应为正数")
    return cpi, food


def triggering_rise(
    cpi_yoy: Decimal | None, food_yoy: Decimal | None, cpi_threshold: Decimal | None = None, food_threshold: Decimal | None = None
) -> Decimal | None:
    """The rise (in %) the subsidy is computed from, or None when the month does not trigger
    (1553号: stop in any month with no trigger). Both triggering: the larger rise, which gives
    the larger amount since the formula is linear in it."""
    cpi_t, food_t = thresholds(cpi_threshold, food_threshold)
    rises = [Decimal(v) for v, t in ((cpi_yoy, cpi_t), (food_yoy, food_t)) if v is not None and Decimal(v) >= t]
    return max(rises) if rises else None


def subsidy_per_person(
    dibao_standard: Decimal, rise: Decimal, formula: str = STANDARD_X_RISE, fixed_amount: Decimal | None = None, minimum_amount: Decimal | None = None
) -> Decimal:
    """Monthly subsidy per person in a month that triggers.

    standard_x_rise: the local dibao standard × rise%, rounded half-up to a whole yuan (the
    common local formula). fixed: the city's fixed amount, as set. Then at least the city's
    minimum, where it set one."""
    if formula == STANDARD_X_RISE:
        amount = (Decimal(dibao_standard) * Decimal(rise) / 100).quantize(YUAN, rounding=ROUND_HALF_UP)
    elif formula == FIXED:
        if fixed_amount is None or Decimal(fixed_amount) <= 0:
            raise ValueError("按固定金额发放的，应填写大于0的固定金额")
        amount = Decimal(fixed_amount)
    else:
        raise ValueError(f"未知的补贴计算方式：{formula!r}（应为 {STANDARD_X_RISE} 或 {FIXED}）")
    if minimum_amount is not None and amount < Decimal(minimum_amount):
        amount = Decimal(minimum_amount)
    return amount


def recipient_kinds(include_marginal: bool = False) -> frozenset[str]:
    """The beneficiary kinds paid a subsidy: 1553号's groups, widened to 低保边缘家庭 where the city says so."""
    return ELIGIBLE_KINDS | WIDENABLE_KINDS if include_marginal else ELIGIBLE_KINDS


def covers(valid_from: date, valid_to: date | None, month: date) -> bool:
    """A rule is in force for a month when its period covers the month's first day (an open end:
    until further notice). A rule from the 15th thus applies from the next month on."""
    first = month.replace(day=1)
    return valid_from <= first and (valid_to is None or first <= valid_to)


def overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """Two periods (ends included, None open) share at least one day."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def rule_errors(
    *,
    valid_from: date | None,
    valid_to: date | None,
    cpi_threshold: Decimal | None,
    food_threshold: Decimal | None,
    formula: str,
    fixed_amount: Decimal | None,
    minimum_amount: Decimal | None,
) -> dict[str, str]:
    """What is wrong with a city's rule, by field, in words for the person entering it (empty: nothing)."""
    errors = {}
    if valid_from is not None and valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = f"截止日期（{valid_to:%Y-%m-%d}）不能早于执行日期（{valid_from:%Y-%m-%d}）"
    if cpi_threshold is not None and Decimal(cpi_threshold) > CPI_THRESHOLD:
        errors["cpi_threshold"] = f"启动条件只能调低，不能调高：居民消费价格涨幅不高于{CPI_THRESHOLD}%（发改价格〔2021〕1553号）"
    elif cpi_threshold is not None and Decimal(cpi_threshold) <= 0:
        errors["cpi_threshold"] = "启动条件应为正数"
    if food_threshold is not None and Decimal(food_threshold) > FOOD_CPI_THRESHOLD:
        errors["food_threshold"] = f"启动条件只能调低，不能调高：食品价格涨幅不高于{FOOD_CPI_THRESHOLD}%（发改价格〔2021〕1553号）"
    elif food_threshold is not None and Decimal(food_threshold) <= 0:
        errors["food_threshold"] = "启动条件应为正数"
    if formula not in FORMULAS:
        errors["formula"] = "请选择补贴计算方式：低保标准 × 涨幅，或固定金额"
    elif formula == FIXED and (fixed_amount is None or Decimal(fixed_amount) <= 0):
        errors["fixed_amount"] = "按固定金额发放的，应填写大于0的固定金额（元/人·月）"
    if minimum_amount is not None and Decimal(minimum_amount) < 0:
        errors["minimum_amount"] = "最低补贴金额不能为负数"
    return errors


@dataclass(frozen=True)
class RuleValues:
    """The values of the rule in force for a month (a city's, else the defaults of 1553号)."""

    cpi_threshold: Decimal = CPI_THRESHOLD
    food_threshold: Decimal = FOOD_CPI_THRESHOLD
    formula: str = STANDARD_X_RISE
    fixed_amount: Decimal | None = None
    minimum_amount: Decimal | None = None
    include_marginal: bool = False
    source: str = field(default="发改价格〔2021〕1553号（默认）", compare=False)

    def rise(self, cpi_yoy: Decimal | None, food_yoy: Decimal | None) -> Decimal | None:
        return triggering_rise(cpi_yoy, food_yoy, self.cpi_threshold, self.food_threshold)

    def per_person(self, dibao_standard: Decimal, rise: Decimal) -> Decimal:
        return subsidy_per_person(dibao_standard, rise, self.formula, self.fixed_amount, self.minimum_amount)

    @property
    def kinds(self) -> frozenset[str]:
        return recipient_kinds(self.include_marginal)

    @property
    def widened_kinds(self) -> frozenset[str]:
        """Kinds paid only the subsidy: no benefit line of their own."""
        return self.kinds & WIDENABLE_KINDS


DEFAULT_RULE = RuleValues()
