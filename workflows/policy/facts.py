"""What the rules decide on: the household's facts and the local standard in force.

Vocabulary (income, disability, asset and support-duty kinds) with the clauses that give
them meaning, the frozen dataclasses the services build from the registry, and
``StandardValues``, the dated per-county standard (M10) with its defaults (``defaults``).
Every value is checked when built: bad input is a ValueError with a Chinese message.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import defaults
from .money import CENT, ROUNDING_STEPS, ZERO, to_money

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

    def __post_init__(self) -> None:
        if self.self_care not in ("", "full", "partial", "lost"):
            raise ValueError(f"未知的生活自理能力等级：{self.self_care!r}")
        if not isinstance(self.age, int) or self.age < 0:
            raise ValueError(f"年龄必须是非负整数：{self.age!r}")
        if self.disability_type not in DISABILITY_TYPES:
            raise ValueError(f"未知的残疾类别：{self.disability_type!r}")
        if self.disability_grade is not None and self.disability_grade not in (1, 2, 3, 4):
            raise ValueError(f"残疾等级必须是 1–4 级：{self.disability_grade!r}")

    def disabled(self, *types: str, grades: tuple[int, ...] = (1, 2, 3, 4)) -> bool:
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

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or not self.kind:
            raise ValueError(f"收入类别不能为空：{self.kind!r}")
        object.__setattr__(self, "monthly_amount", to_money(self.monthly_amount, "收入金额"))


@dataclass(frozen=True, slots=True)
class AssetFacts:
    """One asset as recorded by the investigation or the verification: ``kind`` one of
    ``ASSET_KIND_LABELS``; ``exempt_use`` marks the house the household lives in or a vehicle
    needed for a disability or for work, which the local limits leave out."""

    kind: str
    value: Decimal
    exempt_use: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ASSET_KIND_LABELS:
            raise ValueError(f"未知的财产类别：{self.kind!r}")
        value = to_money(self.value, "财产价值")
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

    def __post_init__(self) -> None:
        if self.duty not in SUPPORT_DUTY_LABELS:
            raise ValueError(f"未知的义务类别：{self.duty!r}（应为 elder 赡养、child 抚养 或 spouse 扶养）")
        income = to_money(self.monthly_income, "义务人月收入")
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "members", tuple(self.members))
        object.__setattr__(self, "incomes", tuple(self.incomes))
        object.__setattr__(self, "assets", tuple(self.assets))
        object.__setattr__(self, "supporters", tuple(self.supporters))
        object.__setattr__(self, "property_override", (self.property_override or "").strip())
        rigid = to_money(self.rigid_costs, "刚性支出")
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
    exempt_income_kinds: frozenset[str] = EXEMPT_INCOME_KINDS

    def __post_init__(self) -> None:
        dibao = to_money(self.dibao_standard, "低保标准")
        if dibao <= 0:
            raise ValueError("低保标准必须大于 0")
        object.__setattr__(self, "dibao_standard", dibao)
        object.__setattr__(self, "tekun_multiplier", to_money(self.tekun_multiplier, "特困基本生活标准倍数"))
        if self.tekun_standard is not None:
            object.__setattr__(self, "tekun_standard", to_money(self.tekun_standard, "特困基本生活标准"))
        object.__setattr__(self, "marginal_multiplier", to_money(self.marginal_multiplier, "低保边缘倍数"))
        deduction = to_money(self.employment_deduction, "就业成本扣减")
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
            value = to_money(getattr(self, name), label)
            if value < 0:
                raise ValueError(f"{label}不能为负数")
            object.__setattr__(self, name, value)
        for name, label in (("rigid_cost_cap", "刚性支出扣减上限"), ("supporter_income_line_amount", "赡养能力认定线")):
            if getattr(self, name) is not None:
                value = to_money(getattr(self, name), label)
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


@dataclass(frozen=True)
class RecheckValues:
    """The local recheck intervals (months), dated per county in ``Standard``
    (``recheck.recheck_interval_months``)."""

    stable_months: int = defaults.RECHECK_STABLE_MONTHS
    unstable_months: int = defaults.RECHECK_UNSTABLE_MONTHS
    tekun_months: int = defaults.RECHECK_TEKUN_MONTHS

    def __post_init__(self) -> None:
        for name in ("stable_months", "unstable_months", "tekun_months"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 24:
                raise ValueError(f"复核周期必须是 1 至 24 个月：{value!r}")
