"""The task view of low-income monitoring: the county officer places a signal about someone we
do not know."""

from viewflow.workflow.flow.views import UpdateProcessView

from forms import monitoring as forms
from workflows.engine.views import ServiceFormMixin

from . import services


class PlaceView(ServiceFormMixin, UpdateProcessView):
    form_class = forms.PlaceForm

    def get_form_kwargs(self):
        signal = self.request.activation.process.signal
        return {**super().get_form_kwargs(), "user": self.request.user, "county_code": signal.feed.county_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(signal=self.request.activation.process.signal, **kwargs)

    def perform(self, form, process):
        data = form.cleaned_data
        services.place(process.signal, village=data["village"], note=data["situation"], user=self.request.user)
