"""Household information change: the sample process that proves the engine."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.core.models import Household, RegionCoded
from workflows.engine.models import CaseProcess


class ChangeState(models.TextChoices):
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "未批准"
    APPLIED = "applied", "已生效"


class ChangeRequest(RegionCoded, ConcurrentTransitionMixin, models.Model):
    """What a caseworker asks to change in a household, and what became of it."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="change_requests", verbose_name="家庭")
    region_code_from = "household.region_code"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    proposed = models.JSONField("变更内容")
    before = models.JSONField("变更前", default=dict)
    reason = models.CharField("变更原因", max_length=300)
    state = FSMField("状态", default=ChangeState.SUBMITTED, choices=ChangeState.choices, protected=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提出人")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="审核人")
    review_comment = models.CharField("审核意见", max_length=300, blank=True)
    created = models.DateTimeField("提出时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "变更申请"

    def __str__(self):
        return f"{self.household} 信息变更"

    @transition(field=state, source=ChangeState.SUBMITTED, target=ChangeState.APPROVED)
    def approve(self, user, comment: str):
        self.reviewed_by, self.review_comment = user, comment

    @transition(field=state, source=ChangeState.SUBMITTED, target=ChangeState.REJECTED)
    def reject(self, user, comment: str):
        self.reviewed_by, self.review_comment = user, comment

    @transition(field=state, source=ChangeState.APPROVED, target=ChangeState.APPLIED)
    def mark_applied(self):
        pass


class HouseholdChangeProcess(CaseProcess):
    change: "models.OneToOneField[ChangeRequest | None, ChangeRequest | None]" = models.OneToOneField(
        ChangeRequest, null=True, on_delete=models.PROTECT, verbose_name="变更申请"
    )

    class Meta:
        verbose_name = verbose_name_plural = "家庭信息变更流程"
        permissions = [
            ("start_householdchange", "可提出家庭信息变更"),
            ("approve_householdchange", "可审核家庭信息变更"),
        ]

    @property
    def approved(self) -> bool:
        return self.change is not None and self.change.state in (ChangeState.APPROVED, ChangeState.APPLIED)
