from viewflow import this
from viewflow.workflow import flow

from workflows.engine.flows import CaseFlow
from workflows.engine.nodes import CeleryJob

from . import notices, roster, services
from .models import AccountFixProcess, PaymentProcess
from .views import AllocateView, CloseCycleView, FixAccountView, OpenCycleView, ReviewRosterView, UploadResultView

SUBMIT = "payments.submit_roster"


class PaymentFlow(CaseFlow):
    """资金发放 (M10), per county and month: open → build the roster (job) → the county officer
    reviews and submits it by the 5th → the roster PDF → finance allocates by the 10th → the
    bank file → the bank uploads its result by the 15th (import reconciles) → the county
    officer reads the report and closes. Failed lines are paid again by the next cycle."""

    process_class = PaymentProcess
    process_title = "资金发放"
    process_summary_template = "{{ process.summary }}"

    start = flow.Start(OpenCycleView.as_view()).Annotation(title="开启发放批次").Permission(SUBMIT).Next(this.build)
    # Beat opens each county's cycle on the first working day (tasks.open_monthly_cycles).
    monthly = flow.StartHandle(this.open_monthly).Annotation(title="每月自动开启").Next(this.build)
    build = CeleryJob(this.build_roster).Annotation(title="生成花名册").Next(this.review)
    review = flow.View(ReviewRosterView.as_view()).Annotation(title="审核报送花名册").Permission(SUBMIT).Next(this.roster)
    roster = CeleryJob(this.issue_roster).Annotation(title="制发花名册").Next(this.allocate)
    allocate = flow.View(AllocateView.as_view()).Annotation(title="确认资金拨付").Permission("payments.allocate_funds").Next(this.disburse)
    disburse = flow.Function(this.start_disbursing).Annotation(title="生成银行发放文件").Next(this.upload)
    upload = flow.View(UploadResultView.as_view()).Annotation(title="上传发放结果").Permission("payments.upload_bank_result").Next(this.close)
    close = flow.View(CloseCycleView.as_view()).Annotation(title="发放报告与办结").Permission(SUBMIT).Next(this.end)
    end = flow.End().Annotation(title="办结")

    def open_monthly(self, activation, county, month):
        activation.process.save()
        services.open_cycle(activation.process, county, month)
        return activation.process

    def build_roster(self, activation):
        roster.build_roster(activation.process.cycle)

    def issue_roster(self, activation):
        notices.issue_roster(activation.process.cycle)

    def start_disbursing(self, activation):
        services.start_disbursing(activation.process)


class AccountFixFlow(CaseFlow):
    """修正发放账户 (M10): a line the bank failed to pay goes to its township, whose clerk
    corrects the account (or confirms it) before the next roster, which pays it again."""

    process_class = AccountFixProcess
    process_title = "修正发放账户"
    process_summary_template = "{{ process.summary }}"

    start = flow.StartHandle(this.open_fix).Annotation(title="发放失败").Next(this.fix)
    fix = flow.View(FixAccountView.as_view()).Annotation(title="修正银行账户").Permission("core.change_bankaccount").Next(this.end)
    end = flow.End().Annotation(title="办结")

    def open_fix(self, activation, line):
        process = activation.process
        # The beneficiary's village: its township's clerks see the task, other townships do not.
        process.about(line, f"{line.name} {line.cycle.month:%Y年%m月}发放失败：{line.fail_reason}")
        process.due_date, process.deadline_note = services.account_fix_due(line)
        process.save()
        return process
