from viewflow import this
from viewflow.workflow import flow

from workflows.engine.flows import CaseFlow
from workflows.engine.nodes import CeleryJob, If

from . import services
from .models import HouseholdChangeProcess
from .views import ProposeChangeView, ReviewChangeView


class HouseholdChangeFlow(CaseFlow):
    """A caseworker proposes → the township clerk reviews → a job recomputes the assessment."""

    process_class = HouseholdChangeProcess
    process_title = "家庭信息变更"
    process_description = "协理员提出家庭信息变更，乡镇经办人审核，系统重新测算家庭经济状况"
    process_summary_template = "{{ process.summary }}"

    start = flow.Start(ProposeChangeView.as_view()).Annotation(title="提出变更").Permission("changes.start_householdchange").Next(this.review)
    review = flow.View(ReviewChangeView.as_view()).Annotation(title="审核变更").Permission("changes.approve_householdchange").Next(this.check_approved)
    check_approved = If(lambda activation: activation.process.approved).Then(this.recompute).Else(this.end).Annotation(title="是否同意变更")
    recompute = CeleryJob(this.recompute_assessment).Annotation(title="重新测算").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def recompute_assessment(self, activation):
        services.recompute_assessment(activation.process)
