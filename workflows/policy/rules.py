"""Rules that decide, as pure functions (DESIGN §3): no Django, no database, no settings.

Sources (see /work/shared/POLICY.md):

* M1…M15: 安徽省民政厅等《关于进一步加强社会救助工作的若干措施》（皖民社救字〔2022〕46号）;
* 最低生活保障审核确认办法 (民政部, 2021) and the 2022 notice;
* 特困人员认定办法 (民政部, 2021).

"以上/以下/以内/届满" include the number itself (民法典 art. 1259); "低于/超过" do not.

Money is ``Decimal`` throughout; per-capita figures are quantized to the fen with
ROUND_HALF_UP. ``assess`` is the hot path (bench/bench_rules.py, target ≥ 20,000
households/s): it does only the arithmetic and builds the Chinese explanation lazily.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from . import defaults

ZERO = Decimal("0")
CENT = Decimal("0.01")

# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

#: 最低生活保障审核确认办法: not counted as income — 优待抚恤金 ("allowance"), family-planning
#: rewards ("family_planning"), scholarships and bravery awards ("award"), all government
#: assistance ("assistance"), the basic pension of 城乡居民基本养老保险 ("pension_basic",
#: during the 14th five-year plan). Strings match ``workflows.core.models.IncomeKind``.
EXEMPT_INCOME_KINDS = frozenset({"pension_basic", "allowance", "family_planning", "award", "assistance"})

#: Income a member earns by working; the employment cost deduction (M2) is taken from these only.
EARNED_INCOME_KINDS = frozenset({"wage", "business"})

#: Chinese labels for the explanation (same text as ``IncomeKind`` choices; kept here so that
#: this module needs no Django import).
INCOME_KIND_LABELS = {
    "wage": "工资性收入",
    "business": "经营净收入",
    "property": "财产净收入",
    "transfer": "转移净收入",
    "pension_basic": "城乡居民基本养老保险基础养老金",
    "allowance": "优待抚恤金",
    "family_planning": "计划生育奖励与扶助金",
    "award": "奖学金、见义勇为奖励",
    "assistance": "政府救助金",
    "support": "赡养（抚养、扶养）费",
    "other": "其他收入",
}

DISABILITY_TYPES = frozenset({"", "visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"})
DISABILITY_LABELS = {
    "visual": "视力残疾",
    "hearing": "听力残疾",
    "speech": "言语残疾",
    "physical": "肢体残疾",
    "intellectual": "智力残疾",
    "mental": "精神残疾",
    "multiple": "多重残疾",
}

#: Asset kinds (strings match ``workflows.core.models.AssetKind``). Deposits and securities are
#: the financial assets whose local limit is a number of months of the standard per member.
FINANCIAL_ASSET_KINDS = frozenset({"deposit", "securities"})
ASSET_KIND_LABELS = {
    "deposit": "存款",
    "securities": "有价证券",
    "house": "房产",
    "vehicle": "机动车",
    "business": "经营性资产",
    "other": "其他财产",
}

#: 特困人员认定办法: the duties to support (法定赡养、抚养、扶养义务).
SUPPORT_DUTY_LABELS = {"elder": "赡养", "child": "抚养", "spouse": "扶养"}

ROUNDING_STEPS = {"yuan": Decimal("1"), "jiao": Decimal("0.1"), "fen": CENT}
ROUNDING_LABELS = {"yuan": "四舍五入到元", "jiao": "四舍五入到角", "fen": "精确到分"}

#: POLICY.md: the 16 Anhui prefecture codes, plus 3414 (former 巢湖, still in old ID numbers).
ANHUI_CITY_CODES = frozenset(
    {"3401", "3402", "3403", "3404", "3405", "3406", "3407", "3408", "3410", "3411", "3412", "3413", "3414", "3415", "3416", "3417", "3418"}
)

AREA_LABELS = {"north": "皖北", "south": "皖南"}


def _money(value, what: str) -> Decimal:
    """A money value as Decimal; floats are refused (binary rounding has no place in money)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or isinstance(value, float):
        raise ValueError(f"{what}必须是 Decimal 金额，不能是 {type(value).__name__}")
    if isinstance(value, (int, str)):
        try:
            return Decimal(value)
        except ArithmeticError:
            raise ValueError(f"{what}不是有效金额：{value!r}") from None
    raise ValueError(f"{what}必须是 Decimal 金额，不能是 {type(value).__name__}")


