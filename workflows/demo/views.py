"""演示：快进 N 天 — the administrators' page of the demo clock (404 outside demo mode)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from . import clock


def can_move_clock(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_perm("demo.change_democlock"))


class FastForwardForm(forms.Form):
    days = forms.IntegerField(
        label="快进天数",
        min_value=1,
        max_value=clock.MAX_DAYS,
        initial=1,
        error_messages={
            "required": "请填写快进天数",
            "invalid": "快进天数应为整数",
            "min_value": "快进天数至少为 1 天",
            "max_value": f"一次最多快进 {clock.MAX_DAYS} 天",
        },
    )


def _pending_timers():
    """Open timers (e.g. 公示期), soonest first, with the days to move forward to pass them."""
    today = timezone.localdate()
    rows = []
    for task in Task.objects.filter(flow_task_type="TIMER", status=STATUS.SCHEDULED).select_related("process").order_by("scheduled")[:20]:
        due = timezone.localtime(task.scheduled)
        rows.append(
            {
                "title": task.flow_task.task_title if task.flow_task else "定时事项",
                "case": task.process.summary if hasattr(task.process, "summary") else str(task.process),
                "due": due,
                "days": max(1, (due.date() - today).days + 1),
            }
        )
    return rows


@login_required
def fast_forward(request):
    clock.require_enabled()
    if not can_move_clock(request.user):
        raise Http404("只有系统管理员可以快进演示时钟")
    clock.sync()
    result = None
    form = FastForwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = clock.fast_forward(form.cleaned_data["days"])
        form = FastForwardForm()
    return render(
        request,
        "demo/clock.html",
        {
            "form": form,
            "result": result,
            "now": timezone.localtime(),
            "offset_days": clock.applied_days(),
            "timers": _pending_timers(),
        },
    )
