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

    def __post_init__(self):
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
class HouseholdFacts:
    """The household: members, income items, and what the investigation found.

    ``rigid_costs``: monthly rigid costs of disability / serious illness that local rules
    allow to deduct (最低生活保障审核确认办法), as one household total.
    ``assets_within_limits``: property within the local rules (decided by the caseworker
    from the asset check; the rules only take the verdict).
    """

    members: tuple[MemberFacts, ...]
    incomes: tuple[IncomeFacts, ...] = ()
    has_able_supporter: bool = False
    rigid_costs: Decimal = ZERO
    assets_within_limits: bool = True

    def __post_init__(self):
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "incomes", tuple(self.incomes))
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

    @property
    def tekun_basic_standard(self) -> Decimal:
        """特困人员认定办法: the 特困 basic living standard — set explicitly, or commonly
        1.3 × the dibao standard, rounded to the fen (ROUND_HALF_UP)."""
        if self.tekun_standard is not None:
            return self.tekun_standard
        return (self.dibao_standard * self.tekun_multiplier).quantize(CENT, ROUND_HALF_UP)

    @property
    def marginal_limit(self) -> Decimal:
        """最低生活保障审核确认办法: the marginal line, marginal_multiplier × dibao standard (exact)."""
        return self.dibao_standard * self.marginal_multiplier


# ---------------------------------------------------------------------------
# Income
# ---------------------------------------------------------------------------


class _Income(NamedTuple):
    total: Decimal  # every listed income
    exempt: Decimal  # EXEMPT_INCOME_KINDS
    counted: Decimal  # total − exempt
    employment_deduction: Decimal
    employed_count: int
    net: Decimal  # counted − deductions − rigid costs, floored at 0
    per_capita: Decimal


def _income(h: HouseholdFacts, std: StandardValues) -> _Income:
    members = h.members
    n = len(members)
    if n == 0:
        raise ValueError("家庭成员为空，无法计算人均收入")
    total = exempt = ZERO
    for inc in h.incomes:
        total += inc.monthly_amount
        if inc.kind in EXEMPT_INCOME_KINDS:
            exempt += inc.monthly_amount
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

    net = counted - deduction - h.rigid_costs
    if net < 0:
        net = ZERO
    per_capita = (net / n).quantize(CENT, ROUND_HALF_UP)
    return _Income(total, exempt, counted, deduction, employed, net, per_capita)


def per_capita_income(h: HouseholdFacts, std: StandardValues) -> Decimal:
    """Monthly per-capita income (最低生活保障审核确认办法; M2).

    counted income (all items except EXEMPT_INCOME_KINDS)
    − employment cost deduction: for each employed member, std.employment_deduction, but no
      more than that member's own wage + business income (so no member's earned income goes
      below 0; income items not attributed to a member are never reduced)
    − rigid costs of disability / illness (h.rigid_costs)
    floored at 0, divided by the number of members, quantized to 0.01 ROUND_HALF_UP.
    An empty household is a ValueError.
    """
    return _income(h, std).per_capita


def is_dibao_eligible(h: HouseholdFacts, std: StandardValues) -> bool:
    """最低生活保障审核确认办法: per-capita income below (低于, strictly) the dibao standard and
    property within the local rules."""
    return h.assets_within_limits and per_capita_income(h, std) < std.dibao_standard


def _marginal(per_capita: Decimal, dibao_eligible: bool, h: HouseholdFacts, std: StandardValues) -> bool:
    return not dibao_eligible and h.assets_within_limits and per_capita < std.dibao_standard * std.marginal_multiplier


def is_marginal(h: HouseholdFacts, std: StandardValues) -> bool:
    """低保边缘家庭 (最低生活保障审核确认办法): not dibao-eligible, per-capita income below
    (strictly; exactly 1.5 × is not below) marginal_multiplier × the dibao standard, and
    property within the rules."""
    pc = per_capita_income(h, std)
    eligible = h.assets_within_limits and pc < std.dibao_standard
    return _marginal(pc, eligible, h, std)


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


