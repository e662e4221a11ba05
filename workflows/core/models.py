"""Shared kernel: regions, staff roles, the household registry, beneficiaries, audit log."""

from datetime import date
from decimal import Decimal
from operator import attrgetter

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.policy.calendar import months_between
from workflows.policy.recheck import exit_amounts

from . import regions
from .roles import ROLE_CHOICES, ROLE_LEVELS
from .validators import validate_bank_card, validate_id_number


def pattern_index(field: str, name: str) -> models.Index:
    """Index for `field LIKE 'prefix%'` (DESIGN §4.9): PostgreSQL needs varchar_pattern_ops
    unless the database collation is C; other backends ignore opclasses."""
    return models.Index(fields=[field], name=name, opclasses=["varchar_pattern_ops"])


class RegionCoded:
    """A record that carries the code of the region it belongs to (DESIGN §4.3: scoping filters
    region_code by prefix). `region_code_from` names where the code comes from, as a dotted
    attribute path ("household.region_code", "township_id"). save() sets it; a bulk insert
    passes its rows through with_region_codes() first, since bulk_create skips save()."""

    region_code_from = ""

    def save(self, *args, **kwargs):
        self.region_code = attrgetter(self.region_code_from)(self)
        super().save(*args, **kwargs)

    @classmethod
    def with_region_codes(cls, rows):
        rows = list(rows)
        for row in rows:
            row.region_code = attrgetter(cls.region_code_from)(row)
        return rows


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.CharField("层级", max_length=10, choices=regions.LEVEL_CHOICES)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name="上级")
    # M12: 皖北 / 皖南 decides the service-station threshold; set on cities, inherited below.
    area = models.CharField("片区", max_length=5, blank=True, choices=[("north", "皖北"), ("south", "皖南")])
    registered_population = models.PositiveIntegerField("户籍人口", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]
        indexes = [pattern_index("code", "region_code_like")]

    def __str__(self):
        return self.name

    @property
    def prefix(self) -> str:
        return regions.prefix_of(self.code)

    @property
    def full_name(self) -> str:
        names = []
        region: Region | None = self
        while region is not None and region.level != regions.LEVEL_PROVINCE:
            names.append(region.name)
            region = region.parent
        return "".join(reversed(names))

    def area_code(self) -> str:
        """皖北/皖南 of the city this region belongs to."""
        if self.area:
            return self.area
        city = Region.objects.filter(code=regions.city_of(self.code)).only("area").first()
        return city.area if city else ""


class StaffRole(models.Model):
    """A role held by a staff user in one region (DESIGN §6)."""

    CASEWORKER = "caseworker"
    TOWNSHIP_CLERK = "township_clerk"
    REVIEW_MEMBER = "review_member"
    TOWNSHIP_PRINCIPAL = "township_principal"
    COUNTY_OFFICER = "county_officer"
    COUNTY_HEAD = "county_head"
    FINANCE_OFFICER = "finance_officer"
    BANK_AGENT = "bank_agent"
    PETITION_OFFICER = "petition_officer"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"
    ROLE_CHOICES = ROLE_CHOICES

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles", verbose_name="用户")
    role = models.CharField("角色", max_length=32, choices=ROLE_CHOICES)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, verbose_name="辖区")

    class Meta:
        verbose_name = verbose_name_plural = "工作人员角色"
        constraints = [models.UniqueConstraint(fields=["user", "role", "region"], name="staffrole_unique")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.region}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.region_id and self.role:
            allowed = ROLE_LEVELS[self.role]
            if regions.level_of(self.region_id) not in allowed:
                raise ValidationError({"region": "该角色只能绑定到以下层级的区划：" + "、".join(dict(regions.LEVEL_CHOICES)[lv] for lv in allowed)})


class AreaType(models.TextChoices):
    URBAN = "urban", "城市"
    RURAL = "rural", "农村"


class Household(RegionCoded, models.Model):
    # Scoping key (DESIGN §4.3): the hukou village, where applications are filed.
    region_code_from = "hukou_region_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    hukou_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="户籍地")
    residence_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="居住地")
    address = models.CharField("详细地址", max_length=200, blank=True)
    area_type = models.CharField("城乡类别", max_length=5, choices=AreaType.choices)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    head_name = models.CharField("户主姓名", max_length=50, blank=True, help_text="由成员信息自动填写")
    created = models.DateTimeField("登记时间", auto_now_add=True)
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "家庭"
        indexes = [
            pattern_index("region_code", "household_region_like"),
            models.Index(fields=["region_code", "id"], name="household_region_id"),
        ]

    def __str__(self):
        return f"{self.head_name or '家庭'}（{self.pk}）"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    GRANDPARENT = "grandparent", "祖父母"
    SIBLING = "sibling", "兄弟姐妹"
    OTHER = "other", "其他"


