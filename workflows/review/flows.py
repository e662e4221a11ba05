from django.db import transaction
from viewflow import this
from viewflow.workflow import flow

from workflows.application import handoff
from workflows.engine.flows import CaseFlow
from workflows.engine.nodes import CeleryJob

from . import services
from .models import ReviewProcess
from .views import AgendaView, PlanMeetingView, RecordMeetingView, SignMinutesView

ORGANISE = "review.organise_meeting"


class ReviewMeetingFlow(CaseFlow):
    """联审联批会议 (M8): plan → agenda of cases whose 公示 ended without objection → record
    attendance, quorum and each case's votes → the township principal signs the minutes →
    every decided case moves on → the decision notices are rendered in one batch."""

    process_class = ReviewProcess
    process_title = "联审联批会议"
    process_summary_template = "{{ process.summary }}"

    start = flow.Start(PlanMeetingView.as_view()).Annotation(title="筹备会议").Permission(ORGANISE).Next(this.agenda)
    # M8: at least once a month; beat opens the month's meeting where staff have not.
    monthly = flow.StartHandle(this.plan_monthly).Annotation(title="每月例会").Next(this.agenda)
    agenda = flow.View(AgendaView.as_view()).Annotation(title="确定议程").Permission(ORGANISE).Next(this.record)
    record = flow.View(RecordMeetingView.as_view()).Annotation(title="会议记录与表决").Permission(ORGANISE).Next(this.sign)
    sign = flow.View(SignMinutesView.as_view()).Annotation(title="签发会议纪要").Permission("review.sign_minutes").Next(this.apply)
    apply = flow.Function(this.apply_decisions).Annotation(title="执行决定").Next(this.notices)
    notices = CeleryJob(this.issue_notices).Annotation(title="生成决定书").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def plan_monthly(self, activation, **meeting):
        activation.process.save()
        services.plan_meeting(activation.process, **meeting)
        return activation.process

    def apply_decisions(self, activation):
        with transaction.atomic():
            handoff.resume_after_review(services.apply_decisions(activation.process.meeting))

    def issue_notices(self, activation):
        services.issue_decision_notices(activation.process.meeting)
