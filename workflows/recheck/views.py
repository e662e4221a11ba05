"""Task views of the recheck (each validates its form and calls one service) and the
township's recheck list."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils import timezone
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms import recheck as forms
from workflows.core.models import Beneficiary
from workflows.core.scoping import scoped
from workflows.engine.views import ServiceFormMixin
from workflows.policy.calendar import cn_date
from workflows.policy.recheck import OUTCOME_LABELS

from . import services


class ReportEventView(ServiceFormMixin, CreateProcessView):
    form_class = forms.ReportEventForm
    template_name = "engine/start.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        pk = self.request.GET.get("beneficiary", "")
        beneficiary = scoped(Beneficiary.objects.select_related("household"), self.request.user).filter(pk=pk).first() if pk.isdigit() else None
        return {**kwargs, "user": self.request.user, "beneficiary": beneficiary}

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except services.AlreadyOpen as already:
            # The beneficiary's recheck is open: the event joins it (a second report of the same
            # event changes nothing); no second recheck.
            data = form.cleaned_data
            recheck = services.report_event_on_open(already.recheck, **self._event(data), user=self.request.user)
            messages.info(self.request, f"该保障对象已有在办的复核（{recheck.get_state_display()}），本次情况已并入该复核，期限{cn_date(recheck.due_on)}。")
            flow_class = self.request.activation.flow_class
            return HttpResponseRedirect(flow_class.instance.reverse("process_detail", args=[recheck.recheckprocess.pk]))

    @staticmethod
    def _event(data) -> dict:
        return {"event": data["event"], "event_date": data["event_date"], "member": data["member"], "detail": data["detail"], "today": timezone.localdate()}

    def perform(self, form, process):
        services.report_event(process, form.cleaned_data["beneficiary"], **self._event(form.cleaned_data), user=self.request.user)


class RecheckTaskView(ServiceFormMixin, UpdateProcessView):
    """Task pages show the beneficiary, the household and the recheck so far."""

    def get_context_data(self, **kwargs):
        recheck = self.request.activation.process.recheck
        return super().get_context_data(recheck=recheck, beneficiary=recheck.beneficiary, household=recheck.beneficiary.household, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "recheck": self.request.activation.process.recheck}


class VisitView(RecheckTaskView):
    form_class = forms.VisitForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.record_visit(
            process.recheck,
            user=self.request.user,
            investigator_1=data["investigator_1"],
            investigator_2=data["investigator_2"],
            visited_on=data["visited_on"],
            living_conditions=data["living_conditions"],
            findings=data["findings"],
            self_care=data.get("self_care"),
            today=timezone.localdate(),
        )


class ProposeView(RecheckTaskView):
    form_class = forms.ProposeForm

    def _evaluation(self):
        if not hasattr(self, "_evaluated"):
            recheck = self.request.activation.process.recheck
            _standard, _facts, outcome = services.evaluate(recheck, timezone.localdate())
            self._evaluated = (outcome, services.suggested_outcome(recheck, outcome))
        return self._evaluated

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "POST":
            # A bound form shows what was sent; the service evaluates again under its lock.
            return kwargs
        outcome, suggested = self._evaluation()
        return {**kwargs, "suggested": suggested, "rule_amount": outcome.monthly_amount if outcome else None}

    def get_context_data(self, **kwargs):
        outcome, suggested = self._evaluation()
        return super().get_context_data(outcome=outcome, suggested_label=OUTCOME_LABELS[suggested], **kwargs)

    def perform(self, form, process):
        data = form.cleaned_data
        services.propose(
            process.recheck,
            user=self.request.user,
            outcome=data["outcome"],
            reason=data["reason"],
            new_amount=data["new_amount"],
            exit_months=data["exit_months"],
            delegated=data["delegated"],
            member=data["member"],
            new_head=data["new_head"],
            today=timezone.localdate(),
        )


class DecideView(RecheckTaskView):
    form_class = forms.DecideForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("recheck")
        return kwargs

    def perform(self, form, process):
        data = form.cleaned_data
        services.decide(process.recheck, user=self.request.user, approve=data["decision"], comment=data["comment"], today=timezone.localdate())
