from django.urls import path

from . import api, pages

app_name = "monitoring"

urlpatterns = [
    path("monitoring/", pages.deliveries, name="deliveries"),
    path("monitoring/upload/", pages.upload, name="upload"),
    path("monitoring/feeds/<int:pk>/", pages.feed_detail, name="feed"),
    path("monitoring/rows/<int:pk>/", pages.raw_row, name="raw_row"),
    path("monitoring/signals/", pages.signals, name="signals"),
    path("monitoring/dashboard/", pages.dashboard, name="dashboard"),
    path("monitoring/dashboard/export.xlsx", pages.dashboard_export, name="dashboard_export"),
    path("monitoring/register/", pages.register, name="register"),
    path("api/monitoring/feeds/", api.FeedView.as_view(), name="api_feeds"),
    path("api/monitoring/layout/", api.LayoutView.as_view(), name="api_layout"),
]
