"""viewflow viewsets whose every list is narrowed to the user's regions (DESIGN §4.3).

Single objects (process detail, task pages) are guarded by RegionScopeMiddleware; lists are
guarded here; the flows' task manager (ScopedTask) guards the dashboard and the menus' counts.
"""

from viewflow.workflow.flow import views
from viewflow.workflow.flow.viewset import FlowViewset, WorkflowAppViewset

from workflows.core.scoping import scoped

from .models import TASK_SCOPE_FIELD, ScopedTask


def scoped_view(view_class, field: str):
    """A subclass of a viewflow list view that keeps only the user's regions."""

    def get_queryset(self):
        return scoped(super(cls, self).get_queryset(), self.request.user, field)

    cls = type(f"Scoped{view_class.__name__}", (view_class,), {"get_queryset": get_queryset})
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
