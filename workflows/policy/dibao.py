"""Dibao, 低保边缘 and 单人户 (最低生活保障审核确认办法; M2), and ``assess``, the hot path.

``assess`` (bench/bench_rules.py, target ≥ 20,000 households/s) does only the arithmetic and
builds the Chinese explanation lazily. "低于/超过" are strict; "以上/以下/以内" include the
number itself (民法典 art. 1259).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .assets import property_check, property_ok
from .facts import INCOME_KIND_LABELS, HouseholdFacts, MemberFacts, StandardValues
from .income import IncomeCount, count_income
from .money import CENT, ROUNDING_LABELS, ZERO, round_amount, to_money, yuan

# ---------------------------------------------------------------------------
# Dibao, marginal, 单人户
# ---------------------------------------------------------------------------


def is_dibao_eligible(h: HouseholdFacts, std: StandardValues) -> bool:
    """最低生活保障审核确认办法: per-capita income below (低于, strictly; the exact value) the
    dibao standard and property within the local rules (``property_check``)."""
    return property_ok(h, std) and count_income(h, std).exact < std.dibao_standard


def _marginal(per_capita: Decimal, dibao_eligible: bool, property_ok: bool, std: StandardValues) -> bool:
    return not dibao_eligible and property_ok and per_capita < std.dibao_standard * std.marginal_multiplier


def is_marginal(h: HouseholdFacts, std: StandardValues) -> bool:
    """低保边缘家庭 (最低生活保障审核确认办法): not dibao-eligible, per-capita income (exact) below
    (strictly; exactly 1.5 × is not below) marginal_multiplier × the dibao standard, and
    property within the rules."""
    pc = count_income(h, std).exact
    ok = property_ok(h, std)
    return _marginal(pc, ok and pc < std.dibao_standard, ok, std)


def single_person_eligible_member(m: MemberFacts) -> bool:
    """最低生活保障审核确认办法 art. 8 / M2 (重度残疾人、重病患者): grade 1–2 disability of any
    type, grade 3 intellectual or mental disability, or a locally recognised serious illness.
    (A grade-3 "multiple" disability is not listed, so it does not qualify.)"""
    return m.serious_illness or m.disabled(grades=(1, 2)) or m.disabled("intellectual", "mental", grades=(3,))


def _candidates(h: HouseholdFacts, marginal: bool) -> list[int]:
    if not marginal:
        return []
    return [i for i, m in enumerate(h.members) if single_person_eligible_member(m)]


def single_person_candidates(h: HouseholdFacts, std: StandardValues) -> list[int]:
    """Indices of members who may be covered alone as a 单人户 (M2; 最低生活保障审核确认办法
    art. 8): only in a marginal household, and only members meeting
    ``single_person_eligible_member``."""
    return _candidates(h, is_marginal(h, std))


def benefit_gap(net: Decimal, n: int, std: StandardValues) -> Decimal:
    """差额发放: the standard × members − the net counted income, floored at 0, unrounded."""
    gap = std.dibao_standard * n - net
    return gap if gap > 0 else ZERO


def _amount(net: Decimal, eligible: bool, n: int, std: StandardValues) -> Decimal:
    if not eligible:
        return ZERO.quantize(CENT)
    return round_amount(benefit_gap(net, n, std), std.rounding)


def dibao_amount(h: HouseholdFacts, std: StandardValues) -> Decimal:
    """Monthly dibao benefit (差额发放): the standard × members − the household's net counted
    income, floored at 0, rounded ONCE per std.rounding (ROUND_HALF_UP) — never from a rounded
    per-capita figure. 0.00 when the household is not eligible."""
    inc = count_income(h, std)
    eligible = property_ok(h, std) and inc.exact < std.dibao_standard
    return _amount(inc.net, eligible, len(h.members), std)


def single_person_amount(std: StandardValues, personal_income: Decimal = ZERO) -> Decimal:
    """Monthly benefit of a member covered alone as a 单人户 (M2): the dibao standard minus the
    member's own counted monthly income, rounded per std.rounding, never below 0."""
    personal_income = to_money(personal_income, "个人收入")
    gap = std.dibao_standard - personal_income
    if gap <= 0:
        return ZERO.quantize(CENT)
    return round_amount(gap, std.rounding)


# ---------------------------------------------------------------------------
# Assessment and its explanation
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assessment:
    """The result of ``assess``; ``steps`` (the Chinese explanation) is built on first access."""

    per_capita: Decimal
    dibao_eligible: bool
    marginal: bool
    dibao_amount: Decimal
    single_person_candidates: list[int]
    household: HouseholdFacts = field(repr=False, compare=False)
    standard: StandardValues = field(repr=False, compare=False)
    _income: IncomeCount = field(repr=False, compare=False)
    property_ok: bool = field(default=True, compare=False)
    _steps: list[tuple[str, str]] = field(default_factory=list, repr=False, compare=False)

    @property
    def steps(self) -> list[tuple[str, str]]:
        """Step-by-step explanation as (label, text) pairs, e.g. ("人均月收入", "933.33 元")."""
        if not self._steps:
            self._steps.extend(_explain(self))
        return list(self._steps)


