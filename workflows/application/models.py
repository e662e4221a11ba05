"""Application to approval (M2, M8; 最低生活保障审核确认办法): the entity and its process."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.core.models import Assessment, Beneficiary, HomeVisit, Household, Member, RegionCoded, amount_validators
from workflows.engine.models import CaseProcess


class ApplicationKind(models.TextChoices):
    DIBAO = "dibao", "最低生活保障"
    TEKUN = "tekun", "特困人员救助供养"
    MARGINAL = "marginal", "低保边缘家庭"
    SINGLE_PERSON = "single_person", "单人户低保"


class Channel(models.TextChoices):
    WINDOW = "window", "窗口申请"
    ONLINE = "online", "网上申请"
    ON_BEHALF = "on_behalf", "主动发现代为申请"


class ApplicationState(models.TextChoices):
    FILED = "filed", "已申请"
    CORRECTION = "correction", "待补正"
    ACCEPTED = "accepted", "已受理，调查核对中"
    ASSESSED = "assessed", "已评估"
    PUBLICIZED = "publicized", "公示中"
    AWAITING_REVIEW = "awaiting_review", "待联审确认"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class Application(RegionCoded, ConcurrentTransitionMixin, models.Model):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="applications", verbose_name="家庭")
    applicant = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+", verbose_name="申请人")
    kind = models.CharField("申请类别", max_length=16, choices=ApplicationKind.choices)
    channel = models.CharField("申请渠道", max_length=12, choices=Channel.choices, default=Channel.WINDOW)
    region_code_from = "household.region_code"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    state = FSMField("状态", default=ApplicationState.FILED, choices=ApplicationState.choices, protected=True)
    filed_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    missing_items = models.JSONField("需补正材料", default=list, blank=True)
    # 单独登记备案: close relatives of caseworkers or village cadres are always spot-checked.
    staff_relative = models.BooleanField("近亲属备案", default=False)
    staff_relative_note = models.CharField("备案说明", max_length=200, blank=True)
    # 2022 notice: 20 working days where confirmation is delegated to the township.
    delegated = models.BooleanField("审核确认权下放乡镇", default=True)
    extension_reason = models.CharField("延长办理期限原因", max_length=200, blank=True)
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, verbose_name="经济状况测算")
    proposed_amount = models.DecimalField("拟保障金（元/月）", max_digits=10, decimal_places=2, null=True, blank=True, validators=amount_validators)
    amount_correction_reason = models.CharField("人工调整原因", max_length=300, blank=True)
    eligible = models.BooleanField("评估结论：符合条件", null=True)
    # The rules' reasons (one per rule that decided) and, for 特困, the two parts of the amount.
    outcome_reasons = models.JSONField("评估依据", default=list, blank=True)
    basic_amount = models.DecimalField("基本生活标准（元/月）", max_digits=10, decimal_places=2, null=True, blank=True)
    care_amount = models.DecimalField("照料护理标准（元/月）", max_digits=10, decimal_places=2, null=True, blank=True)
    self_care_level = models.CharField(
        "生活自理能力", max_length=8, blank=True, choices=[("full", "具备生活自理能力"), ("partial", "部分丧失生活自理能力"), ("lost", "完全丧失生活自理能力")]
    )
    # The clerk may find the property within the rules despite the local limits, in writing.
    property_override_reason = models.CharField("财产状况人工认定理由", max_length=300, blank=True)
    publicity_ends = models.DateField("公示截止日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_reason = models.TextField("决定理由", blank=True)
    beneficiary = models.OneToOneField(Beneficiary, null=True, blank=True, on_delete=models.PROTECT, verbose_name="保障对象")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="经办人")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "救助申请"
        indexes = [models.Index(fields=["region_code", "state"], name="application_region_state")]

    def __str__(self):
        return f"{self.household.head_name}家庭 {self.get_kind_display()}申请"

    # Transitions are called only from services.
    @transition(field=state, source=[ApplicationState.FILED, ApplicationState.CORRECTION], target=ApplicationState.CORRECTION)
    def request_correction(self, items: list[str]):
        self.missing_items = items

    @transition(field=state, source=[ApplicationState.FILED, ApplicationState.CORRECTION], target=ApplicationState.ACCEPTED)
    def accept(self, day):
        self.accepted_on = day
        self.missing_items = []

    @transition(field=state, source=ApplicationState.ACCEPTED, target=ApplicationState.ASSESSED)
    def record_assessment(self, assessment, eligible: bool, amount, correction_reason: str, outcome=None, property_override_reason: str = ""):
        self.assessment, self.eligible = assessment, eligible
        self.proposed_amount, self.amount_correction_reason = amount, correction_reason
        self.property_override_reason = property_override_reason
        if outcome is not None:
            self.outcome_reasons = list(outcome.reasons)
            self.basic_amount, self.care_amount, self.self_care_level = outcome.basic_amount, outcome.care_amount, outcome.self_care

    @transition(field=state, source=ApplicationState.ASSESSED, target=ApplicationState.PUBLICIZED)
    def publicize(self, ends):
        self.publicity_ends = ends

    @transition(field=state, source=ApplicationState.PUBLICIZED, target=ApplicationState.ACCEPTED)
    def reopen_investigation(self):
        """最低生活保障审核确认办法: an objection during 公示 re-opens the investigation."""

    @transition(field=state, source=ApplicationState.PUBLICIZED, target=ApplicationState.AWAITING_REVIEW)
    def close_publicity(self):
        pass

    @transition(field=state, source=ApplicationState.AWAITING_REVIEW, target=ApplicationState.APPROVED)
    def approve(self, day, reason: str):
        self.decided_on, self.decision_reason = day, reason

    @transition(field=state, source=ApplicationState.AWAITING_REVIEW, target=ApplicationState.REFUSED)
    def refuse(self, day, reason: str):
        self.decided_on, self.decision_reason = day, reason


class Investigation(HomeVisit):
    """入户调查 of an application: at least two investigators (最低生活保障审核确认办法)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="investigations")

    class Meta:
        verbose_name = verbose_name_plural = "入户调查"


class Verification(models.Model):
    """家庭经济状况核对: the result of the verification adapter."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="verifications")
    source = models.CharField("数据来源", max_length=60)
    monthly_income = models.DecimalField("核对月收入合计（元）", max_digits=12, decimal_places=2)
    assets_total = models.DecimalField("核对财产合计（元）", max_digits=14, decimal_places=2)
    # Assets by kind ({kind, value, exempt_use, description}): what the rules evaluate.
    assets = models.JSONField("核对财产明细", default=list)
    details = models.JSONField("核对明细", default=list)
    completed = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "经济状况核对"


class Objection(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    received_on = models.DateField("收到日期")
    raised_by = models.CharField("异议人", max_length=50, blank=True)
    content = models.TextField("异议内容")
    resolved = models.BooleanField("已处理", default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "公示异议"


class ApplicationProcess(CaseProcess):
    application: "models.OneToOneField[Application | None, Application | None]" = models.OneToOneField(
        Application, null=True, on_delete=models.PROTECT, verbose_name="申请"
    )

    class Meta:
        verbose_name = verbose_name_plural = "申请审核确认流程"
        permissions = [
            ("file_application", "可登记救助申请"),
            ("handle_application", "可办理救助申请（受理、调查、评估、公示）"),
        ]
