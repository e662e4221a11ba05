"""Base process model carrying the region and the deadline of every case (DESIGN §3, §4.3)."""

from datetime import date
from typing import Protocol

from django.db import models
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from workflows.core.models import pattern_index
from workflows.core.scoping import in_scope, recused_ids, scope_prefixes, scope_q
from workflows.policy import calendar

#: Saved whenever ``due_date`` is, so that a deadline and its 暂定 mark never disagree.
DUE_FIELDS = ("due_provisional", "due_from", "due_working_days")


def _provisional(day: date | None) -> bool:
    try:
        return day is not None and calendar.is_provisional(day)
    except calendar.CalendarYearMissing:
        return False


class Subject(Protocol):
    """What a process is about (an application, a meeting, a roster line…): a record of a region."""

    @property
    def region_code(self) -> str: ...


class CaseProcess(Process):
    """Every process of the product is a CaseProcess (multi-table inheritance from viewflow's).

    `region_code` is what region scoping filters on; `due_date` is the legal deadline counted
    in working days, shown on tasks and lists.

    A deadline counted on a provisional calendar day (``calendar.is_provisional``: the year
    whose State Council notice is not loaded yet) is ``due_provisional`` and shown as 暂定. Set
    through ``count_due`` or ``due_on_or_before``, it keeps what it was counted from, so that
    ``recount_due`` counts it again once the notice is loaded. A date set directly (a
    meeting's day, a stage's frozen date) has nothing to count again from: it is marked 暂定
    when it lies in the provisional year, and the mark goes when that year becomes official.
    """

    # viewflow has no stubs, so django-stubs does not see a model here: the fields of process
    # models spell out their types (value set, value read).
    region_code: "models.CharField[str, str]" = models.CharField("区划代码", max_length=12)
    due_date: "models.DateField[date | None, date | None]" = models.DateField("办理期限", null=True, blank=True)
    due_provisional: "models.BooleanField[bool, bool]" = models.BooleanField(
        "期限暂定", default=False, help_text="按法定假日暂定的日历计算，导入国务院通知后重新计算"
    )
    due_from: "models.DateField[date | None, date | None]" = models.DateField("期限起算日", null=True, blank=True)
    due_working_days: "models.PositiveSmallIntegerField[int | None, int | None]" = models.PositiveSmallIntegerField(
        "期限工作日数", null=True, blank=True, help_text="起算日后第几个工作日；为空则为起算日当天或之前的最后一个工作日"
    )
    deadline_note: "models.CharField[str, str]" = models.CharField("期限说明", max_length=200, blank=True)
    # What the case is about, in a few words; kept on the row so task lists need no extra
    # query per line.
    summary: "models.CharField[str, str]" = models.CharField("事项", max_length=200, blank=True)

    #: A process can be withheld from a staff member (core.Recusal: withdrawal, an accusation),
    #: stored under this model's label for every flow's process class.
    recusable = True
    recusal_label = "engine.CaseProcess"

    class Meta:
        verbose_name = verbose_name_plural = "业务流程"
        indexes = [pattern_index("region_code", "caseprocess_region_like"), models.Index(fields=["due_date"], name="caseprocess_due")]

    #: due_date as read from the database; a save that changed it without counting drops the
    #: start it was counted from.
    _loaded_due = None
    _due_counted = False

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_due = instance.__dict__.get("due_date")
        return instance

    def count_due(self, start: date, working_days: int, note: str | None = None) -> date:
        """The deadline is the ``working_days``-th working day after ``start`` (``add_working_days``)."""
        self.due_date = calendar.add_working_days(start, working_days)
        self.due_from, self.due_working_days = start, working_days
        # Counted forwards: a provisional day was used exactly when the end lies in that year.
        self.due_provisional = _provisional(self.due_date)
        self._due_counted = True
        if note is not None:
            self.deadline_note = note
        return self.due_date

    def due_on_or_before(self, nominal: date, note: str | None = None) -> date:
        """The deadline is the last working day on or before ``nominal`` (M10's payment days)."""
        self.due_date = calendar.last_working_day_on_or_before(nominal)
        self.due_from, self.due_working_days = nominal, None
        self.due_provisional = _provisional(nominal) or _provisional(self.due_date)
        self._due_counted = True
        if note is not None:
            self.deadline_note = note
        return self.due_date

    def about(self, subject: Subject, summary: str, region_code: str | None = None) -> None:
        """Tie the process to what it is about: the subject (set on the process's own foreign
        key to its model), the region that scoping filters on (the subject's, unless given),
        and the few words task lists show. The caller counts the deadline and saves."""
        field = next(f for f in self._meta.concrete_fields if f.is_relation and isinstance(subject, f.related_model))
        setattr(self, field.name, subject)
        self.region_code = region_code if region_code is not None else subject.region_code
        self.summary = summary[: self._meta.get_field("summary").max_length]

    def copy_due(self, other: "CaseProcess") -> None:
        """The same deadline as ``other``'s, counted again with it (a check within a spot check)."""
        self.due_date, self.deadline_note = other.due_date, other.deadline_note
        self.due_provisional, self.due_from, self.due_working_days = other.due_provisional, other.due_from, other.due_working_days
        self._due_counted = True

    def recount_due(self) -> bool:
        """Count the deadline again with today's calendar; True when the date or its 暂定 mark
        changed (the caller saves)."""
        before = (self.due_date, self.due_provisional)
        if self.due_from is None:
            self.due_provisional = _provisional(self.due_date)
        elif self.due_working_days is None:
            self.due_on_or_before(self.due_from)
        else:
            self.count_due(self.due_from, self.due_working_days)
        return (self.due_date, self.due_provisional) != before

    def save(self, *args, **kwargs):
        if not self._due_counted:
            if self.due_date != self._loaded_due:
                self.due_from = self.due_working_days = None
            if self.due_from is None:
                self.due_provisional = _provisional(self.due_date)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "due_date" in update_fields:
            kwargs["update_fields"] = {*update_fields, *DUE_FIELDS}
        super().save(*args, **kwargs)
        self._loaded_due, self._due_counted = self.due_date, False

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.due_date is not None and self.finished is None and self.due_date < today


