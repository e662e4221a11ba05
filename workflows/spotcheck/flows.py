from django.db import transaction
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.status import STATUS

from workflows.engine.flows import CaseFlow
from workflows.engine.nodes import CeleryJob, If
from workflows.policy import defaults

from . import services
from .models import CaseCheckProcess, SpotCheckProcess
from .views import CheckCaseView, OpenSpotCheckView, RectifyView, SignReportView

CHECK = "spotcheck.check_case"


class SpotCheckFlow(CaseFlow):
    """县级抽查 (M8): open a county's check of a period (monthly by beat, or by hand) → draw
    the sample once with a recorded seed (not less than 30% per township, relatives of staff
    always in) → issue the 抽查名单 and open one check process per sampled case → wait until
    every case is checked and every finding rectified → issue the 抽查报告 → the county head
    signs it."""

    process_class = SpotCheckProcess
    process_title = "县级抽查"
    process_description = f"按乡镇不低于{defaults.SPOT_CHECK_RATIO:.0%}抽查审核确认案件（含不予批准），逐案核查，发现问题由乡镇整改"
    process_summary_template = "{{ process.summary }}"

    start = flow.Start(OpenSpotCheckView.as_view()).Annotation(title="发起抽查").Permission(CHECK).Next(this.draw)
    monthly = flow.StartHandle(this.open_monthly).Annotation(title="每月抽查").Next(this.draw)
    draw = flow.Function(this.draw_sample).Annotation(title="抽取样本").Next(this.open_checks)
    open_checks = CeleryJob(this.issue_list_and_open_checks).Annotation(title="印发抽查名单，逐案核查").Next(this.anything_to_check)
    anything_to_check = If(this.all_checked).Then(this.compose_report).Else(this.await_checks).Annotation(title="是否全部核查")
    # Run by CaseCheckFlow.close_case when the last sampled case is closed (one child per case:
    # viewflow's open-source edition has no dynamic split or Subprocess node).
    await_checks = flow.Handle().Annotation(title="等待核查与整改完成").Next(this.compose_report)
    compose_report = CeleryJob(this.issue_report).Annotation(title="生成抽查报告").Next(this.sign)
    sign = flow.View(SignReportView.as_view()).Annotation(title="签发抽查报告").Permission("spotcheck.sign_report").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def open_monthly(self, activation, **period):
        services.open_spot_check(activation.process, **period)
        return activation.process

    def draw_sample(self, activation):
        services.draw_sample(activation.process.spot_check)

    def issue_list_and_open_checks(self, activation):
        spot_check = activation.process.spot_check
        services.issue_sample_list(spot_check)
        # One check process per sampled case: the county officer's task, then any rectification.
        for case in services.cases_to_check(spot_check):
            CaseCheckFlow.start.run(sampled_case=case)
        services.skip_to_report_if_nothing_sampled(spot_check)

    def all_checked(self, activation):
        activation.process.spot_check.refresh_from_db()
        return activation.process.spot_check.state == "checked"

    def issue_report(self, activation):
        services.issue_report(activation.process.spot_check)


class CaseCheckFlow(CaseFlow):
    """抽查核查 of one sampled case: the county officer checks it (result and evidence) → a
    finding goes to the case's township for rectification → closed; the last case closed
    moves the county's spot check on to its report."""

    process_class = CaseCheckProcess
    process_title = "抽查核查"
    process_summary_template = "{{ process.summary }}"

    start = flow.StartHandle(this.open_case).Annotation(title="列入抽查").Next(this.check)
    check = flow.View(CheckCaseView.as_view()).Annotation(title="入户核查").Permission(CHECK).Next(this.has_finding)
    has_finding = If(this.is_finding).Then(this.rectify).Else(this.close).Annotation(title="是否发现问题")
    rectify = flow.View(RectifyView.as_view()).Annotation(title="乡镇整改").Permission("spotcheck.rectify_case").Next(this.close)
    close = flow.Function(this.close_case).Annotation(title="核查办结").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def open_case(self, activation, sampled_case):
        process = activation.process
        parent = sampled_case.spot_check.spotcheckprocess
        # The case's village: the county sees the task, and of the townships only its own.
        process.about(sampled_case, f"抽查：{sampled_case.application}")
        process.copy_due(parent)
        process.save()
        return process

    def is_finding(self, activation):
        case = activation.process.sampled_case
        case.refresh_from_db(fields=["state"])  # the service saved its own, locked copy
        return case.state == "finding"

    def close_case(self, activation):
        with transaction.atomic():
            spot_check = services.close_check_if_last(activation.process.sampled_case)
            if spot_check is None:
                return
            waiting = SpotCheckFlow.task_class._default_manager.filter(
                process_id=spot_check.spotcheckprocess.pk, flow_task=SpotCheckFlow.await_checks, status=STATUS.NEW
            ).first()
            if waiting is not None:
                SpotCheckFlow.await_checks.run(waiting)