class DisabilityType(models.TextChoices):
    NONE = "", "无"
    VISUAL = "visual", "视力残疾"
    HEARING = "hearing", "听力残疾"
    SPEECH = "speech", "言语残疾"
    PHYSICAL = "physical", "肢体残疾"
    INTELLECTUAL = "intellectual", "智力残疾"
    MENTAL = "mental", "精神残疾"
    MULTIPLE = "multiple", "多重残疾"


class Employment(models.TextChoices):
    EMPLOYED = "employed", "就业"
    FLEXIBLE = "flexible", "灵活就业"
    FARMING = "farming", "务农"
    UNEMPLOYED = "unemployed", "失业"
    UNABLE = "unable", "无劳动能力"
    RETIRED = "retired", "退休"
    STUDENT = "student", "在校"
    CHILD = "child", "学龄前"


class Member(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members", verbose_name="家庭")
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("公民身份号码", max_length=18, unique=True, validators=[validate_id_number])
    relation = models.CharField("与户主关系", max_length=12, choices=Relation.choices)
    birth_date = models.DateField("出生日期", editable=False)
    sex = models.CharField("性别", max_length=1, choices=[("M", "男"), ("F", "女")], editable=False)
    disability_type = models.CharField("残疾类别", max_length=12, choices=DisabilityType.choices, blank=True, default="")
    disability_grade = models.PositiveSmallIntegerField("残疾等级", null=True, blank=True, choices=[(i, f"{i}级") for i in range(1, 5)])
    serious_illness = models.BooleanField("重病", default=False)
    employment = models.CharField("就业状况", max_length=12, choices=Employment.choices, default=Employment.UNEMPLOYED)
    in_school = models.BooleanField("在校学生", default=False)
    # A member who died or moved the hukou out stays on record; the rules no longer count them.
    died_on = models.DateField("死亡日期", null=True, blank=True)
    left_on = models.DateField("户籍迁出日期", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "家庭成员"
        ordering = ["household_id", "id"]
        # Search by name prefix (workflows.core.search); the reversed-ID index is PostgreSQL
        # only (an expression with an operator class), in migration 0003.
        indexes = [pattern_index("name", "member_name_like")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .validators import birth_date_of, sex_of

        self.id_number = self.id_number.strip().upper()
        self.birth_date = birth_date_of(self.id_number)
        self.sex = sex_of(self.id_number)
        super().save(*args, **kwargs)

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    def age_on(self, day: date) -> int:
        b = self.birth_date
        return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


def mask_id(id_number: str) -> str:
    """3401**********123X: DESIGN §4.7, lists never show a full ID number."""
    if len(id_number) < 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


# An income of more than a million yuan a month is a typing error, not a household in need.
MAX_MONTHLY_AMOUNT = Decimal("1000000")
amount_validators = [MinValueValidator(Decimal("0"), "金额不能为负数"), MaxValueValidator(MAX_MONTHLY_AMOUNT, "金额超过每月100万元，请核实")]


class IncomeKind(models.TextChoices):
    WAGE = "wage", "工资性收入"
    BUSINESS = "business", "经营净收入"
    PROPERTY = "property", "财产净收入"
    TRANSFER = "transfer", "转移净收入"
    PENSION_BASIC = "pension_basic", "城乡居民基本养老保险基础养老金"
    ALLOWANCE = "allowance", "优待抚恤金"
    FAMILY_PLANNING = "family_planning", "计划生育奖励与扶助金"
    AWARD = "award", "奖学金、见义勇为奖励"
    ASSISTANCE = "assistance", "政府救助金"
    SUPPORT = "support", "赡养（抚养、扶养）费"
    OTHER = "other", "其他收入"


class IncomeItem(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="incomes", verbose_name="家庭")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE, related_name="incomes", verbose_name="成员")
    kind = models.CharField("收入类别", max_length=20, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField("月收入（元）", max_digits=12, decimal_places=2, validators=amount_validators)
    exempt = models.BooleanField("按规定不计入", default=False, editable=False)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "收入"

    def save(self, *args, **kwargs):
        from workflows.policy.rules import EXEMPT_INCOME_KINDS

        self.exempt = self.kind in EXEMPT_INCOME_KINDS
        super().save(*args, **kwargs)


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", "存款"
    HOUSE = "house", "房产"
    VEHICLE = "vehicle", "机动车"
    SECURITIES = "securities", "有价证券"
    BUSINESS = "business", "经营性资产"
    OTHER = "other", "其他"


class Asset(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="assets", verbose_name="家庭")
    kind = models.CharField("财产类别", max_length=12, choices=AssetKind.choices)
    description = models.CharField("描述", max_length=200, blank=True)
    value = models.DecimalField("价值（元）", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"), "金额不能为负数")])
    # Local property limits leave out the house the household lives in and a vehicle needed for
    # a disability or for work (最低生活保障审核确认办法; local rules).
    exempt_use = models.BooleanField(
        "自住住房或残疾、生产必需车辆", default=False, help_text="勾选后不计入财产限额（唯一自住住房；残疾人功能性补偿代步车或生产经营必需车辆）"
    )

    class Meta:
        verbose_name = verbose_name_plural = "财产"


class RigidCostKind(models.TextChoices):
    MEDICAL = "medical", "自付医疗费用"
    DISABILITY_CARE = "disability_care", "残疾康复护理费用"


class RigidCost(models.Model):
    """A monthly rigid cost of illness or disability (最低生活保障审核确认办法: deducted as local
    rules allow, up to the standard's cap)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="rigid_costs", verbose_name="家庭")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.CASCADE, related_name="rigid_costs", verbose_name="成员")
    kind = models.CharField("支出类别", max_length=16, choices=RigidCostKind.choices)
    monthly_amount = models.DecimalField("月支出（元）", max_digits=12, decimal_places=2, validators=amount_validators)
    note = models.CharField("说明（票据、病种等）", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "刚性支出"


class SupportDuty(models.TextChoices):
    ELDER = "elder", "赡养"
    CHILD = "child", "抚养"
    SPOUSE = "spouse", "扶养"


class Supporter(models.Model):
    """A person outside the household with a legal duty to support a member (特困人员认定办法);
    whether they are able to is judged against the standard's ability line."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="supporters", verbose_name="家庭")
    name = models.CharField("义务人姓名", max_length=50)
    duty = models.CharField("义务类别", max_length=8, choices=SupportDuty.choices)
    relation = models.CharField("与被供养人关系", max_length=30, blank=True)
    monthly_income = models.DecimalField("月收入（元）", max_digits=12, decimal_places=2, validators=amount_validators)
    unable = models.BooleanField("经调查认定无履行能力", default=False, help_text="如义务人本人为低保、特困对象或重度残疾人")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "法定义务人"


class BankAccount(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="bank_accounts", verbose_name="家庭")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.SET_NULL, verbose_name="持卡人")
    account_name = models.CharField("户名", max_length=50)
    card_number = models.CharField("卡号", max_length=19, validators=[validate_bank_card])
    bank_name = models.CharField("开户银行", max_length=60)
    active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "银行账户"

    @property
    def masked_card(self) -> str:
        return self.card_number[:4] + " **** **** " + self.card_number[-4:]


class BeneficiaryKind(models.TextChoices):
    DIBAO = "dibao", "最低生活保障"
    TEKUN_CONCENTRATED = "tekun_concentrated", "特困人员（集中供养）"
    TEKUN_DISPERSED = "tekun_dispersed", "特困人员（分散供养）"
    MARGINAL = "marginal", "低保边缘家庭"
    SINGLE_PERSON = "single_person", "单人户低保"


class BeneficiaryState(models.TextChoices):
    ACTIVE = "active", "在保"
    SUSPENDED = "suspended", "暂停"
    GRADUAL_EXIT = "gradual_exit", "渐退期"
    EXITED = "exited", "已退出"
    TERMINATED = "terminated", "已终止"


class Beneficiary(RegionCoded, ConcurrentTransitionMixin, models.Model):
    """An enrolled household (or person, for tekun and single-person cases)."""

    region_code_from = "household.region_code"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="beneficiaries", verbose_name="家庭")
    member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, verbose_name="保障对象（单人）")
    kind = models.CharField("保障类别", max_length=20, choices=BeneficiaryKind.choices)
    monthly_amount = models.DecimalField("月保障金（元）", max_digits=10, decimal_places=2, validators=amount_validators)
    covered_members = models.PositiveSmallIntegerField("保障人数", default=1)
    first_paid_month = models.DateField("首次发放月份", help_text="每月1日表示该月")
    state = FSMField("状态", default=BeneficiaryState.ACTIVE, choices=BeneficiaryState.choices, protected=True)
    gradual_exit_until = models.DateField("渐退期截止月份", null=True, blank=True)
    # The county's rule when the exit was decided: each month's amount falls by equal steps.
    gradual_exit_months = models.PositiveSmallIntegerField("渐退期（月）", null=True, blank=True)
    gradual_exit_step_down = models.BooleanField("渐退期逐月递减", default=False)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    # The last month paid of a stopped benefit: no payment from the month after the decision
    # (or, after a death, after the death's month).
    paid_until = models.DateField("末次发放月份", null=True, blank=True, help_text="每月1日表示该月")
    # An amount decided at a recheck is paid from the month after the decision.
    next_amount = models.DecimalField("调整后月保障金（元）", max_digits=10, decimal_places=2, null=True, blank=True, validators=amount_validators)
    next_amount_from = models.DateField("调整起始月份", null=True, blank=True)
    last_rechecked_on = models.DateField("上次复核日期", null=True, blank=True)
    next_recheck_on = models.DateField("下次复核日期", null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "保障对象"
        indexes = [
            pattern_index("region_code", "beneficiary_region_like"),
            models.Index(fields=["state", "region_code"], name="beneficiary_state_region"),
            models.Index(fields=["next_recheck_on", "state"], name="beneficiary_recheck_due"),
        ]

    def __str__(self):
        return f"{self.household} · {self.get_kind_display()}"

    # Transitions are called only from services (DESIGN §3).
    @transition(field=state, source=BeneficiaryState.ACTIVE, target=BeneficiaryState.GRADUAL_EXIT)
    def start_gradual_exit(self, until: date, months: int | None = None, step_down: bool = False):
        """M2: income rose above the standard; benefit continues until `until`."""
        self.gradual_exit_until = until
        self.gradual_exit_months, self.gradual_exit_step_down = months, step_down

    @transition(field=state, source=BeneficiaryState.GRADUAL_EXIT, target=BeneficiaryState.EXITED)
    def finish_gradual_exit(self):
        self.end_reason = "渐退期届满"

    @transition(field=state, source=BeneficiaryState.ACTIVE, target=BeneficiaryState.SUSPENDED)
    def suspend(self, reason: str):
        self.end_reason = reason

    @transition(field=state, source=BeneficiaryState.SUSPENDED, target=BeneficiaryState.ACTIVE)
    def resume(self):
        self.end_reason = ""

    @transition(field=state, source="*", target=BeneficiaryState.TERMINATED, conditions=[lambda b: b.state != BeneficiaryState.TERMINATED])  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    def terminate(self, reason: str, last_paid_month: date | None = None):
        if not reason or not reason.strip():
            raise ValueError("终止保障必须说明原因")
        self.end_reason = reason
        self.paid_until = last_paid_month

    def amount_for(self, month: date) -> Decimal:
        """The monthly amount paid for ``month``: a decided change counts from its month; in a
        stepped-down gradual exit, that month's step (``recheck.exit_amounts``)."""
        if self.next_amount is not None and self.next_amount_from is not None and self.next_amount_from <= month:
            return self.next_amount
        if self.gradual_exit_step_down and self.gradual_exit_until is not None and self.gradual_exit_months:
            left = months_between(month, self.gradual_exit_until)
            if 0 <= left < self.gradual_exit_months:
                return exit_amounts(self.monthly_amount, self.gradual_exit_months, step_down=True)[self.gradual_exit_months - 1 - left]
        return self.monthly_amount


class OverpaymentPlan(models.TextChoices):
    DEDUCT = "deduct", "从以后发放的保障金中扣减"
    REPAY = "repay", "由家庭退还"
    WRITE_OFF = "write_off", "核销（县民政负责人批准）"


class OverpaymentState(models.TextChoices):
    OPEN = "open", "追回中"
    RECOVERED = "recovered", "已追回"
    WRITTEN_OFF = "written_off", "已核销"


class Overpayment(RegionCoded, models.Model):
    """Months paid after an event that ended (or reduced) eligibility: a death reported late,
    income hidden (社会救助暂行办法 art 68: recover). Recovered by deduction from later
    payments up to a share of each, by repayment, or written off by the county head."""

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="overpayments", verbose_name="保障对象")
    region_code_from = "beneficiary.region_code"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    cause = models.CharField("原因", max_length=300)
    first_month = models.DateField("多发起始月份")
    last_month = models.DateField("多发截止月份")
    months = models.PositiveSmallIntegerField("多发月数")
    amount = models.DecimalField("多发金额（元）", max_digits=12, decimal_places=2, validators=amount_validators)
    plan = models.CharField("追回方式", max_length=10, choices=OverpaymentPlan.choices)
    deduct_share = models.DecimalField("每月扣减比例上限", max_digits=3, decimal_places=2, default=Decimal("0.30"))
    recovered = models.DecimalField("已追回（元）", max_digits=12, decimal_places=2, default=Decimal("0"))
    state = models.CharField("状态", max_length=12, choices=OverpaymentState.choices, default=OverpaymentState.OPEN)
    source = models.CharField("来源", max_length=100, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="核销人")
    close_reason = models.CharField("核销理由", max_length=300, blank=True)
    created = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "多发保障金"
        constraints = [
            models.CheckConstraint(condition=Q(recovered__gte=0) & Q(recovered__lte=F("amount")), name="overpayment_recovered_within_amount"),
        ]

    def __str__(self):
        return f"{self.beneficiary.household.head_name}家庭多发{self.months}个月 {self.amount}元"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.recovered


class HomeVisit(models.Model):
    """入户调查 by two investigators (最低生活保障审核确认办法): an application's, or a recheck's.
    The checks of a visit are ``services.check_visit``."""

    investigator_1 = models.CharField("调查人一", max_length=50)
    investigator_2 = models.CharField("调查人二", max_length=50)
    visited_on = models.DateField("入户日期")
    living_conditions = models.TextField("家庭生活状况")
    findings = models.TextField("调查结论")
    # 特困人员认定办法: the six-activity self-care assessment ({activity: able}) and its level.
    self_care = models.JSONField("生活自理能力评估", default=dict, blank=True)
    self_care_level = models.CharField("生活自理能力", max_length=8, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Recusal(models.Model):
    """A record one staff member must not see (信访工作条例 art 28: who has an interest in the
    matter withdraws; arts 29–30: an accusation is never shown to the accused). ``scoped()``
    leaves these records out for that user on every model that declares ``recusable = True``,
    and the engine leaves out the tasks of a recused process: the record answers 404 to them
    as if it were outside their regions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recusals", verbose_name="回避人员")
    # The model's label ("petitions.Petition", "engine.CaseProcess", "documents.Notice").
    record_type = models.CharField("记录类型", max_length=64)
    record_id = models.PositiveBigIntegerField("记录编号")
    reason = models.CharField("回避原因", max_length=200)
    created = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "回避与保密"
        constraints = [models.UniqueConstraint(fields=["user", "record_type", "record_id"], name="recusal_once")]


class AuditLog(models.Model):
    """Who saw or changed which personal record, when (DESIGN §4.7). Never edited."""

    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, verbose_name="用户")
    action = models.CharField("操作", max_length=32)
    object_type = models.CharField("对象类型", max_length=32)
    object_id = models.CharField("对象编号", max_length=40)
    region_code = models.CharField("区划代码", max_length=12, blank=True)
    detail = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]


class Assessment(models.Model):
    """A household's computed standing under the rules on a day (the output of policy.assess)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="assessments", verbose_name="家庭")
    computed_at = models.DateTimeField("计算时间", auto_now_add=True)
    standard = models.ForeignKey("policy.Standard", on_delete=models.PROTECT, verbose_name="适用标准")
    per_capita_income = models.DecimalField("人均月收入（元）", max_digits=12, decimal_places=2)
    dibao_eligible = models.BooleanField("符合低保条件")
    marginal = models.BooleanField("低保边缘家庭")
    dibao_amount = models.DecimalField("测算月保障金（元）", max_digits=12, decimal_places=2)
    steps = models.JSONField("计算过程", default=list)

    class Meta:
        verbose_name = verbose_name_plural = "家庭经济状况测算"
        ordering = ["-computed_at", "-id"]
        get_latest_by = "computed_at"
