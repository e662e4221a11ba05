"""View helpers shared by the process apps."""

from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect


class ServiceFormMixin:
    """Run `perform(form, process)`; a ValidationError from a service becomes a form error
    (in Chinese, on its field when it names one), so bad input never reaches a 500."""

    def perform(self, form, process):
        raise NotImplementedError

    def form_valid(self, form):
        process = self.request.activation.process
        try:
            self.perform(form, process)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error.messages)
            return self.form_invalid(form)
        self.object = process
        self.request.activation.execute()
        return HttpResponseRedirect(self.get_success_url())