def _fmt(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


# ---------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MemberFacts:
    """One member of the household as the rules see them.

    ``disability_type`` is "" (none) or one of visual, hearing, speech, physical, intellectual,
    mental, multiple; ``disability_grade`` 1–4 (1 is the most severe) or None. A grade given
    without a type counts as no disability.
    """

    age: int
    disability_type: str = ""
    disability_grade: int | None = None
    serious_illness: bool = False
    employed: bool = False
    in_school: bool = False
    #: 特困人员认定办法: "full", "partial", "lost" (see ``self_care_level``), "" when not assessed.
    self_care: str = ""

    def __post_init__(self):
        if self.self_care not in ("", "full", "partial", "lost"):
            raise ValueError(f"未知的生活自理能力等级：{self.self_care!r}")
        if not isinstance(self.age, int) or self.age < 0:
            raise ValueError(f"年龄必须是非负整数：{self.age!r}")
        if self.disability_type not in DISABILITY_TYPES:
            raise ValueError(f"未知的残疾类别：{self.disability_type!r}")
        if self.disability_grade is not None and self.disability_grade not in (1, 2, 3, 4):
            raise ValueError(f"残疾等级必须是 1–4 级：{self.disability_grade!r}")

    def disabled(self, *types: str, grades=(1, 2, 3, 4)) -> bool:
        """Has a disability of one of ``types`` (any type when none given) at one of ``grades``."""
        if not self.disability_type or self.disability_grade is None:
            return False
        return (not types or self.disability_type in types) and self.disability_grade in grades


@dataclass(frozen=True, slots=True)
class IncomeFacts:
    """One monthly income item; ``member_index`` is the earner's index in ``members`` (or None)."""

    kind: str
    monthly_amount: Decimal
    member_index: int | None = None

    def __post_init__(self):
        if not isinstance(self.kind, str) or not self.kind:
            raise ValueError(f"收入类别不能为空：{self.kind!r}")
        object.__setattr__(self, "monthly_amount", _money(self.monthly_amount, "收入金额"))


@dataclass(frozen=True, slots=True)
class AssetFacts:
    """One asset as recorded by the investigation or the verification: ``kind`` one of
    ``ASSET_KIND_LABELS``; ``exempt_use`` marks the house the household lives in or a vehicle
    needed for a disability or for work, which the local limits leave out."""

    kind: str
    value: Decimal
    exempt_use: bool = False

    def __post_init__(self):
        if self.kind not in ASSET_KIND_LABELS:
            raise ValueError(f"未知的财产类别：{self.kind!r}")
        value = _money(self.value, "财产价值")
        if value < 0:
            raise ValueError("财产价值不能为负数")
        object.__setattr__(self, "value", value)


@dataclass(frozen=True, slots=True)
class SupporterFacts:
    """A person outside the household with a legal duty to support (赡养 "elder", 抚养 "child",
    扶养 "spouse"; 特困人员认定办法). ``unable`` records an inability the investigation found
    whatever the income (e.g. the supporter is a dibao or 特困 recipient, or severely disabled)."""

    name: str
    duty: str
    monthly_income: Decimal
    unable: bool = False

    def __post_init__(self):
        if self.duty not in SUPPORT_DUTY_LABELS:
            raise ValueError(f"未知的义务类别：{self.duty!r}（应为 elder 赡养、child 抚养 或 spouse 扶养）")
        income = _money(self.monthly_income, "义务人月收入")
        if income < 0:
            raise ValueError("义务人月收入不能为负数")
        object.__setattr__(self, "monthly_income", income)


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    """The household: members, income items, and what the investigation found.

    ``rigid_costs``: monthly rigid costs of disability / serious illness (最低生活保障审核确认办法),
    as one household total; the standard's ``rigid_cost_cap`` limits what is deducted.
    ``assets_within_limits``: the investigation's own verdict on property (False when it found
    property the registry cannot list); ``assets`` are evaluated against the standard's
    limits (``property_check``). ``property_override``: the clerk's written reason for
    finding the property within the rules despite the limits (shown and audited).
    ``has_able_supporter``: the investigation's verdict; ``supporters`` are evaluated against
    the standard's ability line (``supporter_able``).
    """

    members: tuple[MemberFacts, ...]
    incomes: tuple[IncomeFacts, ...] = ()
    has_able_supporter: bool = False
    rigid_costs: Decimal = ZERO
    assets_within_limits: bool = True
    assets: tuple[AssetFacts, ...] = ()
    supporters: tuple[SupporterFacts, ...] = ()
    property_override: str = ""

    def __post_init__(self):
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "incomes", tuple(self.incomes))
        object.__setattr__(self, "assets", tuple(self.assets))
        object.__setattr__(self, "supporters", tuple(self.supporters))
        object.__setattr__(self, "property_override", (self.property_override or "").strip())
        rigid = _money(self.rigid_costs, "刚性支出")
        if rigid < 0:
            raise ValueError("刚性支出不能为负数")
        object.__setattr__(self, "rigid_costs", rigid)
        n = len(self.members)
        for i, income in enumerate(self.incomes):
            if income.member_index is not None and not 0 <= income.member_index < n:
                raise ValueError(f"第 {i + 1} 项收入指向不存在的家庭成员（序号 {income.member_index}）")


@dataclass(frozen=True, slots=True)
class StandardValues:
    """The standard in force for the household's county and urban/rural type (M10: set by
    the city government; ``workflows.policy.models.Standard.values()`` builds this)."""

    dibao_standard: Decimal
    tekun_multiplier: Decimal = defaults.TEKUN_MULTIPLIER
    tekun_standard: Decimal | None = None
    marginal_multiplier: Decimal = defaults.MARGINAL_MULTIPLIER
    employment_deduction: Decimal = defaults.EMPLOYMENT_DEDUCTION
    rounding: str = defaults.ROUNDING
    gradual_exit_months: int = defaults.GRADUAL_EXIT_MONTHS
    #: Property limits (local; ``property_check``).
    financial_assets_months: int = defaults.FINANCIAL_ASSETS_MONTHS
    vehicle_value_limit: Decimal = defaults.VEHICLE_VALUE_LIMIT
    extra_houses_allowed: int = defaults.EXTRA_HOUSES_ALLOWED
    business_value_limit: Decimal = defaults.BUSINESS_VALUE_LIMIT
    #: Most rigid costs deducted per household and month; None: deducted in full.
    rigid_cost_cap: Decimal | None = None
    #: A supporter is able to support from this monthly income on: explicit, or
    #: ``supporter_income_multiplier`` × the dibao standard.
    supporter_income_multiplier: Decimal = defaults.SUPPORTER_INCOME_MULTIPLIER
    supporter_income_line_amount: Decimal | None = None
    #: 特困 care standard per self-care level (元/人·月).
    care_standard_full: Decimal = defaults.CARE_STANDARD["full"]
    care_standard_partial: Decimal = defaults.CARE_STANDARD["partial"]
    care_standard_lost: Decimal = defaults.CARE_STANDARD["lost"]
    #: M2 income exemption: this much of a household's counted earned income is not counted.
    income_exemption: Decimal = defaults.INCOME_EXEMPTION
    #: Income kinds not counted (the basic pension's exemption is dated: see Standard.values).
    exempt_income_kinds: frozenset = EXEMPT_INCOME_KINDS

    def __post_init__(self):
        dibao = _money(self.dibao_standard, "低保标准")
        if dibao <= 0:
            raise ValueError("低保标准必须大于 0")
        object.__setattr__(self, "dibao_standard", dibao)
        object.__setattr__(self, "tekun_multiplier", _money(self.tekun_multiplier, "特困基本生活标准倍数"))
        if self.tekun_standard is not None:
            object.__setattr__(self, "tekun_standard", _money(self.tekun_standard, "特困基本生活标准"))
        object.__setattr__(self, "marginal_multiplier", _money(self.marginal_multiplier, "低保边缘倍数"))
        deduction = _money(self.employment_deduction, "就业成本扣减")
        if deduction < 0:
            raise ValueError("就业成本扣减不能为负数")
        object.__setattr__(self, "employment_deduction", deduction)
        if self.rounding not in ROUNDING_STEPS:
            raise ValueError(f"未知的保障金取整方式：{self.rounding!r}（应为 yuan、jiao 或 fen）")
        if not isinstance(self.gradual_exit_months, int) or self.gradual_exit_months < 0:
            raise ValueError(f"渐退期月数必须是非负整数：{self.gradual_exit_months!r}")
        if self.gradual_exit_months > defaults.GRADUAL_EXIT_MAX_MONTHS:
            raise ValueError(f"渐退期原则上不超过6个月（2022年国家通知），不能设为 {self.gradual_exit_months} 个月")
        for name, label in (
            ("vehicle_value_limit", "机动车价值限额"),
            ("business_value_limit", "经营性资产限额"),
            ("supporter_income_multiplier", "赡养能力认定倍数"),
            ("care_standard_full", "全自理照料护理标准"),
            ("care_standard_partial", "部分丧失生活自理能力照料护理标准"),
            ("care_standard_lost", "完全丧失生活自理能力照料护理标准"),
            ("income_exemption", "收入豁免额"),
        ):
            value = _money(getattr(self, name), label)
            if value < 0:
                raise ValueError(f"{label}不能为负数")
            object.__setattr__(self, name, value)
        for name, label in (("rigid_cost_cap", "刚性支出扣减上限"), ("supporter_income_line_amount", "赡养能力认定线")):
            if getattr(self, name) is not None:
                value = _money(getattr(self, name), label)
                if value < 0:
                    raise ValueError(f"{label}不能为负数")
                object.__setattr__(self, name, value)
        for name, label in (("financial_assets_months", "金融资产限额月数"), ("extra_houses_allowed", "自住房以外允许的房产套数")):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 0:
                raise ValueError(f"{label}必须是非负整数：{getattr(self, name)!r}")
        object.__setattr__(self, "exempt_income_kinds", frozenset(self.exempt_income_kinds))

    @property
    def tekun_basic_standard(self) -> Decimal:
        """特困人员认定办法: the 特困 basic living standard — set explicitly, or commonly
        1.3 × the dibao standard, rounded to the fen (ROUND_HALF_UP)."""
        if self.tekun_standard is not None:
            return self.tekun_standard
        return (self.dibao_standard * self.tekun_multiplier).quantize(CENT, ROUND_HALF_UP)

    @property
    def supporter_income_line(self) -> Decimal:
        """特困人员认定办法 (ability judged locally): the monthly income from which a supporter is
        able to support — explicit, or multiplier × the dibao standard (fen, ROUND_HALF_UP)."""
        if self.supporter_income_line_amount is not None:
            return self.supporter_income_line_amount
        return (self.dibao_standard * self.supporter_income_multiplier).quantize(CENT, ROUND_HALF_UP)

    def care_standard(self, level: str) -> Decimal:
        """特困人员认定办法: the care standard for a self-care level ("full", "partial", "lost")."""
        try:
            return {"full": self.care_standard_full, "partial": self.care_standard_partial, "lost": self.care_standard_lost}[level]
        except KeyError:
            raise ValueError(f"未知的生活自理能力等级：{level!r}") from None

    @property
    def marginal_limit(self) -> Decimal:
        """最低生活保障审核确认办法: the marginal line, marginal_multiplier × dibao standard (exact)."""
        return self.dibao_standard * self.marginal_multiplier


