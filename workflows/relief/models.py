"""Interim relief (先行临时救助, M6): the township reserve fund, its ledger, emergency periods
and the relief case with its process."""

import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.application.models import Application
from workflows.core import regions
from workflows.core.models import Household, Member, RegionCoded
from workflows.core.validators import validate_not_before
from workflows.engine.models import CaseProcess
from workflows.policy.relief import above_interim_cap

positive_amount = [MinValueValidator(Decimal("0.01"), "金额应大于0")]


class ReserveFund(RegionCoded, models.Model):
    """乡镇临时救助备用金 (M6). The balance can never go negative: the database refuses it."""

    township = models.OneToOneField("core.Region", on_delete=models.PROTECT, primary_key=True, verbose_name="乡镇（街道）")
    region_code_from = "township_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    balance = models.DecimalField("余额（元）", max_digits=14, decimal_places=2, default=Decimal("0"))
    updated = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "乡镇临时救助备用金"
        constraints = [models.CheckConstraint(condition=Q(balance__gte=0), name="reservefund_balance_not_negative")]

    def __str__(self):
        return f"{self.township.name}临时救助备用金"


class FundEntryKind(models.TextChoices):
    TOP_UP = "top_up", "拨入"
    PAYMENT = "payment", "支付"


class FundEntry(models.Model):
    """One movement of the reserve fund. Append-only: a wrong entry is corrected by a new one."""

    fund = models.ForeignKey(ReserveFund, on_delete=models.PROTECT, related_name="entries", verbose_name="备用金")
    amount = models.DecimalField("金额（元，支出为负）", max_digits=14, decimal_places=2)
    kind = models.CharField("类别", max_length=10, choices=FundEntryKind.choices)
    reference = models.CharField("依据（拨款文号 / 决定书文号）", max_length=100)
    relief = models.ForeignKey("ReliefCase", null=True, blank=True, on_delete=models.PROTECT, related_name="fund_entries", verbose_name="临时救助")
    balance_after = models.DecimalField("变动后余额（元）", max_digits=14, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="经办人")
    created = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "备用金台账"
        ordering = ["fund_id", "created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=FundEntryKind.TOP_UP, amount__gt=0, relief__isnull=True) | Q(kind=FundEntryKind.PAYMENT, amount__lt=0, relief__isnull=False),
                name="fundentry_sign_matches_kind",
            ),
            # DESIGN §4.5, nothing is paid twice: one payment per relief case, ever.
            models.UniqueConstraint(fields=["relief"], condition=Q(kind=FundEntryKind.PAYMENT), name="fundentry_one_payment_per_case"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("备用金台账只能追加，不能修改")
        super().save(*args, **kwargs)


class EmergencyPeriod(RegionCoded, models.Model):
    """M6: during an epidemic or disaster the hukou and residence restrictions are lifted and
    the place where the emergency happened handles the relief."""

    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, verbose_name="区域（县或乡镇）", limit_choices_to={"level__in": [regions.LEVEL_COUNTY, regions.LEVEL_TOWNSHIP]}
    )
    region_code_from = "region_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    starts = models.DateField("开始日期")
    ends = models.DateField("结束日期")
    reason = models.CharField("事由（疫情、灾情）", max_length=100)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "急难救助期（取消户籍地限制）"
        ordering = ["-starts"]
        constraints = [models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="emergencyperiod_ends_after_starts")]

    def __str__(self):
        return f"{self.region.name}{self.reason}（{self.starts:%Y-%m-%d}至{self.ends:%Y-%m-%d}）"

    def clean(self):
        # The database constraint would name itself in the admin; say it in words first.
        validate_not_before(self.ends, self.starts, "结束日期", "开始日期", field="ends")

    @classmethod
    def covering(cls, township_code: str, day):
        """The period declared for this township or its county that includes `day` (届满 counts)."""
        codes = [regions.township_of(township_code), regions.county_of(township_code)]
        return cls.objects.filter(region_id__in=codes, starts__lte=day, ends__gte=day).order_by("starts").first()