def assess(h: HouseholdFacts, std: StandardValues) -> Assessment:
    """Apply the dibao rules to a household: per-capita income, dibao eligibility, marginal
    status, monthly amount and 单人户 candidates (see the functions above for each clause).
    Comparisons use the exact per-capita income; ``per_capita`` is its fen value for display."""
    inc = count_income(h, std)
    ok = property_ok(h, std)
    eligible = ok and inc.exact < std.dibao_standard
    marginal = _marginal(inc.exact, eligible, ok, std)
    return Assessment(
        inc.per_capita,
        eligible,
        marginal,
        _amount(inc.net, eligible, len(h.members), std),
        _candidates(h, marginal),
        h,
        std,
        inc,
        ok,
    )


def income_steps(h: HouseholdFacts, std: StandardValues, inc: IncomeCount) -> list[tuple[str, str]]:
    """The explanation's steps from the members to the per-capita income and the standard."""
    n = len(h.members)
    steps: list[tuple[str, str]] = [("家庭人口", f"{n} 人"), ("家庭月总收入", yuan(inc.total))]

    exempt_by_kind: dict[str, Decimal] = {}
    for item in h.incomes:
        if item.kind in std.exempt_income_kinds:
            exempt_by_kind[item.kind] = exempt_by_kind.get(item.kind, ZERO) + item.monthly_amount
    if exempt_by_kind:
        parts = "；".join(f"{INCOME_KIND_LABELS.get(k, k)} {yuan(v)}" for k, v in exempt_by_kind.items())
        steps.append(("不计入收入", f"{parts}（合计 {yuan(inc.exempt)}，按最低生活保障审核确认办法不计入家庭收入）"))
    else:
        steps.append(("不计入收入", "无"))
    steps.append(("计入收入", yuan(inc.counted)))

    if inc.employed_count:
        steps.append(
            (
                "就业成本扣减",
                (
                    f"{inc.employed_count} 人就业，扣减 {yuan(inc.employment_deduction)}"
                    f"（每人每月不超过 {yuan(std.employment_deduction)}，且不超过本人工资性、经营性收入）"
                ),
            )
        )
    else:
        steps.append(("就业成本扣减", "无就业成员，不扣减"))
    if inc.income_exemption:
        steps.append(("收入豁免", f"{yuan(inc.income_exemption)}（皖民社救字〔2022〕46号第二条，当地豁免额 {yuan(std.income_exemption)}）"))
    if h.rigid_costs:
        capped = f"，当地规定每月最多扣减 {yuan(std.rigid_cost_cap)}" if std.rigid_cost_cap is not None and h.rigid_costs > std.rigid_cost_cap else ""
        steps.append(("刚性支出扣减", f"因残、因病刚性支出 {yuan(h.rigid_costs)}{capped}，扣减 {yuan(inc.rigid)}"))

    formula = f"{inc.counted:,.2f}"
    for part in (inc.employment_deduction, inc.income_exemption, inc.rigid):
        if part:
            formula += f" − {part:,.2f}"
    raw = inc.counted - inc.employment_deduction - inc.income_exemption - inc.rigid
    floored = "（不足 0 按 0 计）" if inc.net == 0 and raw < 0 else ""
    exact = "" if inc.exact == inc.per_capita else f"（精确值 {inc.exact:,.4f} 元，与标准比较时使用精确值）"
    steps.append(("人均月收入", f"（{formula}）{floored} ÷ {n} 人 = {yuan(inc.per_capita)}{exact}"))
    steps.append(("低保标准", f"{yuan(std.dibao_standard)}/人·月"))
    return steps


def amount_text(inc: IncomeCount, n: int, std: StandardValues, amount: Decimal) -> str:
    """How the household's dibao amount was computed, in one Chinese sentence."""
    gap = std.dibao_standard * n - inc.net
    floored = "（不足 0 按 0 计）" if gap < 0 else ""
    return f"{std.dibao_standard:,.2f} 元 × {n} 人 − 家庭月净收入 {inc.net:,.2f} 元 = {gap:,.2f} 元{floored}，{ROUNDING_LABELS[std.rounding]}得 {yuan(amount)}"


def _explain(a: Assessment) -> list[tuple[str, str]]:
    h, std, inc = a.household, a.standard, a._income
    n = len(h.members)
    steps = income_steps(h, std, inc)
    prop = property_check(h, std) if (h.assets or h.property_override) else None
    if prop is None:
        steps.append(("家庭财产", "符合规定" if h.assets_within_limits else "超出规定"))
    else:
        steps.append(("家庭财产", "；".join(prop.reasons)))

    limit = std.marginal_limit.quantize(CENT, ROUND_HALF_UP)
    if a.dibao_eligible:
        steps.append(("保障金计算", amount_text(inc, n, std, a.dibao_amount)))
        steps.append(("结论", f"符合低保条件，月保障金 {yuan(a.dibao_amount)}"))
    elif not a.property_ok:
        steps.append(("结论", "家庭财产状况不符合规定，不符合低保条件，也不属于低保边缘家庭"))
    elif a.marginal:
        steps.append(
            (
                "结论",
                f"人均月收入不低于低保标准，但低于低保边缘标准 {yuan(limit)}（低保标准 × {std.marginal_multiplier}），不符合低保条件，属于低保边缘家庭",
            )
        )
        if a.single_person_candidates:
            who = "、".join(f"第 {i + 1} 名成员" for i in a.single_person_candidates)
            steps.append(
                (
                    "单人户",
                    f"{who}为重度残疾人或重病患者，可按“单人户”单独纳入低保（最低生活保障审核确认办法第八条；皖民社救字〔2022〕46号第二条）",
                )
            )
    else:
        steps.append(("结论", f"人均月收入不低于低保边缘标准 {yuan(limit)}，不符合低保条件，也不属于低保边缘家庭"))
    return steps
