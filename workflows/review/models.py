"""The township's joint review meeting (联审联批, M8): at least monthly, collective decisions."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from workflows.application.models import Application
from workflows.core.models import RegionCoded
from workflows.engine.models import CaseProcess
from workflows.policy.calendar import cn_date


class MeetingState(models.TextChoices):
    PLANNED = "planned", "筹备中"
    HELD = "held", "已召开"
    SIGNED = "signed", "纪要已签发"
    CONCLUDED = "concluded", "决定已执行"


class ReviewMeeting(RegionCoded, ConcurrentTransitionMixin, models.Model):
    township = models.ForeignKey("core.Region", on_delete=models.PROTECT, verbose_name="乡镇（街道）")
    region_code_from = "township_id"
    region_code = models.CharField("区划代码", max_length=12, editable=False)
    scheduled_on = models.DateField("会议日期")
    place = models.CharField("会议地点", max_length=100)
    state = FSMField("状态", default=MeetingState.PLANNED, choices=MeetingState.choices, protected=True)
    held_on = models.DateField("召开日期", null=True, blank=True)
    recorder = models.CharField("记录人", max_length=50, blank=True)
    minutes = models.OneToOneField("documents.Notice", null=True, blank=True, on_delete=models.PROTECT, verbose_name="会议纪要")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "联审会议"
        ordering = ["-scheduled_on"]

    def __str__(self):
        return f"{self.township.name}{cn_date(self.scheduled_on)}联审会议"

    @transition(field=state, source=MeetingState.PLANNED, target=MeetingState.HELD)
    def record_held(self, day, recorder: str):
        self.held_on, self.recorder = day, recorder

    @transition(field=state, source=MeetingState.HELD, target=MeetingState.SIGNED)
    def mark_signed(self):
        pass

    @transition(field=state, source=MeetingState.SIGNED, target=MeetingState.CONCLUDED)
    def conclude(self):
        pass


class MeetingMember(models.Model):
    """A member of the joint review group from one of several departments."""

    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="members")
    name = models.CharField("姓名", max_length=50)
    department = models.CharField("单位", max_length=60)
    present = models.BooleanField("出席", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "联审小组成员"
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="meeting_member_unique")]


class CaseDecision(models.Model):
    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="decisions")
    # One collective decision per application, ever: a case cannot be decided twice.
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="review_decision")
    votes_for = models.PositiveSmallIntegerField("同意", default=0)
    votes_against = models.PositiveSmallIntegerField("不同意", default=0)
    abstentions = models.PositiveSmallIntegerField("弃权", default=0)
    approved = models.BooleanField("集体决定：批准", null=True)
    reason = models.TextField("决定理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "逐案表决"


class ReviewProcess(CaseProcess):
    meeting: "models.OneToOneField[ReviewMeeting | None, ReviewMeeting | None]" = models.OneToOneField(
        ReviewMeeting, null=True, on_delete=models.PROTECT, verbose_name="会议"
    )

    class Meta:
        verbose_name = verbose_name_plural = "联审会议流程"
        permissions = [
            ("organise_meeting", "可组织联审会议（议程、记录）"),
            ("sign_minutes", "可签发会议纪要"),
        ]