TASK_SCOPE_FIELD = "process__caseprocess__region_code"


def _task_scope(queryset, user):
    queryset = queryset.filter(scope_q(user, TASK_SCOPE_FIELD))
    if user is not None and user.is_authenticated:
        # The tasks of a process the user is recused from (core.Recusal) are not theirs to see.
        queryset = queryset.exclude(process_id__in=recused_ids(user, CaseProcess))
    return queryset


class ScopedTaskQuerySet(Task.objects._queryset_class):
    """viewflow's task queries, narrowed to the user's regions wherever a user is given, less
    the processes the user is recused from."""

    def filter_available(self, flow_classes, user):
        return _task_scope(super().filter_available(flow_classes, user), user)

    def user_queue(self, user, flow_class=None):
        return _task_scope(super().user_queue(user, flow_class), user)

    def user_archive(self, user, flow_class=None):
        return _task_scope(super().user_archive(user, flow_class), user)


class ScopedTaskManager(models.Manager.from_queryset(ScopedTaskQuerySet)):  # type: ignore[misc]  # viewflow has no stubs: its queryset is Any to django-stubs
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
        # The receivers of post_save (engine.assignment, wired in engine.apps) read the status
        # the task had when loaded; the next save compares with this one.
        super().save(*args, **kwargs)
        self._loaded_status = self.status


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
    if recused_ids(user, CaseProcess).filter(record_id=process_pk).exists():
        return False
    region_code = CaseProcess.objects.filter(pk=process_pk).values_list("region_code", flat=True).first()
    if region_code is None:
        # A process outside our base model carries no region: only the province-wide see it.
        return "" in prefixes
    return in_scope(user, region_code)
