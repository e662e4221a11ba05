"""The county's spot check of township decisions (M8: not less than 30%, rejections included)."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.application.models import Application
from workflows.core.models import RegionCoded, amount_validators, pattern_index
from workflows.engine.models import CaseProcess
from workflows.policy import defaults
from workflows.policy.calendar import cn_date, cn_month, last_of_month


class SpotCheckState(models.TextChoices):
    OPEN = "open", "待抽取"
    DRAWN = "drawn", "已抽取，核查中"
    CHECKED = "checked", "核查整改完毕"
    REPORTED = "reported", "报告待签发"
    SIGNED = "signed", "报告已签发"


class SpotCheck(RegionCoded, ConcurrentTransitionMixin, models.Model):
    """One county's check of the cases its townships decided in a period."""

    county = models.ForeignKey("core.Region", on_delete=models.PROTECT, verbose_name="县（区）")
    region_code_from = "county_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    period_start = models.DateField("决定日期自")
    period_end = models.DateField("决定日期至")
    ratio = models.DecimalField("抽查比例", max_digits=3, decimal_places=2, default=defaults.SPOT_CHECK_RATIO)
    # Recorded so that anyone can redraw the sample from the same frame and verify it.
    seed = models.CharField("随机种子", max_length=64)
    frame_size = models.PositiveIntegerField("抽查范围（件）", default=0)
    state = FSMField("状态", default=SpotCheckState.OPEN, choices=SpotCheckState.choices, protected=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    sample_list = models.OneToOneField("documents.Notice", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="抽查名单")
    report = models.OneToOneField("documents.Notice", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="抽查报告")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "抽查"
        ordering = ["-period_start", "county_id"]
        constraints = [models.UniqueConstraint(fields=["county", "period_start", "period_end"], name="spotcheck_county_period_unique")]

    def __str__(self):
        return f"{self.county.name}{self.period_label}抽查"

    @property
    def period_label(self) -> str:
        start, end = self.period_start, self.period_end
        if start.day == 1 and end == last_of_month(start):
            return cn_month(start)
        return f"{cn_date(start)}至{cn_date(end)}"

    # Transitions are called only from services.
    @transition(field=state, source=SpotCheckState.OPEN, target=SpotCheckState.DRAWN)
    def record_draw(self, frame_size: int, at):
        self.frame_size, self.drawn_at = frame_size, at

    @transition(field=state, source=SpotCheckState.DRAWN, target=SpotCheckState.CHECKED)
    def mark_checked(self):
        pass

    @transition(field=state, source=SpotCheckState.CHECKED, target=SpotCheckState.REPORTED)
    def record_report(self, notice):
        self.report = notice

    @transition(field=state, source=SpotCheckState.REPORTED, target=SpotCheckState.SIGNED)
    def mark_signed(self):
        pass


class CheckResult(models.TextChoices):
    OK = "ok", "无问题"
    WRONGLY_INCLUDED = "wrongly_included", "错保"
    WRONGLY_EXCLUDED = "wrongly_excluded", "漏保"
    FAVOUR = "favour", "人情保"
    CONNECTION = "connection", "关系保"
    OTHER = "other", "其他问题"


class RectifyAction(models.TextChoices):
    REINVESTIGATE = "reinvestigate", "重新入户调查核实"
    TERMINATE = "terminate", "停发保障（制发停保决定书）"
    RECOVER = "recover", "追回多发资金"
    INCLUDE = "include", "纳入保障（漏保户）"


class SampledState(models.TextChoices):
    PENDING = "pending", "待核查"
    OK = "ok", "核查无问题"
    FINDING = "finding", "待整改"
    RECTIFIED = "rectified", "已整改"


CLOSED_STATES = [SampledState.OK, SampledState.RECTIFIED]


class SampledCase(RegionCoded, ConcurrentTransitionMixin, models.Model):
    """A case in a frozen sample: once drawn, rows are never added or removed."""

    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="cases", verbose_name="抽查")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="spot_checks", verbose_name="申请")
    # The case's village: the county sees it, and of the townships only its own.
    region_code_from = "application.region_code"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    must_include = models.BooleanField("近亲属备案必查", default=False)
    state = FSMField("状态", default=SampledState.PENDING, choices=SampledState.choices, protected=True)
    result = models.CharField("核查结论", max_length=20, choices=CheckResult.choices, blank=True)
    evidence = models.TextField("核查情况及证据", blank=True)
    evidence_file = models.FileField("证据材料", upload_to="spotcheck/%Y/%m/", blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="核查人")
    checked_at = models.DateTimeField("核查时间", null=True, blank=True)
    action = models.CharField("整改措施", max_length=20, choices=RectifyAction.choices, blank=True)
    rectification = models.TextField("整改情况", blank=True)
    recovered_amount = models.DecimalField("追回金额（元）", max_digits=12, decimal_places=2, null=True, blank=True, validators=amount_validators)
    termination_notice = models.ForeignKey("documents.Notice", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="停保决定书")
    rectified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="整改经办人")
    rectified_at = models.DateTimeField("整改时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "抽查案件"
        ordering = ["region_code", "pk"]
        constraints = [models.UniqueConstraint(fields=["spot_check", "application"], name="sampledcase_unique")]
        indexes = [pattern_index("region_code", "sampledcase_region_like")]

    def __str__(self):
        return f"{self.application}（抽查）"

    @transition(field=state, source=SampledState.PENDING, target=SampledState.OK)
    def record_ok(self, evidence: str, user, at):
        self.result, self.evidence, self.checked_by, self.checked_at = CheckResult.OK, evidence, user, at

    @transition(field=state, source=SampledState.PENDING, target=SampledState.FINDING)
    def record_finding(self, result: str, evidence: str, user, at):
        self.result, self.evidence, self.checked_by, self.checked_at = result, evidence, user, at

    @transition(field=state, source=SampledState.FINDING, target=SampledState.RECTIFIED)
    def record_rectification(self, action: str, note: str, amount, user, at):
        self.action, self.rectification, self.recovered_amount = action, note, amount
        self.rectified_by, self.rectified_at = user, at


class SpotCheckProcess(CaseProcess):
    spot_check: "models.OneToOneField[SpotCheck | None, SpotCheck | None]" = models.OneToOneField(
        SpotCheck, null=True, on_delete=models.PROTECT, verbose_name="抽查"
    )

    class Meta:
        verbose_name = verbose_name_plural = "抽查流程"
        permissions = [
            ("check_case", "可开展抽查（抽取、入户核查）"),
            ("sign_report", "可签发抽查报告"),
            ("rectify_case", "可办理抽查整改"),
        ]


class CaseCheckProcess(CaseProcess):
    """One per sampled case: the county officer's check, then the township's rectification."""

    sampled_case: "models.OneToOneField[SampledCase | None, SampledCase | None]" = models.OneToOneField(
        SampledCase, null=True, on_delete=models.PROTECT, verbose_name="抽查案件"
    )

    class Meta:
        verbose_name = verbose_name_plural = "抽查核查流程"
