"""Clear answers instead of bare error pages.

TaskConflictMiddleware: when a task was taken or finished by someone else a moment earlier,
viewflow refuses the request with PermissionDenied (it re-checks the task under the flow
lock); we turn that into a page saying who has the task, with HTTP 409, instead of a bare 403.

CalendarMissingMiddleware: a deadline that needs a year whose holiday calendar is not loaded
(DESIGN §4.4) stops the request with a page saying so, HTTP 503, instead of a 500.
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from workflows.policy.calendar import CalendarYearMissing


def _name(user):
    return (user.get_full_name() or user.get_username()) if user else "其他人员"


class TaskConflictMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        match = getattr(request, "resolver_match", None)
        if not isinstance(exception, PermissionDenied) or match is None or "task_pk" not in match.kwargs:
            return None
        task = Task.objects.filter(pk=match.kwargs["task_pk"]).select_related("owner").first()
        if task is None:
            return None
        if task.status in (STATUS.DONE, STATUS.CANCELED):
            message = f"该任务已由{_name(task.owner)}办结，您的提交没有被重复处理。"
        elif task.owner_id and task.owner_id != request.user.pk:
            message = f"该任务已由{_name(task.owner)}认领办理，请勿重复办理。"
        else:
            return None
        return render(request, "engine/message_page.html", {"heading": "任务已被处理", "message": message}, status=409)


class CalendarMissingMiddleware:
    """Task forms answer this themselves, keeping the input (ServiceFormMixin); this covers
    every other view. Services run in transactions, so the request leaves nothing half-done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, CalendarYearMissing):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": exception.for_staff}, status=503)
        return render(request, "engine/message_page.html", {"heading": "暂时无法办理", "message": exception.for_staff}, status=503)
