"""viewflow viewsets whose every list is narrowed to the user's regions (DESIGN §4.3).

Single objects (process detail, task pages) are guarded by RegionScopeMiddleware; lists are
guarded here; the flows' task manager (ScopedTask) guards the dashboard and the menus' counts.
"""

from django.contrib.admin import display
from django.utils import timezone
from django.utils.html import format_html
from viewflow.workflow.flow import views
from viewflow.workflow.flow.viewset import FlowViewset, WorkflowAppViewset

from workflows.core.scoping import recused_ids, scoped

from .models import TASK_SCOPE_FIELD, CaseProcess, ScopedTask


# A column's label: `display` sets the short_description viewflow's lists read, as the admin's do.
@display(description="办理期限")
def due(self, task):
    """The legal deadline of the task's case; overdue and 暂定 show in the list, not only inside."""
    case = task.process.caseprocess
    day = case.due_date
    if day is None:
        return "—"
    # 暂定: counted on the provisional calendar, moves when the year's notice is loaded.
    text = day.isoformat() + ("（暂定）" if case.due_provisional else "")
    if task.finished is None and day < timezone.localdate():
        return format_html('<b style="color:#b71c1c">{}（已逾期）</b>', text)
    return text


@display(description="事项")
def process_brief(self, task):
    url = task.flow_task.flow_class.instance.reverse("process_detail", args=[task.process_id])
    return format_html('<a href="{}">{}</a>', url, task.process.caseprocess.summary or task.flow_task.flow_class.process_title)


TASK_COLUMNS = ("task_id", "process_brief", "flow_task", "due", "created")


def scoped_view(view_class, field: str):
    """A subclass of a viewflow list view that keeps only the user's regions.

    Task lists also get the deadline column; its data is joined in, so the number of
    queries does not grow with the page length.
    """
    is_task_list = field == TASK_SCOPE_FIELD

    def scope(queryset, user):
        queryset = scoped(queryset, user, field)
        if is_task_list and user.is_authenticated:
            # viewflow's plain Task is not recusable itself: its process is (core.Recusal).
            queryset = queryset.exclude(process_id__in=recused_ids(user, CaseProcess))
        return queryset

    def get_filterset(self, filterset_class, queryset):
        # Scope before the filters see the rows: viewflow's task filters compute their choices
        # (the distinct nodes, a <select> of every process in the list) from this queryset;
        # unscoped, that was the whole province: slow, and other townships' cases listed.
        return super(cls, self).get_filterset(filterset_class, scope(queryset, self.request.user))

    def get_queryset(self):
        queryset = super(cls, self).get_queryset()
        if getattr(self, "filterset", None) is None:  # no filterset: not scoped yet
            queryset = scope(queryset, self.request.user)
        if not queryset.ordered:
            # Newest first, and a stable order for the pages (viewflow's process list has none).
            queryset = queryset.order_by("-pk")
        return queryset.select_related("process__caseprocess") if is_task_list else queryset

    attrs: dict[str, object] = {"get_queryset": get_queryset, "get_filterset": get_filterset}
    if is_task_list:
        columns = TASK_COLUMNS if "finished" not in view_class.columns else (*TASK_COLUMNS, "finished")
        attrs.update(due=due, process_brief=process_brief, columns=columns)
    cls = type(f"Scoped{view_class.__name__}", (view_class,), attrs)
    return cls


class ScopedFlowViewset(FlowViewset):
    process_list_view_class = scoped_view(views.DashboardProcessListView, "region_code")
    task_list_view_class = scoped_view(views.DashboardTaskListView, TASK_SCOPE_FIELD)
    inbox_view_class = scoped_view(views.FlowInboxListView, TASK_SCOPE_FIELD)
    queue_view_class = scoped_view(views.FlowQueueListView, TASK_SCOPE_FIELD)
    archive_view_class = scoped_view(views.FlowArchiveListView, TASK_SCOPE_FIELD)


class ScopedWorkflowAppViewset(WorkflowAppViewset):
    inbox_view_class = scoped_view(views.WorkflowInboxListView, TASK_SCOPE_FIELD)
    queue_view_class = scoped_view(views.WorkflowQueueListView, TASK_SCOPE_FIELD)
    archive_view_class = scoped_view(views.WorkflowArchiveListView, TASK_SCOPE_FIELD)

    def get_context_data(self, request):
        return {
            "user_inbox": ScopedTask.objects.inbox(self.flow_classes, request.user),
            "user_queue": ScopedTask.objects.queue(self.flow_classes, request.user),
        }
