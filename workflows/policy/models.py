"""Dated policy values that local governments set (docs/policy.md: "configurable")."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from . import defaults
from .facts import EXEMPT_INCOME_KINDS, RecheckValues, StandardValues


class Standard(models.Model):
    """Assistance standards of one county for urban or rural households, from a date on.

    M10: the city government sets them; no province-wide number is hard-coded.
    """

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="standards", verbose_name="县（区）")
    area_type = models.CharField("城乡类别", max_length=5, choices=[("urban", "城市"), ("rural", "农村")])
    valid_from = models.DateField("执行日期")
    dibao_standard = models.DecimalField("低保标准（元/人·月）", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("1"))])
    tekun_multiplier = models.DecimalField("特困基本生活标准倍数", max_digits=4, decimal_places=2, default=defaults.TEKUN_MULTIPLIER)
    tekun_standard = models.DecimalField(
        "特困基本生活标准（元/人·月）", max_digits=8, decimal_places=2, null=True, blank=True, help_text="留空则按低保标准×倍数计算"
    )
    marginal_multiplier = models.DecimalField("低保边缘倍数", max_digits=4, decimal_places=2, default=defaults.MARGINAL_MULTIPLIER)
    employment_deduction = models.DecimalField("就业成本扣减（元/人·月）", max_digits=8, decimal_places=2, default=defaults.EMPLOYMENT_DEDUCTION)
    rounding = models.CharField(
        "保障金取整", max_length=5, choices=[("yuan", "取整到元"), ("jiao", "取整到角"), ("fen", "精确到分")], default=defaults.ROUNDING
    )
    gradual_exit_months = models.PositiveSmallIntegerField(
        "渐退期（月）",
        default=defaults.GRADUAL_EXIT_MONTHS,
        validators=[MinValueValidator(1, "渐退期至少1个月"), MaxValueValidator(defaults.GRADUAL_EXIT_MAX_MONTHS, "渐退期原则上不超过6个月")],
        help_text="2022年国家通知：原则上不超过6个月（1–6）",
    )
    # Practice: the benefit is unchanged during a gradual exit unless the county steps it down.
    gradual_exit_step_down = models.BooleanField("渐退期内保障金逐月递减", default=False, help_text="不勾选则渐退期内按原金额发放（默认）")
    # 审核确认办法 (secondary wording): stable households yearly, others every 6 months; 特困 年审.
    recheck_stable_months = models.PositiveSmallIntegerField(
        "收入稳定家庭复核周期（月）",
        default=defaults.RECHECK_STABLE_MONTHS,
        validators=[MinValueValidator(1, "复核周期至少1个月"), MaxValueValidator(24, "复核周期不超过24个月")],
    )
    recheck_unstable_months = models.PositiveSmallIntegerField(
        "收入不稳定家庭复核周期（月）",
        default=defaults.RECHECK_UNSTABLE_MONTHS,
        validators=[MinValueValidator(1, "复核周期至少1个月"), MaxValueValidator(24, "复核周期不超过24个月")],
    )
    recheck_tekun_months = models.PositiveSmallIntegerField(
        "特困人员复核周期（月）",
        default=defaults.RECHECK_TEKUN_MONTHS,
        validators=[MinValueValidator(1, "复核周期至少1个月"), MaxValueValidator(24, "复核周期不超过24个月")],
    )
    small_amount_cap = models.DecimalField("小金额先行救助上限（元）", max_digits=10, decimal_places=2, default=defaults.SMALL_AMOUNT_CAP)
    interim_cap_multiplier = models.DecimalField("临时救助单次上限（低保标准倍数）", max_digits=5, decimal_places=2, default=defaults.INTERIM_CAP_MULTIPLIER)
    # Property limits: local (最低生活保障审核确认办法: 家庭财产状况符合当地规定).
    financial_assets_months = models.PositiveSmallIntegerField(
        "金融资产限额（人均低保标准月数）", default=defaults.FINANCIAL_ASSETS_MONTHS, help_text="存款、有价证券合计不超过 低保标准×月数×家庭人口（含本数）"
    )
    vehicle_value_limit = models.DecimalField(
        "机动车价值限额（元）",
        max_digits=10,
        decimal_places=2,
        default=defaults.VEHICLE_VALUE_LIMIT,
        validators=[MinValueValidator(Decimal("0"), "金额不能为负数")],
        help_text="残疾人代步、生产经营必需车辆除外；0 表示不得拥有其他机动车",
    )
    extra_houses_allowed = models.PositiveSmallIntegerField("自住房以外允许的房产（套）", default=defaults.EXTRA_HOUSES_ALLOWED)
    business_value_limit = models.DecimalField(
        "经营性资产限额（元）",
        max_digits=12,
        decimal_places=2,
        default=defaults.BUSINESS_VALUE_LIMIT,
        validators=[MinValueValidator(Decimal("0"), "金额不能为负数")],
    )
    rigid_cost_cap = models.DecimalField(
        "刚性支出扣减上限（元/户·月）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), "金额不能为负数")],
        help_text="最低生活保障审核确认办法：因病、因残刚性支出按当地规定扣减；留空则据实扣减，0 表示不扣减",
    )
    # 特困人员认定办法: no supporter able to support; ability judged locally.
    supporter_income_multiplier = models.DecimalField(
        "赡养能力认定线（低保标准倍数）",
        max_digits=4,
        decimal_places=2,
        default=defaults.SUPPORTER_INCOME_MULTIPLIER,
        help_text="义务人月收入达到 低保标准×倍数 即视为有履行能力",
    )
    supporter_income_line = models.DecimalField("赡养能力认定线（元/月）", max_digits=10, decimal_places=2, null=True, blank=True, help_text="填写则替代倍数")
    # 特困人员认定办法: care standard by self-care level, paid beside the basic living standard.
    care_standard_full = models.DecimalField(
        "照料护理标准：具备生活自理能力（元/人·月）",
        max_digits=8,
        decimal_places=2,
        default=defaults.CARE_STANDARD["full"],
        validators=[MinValueValidator(Decimal("0"), "金额不能为负数")],
    )
    care_standard_partial = models.DecimalField(
        "照料护理标准：部分丧失生活自理能力（元/人·月）",
        max_digits=8,
        decimal_places=2,
        default=defaults.CARE_STANDARD["partial"],
        validators=[MinValueValidator(Decimal("0"), "金额不能为负数")],
    )
    care_standard_lost = models.DecimalField(
        "照料护理标准：完全丧失生活自理能力（元/人·月）",
        max_digits=8,
        decimal_places=2,
        default=defaults.CARE_STANDARD["lost"],
        validators=[MinValueValidator(Decimal("0"), "金额不能为负数")],
    )
    # M2: income exemption (amount local); the basic pension's exemption is written for the 14th
    # five-year plan, so a county may end it (or extend it) with a date.
    income_exemption = models.DecimalField(
        "收入豁免额（元/户·月）",
        max_digits=8,
        decimal_places=2,
        default=defaults.INCOME_EXEMPTION,
        validators=[MinValueValidator(Decimal("0"), "金额不能为负数")],
        help_text="皖民社救字〔2022〕46号第二条：落实低保对象收入豁免；从就业收入中豁免",
    )
    pension_exemption_until = models.DateField(
        "基础养老金不计入收入截止日期", null=True, blank=True, help_text="城乡居民基本养老保险基础养老金“十四五”期间不计入家庭收入；留空表示继续不计入"
    )

    class Meta:
        verbose_name = verbose_name_plural = "救助标准"
        constraints = [models.UniqueConstraint(fields=["county", "area_type", "valid_from"], name="standard_unique_date")]
        indexes = [models.Index(fields=["county", "area_type", "-valid_from"], name="standard_lookup")]

    def __str__(self) -> str:
        return f"{self.county} {self.get_area_type_display()} {self.valid_from:%Y-%m-%d} 起 {self.dibao_standard} 元"

    @classmethod
    def in_force(cls, county_code: str, area_type: str, on: date) -> "Standard":
        """The standard in force on a day; an error naming the county when none is set."""
        found = cls.objects.filter(county_id=county_code, area_type=area_type, valid_from__lte=on).order_by("-valid_from").first()
        if found is None:
            raise ValidationError(f"县（区）{county_code} 在 {on:%Y-%m-%d} 没有有效的{'城市' if area_type == 'urban' else '农村'}救助标准，请先录入")
        return found

    def recheck_values(self) -> RecheckValues:
        return RecheckValues(self.recheck_stable_months, self.recheck_unstable_months, self.recheck_tekun_months)

    def values(self, on: date | None = None) -> StandardValues:
        """The plain values the pure rules take, on a day (the basic pension's exemption is dated)."""
        exempt = EXEMPT_INCOME_KINDS
        if on is not None and self.pension_exemption_until is not None and on > self.pension_exemption_until:
            exempt = EXEMPT_INCOME_KINDS - {"pension_basic"}
        return StandardValues(
            dibao_standard=self.dibao_standard,
            tekun_multiplier=self.tekun_multiplier,
            tekun_standard=self.tekun_standard,
            marginal_multiplier=self.marginal_multiplier,
            employment_deduction=self.employment_deduction,
            rounding=self.rounding,
            gradual_exit_months=self.gradual_exit_months,
            financial_assets_months=self.financial_assets_months,
            vehicle_value_limit=self.vehicle_value_limit,
            extra_houses_allowed=self.extra_houses_allowed,
            business_value_limit=self.business_value_limit,
            rigid_cost_cap=self.rigid_cost_cap,
            supporter_income_multiplier=self.supporter_income_multiplier,
            supporter_income_line_amount=self.supporter_income_line,
            care_standard_full=self.care_standard_full,
            care_standard_partial=self.care_standard_partial,
            care_standard_lost=self.care_standard_lost,
            income_exemption=self.income_exemption,
            exempt_income_kinds=exempt,
        )


class HolidayCalendar(models.Model):
    """Official holidays and make-up working days for years chinesecalendar does not cover.

    Loaded with `manage.py load_holidays FILE` from the State Council's yearly notice.
    """

    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日", help_text="节假日为否，调休上班日为是")
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日安排"
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name} {'上班' if self.is_working_day else '休息'}"


class HolidayYear(models.Model):
    """A year whose official calendar has been loaded in full (so a missing row is an ordinary day)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, blank=True)
    loaded = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "已导入节假日年份"
