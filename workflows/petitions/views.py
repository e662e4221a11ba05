"""Task views of petition handling: each validates its form and calls one service."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms import petitions as forms
from workflows.core.scoping import scoped
from workflows.engine.views import ServiceFormMixin

from . import selectors, services
from .models import Petition


class RegisterView(ServiceFormMixin, CreateProcessView):
    form_class = forms.RegisterForm
    template_name = "petitions/register.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form, process):
        data = dict(form.cleaned_data)
        services.register(
            process,
            body=data["body"],
            channel=data["channel"],
            kind=data["kind"],
            category=data["category"],
            matter=data["matter"],
            request=data["request"],
            received_on=data["received_on"],
            petitioner_name=data["petitioner_name"],
            petitioner_id_number=data["petitioner_id_number"],
            petitioner_phone=data["petitioner_phone"],
            petitioner_address=data["petitioner_address"],
            group_size=data["group_size"],
            representatives=data["representatives"],
            household=data["household"],
            case=data["case"],
            accused=data["accused"],
            accused_name=data["accused_name"],
            work_order=data["work_order"],
            enquiry=data["enquiry"],
            forwarded_by=data["forwarded_by"],
            attachments=data["attachments"],
            user=self.request.user,
            today=timezone.localdate(),
        )


class PetitionTaskView(ServiceFormMixin, UpdateProcessView):
    """Task pages show the petition, the ledger of earlier petitions and the clocks."""

    template_name = "petitions/task.html"

    @property
    def petition(self) -> Petition:
        return self.request.activation.process.petition

    def get_context_data(self, **kwargs):
        petition = self.petition
        return super().get_context_data(petition=petition, ledger=selectors.ledger(petition, self.request.user), **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "petition": self.petition}


class RouteView(PetitionTaskView):
    form_class = forms.RouteForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def perform(self, form, process):
        data = form.cleaned_data
        if data["withdrawn"]:
            services.withdraw(process.petition, list(data["withdrawn"]), reason=data["withdrawal_reason"], user=self.request.user)
        services.route(
            process.petition, decision=data["decision"], reason=data["reason"], to_body=data["to_body"], user=self.request.user, today=timezone.localdate()
        )


class HandleView(PetitionTaskView):
    form_class = forms.HandleForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.record_handling(
            process.petition,
            investigation=data["investigation"],
            heard_on=data["heard_on"],
            mediation=data["mediation"],
            mediation_text=data["mediation_text"],
            facts=data["facts"],
            basis=data["basis"],
            outcome=data["outcome"],
            opinion=data["opinion"],
            risk=data["risk"],
            risk_note=data["risk_note"],
            handoff_to=data["handoff_to"],
            handoff_contact=data["handoff_contact"],
            handoff_on=data["handoff_on"],
            extension_days=data.get("extension_days") or 0,
            extension_reason=data.get("extension_reason", ""),
            case_action=data.get("case_action", ""),
            user=self.request.user,
            today=timezone.localdate(),
        )


class _PlainFormTaskView(PetitionTaskView):
    """A task whose form needs nothing of the petition (a decision, a call-back)."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("petition")
        return kwargs


class DecideExtensionView(_PlainFormTaskView):
    form_class = forms.DecideForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.decide_extension(process.petition, approve=data["decision"], comment=data["comment"], user=self.request.user, today=timezone.localdate())


class SignView(_PlainFormTaskView):
    form_class = forms.DecideForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.sign_reply(process.petition, approve=data["decision"], comment=data["comment"], user=self.request.user, today=timezone.localdate())


class CallbackView(_PlainFormTaskView):
    form_class = forms.CallbackForm

    def perform(self, form, process):
        data = form.cleaned_data
        services.record_callback(
            process.petition,
            satisfaction=data["satisfaction"],
            well_founded=data["well_founded"],
            note=data["note"],
            user=self.request.user,
            today=timezone.localdate(),
        )


class RequestReviewView(ServiceFormMixin, CreateProcessView):
    form_class = forms.RequestReviewForm
    template_name = "engine/start.html"

    def get_initial(self):
        return {**super().get_initial(), "number": self.request.GET.get("petition", "")}

    def perform(self, form, process):
        data = form.cleaned_data
        petition = scoped(Petition.objects.all(), self.request.user).filter(number=data["number"].strip().upper()).first()
        if petition is None:
            raise ValidationError({"number": "信访件编号不存在或不在您的辖区内"})
        services.request_review(
            process,
            petition,
            reply_received_on=data["reply_received_on"],
            requested_on=data["requested_on"],
            request=data["request"],
            user=self.request.user,
            today=timezone.localdate(),
        )


class AnswerReviewView(ServiceFormMixin, UpdateProcessView):
    form_class = forms.AnswerReviewForm
    template_name = "petitions/review_task.html"

    def get_context_data(self, **kwargs):
        review = self.request.activation.process.review
        return super().get_context_data(review=review, petition=review.petition, **kwargs)

    def perform(self, form, process):
        data = form.cleaned_data
        services.answer_review(
            process.review,
            outcome=data["outcome"],
            facts=data["facts"],
            basis=data["basis"],
            opinion=data["opinion"],
            paused_days=data["paused_days"],
            user=self.request.user,
            today=timezone.localdate(),
        )
