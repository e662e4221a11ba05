"""A new human task tells the people who can act on it (notification kind task_assigned).

Hooked once for every flow, in ScopedTask.save, so that no flow has to remember it. Jobs,
timers, gateways and other machine nodes tell no one: only HUMAN tasks are announced.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from notifications.services import settle_task_notifications
from viewflow.workflow.status import STATUS
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
    codes = covering_codes(region_code)
    app_label, _, codename = task.owner_permission.partition(".")
    return list(get_user_model().objects.raw(_recipients_sql(len(codes)), [app_label, codename, app_label, codename, *codes]))


@functools.cache
def _recipients_sql(codes: int) -> str:
    # Written out rather than built with ModelBackend.with_perm(): every human task runs it,
    # and composing that queryset cost more than running it (about 2.5 ms of the 10 per task).
    # Same meaning: active, not superuser, the permission through a group or directly.
    User = get_user_model()
    user, groups, direct = User._meta.db_table, User.groups.through._meta.db_table, User.user_permissions.through._meta.db_table
    group_perms, perms, types = Group.permissions.through._meta.db_table, Permission._meta.db_table, ContentType._meta.db_table
    role = StaffRole._meta.db_table
    permission = f"SELECT p.id FROM {perms} p JOIN {types} ct ON ct.id = p.content_type_id WHERE ct.app_label = %s AND p.codename = %s"
    return (
        f"SELECT u.* FROM {user} u WHERE u.is_active AND NOT u.is_superuser"
        f" AND (EXISTS (SELECT 1 FROM {groups} ug JOIN {group_perms} gp ON gp.group_id = ug.group_id WHERE ug.user_id = u.id AND gp.permission_id IN ({permission}))"
        f" OR EXISTS (SELECT 1 FROM {direct} up WHERE up.user_id = u.id AND up.permission_id IN ({permission})))"
        f" AND EXISTS (SELECT 1 FROM {role} r WHERE r.user_id = u.id AND r.region_id IN ({', '.join(['%s'] * codes)}))"
        " ORDER BY u.id"
    )


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
    context = {"task_title": task.title, "process_title": task.flow_task.flow_class.process_title, "summary": case.summary, "due_date": case.due_date, "due_provisional": case.due_provisional}
    link = task.flow_task.reverse("index", args=[task.process_id, task.pk])
    notify_many(users, "task_assigned", context, link, key=f"task_assigned:{task.pk}")


def settle_task(task, previous_status: str | None) -> None:
    """A task left the queues (done, cancelled) or was taken: what told others to act on it is
    read now. Its new owner keeps theirs: it still asks them to act."""
    if task.status == previous_status or task.flow_task_type != "HUMAN":
        return
    if task.status in (STATUS.DONE, STATUS.CANCELED):
        keep = None
    elif task.status == STATUS.ASSIGNED and task.owner_id:
        keep = task.owner_id
    else:
        return
    settle_task_notifications(task.flow_task.reverse("index", args=[task.process_id, task.pk]), task.pk, keep_user_id=keep)
