from django.utils import timezone
from viewflow.workflow.flow.views import CreateProcessView, UpdateProcessView

from forms.changes import ProposeChangeForm, ReviewChangeForm
from workflows.core.models import Household
from workflows.core.scoping import scoped
from workflows.engine.views import ServiceFormMixin

from . import services


class ProposeChangeView(ServiceFormMixin, CreateProcessView):
    form_class = ProposeChangeForm
    template_name = "engine/start.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        household_id = self.request.GET.get("household")
        household = None
        if household_id and household_id.isdigit():
            household = scoped(Household.objects.all(), self.request.user).filter(pk=household_id).first()
        return {**kwargs, "user": self.request.user, "household": household}

    def perform(self, form, process):
        process.save()
        services.propose_change(process, form.cleaned_data["household"], form.proposed(), form.cleaned_data["reason"], self.request.user, timezone.localdate())


class ReviewChangeView(ServiceFormMixin, UpdateProcessView):
    form_class = ReviewChangeForm

    def get_context_data(self, **kwargs):
        change = self.request.activation.process.change
        return super().get_context_data(change=change, change_rows=services.describe_change(change), **kwargs)

    def perform(self, form, process):
        services.review_change(process.change, self.request.user, form.cleaned_data["decision"], form.cleaned_data["comment"])