# ---------------------------------------------------------------------------
# Income
# ---------------------------------------------------------------------------


class _Income(NamedTuple):
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


def _income(h: HouseholdFacts, std: StandardValues) -> _Income:
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
    return _Income(total, exempt, counted, deduction, employed, exemption, rigid, net, exact, exact.quantize(CENT, ROUND_HALF_UP))


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
    return _income(h, std).per_capita


def exact_per_capita_income(h: HouseholdFacts, std: StandardValues) -> Decimal:
    """The per-capita income unrounded (net ÷ members): what the standard is compared with."""
    return _income(h, std).exact


# ---------------------------------------------------------------------------
# Property (最低生活保障审核确认办法; local limits) and supporters (特困人员认定办法)
# ---------------------------------------------------------------------------


class PropertyCheck(NamedTuple):
    """``within``: property within the local rules; ``reasons``: one line per limit that decided."""

    within: bool
    reasons: tuple[str, ...]


def property_check(h: HouseholdFacts, std: StandardValues) -> PropertyCheck:
    """Property within the local limits (a condition of dibao, marginal status and 特困):

    * financial assets (deposits, securities) at most (以内) std.financial_assets_months ×
      the dibao standard × members;
    * vehicles other than those needed for a disability or for work: total value at most
      std.vehicle_value_limit (0 by default: none);
    * houses other than the one lived in: at most std.extra_houses_allowed;
    * business assets: at most std.business_value_limit.

    The investigation's own verdict ``h.assets_within_limits = False`` fails it too. The
    clerk's written ``h.property_override`` makes it pass, and its reason is given."""
    n = len(h.members)
    failed: list[str] = []
    passed: list[str] = []
    if not h.assets_within_limits:
        failed.append("经入户调查认定家庭财产状况不符合当地规定")
    financial = vehicles = business = ZERO
    houses = 0
    for a in h.assets:
        if a.kind in FINANCIAL_ASSET_KINDS:
            financial += a.value
        elif a.exempt_use:
            continue
        elif a.kind == "vehicle":
            vehicles += a.value
        elif a.kind == "house":
            houses += 1
        elif a.kind == "business":
            business += a.value
    limit = std.dibao_standard * std.financial_assets_months * n
    line = f"金融资产（存款、有价证券）{_fmt(financial)}，当地限额为人均 {std.financial_assets_months} 个月低保标准，{n} 人共 {_fmt(limit)}"
    (failed if financial > limit else passed).append(line + ("，超过限额" if financial > limit else "，未超过限额"))
    if vehicles > std.vehicle_value_limit:
        allowed = "不得拥有" if not std.vehicle_value_limit else f"价值不超过 {_fmt(std.vehicle_value_limit)}"
        failed.append(f"拥有非残疾代步、非生产经营必需的机动车，价值 {_fmt(vehicles)}（当地规定：{allowed}）")
    if houses > std.extra_houses_allowed:
        failed.append(f"自住房以外另有房产 {houses} 套（当地规定：不超过 {std.extra_houses_allowed} 套）")
    if business > std.business_value_limit:
        failed.append(f"经营性资产 {_fmt(business)}，超过当地规定的 {_fmt(std.business_value_limit)}")
    if failed and h.property_override:
        return PropertyCheck(True, (f"家庭财产经办人员书面认定符合规定（{h.property_override}）；按当地限额：" + "；".join(failed),))
    if failed:
        return PropertyCheck(False, tuple(failed))
    return PropertyCheck(True, ("家庭财产状况符合当地规定：" + "；".join(passed),))


