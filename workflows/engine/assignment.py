"""Who is told about a human task, and when it stops asking them (one place for every flow).

A new human task tells the people who can act on it (notification kind task_assigned), hooked
once in ScopedTask.save so that no flow has to remember it; jobs, timers, gateways and other
machine nodes tell no one. The daily deadline reminders (reminders.py) tell the same people.
Once the task is done, cancelled or taken, what asked others to act on it is marked read.
"""

import functools
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.status import STATUS

from notifications.services import notify_many, settle
from workflows.core.models import Recusal, StaffRole
from workflows.core.scoping import covering_codes

from .links import task_link
from .models import CaseProcess


# The notifications' keys (once per task and user; a reminder once a day): settle_task finds
# them again by these, whatever link they were stored with.
def announcement_key(task_pk: int) -> str:
    return f"task_assigned:{task_pk}"


def reminder_key(task_pk: int, day: date | None = None) -> str:
    """The key of the task's reminder on ``day``; without a day, what every one of them begins with."""
    return f"deadline_reminder:{task_pk}:" + (day.isoformat() if day else "")


def escalation_key(process_pk: int, task_pk: int) -> str:
    return f"overdue:{process_pk}:{task_pk}"


def recipients(task, region_code: str) -> list:
    """Who may act on the task, and so is told of it: its owner once it has one (the flow
    assigned it on creation, or someone took it); otherwise every active user who holds the
    task's permission (through a role group or directly) and has a role in a region that covers
    the case, i.e. exactly whose queue it appears in. One query. Superusers are left out: they
    see every queue and would be told about everything."""
    if task.owner_id:
        return [task.owner] if task.owner.is_active else []
    if not task.owner_permission:
        return []
    codes = covering_codes(region_code)
    app_label, _, codename = task.owner_permission.partition(".")
    params = [app_label, codename, app_label, codename, *codes, CaseProcess.recusal_label, task.process_id]
    return list(get_user_model().objects.raw(_recipients_sql(len(codes)), params))


@functools.cache
def _recipients_sql(codes: int) -> str:
    # Written out rather than built with ModelBackend.with_perm(): every human task runs it,
    # and composing that queryset cost more than running it (about 2.5 ms of the 10 per task).
    # Same meaning: active, not superuser, the permission through a group or directly.
    User = get_user_model()
    user, groups, direct = User._meta.db_table, User.groups.through._meta.db_table, User.user_permissions.through._meta.db_table
    group_perms, perms, types = Group.permissions.through._meta.db_table, Permission._meta.db_table, ContentType._meta.db_table
    role, recusal = StaffRole._meta.db_table, Recusal._meta.db_table
    permission = f"SELECT p.id FROM {perms} p JOIN {types} ct ON ct.id = p.content_type_id WHERE ct.app_label = %s AND p.codename = %s"
    return (
        f"SELECT u.* FROM {user} u WHERE u.is_active AND NOT u.is_superuser"
        f" AND (EXISTS (SELECT 1 FROM {groups} ug JOIN {group_perms} gp ON gp.group_id = ug.group_id WHERE ug.user_id = u.id AND gp.permission_id IN ({permission}))"
        f" OR EXISTS (SELECT 1 FROM {direct} up WHERE up.user_id = u.id AND up.permission_id IN ({permission})))"
        f" AND EXISTS (SELECT 1 FROM {role} r WHERE r.user_id = u.id AND r.region_id IN ({', '.join(['%s'] * codes)}))"
        # Recused from the process (core.Recusal): not told of its tasks either.
        f" AND NOT EXISTS (SELECT 1 FROM {recusal} rc WHERE rc.user_id = u.id AND rc.record_type = %s AND rc.record_id = %s)"
        " ORDER BY u.id"
    )


def announce_task(task) -> None:
    """Notify the task's recipients once per task and user (the key holds the task's id, so a
    repeated activation or save sends nothing new)."""
    process = task.process
    case = process if isinstance(process, CaseProcess) else CaseProcess.objects.filter(pk=process.pk).first()
    if case is None:
        return
    users = recipients(task, case.region_code)
    if not users:
        return
    context = task_context(task, case)
    notify_many(users, "task_assigned", context, task_link(task.pk), key=announcement_key(task.pk))


def settle_task(task, previous_status: str | None) -> None:
    """A task left the queues (done, cancelled) or was taken: what told others to act on it is
    read now (its announcement, its reminders, its escalation). Its new owner keeps theirs: it
    still asks them to act. Found by kind and key, so a notification stored with the flow's own
    task URL, before the stable link, is found as well."""
    if task.status == previous_status or task.flow_task_type != "HUMAN":
        return
    if task.status in (STATUS.DONE, STATUS.CANCELED):
        keep = None
    elif task.status == STATUS.ASSIGNED and task.owner_id:
        keep = task.owner_id
    else:
        return
    keys = [
        ("task_assigned", announcement_key(task.pk)),
        ("deadline_reminder", reminder_key(task.pk)),
        ("overdue_escalation", escalation_key(task.process_id, task.pk)),
    ]
    settle(keys, keep_user_id=keep)


def task_context(task, case) -> dict:
    """What a notification about a task says of it: the task, its process, the case, its deadline."""
    return {
        "task_title": task.title,
        "process_title": task.flow_task.flow_class.process_title,
        "summary": case.summary,
        "due_date": case.due_date,
        "due_provisional": case.due_provisional,
    }


def on_scoped_task_saved(sender, instance, created, **kwargs) -> None:
    """post_save of a ScopedTask (viewflow creates every task through it): a new human task
    enters an inbox or a queue and is announced; a later save is its own progress, which
    settles what asked others to act on it."""
    if created:
        if instance.flow_task_type == "HUMAN":
            announce_task(instance)
    else:
        settle_task(instance, getattr(instance, "_loaded_status", None))


def on_task_saved(sender, instance, created, **kwargs) -> None:
    """post_save of a plain Task: viewflow cancels a process's tasks through process.task_set,
    not through ScopedTask: settle those too (their earlier status is not known)."""
    if not created:
        settle_task(instance, None)