class ReliefKind(models.TextChoices):
    EMERGENCY = "emergency", "急难型临时救助"
    EXPENDITURE = "expenditure", "支出型临时救助"


class PaymentMethod(models.TextChoices):
    ACCOUNT = "account", "发放至本人社会保障卡（“一卡通”）账户"
    CASH = "cash", "现金当场发放"


class ReliefState(models.TextChoices):
    PROPOSED = "proposed", "已提出"
    REPORTED = "reported", "乡镇已审核，待县级审批"
    APPROVED = "approved", "已审批，待支付"
    PAID = "paid", "已支付，待补办手续"
    DOCUMENTED = "documented", "已办结"
    REFUSED = "refused", "县级不予批准"


def event_key(reason: str) -> str:
    """What identifies one hardship event of a household: the facts as the clerk recorded them,
    whitespace aside (Chinese text has none that matters). The same facts posted again (a double click, a retried request) are the
    same event, and one event is paid once."""
    return hashlib.sha256("".join(reason.split()).encode()).hexdigest()


class ReliefCase(ConcurrentTransitionMixin, models.Model):
    """One interim relief payment from the township reserve fund (M6).

    Small-amount-first: proposed → paid, then the principal's approval and the written
    explanation are recorded (in either order) → documented. Above the small-amount cap:
    proposed → approved → paid → explanation → documented. Above the interim cap the county
    decides (docs/policy.md "Temporary relief": not refused, decided by the county): proposed →
    reported (the principal's review) → approved by the county head → paid → explanation →
    documented, or → refused with the county's reason.
    """

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="relief_cases", verbose_name="家庭")
    person = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name="救助对象")
    # The handling township's scope: the household's own region, or during an emergency
    # period the township where the emergency happened (M6).
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    kind = models.CharField("救助类型", max_length=12, choices=ReliefKind.choices)
    reason = models.TextField("困难情形（事实）")
    event_key = models.CharField("困难事件标识", max_length=64, editable=False)
    amount = models.DecimalField("救助金额（元）", max_digits=10, decimal_places=2, validators=positive_amount)
    payment_method = models.CharField("发放方式", max_length=8, choices=PaymentMethod.choices, default=PaymentMethod.ACCOUNT)
    from_application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="relief_cases", verbose_name="申请期间先行救助"
    )
    emergency_period = models.ForeignKey(EmergencyPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="cases", verbose_name="急难救助期")
    # The caps in force when the case was proposed, kept so the task pages show the computation.
    dibao_standard = models.DecimalField("当地低保标准（元/人·月）", max_digits=8, decimal_places=2)
    interim_cap = models.DecimalField("临时救助单次上限（元）", max_digits=10, decimal_places=2)
    cap_multiplier = models.DecimalField("临时救助单次上限（低保标准倍数）", max_digits=5, decimal_places=2, null=True, blank=True)
    small_amount_cap = models.DecimalField("小金额先行救助上限（元）", max_digits=10, decimal_places=2)
    small_amount_first = models.BooleanField("小金额先行救助")
    state = FSMField("状态", default=ReliefState.PROPOSED, choices=ReliefState.choices, protected=True)
    proposed_on = models.DateField("提出日期")
    paid_on = models.DateField("支付日期", null=True, blank=True)
    approval_due = models.DateField("审批期限", null=True, blank=True)
    approved_on = models.DateField("审批日期", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="审批人")
    county_decided_on = models.DateField("县级审批日期", null=True, blank=True)
    county_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="县级审批人"
    )
    refusal_reason = models.TextField("县级不予批准理由", blank=True)
    explanation_due = models.DateField("补充说明期限", null=True, blank=True)
    explanation = models.TextField("事后补充说明", blank=True)
    explained_on = models.DateField("补充说明日期", null=True, blank=True)
    notice = models.OneToOneField("documents.Notice", null=True, blank=True, on_delete=models.PROTECT, verbose_name="临时救助决定书")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="经办人")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "临时救助"
        indexes = [models.Index(fields=["region_code", "state"], name="relief_region_state")]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="relief_amount_positive"),
            # DESIGN §4.5, nothing is paid twice: one case (so one payment) per household and event.
            # A case the county refused is never paid, so the township may propose the event
            # again (within its own cap).
            models.UniqueConstraint(fields=["household", "event_key"], condition=~Q(state=ReliefState.REFUSED), name="relief_one_case_per_household_event"),
        ]

    def __str__(self):
        return f"{self.person.name} {self.get_kind_display()} {self.amount}元"

    @property
    def township_code(self) -> str:
        return regions.township_of(self.region_code)

    @property
    def above_cap(self) -> bool:
        """Above the interim cap the county decides; "以内" includes the cap itself."""
        return above_interim_cap(self.amount, self.interim_cap)

    @property
    def above_cap_by(self) -> Decimal:
        return self.amount - self.interim_cap

    # Transitions are called only from services.
    @transition(field=state, source=ReliefState.PROPOSED, target=ReliefState.APPROVED, conditions=[lambda c: not c.small_amount_first and not c.above_cap])  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    def approve_before_payment(self, user, day):
        self.approved_by, self.approved_on = user, day

    @transition(field=state, source=ReliefState.PROPOSED, target=ReliefState.REPORTED, conditions=[lambda c: c.above_cap])  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    def report_to_county(self, user, day):
        """Above the interim cap the principal's approval is the township's review, reported to the county."""
        self.approved_by, self.approved_on = user, day

    @transition(field=state, source=ReliefState.REPORTED, target=ReliefState.APPROVED)
    def county_approve(self, user, day):
        self.county_decided_by, self.county_decided_on = user, day

    @transition(field=state, source=ReliefState.REPORTED, target=ReliefState.REFUSED)
    def county_refuse(self, user, day, reason: str):
        self.county_decided_by, self.county_decided_on, self.refusal_reason = user, day, reason

    @transition(field=state, source=ReliefState.PAID, target=ReliefState.PAID, conditions=[lambda c: c.approved_on is None])  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    def approve_after_payment(self, user, day):
        """Small-amount-first: the principal's approval follows the payment (M6)."""
        self.approved_by, self.approved_on = user, day

    @transition(
        field=state,
        source=[ReliefState.PROPOSED, ReliefState.APPROVED],
        target=ReliefState.PAID,
        conditions=[lambda c: c.small_amount_first or (c.approved_on is not None and (not c.above_cap or c.county_decided_on is not None))],  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    )
    def pay(self, day, explanation_due, approval_due=None):
        self.paid_on, self.explanation_due = day, explanation_due
        self.approval_due = approval_due or self.approval_due

    @transition(field=state, source=ReliefState.PAID, target=ReliefState.PAID, conditions=[lambda c: c.explained_on is None])  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    def file_explanation(self, text: str, day):
        """事后补充说明 (M6)."""
        self.explanation, self.explained_on = text, day

    @transition(
        field=state,
        source=ReliefState.PAID,
        target=ReliefState.DOCUMENTED,
        conditions=[lambda c: c.approved_on is not None and c.explained_on is not None],  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    )
    def close(self):
        pass


class ReliefProcess(CaseProcess):
    relief: "models.OneToOneField[ReliefCase | None, ReliefCase | None]" = models.OneToOneField(
        ReliefCase, null=True, on_delete=models.PROTECT, verbose_name="临时救助"
    )

    class Meta:
        verbose_name = verbose_name_plural = "先行临时救助流程"
        permissions = [
            ("propose_relief", "可提出先行临时救助（经办、补充说明）"),
            ("approve_relief", "可审批临时救助（签发决定书）"),
            ("decide_above_cap", "可审批超过单次上限的临时救助（县级，签发决定书）"),
        ]
