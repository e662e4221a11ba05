"""View helpers shared by the process apps, and the pages behind the stable links (urls.py)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from viewflow.workflow.models import Process, Task

from workflows.policy.calendar import CalendarYearMissing

from .models import process_in_scope


class ServiceFormMixin:
    """Run `perform(form, process)`; a ValidationError from a service becomes a form error
    (in Chinese, on its field when it names one), so bad input never reaches a 500. So does a
    deadline that needs a year whose holiday calendar is not loaded yet (DESIGN §4.4).

    The service and the step it finishes succeed together or leave nothing behind: the nodes
    after the task run in the same request (a relief payment whose fund ran dry in between,
    a next task's deadline), and when one refuses, the form is shown again with its input."""

    def perform(self, form, process):
        raise NotImplementedError

    def form_valid(self, form):
        activation = self.request.activation
        process = activation.process
        task = getattr(activation, "task", None)
        saved = [(obj, obj.pk is not None) for obj in (process, task) if obj is not None]
        try:
            with transaction.atomic():
                self.perform(form, process)
                self.object = process
                activation.execute()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, messages in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                form.add_error(None, error.messages)
        except CalendarYearMissing as missing:
            form.add_error(None, missing.for_staff)
        else:
            return HttpResponseRedirect(self.get_success_url())
        _forget_attempt(saved)
        return self.form_invalid(form)


def _forget_attempt(saved: list) -> None:
    """The savepoint undid the attempt in the database, not in memory: the page shown again
    must not present the case as accepted (or its new deadline) when nothing was saved."""
    for obj, had_row in saved:
        if had_row:
            obj.refresh_from_db()  # also drops the cached related objects (the application)
        else:
            obj.pk = None
            obj._state.adding = True


# RegionScopeMiddleware already answers a process_pk or task_pk outside the user's regions;
# these views check again so that a link never depends on the middleware's order.
@login_required
def task_open(request, task_pk):
    """A task link from a notification: the task's entry page in its flow (which leads on to
    its form, taking it, or its detail, as the user may). Gone or outside the user's regions: 404."""
    task = Task.objects.filter(pk=task_pk).first()
    if task is None or not process_in_scope(request.user, process_pk=task.process_id):
        raise Http404("任务不存在或不在您的辖区内")
    return HttpResponseRedirect(task.flow_task.reverse("index", args=[task.process_id, task.pk]))


@login_required
def process_open(request, process_pk):
    """A case link from a notification (an escalation): the case's page in its flow."""
    process = Process.objects.filter(pk=process_pk).first()
    if process is None or not process_in_scope(request.user, process_pk=process.pk):
        raise Http404("流程不存在或不在您的辖区内")
    return HttpResponseRedirect(process.flow_class.instance.reverse("process_detail", args=[process.pk]))
