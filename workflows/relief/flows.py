from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow

from workflows.engine.flows import CaseFlow
from workflows.engine.nodes import If

from . import services
from .models import ReliefProcess, ReliefState
from .views import ApproveReliefView, CountyDecisionView, ExplainReliefView, ProposeReliefView

PROPOSE = "relief.propose_relief"
APPROVE = "relief.approve_relief"
# The county head's (DESIGN §6: signs county decisions).
DECIDE_ABOVE_CAP = "relief.decide_above_cap"


class ReliefFlow(CaseFlow):
    """先行临时救助 (M6): the clerk proposes an amount from the township reserve fund → small
    amounts are paid at once, the township principal's approval and the written explanation
    follow within N working days → larger amounts within the interim cap are approved by the
    principal first, then paid and explained → above the interim cap the principal reviews,
    the county head decides (docs/policy.md "Temporary relief": not refused, decided by the
    county): approved, paid and explained as above; refused, the case ends with the county's
    临时救助决定书 stating the reason."""

    process_class = ReliefProcess
    process_title = "先行临时救助"
    process_summary_template = "{{ process.summary }}"

    start = flow.Start(ProposeReliefView.as_view()).Annotation(title="提出临时救助").Permission(PROPOSE).Next(this.check_small_amount)
    check_small_amount = If(this.is_small_amount_first).Then(this.pay_first).Else(this.check_above_cap).Annotation(title="是否小额先行")

    # 小金额先行救助: pay now; approval and explanation follow, in either order.
    pay_first = flow.Function(this.pay).Annotation(title="备用金先行支付").Next(this.follow_up)
    follow_up = flow.Split().Next(this.approve_after).Next(this.explain_after).Annotation(title="补办审批与情况说明")
    approve_after = flow.View(ApproveReliefView.as_view()).Annotation(title="主要负责同志审批（事后）").Permission(APPROVE).Next(this.follow_up_done)
    explain_after = flow.View(ExplainReliefView.as_view()).Annotation(title="事后补充说明").Permission(PROPOSE).Next(this.follow_up_done)
    follow_up_done = flow.Join().Next(this.close).Annotation(title="补办完成")

    check_above_cap = If(this.is_above_cap).Then(this.report).Else(this.approve).Annotation(title="是否超过单次上限")

    # Above the interim cap: the principal reviews, the county head decides before anything is paid.
    report = flow.View(ApproveReliefView.as_view()).Annotation(title="主要负责同志审核（报县级审批）").Permission(APPROVE).Next(this.county_decide)
    county_decide = (
        flow.View(CountyDecisionView.as_view())
        .Annotation(title="县民政负责人审批（超过单次上限）")
        .Permission(DECIDE_ABOVE_CAP)
        .Next(this.check_county_decision)
    )
    check_county_decision = If(this.is_county_approved).Then(this.pay_approved).Else(this.refused).Annotation(title="县级是否批准")
    refused = flow.End().Annotation(title="县级不予批准，办结")

    # Above the small-amount cap: the principal approves before anything is paid.
    approve = flow.View(ApproveReliefView.as_view()).Annotation(title="主要负责同志审批").Permission(APPROVE).Next(this.pay_approved)
    pay_approved = flow.Function(this.pay).Annotation(title="备用金支付").Next(this.explain)
    explain = flow.View(ExplainReliefView.as_view()).Annotation(title="补充说明").Permission(PROPOSE).Next(this.close)

    close = flow.Function(this.close_case).Annotation(title="办结").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def is_small_amount_first(self, activation):
        return activation.process.relief.small_amount_first

    def is_above_cap(self, activation):
        return activation.process.relief.above_cap

    def is_county_approved(self, activation):
        relief = activation.process.relief
        relief.refresh_from_db(fields=["state"])  # the service saved its own, locked copy
        return relief.state == ReliefState.APPROVED

    def pay(self, activation):
        # The ledger names the proposing clerk: the node runs in whoever's request came last.
        relief = activation.process.relief
        services.pay(relief, relief.created_by, timezone.localdate())

    def close_case(self, activation):
        services.close(activation.process.relief)
