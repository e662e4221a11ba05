from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow

from workflows.engine.flows import CaseFlow
from workflows.engine.nodes import If

from . import services
from .models import RecheckProcess, RecheckState
from .views import DecideView, ProposeView, ReportEventView, VisitView

VISIT = "recheck.visit_recheck"
PROPOSE = "recheck.propose_recheck"
DECIDE = "recheck.decide_recheck"
DECIDE_COUNTY = "recheck.decide_recheck_county"


class RecheckFlow(CaseFlow):
    """复核 (社会救助暂行办法 arts 13, 18, 45; 审核确认办法): opened on schedule (beat, the
    township's bulk start) or on an event (a death, a move, a data hit, a reported change) →
    the caseworker visits → the township clerk proposes, with the rules' computation beside
    it → decided where confirmation lies: the township principal where delegated, else the
    county head, who also approves every end of 特困 support → ending 特困 support is
    announced for 7 days first → the outcome takes effect from the month after the decision
    (rosters follow), with its notice; the next recheck is scheduled."""

    process_class = RecheckProcess
    process_title = "复核"
    process_description = "定期复核或情况变化复核：入户核查、提出意见、审批，维持、调整、渐退、暂停或停止保障"
    process_summary_template = "{{ process.summary }}"

    scheduled = flow.StartHandle(this.open_scheduled).Annotation(title="定期复核自动启动").Next(this.visit)
    # Another process's finding (a petition's reply): its event, as if reported.
    event = flow.StartHandle(this.open_on_event).Annotation(title="其他业务发现情况变化").Next(this.visit)
    report = flow.Start(ReportEventView.as_view()).Annotation(title="报告情况变化").Permission("recheck.start_recheck").Next(this.visit)
    visit = flow.View(VisitView.as_view()).Annotation(title="入户核查").Permission(VISIT).Next(this.propose)
    propose = flow.View(ProposeView.as_view()).Annotation(title="提出复核意见").Permission(PROPOSE).Next(this.route)
    route = If(this.needs_county).Then(this.county_decide).Else(this.township_decide).Annotation(title="由谁审批")
    township_decide = flow.View(DecideView.as_view()).Annotation(title="乡镇审批").Permission(DECIDE).Next(this.check_decision)
    county_decide = flow.View(DecideView.as_view()).Annotation(title="县民政负责人审批").Permission(DECIDE_COUNTY).Next(this.check_decision)
    check_decision = If(this.is_sent_back).Then(this.propose).Else(this.check_publicity).Annotation(title="是否退回")
    check_publicity = If(this.is_publicizing).Then(this.publicity).Else(this.end).Annotation(title="是否终止特困供养")
    publicity = flow.Timer(this.publicity_end).Annotation(title="公示期（7日）").Next(this.take_effect)
    take_effect = flow.Function(this.apply_after_publicity).Annotation(title="公示期满，终止供养").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def open_scheduled(self, activation, beneficiary, today=None):
        # Refused (AlreadyOpen), the process row goes too.
        with transaction.atomic():
            activation.process.save()
            services.open_recheck(activation.process, beneficiary, trigger="scheduled", today=today or timezone.localdate())
        return activation.process

    def open_on_event(self, activation, beneficiary, *, event, detail, user, today, member=None):
        with transaction.atomic():
            activation.process.save()
            services.report_event(activation.process, beneficiary, event=event, event_date=today, member=member, detail=detail, user=user, today=today)
        return activation.process

    @staticmethod
    def _recheck(activation):
        recheck = activation.process.recheck
        recheck.refresh_from_db()  # the services save their own, locked copy
        return recheck

    def needs_county(self, activation):
        return self._recheck(activation).needs_county

    def is_sent_back(self, activation):
        return self._recheck(activation).state == RecheckState.VISITED

    def is_publicizing(self, activation):
        return self._recheck(activation).state == RecheckState.PUBLICIZING

    def publicity_end(self, activation):
        """The 公示 closes at the end of its last day (local time)."""
        return timezone.make_aware(datetime.combine(self._recheck(activation).publicity_until, time.max))

    def apply_after_publicity(self, activation):
        services.apply_decision(activation.process.recheck, timezone.localdate())
