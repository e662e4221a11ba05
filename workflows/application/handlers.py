"""Receivers of other apps' signals that move the application's own flow on (flow layer)."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.engine.services import complete_task

from .flows import ApplicationFlow
from .models import Application, ApplicationProcess


def close_delivery_task(sender, notice, user, **kwargs) -> None:
    """A delivery recorded on the notice's own page finishes the case's 送达 task as well.

    Connected to documents.delivery.notice_delivered. It runs after the commit: when the task's
    own form recorded the delivery, that task is done by then and nothing happens here. Robust:
    if it fails, the delivery stands (logged) and the task's form can still finish the task.
    """
    if notice.case_type_id != ContentType.objects.get_for_model(Application).pk:
        return
    application_id = notice.case_id
    transaction.on_commit(lambda: _finish_delivery_task(application_id, user), robust=True)


def _finish_delivery_task(application_id: int, user) -> None:
    open_tasks = Task.objects.filter(
        process__in=ApplicationProcess.objects.filter(application_id=application_id).values("pk"),
        flow_task=ApplicationFlow.deliver_refusal,
        status__in=[STATUS.NEW, STATUS.ASSIGNED],
    )
    for task in open_tasks:
        complete_task(task, user)