def _property_ok(h: HouseholdFacts, std: StandardValues) -> bool:
    # The hot path: a household with no recorded assets needs no evaluation.
    if not h.assets and not h.property_override:
        return h.assets_within_limits
    return property_check(h, std).within


def supporter_able(s: SupporterFacts, std: StandardValues) -> bool:
    """特困人员认定办法: a person with a legal duty to support is able to when their monthly
    income reaches (以上, inclusive) the local ability line ``std.supporter_income_line``,
    unless the investigation found them unable (``s.unable``)."""
    return not s.unable and s.monthly_income >= std.supporter_income_line


def able_supporters(h: HouseholdFacts, std: StandardValues) -> list[int]:
    """Indices of ``h.supporters`` able to support."""
    return [i for i, s in enumerate(h.supporters) if supporter_able(s, std)]


def has_able_supporter(h: HouseholdFacts, std: StandardValues) -> bool:
    """The investigation's verdict, or any recorded supporter able to support."""
    return h.has_able_supporter or bool(able_supporters(h, std))


# ---------------------------------------------------------------------------
# Dibao, marginal, 单人户
# ---------------------------------------------------------------------------


def is_dibao_eligible(h: HouseholdFacts, std: StandardValues) -> bool:
    """最低生活保障审核确认办法: per-capita income below (低于, strictly; the exact value) the
    dibao standard and property within the local rules (``property_check``)."""
    return _property_ok(h, std) and _income(h, std).exact < std.dibao_standard


def _marginal(per_capita: Decimal, dibao_eligible: bool, property_ok: bool, std: StandardValues) -> bool:
    return not dibao_eligible and property_ok and per_capita < std.dibao_standard * std.marginal_multiplier


def is_marginal(h: HouseholdFacts, std: StandardValues) -> bool:
    """低保边缘家庭 (最低生活保障审核确认办法): not dibao-eligible, per-capita income (exact) below
    (strictly; exactly 1.5 × is not below) marginal_multiplier × the dibao standard, and
    property within the rules."""
    pc = _income(h, std).exact
    ok = _property_ok(h, std)
    return _marginal(pc, ok and pc < std.dibao_standard, ok, std)


def single_person_eligible_member(m: MemberFacts) -> bool:
    """最低生活保障审核确认办法 art. 8 / M2 (重度残疾人、重病患者): grade 1–2 disability of any
    type, grade 3 intellectual or mental disability, or a locally recognised serious illness.
    (A grade-3 "multiple" disability is not listed, so it does not qualify.)"""
    return (
        m.serious_illness
        or m.disabled(grades=(1, 2))
        or m.disabled("intellectual", "mental", grades=(3,))
    )


def _candidates(h: HouseholdFacts, marginal: bool) -> list[int]:
    if not marginal:
        return []
    return [i for i, m in enumerate(h.members) if single_person_eligible_member(m)]


def single_person_candidates(h: HouseholdFacts, std: StandardValues) -> list[int]:
    """Indices of members who may be covered alone as a 单人户 (M2; 最低生活保障审核确认办法
    art. 8): only in a marginal household, and only members meeting
    ``single_person_eligible_member``."""
    return _candidates(h, is_marginal(h, std))


def round_amount(amount: Decimal, rounding: str) -> Decimal:
    """Round a benefit amount ROUND_HALF_UP to the yuan, jiao or fen; always 2 decimal places."""
    try:
        step = ROUNDING_STEPS[rounding]
    except KeyError:
        raise ValueError(f"未知的保障金取整方式：{rounding!r}（应为 yuan、jiao 或 fen）") from None
    return amount.quantize(step, ROUND_HALF_UP).quantize(CENT)


def _gap(net: Decimal, n: int, std: StandardValues) -> Decimal:
    gap = std.dibao_standard * n - net
    return gap if gap > 0 else ZERO


def _amount(net: Decimal, eligible: bool, n: int, std: StandardValues) -> Decimal:
    if not eligible:
        return ZERO.quantize(CENT)
    return round_amount(_gap(net, n, std), std.rounding)


def dibao_amount(h: HouseholdFacts, std: StandardValues) -> Decimal:
    """Monthly dibao benefit (差额发放): the standard × members − the household's net counted
    income, floored at 0, rounded ONCE per std.rounding (ROUND_HALF_UP) — never from a rounded
    per-capita figure. 0.00 when the household is not eligible."""
    inc = _income(h, std)
    eligible = _property_ok(h, std) and inc.exact < std.dibao_standard
    return _amount(inc.net, eligible, len(h.members), std)


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


def single_person_amount(std: StandardValues, personal_income: Decimal = ZERO) -> Decimal:
    """Monthly benefit of a member covered alone as a 单人户 (M2): the dibao standard minus the
    member's own counted monthly income, rounded per std.rounding, never below 0."""
    personal_income = _money(personal_income, "个人收入")
    gap = std.dibao_standard - personal_income
    if gap <= 0:
        return ZERO.quantize(CENT)
    return round_amount(gap, std.rounding)


# ---------------------------------------------------------------------------
# 特困 (extremely poor persons)
# ---------------------------------------------------------------------------

#: 特困人员认定办法: 60 周岁以上 (inclusive) and 未满 16 周岁 are unable to work.
ELDERLY_AGE = 60
MINOR_AGE = 16
#: 特困人员认定办法: minors are supported until 18, and longer while still in school.
MINOR_SUPPORT_AGE = 18


def unable_to_work(m: MemberFacts) -> bool:
    """特困人员认定办法 (无劳动能力): aged 60 or over; under 16; intellectual or mental disability
    grade 1–3; physical disability grade 1–2; visual disability grade 1. (Hearing, speech and
    "multiple" disabilities are not listed; a province may add cases — not modelled here.)"""
    return (
        m.age >= ELDERLY_AGE
        or m.age < MINOR_AGE
        or m.disabled("intellectual", "mental", grades=(1, 2, 3))
        or m.disabled("physical", grades=(1, 2))
        or m.disabled("visual", grades=(1,))
    )


