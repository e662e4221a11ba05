"""Task views of interim relief: each validates its form and calls one service."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms import relief as forms
from workflows.application.models import Application
from workflows.core.scoping import scoped
from workflows.engine.views import ServiceFormMixin

from . import services
from .models import ReserveFund


class ProposeReliefView(ServiceFormMixin, CreateProcessView):
    form_class = forms.ProposeReliefForm
    template_name = "engine/start.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        application_id = self.request.GET.get("application", "")
        applications = scoped(Application.objects.select_related("applicant"), self.request.user)
        application = applications.filter(pk=application_id).first() if application_id.isdigit() else None
        return {**kwargs, "user": self.request.user, "application": application}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.AlreadyProposed as already:
            # A double click or a retried request: show the first case, pay nothing again.
            case = already.case
            paid = f"已于{case.paid_on:%Y年%-m月%-d日}支付 {case.amount} 元" if case.paid_on else f"救助金额 {case.amount} 元，{case.get_state_display()}"
            messages.info(self.request, f"该家庭的同一困难情形已提出临时救助（{paid}），未重复提出或支付。")
            flow_class = self.request.activation.flow_class
            return HttpResponseRedirect(flow_class.instance.reverse("process_detail", args=[case.reliefprocess.pk]))

    def perform(self, form, process):
        data = form.cleaned_data
        services.propose(
            process,
            person=data["person"],
            kind=data["kind"],
            reason=data["reason"],
            amount=data["amount"],
            payment_method=data["payment_method"],
            application=data["application"],
            user=self.request.user,
            today=timezone.localdate(),
        )


class ReliefTaskView(ServiceFormMixin, UpdateProcessView):
    """Task pages show the household, the cap computation, the fund balance and deadlines."""

    def get_context_data(self, **kwargs):
        case = self.request.activation.process.relief
        fund = ReserveFund.objects.filter(township_id=case.township_code).first()
        return super().get_context_data(case=case, household=case.household, fund=fund, **kwargs)


class ApproveReliefView(ReliefTaskView):
    form_class = forms.ApproveReliefForm

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.request.activation.process.relief.above_cap:
            # Above the interim cap the county signs the decision; the principal reviews.
            form.fields["password"].label = "审批人登录密码（确认审核同意，报县级审批）"
        return form

    def perform(self, form, process):
        services.approve(process.relief, self.request.user, form.cleaned_data["password"], timezone.localdate())


class CountyDecisionView(ReliefTaskView):
    form_class = forms.CountyDecisionForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.county_decide(
            process.relief, self.request.user, approved=data["decision"], reason=data["reason"], password=data["password"], today=timezone.localdate()
        )


class ExplainReliefView(ReliefTaskView):
    form_class = forms.ExplainReliefForm

    def perform(self, form, process):
        services.explain(process.relief, form.cleaned_data["explanation"], timezone.localdate())
