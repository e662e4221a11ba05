"""Engine operations that processes share."""

from django.db import transaction
from viewflow.workflow.status import STATUS


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