def tekun_eligible(h: HouseholdFacts, std: StandardValues, member_index: int, *, continuing: bool = False) -> bool:
    """特困人员认定办法: member ``member_index`` is unable to work (``unable_to_work``), the
    household's per-capita income is below (strictly) the dibao standard, property is within
    the rules, and there is no supporter able to support (``has_able_supporter``).

    Typically called for a single-person household. ``continuing=True`` is for a person already
    supported as a minor: support continues to 18 (ages 16–17 still count as unable to work),
    and beyond 18 while the person is in school (``in_school``)."""
    if not 0 <= member_index < len(h.members):
        raise ValueError(f"家庭成员序号不存在：{member_index}")
    m = h.members[member_index]
    unable = unable_to_work(m)
    if not unable and continuing:
        unable = m.age < MINOR_SUPPORT_AGE or m.in_school
    if not unable or has_able_supporter(h, std) or not _property_ok(h, std):
        return False
    return _income(h, std).exact < std.dibao_standard


#: 特困人员认定办法: the six activities of the self-care assessment.
SELF_CARE_ACTIVITIES = ("eat", "dress", "bed_transfer", "toilet", "walk_indoors", "bathe")
SELF_CARE_LABELS = {
    "eat": "进食",
    "dress": "穿衣",
    "bed_transfer": "上下床",
    "toilet": "如厕",
    "walk_indoors": "室内行走",
    "bathe": "洗澡",
}
SELF_CARE_LEVEL_LABELS = {"full": "具备生活自理能力", "partial": "部分丧失生活自理能力", "lost": "完全丧失生活自理能力"}


def self_care_level(able: Mapping[str, bool]) -> str:
    """特困人员认定办法: self-care from the six activities (``SELF_CARE_ACTIVITIES``), each True
    when the person can do it alone. All able → "full"; 1–3 failed → "partial"
    (部分丧失); 4 or more failed → "lost" (完全丧失). Every activity must be given, as a bool;
    a missing or unknown key is a ValueError."""
    unknown = [k for k in able if k not in SELF_CARE_LABELS]
    if unknown:
        raise ValueError(f"未知的自理能力评估项目：{'、'.join(map(str, unknown))}")
    missing = [SELF_CARE_LABELS[k] for k in SELF_CARE_ACTIVITIES if k not in able]
    if missing:
        raise ValueError(f"自理能力评估缺少项目：{'、'.join(missing)}")
    failed = 0
    for k in SELF_CARE_ACTIVITIES:
        v = able[k]
        if not isinstance(v, bool):
            raise ValueError(f"自理能力评估项目“{SELF_CARE_LABELS[k]}”必须填写能或不能")
        failed += not v
    if failed == 0:
        return "full"
    return "partial" if failed <= 3 else "lost"


# ---------------------------------------------------------------------------
# Gradual exit (渐退)
# ---------------------------------------------------------------------------


class GradualExit(NamedTuple):
    """``applies``: a gradual exit period is granted; ``months``: its length (0 when not)."""

    applies: bool
    months: int


def gradual_exit(per_capita: Decimal, std: StandardValues) -> GradualExit:
    """M2 and the 2022 notice: a dibao household whose per-capita income rises above (超过,
    strictly) the dibao standard keeps the benefit for a gradual exit period of
    std.gradual_exit_months ("in principle not more than 6 months"). Income equal to the
    standard is not above it. The caller applies this only to current recipients found at a
    recheck; a length of 0 months means the region grants no gradual exit."""
    per_capita = _money(per_capita, "人均收入")
    if per_capita > std.dibao_standard and std.gradual_exit_months > 0:
        return GradualExit(True, std.gradual_exit_months)
    return GradualExit(False, 0)


