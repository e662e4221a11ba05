"""A new human task tells the people who can act on it (notification kind task_assigned).

Hooked once for every flow, in ScopedTask.save, so that no flow has to remember it. Jobs,
timers, gateways and other machine nodes tell no one: only HUMAN tasks are announced.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from workflows.core.models import StaffRole
from workflows.core.scoping import covering_codes


def recipients(task, region_code: str) -> list:
    """Who sees the new task: its owner when the flow assigned it on creation; otherwise every
    active user who holds the task's permission (through a role group or directly) and has a
    role in a region that covers the case, i.e. exactly whose queue it appears in. One query.
    Superusers are left out: they see every queue and would be told about everything."""
    if task.owner_id:
        return [task.owner] if task.owner.is_active else []
    if not task.owner_permission:
        return []
    in_scope = StaffRole.objects.filter(user=OuterRef("pk"), region_id__in=covering_codes(region_code))
    return list(get_user_model().objects.with_perm(task.owner_permission, include_superusers=False).filter(Exists(in_scope)))


def announce_task(task) -> None:
    """Notify the task's recipients once per task and user (the key holds the task's id, so a
    repeated activation or save sends nothing new)."""
    import config.urls  # noqa: F401 - node URLs exist once the Site is built (not yet in a Celery worker)
    from notifications.services import notify_many

    from .models import CaseProcess

    process = task.process
    case = process if isinstance(process, CaseProcess) else CaseProcess.objects.filter(pk=process.pk).first()
    if case is None:
        return
    users = recipients(task, case.region_code)
    if not users:
        return
    context = {"task_title": task.title, "process_title": task.flow_task.flow_class.process_title, "summary": case.summary, "due_date": case.due_date}
    link = task.flow_task.reverse("index", args=[task.process_id, task.pk])
    notify_many(users, "task_assigned", context, link, key=f"task_assigned:{task.pk}")
