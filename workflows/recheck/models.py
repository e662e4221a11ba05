"""Rechecks of beneficiaries (docs/policy.md "Recheck, gradual exit, termination"): one per
beneficiary at a time, opened on schedule or on an event, visited by the township, proposed
and decided where confirmation lies."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from documents.models import Notice
from workflows.core.models import Assessment, Beneficiary, HomeVisit, Member, RegionCoded, amount_validators
from workflows.engine.models import CaseProcess
from workflows.policy import recheck as rules

TRIGGER_CHOICES = [("scheduled", "定期复核"), *rules.EVENT_LABELS.items()]
OUTCOME_CHOICES = list(rules.OUTCOME_LABELS.items())


class RecheckState(models.TextChoices):
    OPEN = "open", "待入户核查"
    VISITED = "visited", "待提出意见"
    PROPOSED = "proposed", "待审批"
    PUBLICIZING = "publicizing", "公示中"
    DECIDED = "decided", "已决定"


#: A beneficiary has at most one recheck in these states.
OPEN_STATES = (RecheckState.OPEN, RecheckState.VISITED, RecheckState.PROPOSED, RecheckState.PUBLICIZING)


class Recheck(RegionCoded, ConcurrentTransitionMixin, models.Model):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.PROTECT, related_name="rechecks", verbose_name="保障对象")
    region_code_from = "beneficiary.region_code"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    trigger = models.CharField("复核事由", max_length=20, choices=TRIGGER_CHOICES)
    # What makes an event's recheck unique (e.g. "death:123" for a member's death): delivered
    # twice, it opens one recheck.
    event_key = models.CharField("事件标识", max_length=80, blank=True)
    event_date = models.DateField("事件日期", null=True, blank=True)
    event_member = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="涉及成员")
    event_detail = models.CharField("事件说明", max_length=300, blank=True)
    opened_on = models.DateField("启动日期")
    due_on = models.DateField("复核期限")
    state = FSMField("状态", default=RecheckState.OPEN, choices=RecheckState.choices, protected=True)

    # The township's proposal, with the rules' computation beside it.
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="测算结果")
    rule_amount = models.DecimalField("按规则测算的保障金（元）", max_digits=10, decimal_places=2, null=True, blank=True)
    rule_eligible = models.BooleanField("按规则仍符合条件", null=True)
    outcome = models.CharField("复核结论", max_length=20, choices=OUTCOME_CHOICES, blank=True)
    new_amount = models.DecimalField("调整后月保障金（元）", max_digits=10, decimal_places=2, null=True, blank=True, validators=amount_validators)
    exit_months = models.PositiveSmallIntegerField("渐退期（月）", null=True, blank=True)
    reason = models.TextField("事实与理由", blank=True)
    # 2022 notice: confirmation delegated to the township; otherwise the county head decides.
    delegated = models.BooleanField("审核确认权下放乡镇", default=True)
    # 停旧建新 as a change of head: after the head's death the household goes on under this member.
    new_head = models.ForeignKey(Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="新户主")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="提出人")
    proposed_on = models.DateField("提出日期", null=True, blank=True)

    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="决定人")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decision_comment = models.CharField("审批意见", max_length=300, blank=True)
    effective_month = models.DateField("生效月份", null=True, blank=True, help_text="每月1日表示该月")
    publicity_until = models.DateField("公示截止日期", null=True, blank=True)
    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="决定文书")

    created = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "复核"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary"], condition=Q(state__in=[s.value for s in OPEN_STATES]), name="recheck_one_open_per_beneficiary"),
            models.UniqueConstraint(fields=["beneficiary", "event_key"], condition=~Q(event_key=""), name="recheck_event_once"),
        ]
        indexes = [models.Index(fields=["region_code", "state"], name="recheck_region_state")]
        permissions = [
            ("visit_recheck", "可入户核查（复核）"),
            ("propose_recheck", "可提出复核意见"),
            ("decide_recheck", "可审批复核结论（乡镇）"),
            ("decide_recheck_county", "可审批复核结论（县级，含特困人员终止供养）"),
            ("start_recheck", "可启动复核（报告情况变化、批量启动）"),
        ]

    def __str__(self):
        return f"{self.beneficiary.household.head_name}家庭 {self.get_trigger_display()}"

    @property
    def needs_county(self) -> bool:
        """Decided by the county head where confirmation is not delegated, and always for ending
        特困 support (社会救助暂行办法 art 18: the county approves)."""
        ends_tekun = self.outcome == "terminate" and self.beneficiary.kind in rules.TEKUN_KINDS
        return not self.delegated or ends_tekun

    @property
    def needs_publicity(self) -> bool:
        """Art 18: ending 特困 support is announced (公示) before it takes effect."""
        return self.outcome == "terminate" and self.beneficiary.kind in rules.TEKUN_KINDS

    # Transitions are called only from services.
    @transition(field=state, source=RecheckState.OPEN, target=RecheckState.VISITED)
    def mark_visited(self):
        pass

    @transition(field=state, source=[RecheckState.VISITED, RecheckState.PROPOSED], target=RecheckState.PROPOSED)
    def propose(self):
        pass

    @transition(field=state, source=RecheckState.PROPOSED, target=RecheckState.VISITED)
    def send_back(self, comment: str):
        self.decision_comment = comment

    @transition(field=state, source=RecheckState.PROPOSED, target=RecheckState.PUBLICIZING)
    def start_publicity(self):
        pass

    @transition(field=state, source=[RecheckState.PROPOSED, RecheckState.PUBLICIZING], target=RecheckState.DECIDED)
    def decide(self):
        pass


class RecheckVisit(HomeVisit):
    """入户核查 of a recheck: the same record as an application's investigation."""

    recheck = models.ForeignKey(Recheck, on_delete=models.CASCADE, related_name="visits")

    class Meta:
        verbose_name = verbose_name_plural = "复核入户核查"


class RecheckProcess(CaseProcess):
    recheck: "models.OneToOneField[Recheck | None, Recheck | None]" = models.OneToOneField(Recheck, null=True, on_delete=models.PROTECT, verbose_name="复核")

    class Meta:
        verbose_name = verbose_name_plural = "复核流程"
