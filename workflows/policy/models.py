"""Dated policy values that local governments set (POLICY.md: "configurable")."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from . import defaults


class Standard(models.Model):
    """Assistance standards of one county for urban or rural households, from a date on.

    M10: the city government sets them; no province-wide number is hard-coded.
    """

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="standards", verbose_name="县（区）")
    area_type = models.CharField("城乡类别", max_length=5, choices=[("urban", "城市"), ("rural", "农村")])
    valid_from = models.DateField("执行日期")
    dibao_standard = models.DecimalField("低保标准（元/人·月）", max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("1"))])
    tekun_multiplier = models.DecimalField("特困基本生活标准倍数", max_digits=4, decimal_places=2, default=defaults.TEKUN_MULTIPLIER)
    tekun_standard = models.DecimalField("特困基本生活标准（元/人·月）", max_digits=8, decimal_places=2, null=True, blank=True, help_text="留空则按低保标准×倍数计算")
    marginal_multiplier = models.DecimalField("低保边缘倍数", max_digits=4, decimal_places=2, default=defaults.MARGINAL_MULTIPLIER)
    employment_deduction = models.DecimalField("就业成本扣减（元/人·月）", max_digits=8, decimal_places=2, default=defaults.EMPLOYMENT_DEDUCTION)
    rounding = models.CharField("保障金取整", max_length=5, choices=[("yuan", "取整到元"), ("jiao", "取整到角"), ("fen", "精确到分")], default=defaults.ROUNDING)
    gradual_exit_months = models.PositiveSmallIntegerField("渐退期（月）", default=defaults.GRADUAL_EXIT_MONTHS)
    small_amount_cap = models.DecimalField("小金额先行救助上限（元）", max_digits=10, decimal_places=2, default=defaults.SMALL_AMOUNT_CAP)
    interim_cap_multiplier = models.DecimalField("临时救助单次上限（低保标准倍数）", max_digits=5, decimal_places=2, default=defaults.INTERIM_CAP_MULTIPLIER)

    class Meta:
        verbose_name = verbose_name_plural = "救助标准"
        constraints = [models.UniqueConstraint(fields=["county", "area_type", "valid_from"], name="standard_unique_date")]
        indexes = [models.Index(fields=["county", "area_type", "-valid_from"], name="standard_lookup")]

    def __str__(self):
        return f"{self.county} {self.get_area_type_display()} {self.valid_from:%Y-%m-%d} 起 {self.dibao_standard} 元"

    @classmethod
    def in_force(cls, county_code: str, area_type: str, on: date) -> "Standard":
        """The standard in force on a day; an error naming the county when none is set."""
        found = cls.objects.filter(county_id=county_code, area_type=area_type, valid_from__lte=on).order_by("-valid_from").first()
        if found is None:
            raise ValidationError(f"县（区）{county_code} 在 {on:%Y-%m-%d} 没有有效的{'城市' if area_type == 'urban' else '农村'}救助标准，请先录入")
        return found

    def values(self):
        """The plain values the pure rules take."""
        from .rules import StandardValues

        return StandardValues(
            dibao_standard=self.dibao_standard,
            tekun_multiplier=self.tekun_multiplier,
            tekun_standard=self.tekun_standard,
            marginal_multiplier=self.marginal_multiplier,
            employment_deduction=self.employment_deduction,
            rounding=self.rounding,
            gradual_exit_months=self.gradual_exit_months,
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

    def __str__(self):
        return f"{self.day} {self.name} {'上班' if self.is_working_day else '休息'}"


class HolidayYear(models.Model):
    """A year whose official calendar has been loaded in full (so a missing row is an ordinary day)."""

    year = models.PositiveSmallIntegerField("年份", unique=True)
    source = models.CharField("依据", max_length=200, blank=True)
    loaded = models.DateTimeField("导入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "已导入节假日年份"
