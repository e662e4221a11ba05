"""Task views of the application process: each validates its form and calls one service."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms import application as forms
from workflows.core.models import Household
from workflows.core.scoping import scoped
from workflows.engine.views import ServiceFormMixin

from . import services


class CaseTaskView(ServiceFormMixin, UpdateProcessView):
    def get_context_data(self, **kwargs):
        from django.contrib.contenttypes.models import ContentType

        from documents.models import Notice

        application = self.request.activation.process.application
        notices = Notice.objects.filter(case_type=ContentType.objects.get_for_model(application), case_id=application.pk).order_by("created")
        return super().get_context_data(application=application, household=application.household, notices=notices, **kwargs)


class FileApplicationView(ServiceFormMixin, CreateProcessView):
    form_class = forms.FileApplicationForm
    template_name = "engine/start.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        household_id = self.request.GET.get("household", "")
        household = scoped(Household.objects.all(), self.request.user).filter(pk=household_id).first() if household_id.isdigit() else None
        return {**kwargs, "user": self.request.user, "household": household}

    def perform(self, form, process):
        data = form.cleaned_data
        process.save()
        services.file_application(
            process,
            household=data["household"],
            applicant=data["applicant"],
            kind=data["kind"],
            channel=data["channel"],
            staff_relative=data["staff_relative"],
            staff_relative_note=data["staff_relative_note"],
            delegated=data["delegated"],
            user=self.request.user,
            today=timezone.localdate(),
        )


class AcceptView(CaseTaskView):
    form_class = forms.AcceptForm

    def perform(self, form, process):
        if form.cleaned_data["decision"] == "accept":
            services.accept(process, timezone.localdate(), self.request.user)
        else:
            services.request_correction(process, form.cleaned_data["items"], self.request.user, timezone.localdate())


class CorrectionReceivedView(CaseTaskView):
    form_class = forms.CorrectionReceivedForm

    def perform(self, form, process):
        services.accept(process, timezone.localdate(), self.request.user)


class InvestigationView(CaseTaskView):
    form_class = forms.InvestigationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "application": self.request.activation.process.application}

    def perform(self, form, process):
        data = form.cleaned_data
        services.record_investigation(
            process.application,
            user=self.request.user,
            investigator_1=data["investigator_1"],
            investigator_2=data["investigator_2"],
            visited_on=data["visited_on"],
            living_conditions=data["living_conditions"],
            findings=data["findings"],
            self_care=data.get("self_care"),
        )
        if data["extension_reason"]:
            services.extend_deadline(process, data["extension_reason"])


class AssessView(CaseTaskView):
    form_class = forms.AssessForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "application": self.request.activation.process.application}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The same computation the service records (services.evaluate), shown step by step.
        try:
            _, _, outcome = services.evaluate(context["application"], timezone.localdate())
        except ValidationError as error:
            context["rule_error"] = error.messages[0]
        else:
            context["rule_steps"], context["rule_outcome"] = outcome.steps, outcome
        return context

    def perform(self, form, process):
        data = form.cleaned_data
        services.assess(
            process.application,
            corrected_amount=data.get("corrected_amount"),
            correction_reason=data.get("correction_reason") or "",
            property_override=data.get("property_override") or "",
            user=self.request.user,
            today=timezone.localdate(),
        )


class DeliverDecisionView(CaseTaskView):
    form_class = forms.DeliverDecisionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "notice": services.decision_notice(self.request.activation.process.application)}

    def perform(self, form, process):
        data = form.cleaned_data
        services.deliver_decision(process, user=self.request.user, method=data.get("method"), day=data.get("day"), proof=data.get("proof"))
