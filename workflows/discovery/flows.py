from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow

from workflows.engine.flows import CaseFlow

from . import services
from .models import DiscoveryProcess
from .views import AssessView, RecordLeadView, VerifyView

RECORD = "discovery.record_lead"


class DiscoveryFlow(CaseFlow):
    """主动发现 (M3): a caseworker records a lead in the village ledger, or a referral arrives
    (12345 work order, monitoring alert) → the village caseworker visits and verifies → the
    township clerk assesses: file an application on the person's behalf, refer them to
    another kind of help, or close the lead with a reason."""

    process_class = DiscoveryProcess
    process_title = "主动发现"
    process_description = "村（社区）走访发现或转办线索，入户核实，乡镇评估后代为申请、转介或办结"
    process_summary_template = "{{ process.summary }}"

    start = flow.Start(RecordLeadView.as_view()).Annotation(title="登记走访发现").Permission(RECORD).Next(this.verify)
    # 12345 work orders and monitoring alerts, through the API (api.py).
    referral = flow.StartHandle(this.receive_referral).Annotation(title="接收转办线索").Next(this.verify)
    verify = flow.View(VerifyView.as_view()).Annotation(title="入户核实").Permission(RECORD).Next(this.assess)
    assess = flow.View(AssessView.as_view()).Annotation(title="乡镇评估处置").Permission("discovery.assess_lead").Next(this.conclude)
    conclude = flow.Function(this.apply_decision).Annotation(title="代为申请 / 转介 / 办结").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def receive_referral(self, activation, *, user, **lead):
        return services.record_lead(activation.process, user=user, **lead)

    def apply_decision(self, activation):
        services.conclude(activation.process.lead, timezone.localdate())
