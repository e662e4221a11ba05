"""Deadline reminders: the open human tasks whose case falls due soon, told to whoever may act
on them (the same people a new task is announced to, assignment.recipients)."""

from datetime import date

from django.conf import settings
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from notifications.services import notify_many
from workflows.core.models import Recusal
from workflows.policy import calendar

from .assignment import recipients, reminder_key, task_context
from .links import task_link
from .models import CaseProcess


def remind_due_tasks(today: date) -> int:
    """Remind of open human tasks whose case is due within REMINDER_WORKING_DAYS working days
    (today up to that day, both included); nothing on a non-working day (beat's crontab cannot
    know the holiday calendar).

    Told: the task's owner; for an unassigned task everyone whose queue it appears in.
    Overdue tasks are not reminded here: they are a matter for escalation, not a reminder.
    One notification per task, user and day (the key holds the date), so a rerun the same day
    sends nothing new. Returns the number of (task, user) reminders due today.
    """
    if not calendar.is_working_day(today):
        return 0
    horizon = calendar.add_working_days(today, settings.REMINDER_WORKING_DAYS)
    tasks = (
        Task.objects.filter(
            flow_task_type="HUMAN",
            finished__isnull=True,
            status__in=[STATUS.NEW, STATUS.ASSIGNED],
            process__caseprocess__due_date__gte=today,
            process__caseprocess__due_date__lte=horizon,
        )
        .select_related("owner", "process__caseprocess")
        .order_by("pk")
    )
    queues = {}  # (permission, region) → who sees such a task in their queue: one query each
    # A process with recusals has its own recipients (those recused are not told).
    withheld = set(Recusal.objects.filter(record_type=CaseProcess.recusal_label).values_list("record_id", flat=True).distinct())
    reminded = 0
    for task in tasks:
        case = task.process.caseprocess
        if task.owner_id or task.process_id in withheld:
            users = recipients(task, case.region_code)
        else:
            queue = (task.owner_permission, case.region_code)
            if queue not in queues:
                queues[queue] = recipients(task, case.region_code)
            users = queues[queue]
        if not users:
            continue
        context = {
            **task_context(task, case),
            "today": today,
            "working_days_left": _working_days_between(today, case.due_date),
            "assigned": bool(task.owner_id),
        }
        notify_many(users, "deadline_reminder", context, task_link(task.pk), key=reminder_key(task.pk, today))
        reminded += len(users)
    return reminded


def _working_days_between(start: date, end: date) -> int:
    """How many working days after ``start`` up to and including ``end``."""
    n = 0
    while calendar.add_working_days(start, n + 1) <= end:
        n += 1
    return n
