"""The monthly payment cycle (资金发放, M10) and price-subsidy figures (M9).

A PaymentCycle per county and month carries the one true state of the month's payment
(DESIGN §4.1); RosterLine is one payment to one beneficiary, unique per cycle, beneficiary
and kind (DESIGN §4.5: nothing is paid twice, the database refuses a second line).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.core.models import BankAccount, BeneficiaryKind, RegionCoded, mask_id, pattern_index
from workflows.engine.models import CaseProcess
from workflows.policy import subsidy


class CycleState(models.TextChoices):
    OPEN = "open", "已开启"
    ROSTER_BUILT = "roster_built", "花名册已生成"
    ROSTER_SUBMITTED = "roster_submitted", "花名册已报送"
    FUNDS_ALLOCATED = "funds_allocated", "资金已拨付"
    DISBURSING = "disbursing", "银行发放中"
    RECONCILED = "reconciled", "已对账"
    CLOSED = "closed", "已办结"


# States in which the roster may still be (re)built: once submitted to finance it is final.
BUILDABLE = [CycleState.OPEN, CycleState.ROSTER_BUILT]


class PaymentCycle(RegionCoded, ConcurrentTransitionMixin, models.Model):
    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, verbose_name="县（区）")
    region_code_from = "county_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    month = models.DateField("发放月份", help_text="每月1日表示该月")
    state = FSMField("状态", default=CycleState.OPEN, choices=CycleState.choices, protected=True)
    # M10 deadlines of the month (payment_deadlines), frozen when the cycle opens.
    roster_due = models.DateField("花名册报送期限")
    funds_due = models.DateField("资金拨付期限")
    bank_due = models.DateField("银行发放期限")
    line_count = models.PositiveIntegerField("发放笔数", default=0)
    total_amount = models.DecimalField("发放总额（元）", max_digits=16, decimal_places=2, default=Decimal("0"))
    built_at = models.DateTimeField("生成时间", null=True, blank=True)
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    allocated_on = models.DateField("拨付日期", null=True, blank=True)
    allocation_reference = models.CharField("拨款文号", max_length=100, blank=True)
    paid_amount = models.DecimalField("发放成功金额（元）", max_digits=16, decimal_places=2, default=Decimal("0"))
    failed_amount = models.DecimalField("发放失败金额（元）", max_digits=16, decimal_places=2, default=Decimal("0"))
    closed_on = models.DateField("办结日期", null=True, blank=True)
    roster_notice = models.OneToOneField("documents.Notice", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="发放花名册")
    report_notice = models.OneToOneField("documents.Notice", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="发放报告")

    class Meta:
        verbose_name = verbose_name_plural = "资金发放批次"
        ordering = ["-month", "region_code"]
        constraints = [models.UniqueConstraint(fields=["county", "month"], name="paymentcycle_one_per_county_month")]
        indexes = [pattern_index("region_code", "paymentcycle_region_like")]

    def __str__(self):
        return f"{self.county.name}{self.month:%Y年%-m月}资金发放"

    @property
    def batch(self) -> str:
        """批次号 printed on every bank-file line: "340121-202605"."""
        return f"{self.county_id[:6]}-{self.month:%Y%m}"

    # Transitions are called only from services (DESIGN §3). No transition leaves CLOSED.
    @transition(field=state, source=BUILDABLE, target=CycleState.ROSTER_BUILT)
    def mark_built(self, line_count: int, total: Decimal, at):
        self.line_count, self.total_amount, self.built_at = line_count, total, at

    @transition(field=state, source=CycleState.ROSTER_BUILT, target=CycleState.ROSTER_SUBMITTED)
    def submit(self, day):
        self.submitted_on = day

    @transition(field=state, source=CycleState.ROSTER_SUBMITTED, target=CycleState.FUNDS_ALLOCATED)
    def allocate(self, day, reference: str):
        self.allocated_on, self.allocation_reference = day, reference

    @transition(field=state, source=CycleState.FUNDS_ALLOCATED, target=CycleState.DISBURSING)
    def start_disbursing(self):
        pass

    @transition(field=state, source=CycleState.DISBURSING, target=CycleState.RECONCILED)
    def reconcile(self, paid: Decimal, failed: Decimal):
        self.paid_amount, self.failed_amount = paid, failed

    @transition(field=state, source=CycleState.RECONCILED, target=CycleState.CLOSED)
    def close(self, day):
        self.closed_on = day


class LineKind(models.TextChoices):
    DIBAO = BeneficiaryKind.DIBAO.value, BeneficiaryKind.DIBAO.label
    TEKUN_CONCENTRATED = BeneficiaryKind.TEKUN_CONCENTRATED.value, BeneficiaryKind.TEKUN_CONCENTRATED.label
    TEKUN_DISPERSED = BeneficiaryKind.TEKUN_DISPERSED.value, BeneficiaryKind.TEKUN_DISPERSED.label
    MARGINAL = BeneficiaryKind.MARGINAL.value, BeneficiaryKind.MARGINAL.label
    SINGLE_PERSON = BeneficiaryKind.SINGLE_PERSON.value, BeneficiaryKind.SINGLE_PERSON.label
    PRICE_SUBSIDY = "price_subsidy", "价格临时补贴"
    # What an earlier cycle failed to pay (wrong account ...), paid again in this one.
    ARREARS = "arrears", "补发（上期发放失败）"
    # What this cycle's benefit line of the same beneficiary keeps back of an overpayment: a
    # record (amount 0, not sent to the bank); its benefit line is paid the rest.
    RECOVERY = "recovery", "扣减追回多发保障金"


class LineStatus(models.TextChoices):
    PENDING = "pending", "待发放"
    PAID = "paid", "已到账"
    FAILED = "failed", "发放失败"


class RosterLine(models.Model):
    cycle = models.ForeignKey(PaymentCycle, on_delete=models.CASCADE, related_name="lines", verbose_name="发放批次")
    beneficiary = models.ForeignKey("core.Beneficiary", on_delete=models.PROTECT, related_name="+", verbose_name="保障对象")
    kind = models.CharField("类别", max_length=20, choices=LineKind.choices)
    region_code = models.CharField("区划代码", max_length=12)
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("公民身份号码", max_length=18)
    covered_members = models.PositiveSmallIntegerField("人数")
    gross_amount = models.DecimalField("应发金额（元）", max_digits=12, decimal_places=2)
    # Withheld from the benefit: by rosters built before interim relief stopped being deducted
    # (relief is given first, 先行给予, M6, never taken back), and since by an overpayment's
    # recovery (its RECOVERY line beside).
    offset_amount = models.DecimalField("扣减（元）", max_digits=12, decimal_places=2, default=Decimal("0"))
    # A RECOVERY line: the overpayment it recovers.
    overpayment = models.ForeignKey("core.Overpayment", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="多发保障金")
    amount = models.DecimalField("实发金额（元）", max_digits=12, decimal_places=2)
    # Account snapshot at build time: later edits of the registry do not change a sent file.
    account_name = models.CharField("户名", max_length=50, blank=True)
    card_number = models.CharField("卡号", max_length=19, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    reference = models.CharField("参考号", max_length=40)
    status = models.CharField("发放结果", max_length=8, choices=LineStatus.choices, default=LineStatus.PENDING)
    fail_reason = models.CharField("失败原因", max_length=200, blank=True)
    # A failed line is paid again (as ARREARS) by exactly one later cycle.
    carried_to = models.ForeignKey(PaymentCycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_lines", verbose_name="补发批次")

    class Meta:
        verbose_name = verbose_name_plural = "花名册明细"
        ordering = ["region_code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "beneficiary", "kind"], name="rosterline_one_per_cycle_beneficiary_kind"),
            models.UniqueConstraint(fields=["cycle", "reference"], name="rosterline_reference_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rosterline_amount_not_negative"),
        ]
        indexes = [models.Index(fields=["cycle", "status"], name="rosterline_cycle_status")]

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number)

    @property
    def masked_card(self) -> str:
        return self.card_number[:4] + " **** **** " + self.card_number[-4:] if self.card_number else "（无有效账户）"


class BankResultImport(models.Model):
    """One imported bank result file. Its SHA-256 makes a second upload of the same file a no-op."""

    cycle = models.ForeignKey(PaymentCycle, on_delete=models.PROTECT, related_name="imports", verbose_name="发放批次")
    sha256 = models.CharField("文件SHA-256", max_length=64)
    filename = models.CharField("文件名", max_length=200)
    paid_count = models.PositiveIntegerField("成功笔数")
    failed_count = models.PositiveIntegerField("失败笔数")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "银行发放结果文件"
        constraints = [models.UniqueConstraint(fields=["cycle", "sha256"], name="bankresult_once_per_file")]


class CpiFigure(models.Model):
    """A city's monthly price figures, year on year in % (M9)."""

    city = models.ForeignKey("core.Region", on_delete=models.PROTECT, limit_choices_to={"level": "city"}, verbose_name="市")
    month = models.DateField("月份", help_text="每月1日表示该月")
    cpi_yoy = models.DecimalField("居民消费价格指数同比涨幅（%）", max_digits=5, decimal_places=2)
    food_cpi_yoy = models.DecimalField("食品价格指数同比涨幅（%）", max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = "价格指数（CPI）"
        ordering = ["-month", "city_id"]
        constraints = [models.UniqueConstraint(fields=["city", "month"], name="cpi_one_per_city_month")]


class SubsidyFormula(models.TextChoices):
    STANDARD_X_RISE = subsidy.STANDARD_X_RISE, subsidy.FORMULAS[subsidy.STANDARD_X_RISE]
    FIXED = subsidy.FIXED, subsidy.FORMULAS[subsidy.FIXED]


class SubsidyRule(models.Model):
    """A city's own price-subsidy rule for a period (M9, 发改价格〔2021〕1553号: decided at city
    level). Thresholds only lower than 3.5% / 6%, an amount formula, and the recipients widened
    where the city says so. A month takes the rule whose period covers its first day; with none,
    the defaults of 1553号. Periods of one city never overlap, and each rule names its source."""

    city = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "city"}, verbose_name="市")
    valid_from = models.DateField("执行日期", help_text="按月适用：某月1日在执行期间内的，该月按本规则发放")
    valid_to = models.DateField("截止日期", null=True, blank=True, help_text="阶段性调低启动条件等有期限的，填写截止日期；留空表示长期执行")
    cpi_threshold = models.DecimalField(
        "CPI启动条件（%）",
        max_digits=4,
        decimal_places=2,
        default=subsidy.CPI_THRESHOLD,
        help_text=f"居民消费价格指数单月同比涨幅达到即启动；只能调低，不高于{subsidy.CPI_THRESHOLD}%",
    )
    food_threshold = models.DecimalField(
        "食品价格启动条件（%）",
        max_digits=4,
        decimal_places=2,
        default=subsidy.FOOD_CPI_THRESHOLD,
        help_text=f"食品价格指数单月同比涨幅达到即启动；只能调低，不高于{subsidy.FOOD_CPI_THRESHOLD}%",
    )
    formula = models.CharField(
        "补贴计算方式",
        max_length=16,
        choices=SubsidyFormula.choices,
        default=SubsidyFormula.STANDARD_X_RISE,
        help_text="低保标准 × 涨幅：取整到元（四舍五入），两项同时达到的取高",
    )
    fixed_amount = models.DecimalField("固定补贴金额（元/人·月）", max_digits=8, decimal_places=2, null=True, blank=True, help_text="计算方式为固定金额时必填")
    minimum_amount = models.DecimalField(
        "最低补贴金额（元/人·月）", max_digits=8, decimal_places=2, null=True, blank=True, help_text="计算结果低于此数的按此数发放；留空表示不设最低"
    )
    include_marginal = models.BooleanField("低保边缘家庭纳入补贴范围", default=False, help_text="1553号：各地可结合实际扩大保障范围；按家庭成员人数发放")
    source = models.CharField("依据（文件名称及文号）", max_length=300)
    created = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "价格临时补贴规则（市定）"
        ordering = ["city_id", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["city", "valid_from"], name="subsidyrule_one_per_city_start"),
            models.CheckConstraint(condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")), name="subsidyrule_ends_after_start"),
            models.CheckConstraint(condition=Q(minimum_amount__isnull=True) | Q(minimum_amount__gte=0), name="subsidyrule_minimum_not_negative"),
            models.CheckConstraint(condition=~Q(formula=SubsidyFormula.FIXED) | Q(fixed_amount__gt=0), name="subsidyrule_fixed_has_amount"),
            models.CheckConstraint(
                condition=Q(
                    cpi_threshold__gt=0, cpi_threshold__lte=subsidy.CPI_THRESHOLD, food_threshold__gt=0, food_threshold__lte=subsidy.FOOD_CPI_THRESHOLD
                ),
                name="subsidyrule_thresholds_only_lowered",
            ),
        ]

    def __str__(self):
        until = f"{self.valid_to:%Y-%m-%d}" if self.valid_to else "长期"
        return f"{self.city}价格临时补贴规则（{self.valid_from:%Y-%m-%d}至{until}）"

    def clean(self):
        # The database constraints would name themselves in the admin; say it in words first.
        errors = subsidy.rule_errors(
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            cpi_threshold=self.cpi_threshold,
            food_threshold=self.food_threshold,
            formula=self.formula,
            fixed_amount=self.fixed_amount,
            minimum_amount=self.minimum_amount,
        )
        self.source = (self.source or "").strip()
        if not self.source:
            errors["source"] = "请填写依据：市政府或有关部门的文件名称及文号"
        if self.city_id and self.valid_from and "valid_to" not in errors:
            for other in SubsidyRule.objects.filter(city_id=self.city_id).exclude(pk=self.pk).order_by("valid_from"):
                if subsidy.overlaps(self.valid_from, self.valid_to, other.valid_from, other.valid_to):
                    errors["valid_from"] = (
                        f"与已有规则的执行期间重叠：{other.valid_from:%Y-%m-%d}至{f'{other.valid_to:%Y-%m-%d}' if other.valid_to else '长期'}（依据：{other.source}）；请先调整原规则的截止日期"
                    )
                    break
        if errors:
            raise ValidationError(errors)

    def values(self) -> subsidy.RuleValues:
        return subsidy.RuleValues(
            cpi_threshold=self.cpi_threshold,
            food_threshold=self.food_threshold,
            formula=self.formula,
            fixed_amount=self.fixed_amount,
            minimum_amount=self.minimum_amount,
            include_marginal=self.include_marginal,
            source=self.source,
        )

    @classmethod
    def in_force(cls, city_code: str, month) -> subsidy.RuleValues:
        """The rule whose period covers the month's first day; none: the defaults of 1553号."""
        first = month.replace(day=1)
        found = (
            cls.objects.filter(city_id=city_code, valid_from__lte=first)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=first))
            .order_by("-valid_from")
            .first()
        )
        return subsidy.DEFAULT_RULE if found is None else found.values()


