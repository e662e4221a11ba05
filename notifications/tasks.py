"""Celery tasks: sending one delivery, and the daily deadline reminders."""

from datetime import date

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.core.scoping import in_scope
from workflows.policy import calendar

from . import sms
from .models import Delivery
from .services import PERMISSION_BACKEND, notify


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.EMAIL:
        send_mail(delivery.subject, delivery.text, None, [delivery.recipient])
    else:
        sms.get_backend().send(delivery.recipient, delivery.text, key=delivery.idempotency_key)


@shared_task(bind=True, autoretry_for=(Exception,), max_retries=5, retry_backoff=30, retry_backoff_max=3600)
def deliver(self, delivery_id: int) -> str:
    """Send one delivery at most once.

    The row is locked while sending, so a duplicate message waits and then finds it 'sent';
    a retry after a send that succeeded (e.g. the worker died before acking) finds it 'sent'
    too. A failure is recorded (attempts, error) before Celery retries with backoff.
    """
    failure = None
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status == Delivery.SENT:
            return "skipped"
        delivery.attempts += 1
        try:
            _send(delivery)
        except Exception as exc:  # recorded here, re-raised below for Celery's autoretry
            failure = exc
            delivery.status, delivery.last_error = Delivery.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        else:
            delivery.status, delivery.sent_at, delivery.last_error = Delivery.SENT, timezone.now(), ""
        delivery.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    if failure is not None:
        raise failure
    return "sent"


@shared_task
def send_deadline_reminders(today: date | str | None = None) -> int:
    """Remind of open human tasks whose case is due within REMINDER_WORKING_DAYS working days
    (today up to that day, both included). Runs from beat every day at 08:30 and does nothing
    on a non-working day (crontab cannot know the holiday calendar).

    Recipients: the task's owner; for an unassigned task every active user who holds the
    task's permission (through a role group or directly, superusers not included) and whose
    region scope covers the case's region, i.e. everyone who sees it in their queue.
    Overdue tasks are not reminded here: they are a matter for escalation, not a reminder.
    One notification per task, user and day (the key holds the date), so a rerun the same day
    sends nothing new. Returns the number of (task, user) reminders due today.
    """
    if isinstance(today, str):  # beat and the JSON serializer pass dates as strings
        today = date.fromisoformat(today)
    today = today or timezone.localdate()
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
    candidates = {}  # permission → users holding it; the same user objects keep their cached scope
    reminded = 0
    for task in tasks:
        case = task.process.caseprocess
        if task.owner_id:
            recipients = [task.owner]
        elif task.owner_permission:
            if task.owner_permission not in candidates:
                candidates[task.owner_permission] = list(
                    get_user_model().objects.with_perm(task.owner_permission, include_superusers=False, backend=PERMISSION_BACKEND)
                )
            recipients = [u for u in candidates[task.owner_permission] if in_scope(u, case.region_code)]
        else:
            recipients = []
        context = {
            "task_title": task.title,
            "process_title": task.flow_task.flow_class.process_title,
            "summary": case.summary,
            "due_date": case.due_date,
            "due_provisional": case.due_provisional,
            "today": today,
            "working_days_left": _working_days_between(today, case.due_date),
            "assigned": bool(task.owner_id),
        }
        link = task.flow_task.reverse("index", args=[task.process_id, task.pk])
        for user in recipients:
            notify(user, "deadline_reminder", context, link, key=f"deadline_reminder:{task.pk}:{today.isoformat()}")
            reminded += 1
    return reminded


def _working_days_between(start: date, end: date) -> int:
    """How many working days after ``start`` up to and including ``end``."""
    n = 0
    while calendar.add_working_days(start, n + 1) <= end:
        n += 1
    return n
