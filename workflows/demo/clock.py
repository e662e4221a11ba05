"""The demo clock (演示时钟): in demo mode an administrator moves time forward by whole days.

How time moves: the whole process's clock runs `offset_days` ahead of the real one
(time-machine patches time.time, datetime.now, date.today ... at the C level), and the offset is
stored in the database (DemoClock) so that every process of the demo agrees on it. So every
reader of time agrees, with no change to production code: viewflow's timer sweep and task
timestamps, `timezone.localdate()` in services and forms, the working-day deadlines, the
escalation and reminder jobs, the dates printed on notices. The alternative, shifting the due
timestamps of open timers and deadlines backwards, leaves the record contradicting itself: a
7-day 公示 would show as ending before it began, or on the day it was opened, and already signed
notices would disagree with the case's dates.

After moving, `fast_forward` runs what beat would have run on the days passed (in the same
process: the demo runs Celery eagerly): the daily jobs for each day (escalation, the monthly
meeting, spot check and payment cycle, each of which checks its own day), then the reminders
and the missing-calendar warning for the new day, then the timer sweep (e.g. the end of a
7-day 公示).

The clock only ever moves forward: going back would put records in the future.
"""

import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypedDict

import time_machine
from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from .models import DemoClock

MAX_DAYS = 60

_lock = threading.Lock()


class _State(TypedDict):
    days: int
    travel: time_machine.travel | None
    traveller: time_machine.Traveller | None


_state: _State = {"days": 0, "travel": None, "traveller": None}


class DemoModeOff(Exception):
    """The demo clock was asked for outside demo mode."""

    message = "演示时钟只在演示模式（make run，WJZ_DEMO_MODE=1 且 DJANGO_DEBUG=1）下可用"


def enabled() -> bool:
    return bool(getattr(settings, "WJZ_DEMO_MODE", False)) and settings.DEBUG


def stored_days() -> int:
    return DemoClock.objects.filter(pk=1).values_list("offset_days", flat=True).first() or 0


def applied_days() -> int:
    return _state["days"]


def apply(days: int) -> None:
    """Make this process's clock run `days` ahead of the real one."""
    with _lock:
        if days == _state["days"]:
            return
        traveller = _state["traveller"]
        if traveller is None:
            travel = _state["travel"] = time_machine.travel(timedelta(days=days), tick=True)
            _state["traveller"] = travel.start()
        else:
            traveller.shift(timedelta(days=days - _state["days"]))
        _state["days"] = days


def sync() -> int:
    """Apply the stored offset (another process may have moved it)."""
    days = stored_days()
    apply(days)
    return days


def reset() -> None:
    """Back to the real clock in this process (tests; the stored offset is left alone)."""
    with _lock:
        if _state["travel"] is not None:
            _state["travel"].stop()
        _state.update({"days": 0, "travel": None, "traveller": None})


@dataclass
class Result:
    days: int
    before: date
    after: date
    timers: int = 0
    jobs: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)


def _daily_jobs():
    from workflows.engine.calendar_watch import warn_missing_calendar
    from workflows.engine.tasks import escalate_overdue, send_deadline_reminders
    from workflows.payments.tasks import open_monthly_cycles
    from workflows.review.tasks import ensure_monthly_meetings
    from workflows.spotcheck.tasks import ensure_monthly_spot_checks

    each_day = [
        ("逾期督办", escalate_overdue),
        ("每月联审会议", ensure_monthly_meetings),
        ("每月抽查", ensure_monthly_spot_checks),
        ("每月发放批次", open_monthly_cycles),
    ]
    last_day = [("到期提醒", send_deadline_reminders), ("节假日安排提醒", warn_missing_calendar)]
    return each_day, last_day


def _run(result: Result, label: str, task, day: date) -> None:
    try:
        count = task.apply(args=[day.isoformat()], throw=True).get()
    except Exception as exc:
        problem = f"{label}未能执行：{getattr(exc, 'for_staff', None) or exc}"
        # The same failure on every day passed is said once, with the first day it happened.
        if not any(p.endswith(problem) for p in result.problems):
            result.problems.append(f"{day:%Y年%-m月%-d日}起，{problem}")
        return
    if isinstance(count, int) and count:
        result.jobs[label] = result.jobs.get(label, 0) + count


def fast_forward(days: int) -> Result:
    """Move the demo clock `days` days forward and run what falls due on the way."""
    if not enabled():
        raise DemoModeOff(DemoModeOff.message)
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValueError(f"快进天数应为 1 至 {MAX_DAYS} 的整数")
    from workflows.engine.tasks import fire_timers

    sync()
    before = timezone.localdate()
    with transaction.atomic():
        clock, _ = DemoClock.objects.select_for_update().get_or_create(pk=1)
        clock.offset_days += days
        clock.save()
    apply(clock.offset_days)
    result = Result(days=clock.offset_days, before=before, after=timezone.localdate())
    each_day, last_day = _daily_jobs()
    day = before
    while day < result.after:
        day += timedelta(days=1)
        for label, task in each_day:
            _run(result, label, task, day)
    for label, task in last_day:
        _run(result, label, task, result.after)
    # A fired timer can lead to another one: sweep until nothing more is due.
    while fired := fire_timers.apply(throw=True).get():
        result.timers += fired
    return result


def require_enabled() -> None:
    if not enabled():
        raise Http404(DemoModeOff.message)


class DemoClockMiddleware:
    """Demo mode only (settings add it then): each request runs on the stored offset."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if enabled():
            sync()
        return self.get_response(request)