def _amount(per_capita: Decimal, eligible: bool, n: int, std: StandardValues) -> Decimal:
    if not eligible:
        return ZERO.quantize(CENT)
    return round_amount((std.dibao_standard - per_capita) * n, std.rounding)


def dibao_amount(h: HouseholdFacts, std: StandardValues) -> Decimal:
    """Monthly dibao benefit (差额发放): (standard − per-capita income) × members, rounded per
    std.rounding (ROUND_HALF_UP); 0.00 when the household is not eligible."""
    pc = per_capita_income(h, std)
    return _amount(pc, h.assets_within_limits and pc < std.dibao_standard, len(h.members), std)


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
    the rules, and there is no supporter able to support (``h.has_able_supporter``).

    Typically called for a single-person household. ``continuing=True`` is for a person already
    supported as a minor: support continues to 18 (ages 16–17 still count as unable to work),
    and beyond 18 while the person is in school (``in_school``)."""
    if not 0 <= member_index < len(h.members):
        raise ValueError(f"家庭成员序号不存在：{member_index}")
    m = h.members[member_index]
    unable = unable_to_work(m)
    if not unable and continuing:
        unable = m.age < MINOR_SUPPORT_AGE or m.in_school
    if not unable or h.has_able_supporter or not h.assets_within_limits:
        return False
    return per_capita_income(h, std) < std.dibao_standard


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
    _steps: list = field(default_factory=list, repr=False, compare=False)

    @property
    def steps(self) -> list[tuple[str, str]]:
        """Step-by-step explanation as (label, text) pairs, e.g. ("人均月收入", "933.33 元")."""
        if not self._steps:
            self._steps.extend(_explain(self))
        return list(self._steps)


def assess(h: HouseholdFacts, std: StandardValues) -> Assessment:
    """Apply the dibao rules to a household: per-capita income, dibao eligibility, marginal
    status, monthly amount and 单人户 candidates (see the functions above for each clause)."""
    inc = _income(h, std)
    pc = inc.per_capita
    eligible = h.assets_within_limits and pc < std.dibao_standard
    marginal = _marginal(pc, eligible, h, std)
    return Assessment(
        pc,
        eligible,
        marginal,
        _amount(pc, eligible, len(h.members), std),
        _candidates(h, marginal),
        h,
        std,
        inc,
    )


def _explain(a: Assessment) -> list[tuple[str, str]]:
    h, std, inc = a.household, a.standard, a._income
    n = len(h.members)
    steps: list[tuple[str, str]] = [("家庭人口", f"{n} 人"), ("家庭月总收入", _fmt(inc.total))]

    exempt_by_kind: dict[str, Decimal] = {}
    for item in h.incomes:
        if item.kind in EXEMPT_INCOME_KINDS:
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
    if h.rigid_costs:
        steps.append(("刚性支出扣减", f"{_fmt(h.rigid_costs)}（因残、因病刚性支出）"))

    formula = f"{inc.counted:,.2f}"
    if inc.employment_deduction:
        formula += f" − {inc.employment_deduction:,.2f}"
    if h.rigid_costs:
        formula += f" − {h.rigid_costs:,.2f}"
    floored = "（不足 0 按 0 计）" if inc.net == 0 and inc.counted - inc.employment_deduction - h.rigid_costs < 0 else ""
    steps.append(("人均月收入", f"（{formula}）{floored} ÷ {n} 人 = {_fmt(a.per_capita)}"))
    steps.append(("低保标准", f"{_fmt(std.dibao_standard)}/人·月"))
    steps.append(("家庭财产", "符合规定" if h.assets_within_limits else "超出规定"))

    limit = std.marginal_limit.quantize(CENT, ROUND_HALF_UP)
    if a.dibao_eligible:
        gap = std.dibao_standard - a.per_capita
        steps.append(
            (
                "保障金计算",
                f"（{std.dibao_standard:,.2f} − {a.per_capita:,.2f}）× {n} 人 = {gap * n:,.2f} 元，"
                f"{ROUNDING_LABELS[std.rounding]}得 {_fmt(a.dibao_amount)}",
            )
        )
        steps.append(("结论", f"符合低保条件，月保障金 {_fmt(a.dibao_amount)}"))
    elif not h.assets_within_limits:
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