def gradual_exit_end(month_start: date, months: int) -> date:
    """First day of the LAST month paid during a gradual exit.

    ``month_start`` is (any day of) the first month paid under the gradual exit; ``months``
    its length, at least 1. E.g. start 2024-11, 6 months → paid Nov … Apr → 2025-04-01; the
    benefit stops from the month after the returned one."""
    if not isinstance(months, int) or months < 1:
        raise ValueError(f"渐退期月数必须至少为 1：{months!r}")
    index = month_start.year * 12 + (month_start.month - 1) + months - 1
    return date(index // 12, index % 12 + 1, 1)


# ---------------------------------------------------------------------------
# Organisation (M8, M11, M12)
# ---------------------------------------------------------------------------


def caseworkers_required(registered_population: int) -> int:
    """M11: a village/community with a registered population of 3000 or more (以上) has 1
    caseworker, 1 more for each further 3000, at most 3; below 3000: none required."""
    if registered_population < 0:
        raise ValueError(f"户籍人口不能为负数：{registered_population}")
    return min(defaults.CASEWORKER_MAX, registered_population // defaults.CASEWORKER_POPULATION_STEP)


def needs_service_station(area: str, long_term_recipients: int) -> bool:
    """M12: a village/community with 100 or more (以上) long-term recipients in 皖北 ("north"),
    50 or more in 皖南 ("south"), sets up a service station."""
    try:
        threshold = defaults.SERVICE_STATION_THRESHOLD[area]
    except KeyError:
        raise ValueError(f"未知的片区：{area!r}（应为 north 皖北 或 south 皖南）") from None
    if long_term_recipients < 0:
        raise ValueError(f"常年救助对象人数不能为负数：{long_term_recipients}")
    return long_term_recipients >= threshold


def spot_check_size(decided_count: int, ratio: Decimal = defaults.SPOT_CHECK_RATIO) -> int:
    """M8: the county spot-checks not less than 30% (不低于) of township decisions, rejections
    included: ceil(decided_count × ratio), in Decimal arithmetic (10 × 0.30 is exactly 3).
    A ratio below the 30% floor is refused (a county may check more, up to all of them)."""
    if isinstance(ratio, float):
        ratio = Decimal(str(ratio))
    ratio = _money(ratio, "抽查比例")
    if not ZERO < ratio <= 1:
        raise ValueError(f"抽查比例必须大于 0 且不超过 1：{ratio}")
    if ratio < defaults.SPOT_CHECK_RATIO:
        raise ValueError(f"抽查比例不得低于{defaults.SPOT_CHECK_RATIO * 100:.0f}%（皖民社救字〔2022〕46号第八条：抽查比例不低于30%），当前为{(ratio * 100).normalize():f}%")
    if decided_count < 0:
        raise ValueError(f"审核确认件数不能为负数：{decided_count}")
    return int((Decimal(decided_count) * ratio).to_integral_value(ROUND_CEILING))


def area_of_city(city_code4: str, north_codes=defaults.NORTH_CITY_CODES) -> str:
    """M12 / POLICY.md: "north" (皖北) when the prefecture code is in ``north_codes`` (default:
    淮北 3406, 亳州 3416, 宿州 3413, 蚌埠 3403, 阜阳 3412, 淮南 3404), else "south" (皖南).
    Accepts a 4-digit prefecture code or a longer division code (its first 4 digits); a code
    that is not an Anhui prefecture (3414 accepted) is a ValueError."""
    code = str(city_code4).strip()
    if len(code) < 4 or not code.isdigit() or code[:4] not in ANHUI_CITY_CODES:
        raise ValueError(f"不是安徽省的设区市代码：{city_code4!r}")
    return "north" if code[:4] in north_codes else "south"


# ---------------------------------------------------------------------------
# Assessment
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
    _income: _Income = field(repr=False, compare=False)
    property_ok: bool = field(default=True, compare=False)
    _steps: list = field(default_factory=list, repr=False, compare=False)

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
    inc = _income(h, std)
    ok = _property_ok(h, std)
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


def _income_steps(h: HouseholdFacts, std: StandardValues, inc: _Income) -> list[tuple[str, str]]:
    n = len(h.members)
    steps: list[tuple[str, str]] = [("家庭人口", f"{n} 人"), ("家庭月总收入", _fmt(inc.total))]

    exempt_by_kind: dict[str, Decimal] = {}
    for item in h.incomes:
        if item.kind in std.exempt_income_kinds:
            exempt_by_kind[item.kind] = exempt_by_kind.get(item.kind, ZERO) + item.monthly_amount
    if exempt_by_kind:
        parts = "；".join(f"{INCOME_KIND_LABELS.get(k, k)} {_fmt(v)}" for k, v in exempt_by_kind.items())
        steps.append(("不计入收入", f"{parts}（合计 {_fmt(inc.exempt)}，按最低生活保障审核确认办法不计入家庭收入）"))
    else:
        steps.append(("不计入收入", "无"))
    steps.append(("计入收入", _fmt(inc.counted)))

    if inc.employed_count:
        steps.append(
            (
                "就业成本扣减",
                f"{inc.employed_count} 人就业，扣减 {_fmt(inc.employment_deduction)}"
                f"（每人每月不超过 {_fmt(std.employment_deduction)}，且不超过本人工资性、经营性收入）",
            )
        )
    else:
        steps.append(("就业成本扣减", "无就业成员，不扣减"))
    if inc.income_exemption:
        steps.append(("收入豁免", f"{_fmt(inc.income_exemption)}（皖民社救字〔2022〕46号第二条，当地豁免额 {_fmt(std.income_exemption)}）"))
    if h.rigid_costs:
        capped = f"，当地规定每月最多扣减 {_fmt(std.rigid_cost_cap)}" if std.rigid_cost_cap is not None and h.rigid_costs > std.rigid_cost_cap else ""
        steps.append(("刚性支出扣减", f"因残、因病刚性支出 {_fmt(h.rigid_costs)}{capped}，扣减 {_fmt(inc.rigid)}"))

    formula = f"{inc.counted:,.2f}"
    for part in (inc.employment_deduction, inc.income_exemption, inc.rigid):
        if part:
            formula += f" − {part:,.2f}"
    raw = inc.counted - inc.employment_deduction - inc.income_exemption - inc.rigid
    floored = "（不足 0 按 0 计）" if inc.net == 0 and raw < 0 else ""
    exact = "" if inc.exact == inc.per_capita else f"（精确值 {inc.exact:,.4f} 元，与标准比较时使用精确值）"
    steps.append(("人均月收入", f"（{formula}）{floored} ÷ {n} 人 = {_fmt(inc.per_capita)}{exact}"))
    steps.append(("低保标准", f"{_fmt(std.dibao_standard)}/人·月"))
    return steps


def _amount_text(inc: _Income, n: int, std: StandardValues, amount: Decimal) -> str:
    gap = std.dibao_standard * n - inc.net
    floored = "（不足 0 按 0 计）" if gap < 0 else ""
    return (
        f"{std.dibao_standard:,.2f} 元 × {n} 人 − 家庭月净收入 {inc.net:,.2f} 元 = {gap:,.2f} 元{floored}，"
        f"{ROUNDING_LABELS[std.rounding]}得 {_fmt(amount)}"
    )


def _explain(a: Assessment) -> list[tuple[str, str]]:
    h, std, inc = a.household, a.standard, a._income
    n = len(h.members)
    steps = _income_steps(h, std, inc)
    prop = property_check(h, std) if (h.assets or h.property_override) else None
    if prop is None:
        steps.append(("家庭财产", "符合规定" if h.assets_within_limits else "超出规定"))
    else:
        steps.append(("家庭财产", "；".join(prop.reasons)))

    limit = std.marginal_limit.quantize(CENT, ROUND_HALF_UP)
    if a.dibao_eligible:
        steps.append(("保障金计算", _amount_text(inc, n, std, a.dibao_amount)))
        steps.append(("结论", f"符合低保条件，月保障金 {_fmt(a.dibao_amount)}"))
    elif not a.property_ok:
        steps.append(("结论", "家庭财产状况不符合规定，不符合低保条件，也不属于低保边缘家庭"))
    elif a.marginal:
        steps.append(
            (
                "结论",
                f"人均月收入不低于低保标准，但低于低保边缘标准 {_fmt(limit)}"
                f"（低保标准 × {std.marginal_multiplier}），不符合低保条件，属于低保边缘家庭",
            )
        )
        if a.single_person_candidates:
            who = "、".join(f"第 {i + 1} 名成员" for i in a.single_person_candidates)
            steps.append(
                (
                    "单人户",
                    f"{who}为重度残疾人或重病患者，可按“单人户”单独纳入低保"
                    f"（最低生活保障审核确认办法第八条；皖民社救字〔2022〕46号第二条）",
                )
            )
    else:
        steps.append(("结论", f"人均月收入不低于低保边缘标准 {_fmt(limit)}，不符合低保条件，也不属于低保边缘家庭"))
    return steps


# ---------------------------------------------------------------------------
# One decision per kind of application (dibao, 特困, marginal, 单人户)
# ---------------------------------------------------------------------------

APPLICATION_KINDS = ("dibao", "tekun", "marginal", "single_person")
APPLICATION_KIND_LABELS = {"dibao": "最低生活保障", "tekun": "特困人员救助供养", "marginal": "低保边缘家庭", "single_person": "单人户低保"}


@dataclass(frozen=True, slots=True)
class Outcome:
    """The decision of ``application_outcome``.

    ``monthly_amount`` is None for a marginal household (recognised, not paid) and for a
    refusal; ``reasons`` holds one Chinese line per rule that decided (for a refusal, only the
    rules that failed); ``steps`` is the clerk's step-by-step explanation, from the same
    computation. ``basic_amount`` / ``care_amount``: the two parts of a 特困 amount."""

    eligible: bool
    monthly_amount: Decimal | None
    reasons: tuple[str, ...]
    kind: str = ""
    member_index: int | None = None
    per_capita: Decimal = ZERO
    standard: Decimal = ZERO
    basic_amount: Decimal | None = None
    care_amount: Decimal | None = None
    self_care: str = ""
    steps: tuple[tuple[str, str], ...] = ()


def _age_reason(m: MemberFacts) -> str:
    if m.age >= ELDERLY_AGE:
        return f"年满 {ELDERLY_AGE} 周岁（{m.age} 周岁）"
    if m.age < MINOR_AGE:
        return f"未满 {MINOR_AGE} 周岁（{m.age} 周岁）"
    label = DISABILITY_LABELS.get(m.disability_type, "")
    return f"{label}{m.disability_grade}级"


def _member_label(i: int) -> str:
    return f"第 {i + 1} 名成员"


def _member(h: HouseholdFacts, kind: str, member_index: int | None) -> int:
    if member_index is None:
        if len(h.members) == 1:
            return 0
        raise ValueError(f"{APPLICATION_KIND_LABELS[kind]}申请须指明申请对象（家庭成员序号）")
    if not isinstance(member_index, int) or not 0 <= member_index < len(h.members):
        raise ValueError(f"家庭成员序号不存在：{member_index!r}")
    return member_index


def application_outcome(kind: str, facts: HouseholdFacts, std: StandardValues, member_index: int | None = None, *, continuing: bool = False) -> Outcome:
    """The one decision of an application (and of its recheck), per kind:

    * "dibao" (最低生活保障审核确认办法): property within the local limits and per-capita income
      (exact) below the standard; amount = standard × members − net counted income, floored at
      0, rounded once per std.rounding;
    * "tekun" (特困人员认定办法): member ``member_index`` unable to work (``unable_to_work``; with
      ``continuing`` a supported minor stays to 18, longer in school), no livelihood (income
      below the dibao standard, property within the limits), no supporter able to support;
      amount = the basic living standard (``tekun_basic_standard``) + the care standard of the
      member's self-care level;
    * "marginal": not dibao-eligible, income below the marginal line, property within the
      limits; recognised, not paid (amount None);
    * "single_person" (art. 8; M2): a severely disabled or seriously ill member of a marginal
      household, covered alone for the standard less their own counted income (rounded once).

    ``member_index`` may be omitted for a one-person household. An unknown kind is a ValueError.
    """
    if kind not in APPLICATION_KINDS:
        raise ValueError(f"未知的申请类别：{kind!r}（应为 dibao、tekun、marginal 或 single_person）")
    n = len(facts.members)
    inc = _income(facts, std)
    prop = property_check(facts, std)
    steps = _income_steps(facts, std, inc)
    steps.append(("家庭财产", "；".join(prop.reasons)))
    below_std = inc.exact < std.dibao_standard
    shown = _fmt(inc.per_capita) if inc.exact == inc.per_capita else f"{inc.exact:,.4f} 元"
    income_below = f"家庭人均月收入 {shown}，低于当地低保标准 {_fmt(std.dibao_standard)}"
    income_not_below = f"家庭人均月收入 {shown}，不低于当地低保标准 {_fmt(std.dibao_standard)}"
    limit = std.marginal_limit
    below_line = inc.exact < limit
    line_text = f"低保边缘标准 {_fmt(limit.quantize(CENT, ROUND_HALF_UP))}（低保标准 × {std.marginal_multiplier}）"
    ok: list[str] = []
    failed: list[str] = []

    checks: list[tuple[str, str]] = []  # every rule evaluated, for the clerk's explanation

    def rule(passes: bool, yes: str, no: str | tuple[str, ...]) -> None:
        found = [yes] if passes else list((no,) if isinstance(no, str) else no)
        (ok if passes else failed).extend(found)
        if found is not prop.reasons and not set(found) <= set(prop.reasons):
            checks.extend(("审核条件", ("符合：" if passes else "不符合：") + text) for text in found)

    member = None
    amount: Decimal | None = None
    basic = care = None
    level = ""
    if kind in ("dibao", "marginal"):
        rule(prop.within, "；".join(prop.reasons), prop.reasons)
        if kind == "dibao":
            rule(below_std, income_below, income_not_below)
        else:
            rule(not below_std, income_not_below + "，不符合低保条件", income_below + "，符合低保条件，应申请最低生活保障")
            rule(below_line, f"低于{line_text}", f"家庭人均月收入 {shown}，不低于{line_text}")
        eligible = not failed
        if eligible and kind == "dibao":
            amount = round_amount(_gap(inc.net, n, std), std.rounding)
            text = _amount_text(inc, n, std, amount)
            ok.append("月保障金：" + text)
            steps.append(("保障金计算", text))
    elif kind == "tekun":
        member = _member(facts, kind, member_index)
        m = facts.members[member]
        unable = unable_to_work(m)
        if unable:
            rule(True, f"{_member_label(member)}{_age_reason(m)}，属于无劳动能力（特困人员认定办法）", "")
        elif continuing and (m.age < MINOR_SUPPORT_AGE or m.in_school):
            why = f"未满 {MINOR_SUPPORT_AGE} 周岁" if m.age < MINOR_SUPPORT_AGE else "仍在校就读"
            rule(True, f"{_member_label(member)}原按未成年人供养，现{why}，继续供养（特困人员认定办法）", "")
        else:
            rule(
                False, "",
                f"{_member_label(member)}现年 {m.age} 周岁，不满 {ELDERLY_AGE} 周岁、已满 {MINOR_AGE} 周岁，且无认定无劳动能力的残疾等级，"
                f"不属于无劳动能力（特困人员认定办法），不符合特困人员认定条件",
            )
        rule(below_std, income_below + "，无生活来源", income_not_below + "，不属于无生活来源")
        rule(prop.within, "；".join(prop.reasons), prop.reasons)
        able = able_supporters(facts, std)
        if facts.has_able_supporter:
            rule(False, "", "经调查有具备赡养、抚养、扶养能力的法定义务人")
        elif able:
            line = std.supporter_income_line
            rule(False, "", tuple(
                f"法定{SUPPORT_DUTY_LABELS[facts.supporters[i].duty]}义务人{facts.supporters[i].name}月收入 "
                f"{_fmt(facts.supporters[i].monthly_income)}，达到当地赡养（抚养、扶养）能力认定线 {_fmt(line)}，具备履行义务能力"
                for i in able
            ))
        elif facts.supporters:
            rule(True, "法定赡养、抚养、扶养义务人均无履行义务能力（收入低于当地认定线或经调查认定）", "")
        else:
            rule(True, "无法定赡养、抚养、扶养义务人", "")
        eligible = not failed
        if eligible:
            basic = std.tekun_basic_standard
            level = m.self_care
            origin = "特困人员基本生活标准" if std.tekun_standard is not None else f"低保标准 {_fmt(std.dibao_standard)} × {std.tekun_multiplier}"
            if level:
                care = std.care_standard(level)
                amount = basic + care
                text = f"基本生活标准 {_fmt(basic)}（{origin}）＋ 照料护理标准 {_fmt(care)}（{SELF_CARE_LEVEL_LABELS[level]}）= {_fmt(amount)}"
            else:
                care = ZERO.quantize(CENT)
                amount = basic
                text = f"基本生活标准 {_fmt(basic)}（{origin}）；生活自理能力尚未评估，照料护理费待评估后计发"
            ok.append("月供养金：" + text)
            steps.append(("供养金计算", text))
    else:  # single_person
        member = _member(facts, kind, member_index)
        m = facts.members[member]
        rule(
            single_person_eligible_member(m),
            f"{_member_label(member)}为重度残疾人或重病患者（最低生活保障审核确认办法第八条）",
            f"{_member_label(member)}不属于重度残疾人（一、二级残疾或三级智力、精神残疾）或重病患者，不能按单人户纳入",
        )
        rule(prop.within, "；".join(prop.reasons), prop.reasons)
        rule(not below_std, income_not_below + "，家庭不符合低保条件", income_below + "，家庭整体符合低保条件，应按家庭申请最低生活保障")
        rule(below_line, f"低于{line_text}，属于低保边缘家庭", f"家庭人均月收入 {shown}，不低于{line_text}，不属于低保边缘家庭，不能按单人户纳入")
        own = member_counted_income(facts, std, member)
        rule(
            own < std.dibao_standard,
            f"{_member_label(member)}本人月计入收入 {_fmt(own)}，低于低保标准",
            f"{_member_label(member)}本人月计入收入 {_fmt(own)}，不低于低保标准 {_fmt(std.dibao_standard)}",
        )
        eligible = not failed
        if eligible:
            gap = std.dibao_standard - own
            amount = round_amount(gap, std.rounding)
            text = f"{std.dibao_standard:,.2f} 元 − 本人月计入收入 {own:,.2f} 元 = {gap:,.2f} 元，{ROUNDING_LABELS[std.rounding]}得 {_fmt(amount)}"
            ok.append("月保障金（单人户）：" + text)
            steps.append(("保障金计算", text))

    reasons = tuple(ok) if eligible else tuple(failed)
    at = next((i for i, (label, _) in enumerate(steps) if label in ("保障金计算", "供养金计算")), len(steps))
    steps[at:at] = checks
    if eligible:
        conclusion = f"符合{APPLICATION_KIND_LABELS[kind]}条件" + (f"，月{'供养' if kind == 'tekun' else '保障'}金 {_fmt(amount)}" if amount is not None else "，予以认定（不发放保障金）")
    else:
        conclusion = f"不符合{APPLICATION_KIND_LABELS[kind]}条件：" + "；".join(failed)
    steps.append(("结论", conclusion))
    return Outcome(
        eligible=eligible,
        monthly_amount=amount,
        reasons=reasons,
        kind=kind,
        member_index=member,
        per_capita=inc.per_capita,
        standard=std.dibao_standard,
        basic_amount=basic,
        care_amount=care,
        self_care=level,
        steps=tuple(steps),
    )


# ---------------------------------------------------------------------------
# Spot-check sample (M8)
# ---------------------------------------------------------------------------

def _seed_int(seed) -> int:
    """A seed that means the same number in every process: str/bytes/int go through SHA-256
    (never ``hash()``, which PYTHONHASHSEED changes between processes)."""
    raw = seed if isinstance(seed, bytes) else str(seed).encode()
    return int.from_bytes(hashlib.sha256(raw).digest()[:8], "big")


def draw_spot_check_sample(frame, seed, ratio: Decimal = defaults.SPOT_CHECK_RATIO) -> list:
    """M8: the county spot-checks not less than 30% of each township's decisions, approvals
    and refusals alike; close relatives of caseworkers and village cadres (单独登记备案,
    最低生活保障审核确认办法) are always checked and count toward their township's quota.

    ``frame`` is an iterable of ``(case_id, township_code, must_include)``. Returns the sorted
    chosen case ids: per township ``spot_check_size`` cases at least (more only when the
    must-include cases alone exceed it). The frame is sorted before drawing, so the same
    frame and seed give the same sample whatever the frame's order; anyone holding the
    recorded seed can redraw and verify it.
    """
    spot_check_size(0, ratio)  # an invalid ratio is a ValueError even for an empty frame
    townships: dict[str, list] = {}
    seen = set()
    for case_id, township, must_include in frame:
        if case_id in seen:
            raise ValueError(f"抽查范围中案件重复：{case_id!r}")
        seen.add(case_id)
        townships.setdefault(township, []).append((case_id, bool(must_include)))
    rnd = random.Random(_seed_int(seed))
    chosen = []
    for township in sorted(townships):
        cases = sorted(townships[township])
        must = [case_id for case_id, flagged in cases if flagged]
        others = [case_id for case_id, flagged in cases if not flagged]
        chosen += must
        chosen += rnd.sample(others, max(0, spot_check_size(len(cases), ratio) - len(must)))
    return sorted(chosen)