class PaymentProcess(CaseProcess):
    cycle: "models.OneToOneField[PaymentCycle | None, PaymentCycle | None]" = models.OneToOneField(
        PaymentCycle, null=True, on_delete=models.PROTECT, verbose_name="发放批次"
    )

    class Meta:
        verbose_name = verbose_name_plural = "资金发放流程"
        permissions = [
            ("submit_roster", "可审核报送发放花名册（县民政）"),
            ("allocate_funds", "可确认资金拨付（县财政）"),
            ("upload_bank_result", "可下载银行发放文件、上传发放结果（代理金融机构）"),
            ("view_township_totals", "可查看本乡镇发放汇总"),
        ]


class AccountFixProcess(CaseProcess):
    """修正发放账户: one per roster line the bank failed to pay (M10: the failed amount is paid
    again by the next cycle, to the account the township corrects here)."""

    line: "models.OneToOneField[RosterLine | None, RosterLine | None]" = models.OneToOneField(
        RosterLine, null=True, on_delete=models.PROTECT, related_name="account_fix", verbose_name="发放失败明细"
    )
    account: "models.ForeignKey[BankAccount | None, BankAccount | None]" = models.ForeignKey(
        "core.BankAccount", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="修正后的账户"
    )

    class Meta:
        verbose_name = verbose_name_plural = "修正发放账户"
