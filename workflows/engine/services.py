"""Engine operations that processes share."""

from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from .models import CaseProcess


def complete_task(task, user) -> bool:
    """Finish an open human task whose work was recorded elsewhere (e.g. a notice's delivery
    recorded on the notice's own page), the way its view would: under the flow lock, taken by
    `user` when nobody had it, then the next nodes. False when it was no longer open."""
    flow_class = task.flow_task.flow_class
    with flow_class.lock(task.process_id), transaction.atomic():
        task = flow_class.task_class._default_manager.get(pk=task.pk)
        if task.status not in (STATUS.NEW, STATUS.ASSIGNED):
            return False
        activation = task.flow_task.activation_class(task)
        if task.status == STATUS.NEW:
            activation.assign(user)
        activation.start(None)
        activation.execute()
    return True


def recount_provisional_deadlines() -> int:
    """Count again every open case's deadline that was counted on a provisional calendar day
    (DESIGN §4.4), from the start it was counted from, and save it: the date moves to what
    the official arrangement gives, and its 暂定 mark goes once no provisional day is used.
    Run when a year's notice is loaded and by the daily escalation job (for what another
    process counted with its cached provisional year). Returns how many deadlines changed."""
    changed = 0
    for process in list(CaseProcess.objects.filter(due_provisional=True, finished__isnull=True).order_by("pk")):
        if process.recount_due():
            process.save(update_fields=["due_date"])
            changed += 1
    return changed


def open_human_tasks(process) -> list:
    """The process's human tasks still waiting for someone (new or taken), oldest first: what a
    page outside the task's own (a bulk page, a notice's page) finishes with complete_task."""
    return list(Task.objects.filter(process_id=process.pk, flow_task_type="HUMAN", status__in=[STATUS.NEW, STATUS.ASSIGNED]).order_by("pk"))
