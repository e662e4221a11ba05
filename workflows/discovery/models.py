"""Proactive discovery (M3, 皖民社救字〔2022〕46号 第三条): the village ledger (工作台账) of
people found in need, and the process that takes each lead to an outcome."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.core.models import Household, Region, RegionCoded, mask_id, pattern_index
from workflows.core.validators import validate_id_number
from workflows.engine.models import CaseProcess


class LeadSource(models.TextChoices):
    VISIT = "visit", "走访发现"
    HOTLINE = "hotline", "12345工单"
    MONITORING = "monitoring", "监测预警"
    PETITION = "petition", "信访反映"
    OTHER = "other", "其他"


class RiskSign(models.TextChoices):
    ILLNESS = "illness", "重病"
    DISABILITY = "disability", "重残"
    UNEMPLOYED = "unemployed", "失业"
    DISASTER = "disaster", "因灾"
    ELDERLY_ALONE = "elderly_alone", "独居老人"
    LEFT_BEHIND_CHILD = "left_behind_child", "留守儿童"
    EXPENSE_SURGE = "expense_surge", "支出骤增"
    OTHER = "other", "其他"


class LeadState(models.TextChoices):
    OPEN = "open", "待核实"
    VERIFIED = "verified", "已核实"
    ASSESSED = "assessed", "已评估"
    FILED = "filed", "已代为申请"
    REFERRED = "referred", "已转介"
    CLOSED = "closed", "已办结"


# A lead in one of these states is still being worked on; the others are closed in the ledger.
OPEN_STATES = [LeadState.OPEN, LeadState.VERIFIED, LeadState.ASSESSED]


class Decision(models.TextChoices):
    FILE = "file", "代为提出救助申请"
    REFER = "refer", "转介其他救助帮扶"
    CLOSE = "close", "办结（说明理由）"


class Lead(RegionCoded, ConcurrentTransitionMixin, models.Model):
    """One line of the village ledger."""

    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": "village"}, verbose_name="村（社区）")
    # Scoping key (DESIGN §4.3): the village code.
    region_code_from = "village_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    source = models.CharField("发现渠道", max_length=12, choices=LeadSource.choices)
    external_id = models.CharField("工单（预警）编号", max_length=64, blank=True)
    person_name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("公民身份号码", max_length=18, blank=True, validators=[validate_id_number])
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="家庭档案")
    address = models.CharField("住址", max_length=200, blank=True)
    situation = models.TextField("困难情况")
    risk_signs = models.JSONField("风险标识", default=list, blank=True)
    reported_by = models.CharField("上报人", max_length=50)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="登记人")
    created = models.DateTimeField("登记时间", auto_now_add=True)
    state = FSMField("状态", default=LeadState.OPEN, choices=LeadState.choices, protected=True)
    decision = models.CharField("处置意见", max_length=8, choices=Decision.choices, blank=True)
    assessment_note = models.TextField("乡镇评估意见", blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="评估人")
    assessed_on = models.DateField("评估日期", null=True, blank=True)
    referred_to = models.CharField("转介去向", max_length=200, blank=True)
    close_reason = models.CharField("办结理由", max_length=300, blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    application = models.OneToOneField(
        "application.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="lead", verbose_name="代为提出的申请"
    )

    class Meta:
        verbose_name = verbose_name_plural = "主动发现台账"
        indexes = [pattern_index("region_code", "lead_region_like"), models.Index(fields=["region_code", "state"], name="lead_region_state")]
        constraints = [
            # Idempotent referrals: the same work order (or alert) twice is one lead.
            models.UniqueConstraint(fields=["source", "external_id"], condition=~models.Q(external_id=""), name="lead_source_external_id"),
        ]

    def __str__(self):
        return f"{self.person_name}（{self.village}）"

    @property
    def masked_id(self) -> str:
        return mask_id(self.id_number) if self.id_number else ""

    def get_risk_signs_display(self) -> str:
        labels = dict(RiskSign.choices)
        return "、".join(labels.get(s, s) for s in self.risk_signs)

    def outcome_display(self) -> str:
        if self.state == LeadState.REFERRED:
            return f"转介：{self.referred_to}"
        if self.state == LeadState.CLOSED:
            return f"办结：{self.close_reason}"
        if self.state == LeadState.FILED:
            return "已代为提出救助申请" if self.application_id else "已决定代为申请，待登记申请"
        return ""

    # Transitions are called only from services.
    @transition(field=state, source=LeadState.OPEN, target=LeadState.VERIFIED)
    def verify(self):
        pass

    @transition(field=state, source=LeadState.VERIFIED, target=LeadState.ASSESSED)
    def assess(self, *, decision: str, note: str, user, day, referred_to: str = "", close_reason: str = ""):
        self.decision, self.assessment_note, self.assessed_by, self.assessed_on = decision, note, user, day
        self.referred_to, self.close_reason = referred_to, close_reason

    @transition(field=state, source=LeadState.ASSESSED, target=LeadState.FILED, conditions=[lambda lead: lead.household_id is not None])  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    def file(self, day):
        self.concluded_on = day

    @transition(field=state, source=LeadState.ASSESSED, target=LeadState.REFERRED, conditions=[lambda lead: bool(lead.referred_to)])  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    def refer(self, day):
        self.concluded_on = day

    @transition(field=state, source=LeadState.ASSESSED, target=LeadState.CLOSED, conditions=[lambda lead: bool(lead.close_reason)])  # type: ignore[attr-defined]  # django-fsm types a condition's instance as Model
    def close(self, day):
        self.concluded_on = day


class Visit(models.Model):
    """走访核实记录: who went (one or two people), when, where, what they found."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="visits", verbose_name="线索")
    visitor_1 = models.CharField("走访人", max_length=50)
    visitor_2 = models.CharField("同行走访人", max_length=50, blank=True)
    visited_on = models.DateField("走访日期")
    place = models.CharField("走访地点", max_length=200)
    findings = models.TextField("核实情况")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "走访核实记录"
        ordering = ["visited_on", "pk"]

    def visitors(self) -> str:
        return "、".join(n for n in (self.visitor_1, self.visitor_2) if n)


class DiscoveryProcess(CaseProcess):
    lead: "models.OneToOneField[Lead | None, Lead | None]" = models.OneToOneField(
        Lead, null=True, on_delete=models.PROTECT, related_name="process", verbose_name="线索"
    )

    class Meta:
        verbose_name = verbose_name_plural = "主动发现流程"
        permissions = [
            ("record_lead", "可登记走访发现、入户核实"),
            ("assess_lead", "可评估处置主动发现线索（代为申请、转介、办结）"),
            ("submit_referral", "可通过接口转办线索（12345工单、监测预警）"),
        ]
