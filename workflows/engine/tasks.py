import logging
from datetime import date

from celery import shared_task
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.timers import fire_due_timers

from workflows.policy.calendar import is_working_day

from . import escalation, reminders
from .calendar_watch import warn_missing_calendar  # noqa: F401 - a beat job: registered with the app's tasks
from .services import recount_provisional_deadlines

log = logging.getLogger(__name__)

FINISHED = {STATUS.DONE, STATUS.CANCELED, STATUS.ERROR}


class JobFailed(Exception):
    pass


@shared_task(bind=True, acks_late=True, max_retries=None)
def run_flow_job(self, task_pk: int):
    """Run one CeleryJob task. Safe to deliver twice: a finished task is left alone."""
    head = Task.objects.filter(pk=task_pk).values_list("process_id", "status").first()
    if head is None or head[1] in FINISHED:
        return "skipped"
    process_pk = head[0]
    task = Task.objects.get(pk=task_pk)
    flow_class = task.process.flow_class
    node = task.flow_task

    failure = None
    with flow_class.lock(process_pk):
        task = flow_class.task_class._default_manager.get(pk=task_pk)
        if task.status in FINISHED:
            return "skipped"
        activation = node.activation_class(task)
        activation.start()
        try:
            with transaction.atomic():
                node.run(activation)
        except Exception as exc:
            if self.request.retries < node.max_retries:
                failure = exc
            else:
                log.exception("flow job %s failed for good", task_pk)
                activation.error(exc)
                return "error"
        else:
            activation.execute()
            return "done"
    # Retry outside the lock and its transaction, so the STARTED mark is committed.
    raise self.retry(exc=failure, countdown=0 if self.request.is_eager else node.retry_delay)


@shared_task
def fire_timers() -> int:
    """Fire every due viewflow Timer (run by beat each minute; safe to run concurrently)."""
    return fire_due_timers()


@shared_task
def escalate_overdue(today: str | None = None) -> int:
    """Daily on working days: overdue cases go to the responsible leader (once per task)."""
    day = date.fromisoformat(today) if today else timezone.localdate()
    # What another process counted on a provisional day after the notice was loaded there.
    recount_provisional_deadlines()
    return escalation.escalate_overdue(day) if is_working_day(day) else 0


def _send_deadline_reminders(today: date | str | None = None) -> int:
    """Daily at 08:30 (beat): the open tasks due within a few working days are reminded to
    whoever may act on them, once per task, user and day (reminders.remind_due_tasks)."""
    if isinstance(today, str):  # beat and the JSON serializer pass dates as strings
        today = date.fromisoformat(today)
    return reminders.remind_due_tasks(today or timezone.localdate())


send_deadline_reminders = shared_task(name="workflows.engine.tasks.send_deadline_reminders")(_send_deadline_reminders)
# Its name while the notifications app ran it: a message queued under it before an upgrade
# is still run, not refused as an unregistered task.
shared_task(name="notifications.tasks.send_deadline_reminders")(_send_deadline_reminders)


def on_holidays_loaded(sender, year, **kwargs) -> None:
    """A year's official arrangement was just saved (policy.holiday_import.holidays_loaded):
    its provisional deadlines are counted again in the same transaction, and once it commits
    the tasks now overdue are escalated the usual way (once per task, on working days)."""
    if recount_provisional_deadlines():
        # Today as the web process sees it: the worker may run the job past midnight.
        transaction.on_commit(lambda: escalate_overdue.delay(timezone.localdate().isoformat()))
