from datetime import datetime, time

from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow

from workflows.engine.flows import CaseFlow
from workflows.engine.nodes import CeleryJob, If

from . import services
from .models import ApplicationProcess, ApplicationState
from .views import AcceptView, AssessView, CorrectionReceivedView, DeliverDecisionView, FileApplicationView, InvestigationView

HANDLE = "application.handle_application"


class ApplicationFlow(CaseFlow):
    """申请审核确认: filed → accepted (or one 补正 notice) → home investigation and economic
    verification in parallel → assessment by the rules → 公示 7 days → the township's joint
    review meeting decides (workflows/review) → enrolled, or refused with reasons and the
    不予批准决定书 delivered within 3 working days."""

    process_class = ApplicationProcess
    process_title = "救助申请审核确认"
    process_summary_template = "{{ process.summary }}"

    start = flow.Start(FileApplicationView.as_view()).Annotation(title="登记申请").Permission("application.file_application").Next(this.accept)
    accept = flow.View(AcceptView.as_view()).Annotation(title="受理审查").Permission(HANDLE).Next(this.check_accepted)
    check_accepted = If(this.is_accepted).Then(this.checks).Else(this.await_correction).Annotation(title="是否受理")
    await_correction = flow.View(CorrectionReceivedView.as_view()).Annotation(title="接收补正材料").Permission(HANDLE).Next(this.checks)

    checks = flow.Split().Next(this.investigate).Next(this.verify).Annotation(title="入户调查与信息核对")
    investigate = flow.View(InvestigationView.as_view()).Annotation(title="入户调查").Permission(HANDLE).Next(this.checks_done)
    verify = CeleryJob(this.run_verification).Annotation(title="经济状况核对").Next(this.checks_done)
    checks_done = flow.Join().Next(this.assess).Annotation(title="调查与核对完成")

    assess = flow.View(AssessView.as_view()).Annotation(title="评估测算").Permission(HANDLE).Next(this.publicize)
    publicize = flow.Function(this.start_publicity).Annotation(title="开始公示").Next(this.publicity)
    publicity = flow.Timer(this.publicity_end).Annotation(title="公示期").Next(this.close_publicity)
    close_publicity = flow.Function(this.close_publicity_window).Annotation(title="公示期满").Next(this.check_objections)
    check_objections = If(this.is_reopened).Then(this.reinvestigate).Else(this.await_review).Annotation(title="有无公示异议")
    reinvestigate = flow.View(InvestigationView.as_view()).Annotation(title="异议复查").Permission(HANDLE).Next(this.assess)

    # The township's joint review meeting (workflows/review) runs this node for each case.
    await_review = flow.Handle(this.review_decided).Annotation(title="等待联审会议").Next(this.check_refused)
    check_refused = If(this.is_refused).Then(this.deliver_refusal).Else(this.end).Annotation(title="是否不予批准")
    # A refusal must reach the applicant within 3 working days of the decision: the case's
    # deadline from then on (services.decide), so it shows in lists and escalates when missed.
    deliver_refusal = flow.View(DeliverDecisionView.as_view()).Annotation(title="送达不予批准决定书").Permission(HANDLE).Next(this.end)
    end = flow.End().Annotation(title="办结")

    def is_accepted(self, activation):
        return activation.process.application.state == ApplicationState.ACCEPTED

    def run_verification(self, activation):
        services.run_verification(activation.process.application)

    def start_publicity(self, activation):
        services.start_publicity(activation.process.application, timezone.localdate())

    def publicity_end(self, activation):
        """The window closes at the end of its last day (local time)."""
        ends = activation.process.application.publicity_ends
        return timezone.make_aware(datetime.combine(ends, time.max))

    def close_publicity_window(self, activation):
        services.close_publicity(activation.process.application)

    def is_reopened(self, activation):
        """An objection during 公示 sent the case back to investigation."""
        application = activation.process.application
        application.refresh_from_db(fields=["state"])  # changed under a row lock by the service
        return application.state == ApplicationState.ACCEPTED

    def review_decided(self, activation, **kwargs):
        return activation.process

    def is_refused(self, activation):
        application = activation.process.application
        application.refresh_from_db(fields=["state"])  # decided under a row lock by the service
        return application.state == ApplicationState.REFUSED
