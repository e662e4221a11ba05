"""The landing page: what this user has to do today, in their region."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import path, reverse
from django.utils import timezone
from django.views.generic import RedirectView, TemplateView
from viewflow.urls import Application
from viewflow.workflow.status import STATUS

from documents.selectors import awaiting_signature
from workflows.core.models import Household, StaffRole
from workflows.core.scoping import scoped
from workflows.engine.models import ScopedTask

# Quick starts beside the tasks: (label, URL name, shown when the user has this permission,
# or holds one of these roles). Each role sees the pages of its daily work.
NOTICE_ROLES = (StaffRole.TOWNSHIP_CLERK, StaffRole.TOWNSHIP_PRINCIPAL, StaffRole.COUNTY_OFFICER, StaffRole.COUNTY_HEAD, StaffRole.SUPERVISOR)
QUICK_LINKS = (
    ("家庭档案", "registry:household:index", "core.view_household", ()),
    ("主动发现台账", "discovery:ledger", "discovery.view_lead", ()),
    ("文书", "documents:notice_list", None, NOTICE_ROLES),
    ("抽查覆盖", "spotcheck:coverage", "spotcheck.view_spotcheck", ()),
    ("本乡镇发放汇总", "payments:township_totals", "payments.view_township_totals", ()),
    ("在办信访件", "petitions:list", "petitions.view_petition", ()),
    ("重复信访治理", "petitions:repeats", "petitions.view_petition", ()),
    ("心理风险与移交", "petitions:risks", "petitions.view_petition", ()),
    ("信访统计通报", "petitions:statistics", "petitions.view_statistics", ()),
    ("监测预警", "monitoring:signals", "monitoring.view_signal", ()),
    ("部门数据报送比对", "monitoring:deliveries", "monitoring.view_feed", ()),
    ("低收入人口监测统计", "monitoring:dashboard", "monitoring.view_dashboard", ()),
)
# Shown instead of an empty page to roles whose own process comes later.
ROLE_NOTES: dict[str, str] = {}


def quick_links(user, roles: set[str]) -> list[tuple[str, str]]:
    return [
        (label, reverse(name))
        for label, name, perm, role_set in QUICK_LINKS
        if (perm and user.has_perm(perm)) or roles & set(role_set) or (user.is_superuser and not perm)
    ]


def _task_row(task):
    return {
        "task": task,
        "url": task.flow_task.reverse("index", args=[task.process_id, task.pk]),
        "due": task.process.caseprocess.due_date,
        "brief": task.process.caseprocess.summary or task.flow_task.flow_class.process_title,
    }


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "desk/home.html"
    flow_classes = ()

    def get_context_data(self, **kwargs):
        user = self.request.user
        flows = [f for f in self.flow_classes if f.instance.has_view_permission(user)]
        order = ("process__caseprocess__due_date", "created")
        inbox = ScopedTask.objects.inbox(flows, user).select_related("process", "process__caseprocess").order_by(*order)
        # Tasks waiting to be taken are work too: a leader's signing task waits here.
        queue = ScopedTask.objects.queue(flows, user).select_related("process", "process__caseprocess").order_by(*order)
        roles = list(user.staff_roles.select_related("region", "region__parent", "region__parent__parent").all())
        role_keys = {r.role for r in roles}
        to_sign = awaiting_signature(user).select_related("issuer")
        return super().get_context_data(
            roles=roles,
            inbox=[_task_row(t) for t in inbox[:20]],
            inbox_count=inbox.count(),
            queue=[_task_row(t) for t in queue[:20]],
            queue_count=queue.count(),
            to_sign=list(to_sign[:20]),
            to_sign_count=to_sign.count(),
            household_count=scoped(Household.objects.all(), user).count(),
            start_nodes=[(f, node, node.reverse("execute")) for f in flows for node in f.instance.get_start_nodes(user)],
            links=quick_links(user, role_keys),
            notes=[ROLE_NOTES[k] for k in sorted(role_keys) if k in ROLE_NOTES],
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


def holds_role(*roles):
    def check(user) -> bool:
        return user.is_authenticated and (user.is_superuser or user.staff_roles.filter(role__in=roles).exists())

    return check


def has_permission(perm):
    def check(user) -> bool:
        return user.is_authenticated and user.has_perm(perm)

    return check


class LinkApp(Application):
    """A menu entry for a page that lives outside the Site's URLs (the notices list, the
    ledger, the coverage page): its index sends there; shown to whom `permission` allows."""

    menu_template_name = None

    def __init__(self, *, title, icon, app_name, url_name, permission, **kwargs):
        self.title, self.app_name, self.url_name, self.permission = title, app_name, url_name, permission
        super().__init__(icon=icon, **kwargs)

    @property
    def index_path(self):
        return path("", RedirectView.as_view(pattern_name=self.url_name), name="index")


MENU_LINKS = [
    LinkApp(title="文书", icon="description", app_name="notices_menu", url_name="documents:notice_list", permission=holds_role(*NOTICE_ROLES)),
    LinkApp(title="主动发现台账", icon="list_alt", app_name="ledger_menu", url_name="discovery:ledger", permission=has_permission("discovery.view_lead")),
    LinkApp(
        title="抽查覆盖", icon="fact_check", app_name="coverage_menu", url_name="spotcheck:coverage", permission=has_permission("spotcheck.view_spotcheck")
    ),
    LinkApp(title="复核名单", icon="event_repeat", app_name="recheck_menu", url_name="recheck:list", permission=has_permission("recheck.view_recheckprocess")),
    LinkApp(title="信访件", icon="forum", app_name="petitions_menu", url_name="petitions:list", permission=has_permission("petitions.view_petition")),
    LinkApp(
        title="信访统计通报",
        icon="bar_chart",
        app_name="petition_statistics_menu",
        url_name="petitions:statistics",
        permission=has_permission("petitions.view_statistics"),
    ),
    LinkApp(
        title="监测预警",
        icon="warning",
        app_name="monitoring_menu",
        url_name="monitoring:signals",
        permission=has_permission("monitoring.view_signal"),
    ),
    LinkApp(
        title="低收入人口监测统计",
        icon="assessment",
        app_name="monitoring_dashboard_menu",
        url_name="monitoring:dashboard",
        permission=has_permission("monitoring.view_dashboard"),
    ),
]
