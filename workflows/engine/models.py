"""Base process model carrying the region and the deadline of every case (DESIGN §3, §4.3)."""

from datetime import date

from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from viewflow.workflow.models import Process, Task

from workflows.core.models import pattern_index
from workflows.core.scoping import in_scope, scope_q, scope_prefixes


class CaseProcess(Process):
    """Every process of the product is a CaseProcess (multi-table inheritance from viewflow's).

    `region_code` is what region scoping filters on; `due_date` is the legal deadline counted
    in working days, shown on tasks and lists.
    """

    region_code = models.CharField("区划代码", max_length=12)
    due_date = models.DateField("办理期限", null=True, blank=True)
    deadline_note = models.CharField("期限说明", max_length=200, blank=True)
    # What the case is about, in a few words; kept on the row so task lists need no extra
    # query per line.
    summary = models.CharField("事项", max_length=200, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "业务流程"
        indexes = [pattern_index("region_code", "caseprocess_region_like"), models.Index(fields=["due_date"], name="caseprocess_due")]

    def is_overdue(self, today: date | None = None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.due_date is not None and self.finished is None and self.due_date < today


TASK_SCOPE_FIELD = "process__caseprocess__region_code"


class ScopedTaskQuerySet(Task.objects._queryset_class):
    """viewflow's task queries, narrowed to the user's regions wherever a user is given."""

    def filter_available(self, flow_classes, user):
        return super().filter_available(flow_classes, user).filter(scope_q(user, TASK_SCOPE_FIELD))

    def user_queue(self, user, flow_class=None):
        return super().user_queue(user, flow_class).filter(scope_q(user, TASK_SCOPE_FIELD))

    def user_archive(self, user, flow_class=None):
        return super().user_archive(user, flow_class).filter(scope_q(user, TASK_SCOPE_FIELD))


class ScopedTaskManager(models.Manager.from_queryset(ScopedTaskQuerySet)):
    def get_queryset(self):
        # viewflow builds an activation for every task it touches, and each one turns the
        # task's Process into the flow's own process class (Process → CaseProcess → e.g.
        # ApplicationProcess): three queries. Joining the first two here leaves one.
        return super().get_queryset().select_related("process__caseprocess")


class ScopedTask(Task):
    objects = ScopedTaskManager()

    class Meta:
        proxy = True
        verbose_name = "任务"
        verbose_name_plural = "任务"

    @classmethod
    def from_db(cls, db, field_names, values):
        task = super().from_db(db, field_names, values)
        # What the status was when loaded: a save that changes it settles the notifications.
        task._loaded_status = task.__dict__.get("status")
        return task

    def save(self, *args, **kwargs):
        created = self._state.adding
        super().save(*args, **kwargs)
        from .assignment import announce_task, settle_task

        # A task enters an inbox or a queue only when it is created (viewflow creates every
        # task through this class); later saves are its own progress.
        if created and self.flow_task_type == "HUMAN":
            announce_task(self)
        elif not created:
            settle_task(self, getattr(self, "_loaded_status", None))
        self._loaded_status = self.status


@receiver(post_save, sender=Task)
def _task_saved(sender, instance, created, **kwargs):
    """viewflow cancels a process's tasks through the plain Task model (process.task_set),
    not through ScopedTask.save: settle those too (their earlier status is not known)."""
    from .assignment import settle_task

    if not created:
        settle_task(instance, None)


def process_in_scope(user, process_pk=None, task_pk=None) -> bool:
    """Whether the process (or the task's process) lies inside the user's regions."""
    prefixes = scope_prefixes(user)
    if not prefixes:
        return False
    if task_pk is not None:
        task_process = Task.objects.filter(pk=task_pk).values_list("process_id", flat=True).first()
        if task_process is None or (process_pk is not None and int(process_pk) != task_process):
            return False
        process_pk = task_process
    region_code = CaseProcess.objects.filter(pk=process_pk).values_list("region_code", flat=True).first()
    if region_code is None:
        # A process outside our base model carries no region: only the province-wide see it.
        return "" in prefixes
    return in_scope(user, region_code)
