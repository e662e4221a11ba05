"""The landing page: what this user has to do today, in their region."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path
from django.utils import timezone
from django.views.generic import TemplateView
from viewflow.urls import Application
from viewflow.workflow.status import STATUS

from workflows.engine.models import ScopedTask

from .models import Household
from .scoping import scoped


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"
    flow_classes = ()

    def get_context_data(self, **kwargs):
        user = self.request.user
        flows = [f for f in self.flow_classes if f.instance.has_view_permission(user)]
        inbox = ScopedTask.objects.inbox(flows, user).select_related("process", "process__caseprocess").order_by("process__caseprocess__due_date", "created")
        queue = ScopedTask.objects.queue(flows, user)
        return super().get_context_data(
            roles=user.staff_roles.select_related("region").all(),
            inbox=[
                {"task": t, "url": t.flow_task.reverse("index", args=[t.process_id, t.pk]), "due": t.process.caseprocess.due_date, "brief": t.flow_task.flow_class.process_title}
                for t in inbox[:20]
            ],
            inbox_count=inbox.count(),
            queue_count=queue.count(),
            household_count=scoped(Household.objects.all(), user).count(),
            start_nodes=[(f, node) for f in flows for node in f.instance.get_start_nodes(user)],
            today=timezone.localdate(),
            STATUS=STATUS,
            **kwargs,
        )


class HomeApp(Application):
    title = "工作台"
    icon = "dashboard"
    app_name = "home"
    menu_template_name = None

    def __init__(self, flow_classes, **kwargs):
        super().__init__(**kwargs)
        self.flow_classes = flow_classes

    @property
    def index_path(self):
        return path("", HomeView.as_view(flow_classes=self.flow_classes), name="index")
