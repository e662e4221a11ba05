from django.contrib import admin
from django.contrib.auth.views import PasswordChangeView
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from viewflow.contrib.auth import AuthViewset
from viewflow.urls import Application, Site

from forms.accounts import PasswordChangeForm
from workflows.application.flows import ApplicationFlow
from workflows.changes.flows import HouseholdChangeFlow
from workflows.core.views import HouseholdViewset, may_open_registry
from workflows.desk.home import MENU_LINKS, HomeApp
from workflows.discovery.flows import DiscoveryFlow
from workflows.engine.viewsets import ScopedFlowViewset, ScopedWorkflowAppViewset
from workflows.monitoring.flows import MonitoringFlow
from workflows.payments.flows import AccountFixFlow, PaymentFlow
from workflows.petitions.flows import PetitionFlow, PetitionReviewFlow
from workflows.recheck.flows import RecheckFlow
from workflows.relief.flows import ReliefFlow
from workflows.review.flows import ReviewMeetingFlow
from workflows.spotcheck.flows import CaseCheckFlow, SpotCheckFlow

FLOWS = [
    DiscoveryFlow,
    ApplicationFlow,
    ReliefFlow,
    ReviewMeetingFlow,
    SpotCheckFlow,
    CaseCheckFlow,
    PaymentFlow,
    AccountFixFlow,
    RecheckFlow,
    PetitionFlow,
    PetitionReviewFlow,
    HouseholdChangeFlow,
    MonitoringFlow,
]

site = Site(
    title="皖救助",
    primary_color="#b71c1c",
    secondary_color="#5d4037",
    viewsets=[
        HomeApp(FLOWS),
        ScopedWorkflowAppViewset(
            title="业务办理",
            flow_viewsets=[ScopedFlowViewset(flow, icon="assignment") for flow in FLOWS],
        ),
        # Finance and the bank work on rosters, not households: the menu entry follows the permission.
        Application(title="家庭档案", icon="family_restroom", app_name="registry", permission=may_open_registry, viewsets=[HouseholdViewset()]),
        *MENU_LINKS,
    ],
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", AuthViewset(with_profile_view=False, pass_change_view=PasswordChangeView.as_view(form_class=PasswordChangeForm)).urls),
    path("", include("documents.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("workflows.application.objections")),
    path("", include("workflows.discovery.urls")),
    path("", include("workflows.spotcheck.urls")),
    path("", include("workflows.payments.urls")),
    path("", include("workflows.recheck.urls")),
    path("", include("workflows.petitions.urls")),
    path("", include("workflows.monitoring.urls")),
    path("", include("workflows.demo.urls")),
    # Stable task and case links (notifications store them); at the root, as links.py expects.
    path("", include("workflows.engine.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("", site.urls),
]
